"""I3's bars on new projects across services (yunyang, YY art28, art30), through REST only.

The five services run as processes on real NATS and PostgreSQL under the yunyang profile: the
data bureau records a finding in finance, finance publishes it, intake keeps it, and the unit's
next new application is refused at submission in intake naming the ground; the bureau's
re-check in finance lifts the bar.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from govit_kit.platform import Platform
from govit_kit.testing import wait_until
from tests.integration.conftest import running_platform
from tests.integration.lifecycle import EVENT_WAIT_S, Lifecycle, ok, refusals

pytestmark = pytest.mark.integration

YY_I3 = ("I3", "YY art25, art28, art29, art30")


@pytest_asyncio.fixture(scope="module")
async def platform(
    postgres_admin_url: str,
    nats_url: str,
    jwt_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Platform]:
    """The platform under the yunyang profile (I3 bars new projects there)."""
    log_dir = tmp_path_factory.mktemp("platform-logs-i3")
    async with running_platform(
        postgres_admin_url, nats_url, jwt_dir, log_dir, profile="yunyang"
    ) as plat:
        yield plat


async def test_a_finding_in_finance_bars_the_units_next_application_in_intake(
    platform, api, issuer, tmp_path
):
    lc = Lifecycle(profile="yunyang", platform=platform, api=api, issuer=issuer, workdir=tmp_path)
    first = await lc.apply("不动产登记平台", "600000.00", sign_off=False)
    pid = first["id"]
    # The next application is complete, ready to go.
    nxt = (await lc.draft("电子证照共享平台", "700000.00"))["id"]
    await lc.complete(nxt)

    # The data bureau finds that the first project's system collects data twice (YY art28);
    # finance knows the project once intake's project.submitted has reached it.
    finding = {"collects_twice": True, "document": "云大数据〔2026〕7号"}
    path = f"/v1/projects/{pid}/duplicate-collection"

    async def recorded():
        r = await api.finance.put(path, headers=lc.h("reviewer"), json=finding)
        return r.status_code == 200

    await wait_until(recorded, timeout=EVENT_WAIT_S)

    async def ground(stands: bool):
        r = await api.intake.get("/v1/organisations/org-a/grounds", headers=lc.h("unit"))
        return [g for g in ok(r) if g["project_id"] == pid and g["stands"] is stands]

    await wait_until(lambda: ground(True), timeout=EVENT_WAIT_S)
    r = await lc.submit(nxt)
    assert refusals(r) == [YY_I3]
    (decision,) = r.json()["decisions"]
    assert decision["figures"]["ground"] == "collects_twice"
    assert decision["figures"]["ground_article"] == "YY art28"
    assert decision["figures"]["project_id"] == pid
    assert "云大数据〔2026〕7号" in r.json()["detail"]
    assert ok(await api.intake.get(f"/v1/projects/{nxt}", headers=lc.h("unit")))["status"] == (
        "draft"
    )

    # The bureau's re-check clears it: the next submission goes through.
    cleared = {"collects_twice": False, "document": "云大数据〔2026〕9号"}
    ok(await api.finance.put(path, headers=lc.h("reviewer"), json=cleared))
    await wait_until(lambda: ground(False), timeout=EVENT_WAIT_S)
    assert ok(await lc.submit(nxt))["status"] == "submitted"

    # YY art30: a unit that failed to integrate gets no new project either.
    unit = "/v1/units/org-a/system-integration"
    body = {"failed_to_integrate": True, "document": "云大数据〔2026〕8号"}
    ok(await api.finance.put(unit, headers=lc.h("reviewer"), json=body))
    third = (await lc.draft("政务服务好差评系统", "650000.00"))["id"]
    await lc.complete(third)

    async def integration_ground():
        r = await api.intake.get("/v1/organisations/org-a/grounds", headers=lc.h("unit"))
        return [g for g in ok(r) if g["ground"] == "not_integrated" and g["stands"]]

    await wait_until(integration_ground, timeout=EVENT_WAIT_S)
    r = await lc.submit(third)
    assert refusals(r) == [YY_I3]
    assert r.json()["decisions"][0]["figures"]["ground_article"] == "YY art30"
