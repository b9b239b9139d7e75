"""The whole platform for black-box tests: the five services as processes on real NATS and PostgreSQL.

One platform per test module (each Python service takes seconds to import): five databases of
its own, a stream and subject root of its own on the shared broker, the session's signing key,
free ports, and logs under a temporary directory. It is always stopped at the end, and when a
test fails the tail of each service's log is attached to the report.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlparse

import asyncpg
import httpx
import pytest
import pytest_asyncio

from govit_kit.auth import TokenIssuer
from govit_kit.platform import SERVICES, Platform, service_ports
from govit_kit.testing import Databases, EventSpace, delete_stream

LOG_TAIL_LINES = 40
START_TIMEOUT_S = 120.0


def log_tails(platform: Platform, lines: int = LOG_TAIL_LINES) -> str:
    """The last lines of every service's log, for a failure report."""
    parts = []
    for name in platform.services:
        path = (platform.log_dir or Path(".")) / f"{name}.log"
        try:
            text = path.read_text(errors="replace").splitlines()[-lines:]
        except OSError as exc:
            text = [f"(no log: {exc})"]
        parts.append(f"----- {name} ({path}) -----\n" + "\n".join(text))
    return "\n".join(parts)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Attach the services' log tails to the report of a failing test that used the platform."""
    outcome = yield
    report = outcome.get_result()
    platform = getattr(item, "funcargs", {}).get("platform")
    if report.failed and isinstance(platform, Platform):
        report.sections.append(("govit service logs (tail)", log_tails(platform)))


def _running(platform: Platform) -> list[str]:
    return [
        n for n, sp in platform.services.items() if sp.proc is not None and sp.proc.poll() is None
    ]


@asynccontextmanager
async def running_platform(
    postgres_admin_url: str,
    nats_url: str,
    jwt_dir: Path,
    log_dir: Path,
    profile: str = "suining",  # the walking skeleton asserts its figures and articles
    templates: dict[str, str] | None = None,
    extra_env: dict[str, str] | None = None,
) -> AsyncIterator[Platform]:
    """The five services started as processes on this broker under one policy profile,
    migrated and ready; stopped afterwards, with their databases and stream removed. With
    `templates` (see `migrated_templates`) each database is a copy of a migrated one, so the
    platform starts without running migrations. extra_env adds GOVIT_* settings."""
    dbs = Databases(postgres_admin_url)
    tag = uuid.uuid4().hex[:10]
    space = EventSpace(nats_url, f"T_{tag}", f"t{tag}.govit")
    env = {**_platform_env(space, jwt_dir, profile), **(extra_env or {})}
    plat: Platform | None = None
    left: list[str] = []
    try:
        if templates:
            urls = {s.name: await _copy_database(dbs, s.name, templates[s.name]) for s in SERVICES}
        else:
            urls = {s.name: await dbs.create(s.name) for s in SERVICES}
        ports = service_ports(s.name for s in SERVICES)
        plat = Platform(env=env, database_urls=urls, ports=ports, log_dir=log_dir)
        try:
            if not templates:
                await asyncio.to_thread(plat.migrate)  # its error carries the migration's output
        except Exception as exc:
            pytest.fail(f"the platform's migrations failed: {exc}", pytrace=False)
        try:
            await asyncio.to_thread(_start, plat)
        except Exception as exc:
            pytest.fail(f"the platform did not start: {exc}\n{log_tails(plat)}", pytrace=False)
        yield plat
    finally:
        if plat is not None:
            await asyncio.to_thread(plat.stop)
            left = _running(plat)
        try:
            await delete_stream(nats_url, space.stream)
        except Exception:  # a broker a fault test stopped for good: nothing to delete
            pass
        await dbs.drop_all()
    assert not left, f"service processes left running: {left}"


def _platform_env(space: EventSpace, jwt_dir: Path, profile: str) -> dict[str, str]:
    return {
        **space.env(),
        "GOVIT_DATA_DIR": str(jwt_dir),
        "GOVIT_JWT_PRIVATE_KEY_FILE": str(jwt_dir / "jwt-dev.key"),
        "GOVIT_JWT_PUBLIC_KEY_FILE": str(jwt_dir / "jwt-dev.pub"),
        "GOVIT_POLICY_PROFILE": profile,
        "GOVIT_JWKS_URL": "",
        "GOVIT_TRACES_EXPORTER": "none",
    }


async def _copy_database(dbs: Databases, label: str, template: str) -> str:
    """A new database copied from a migrated template (dropped with the others of `dbs`)."""
    name = f"govit_test_{label}_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(dbs.admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await conn.close()
    dbs.created.append(name)
    parsed = urlparse(dbs.admin_url)
    return parsed._replace(scheme="postgresql+asyncpg", path=f"/{name}").geturl()


@asynccontextmanager
async def migrated_templates(
    postgres_admin_url: str, nats_url: str, jwt_dir: Path
) -> AsyncIterator[dict[str, str]]:
    """One migrated database per service (their names), to copy for each platform of a module
    that starts several: the migrations (most of a platform's start) run once. Migrations do
    not depend on the policy profile."""
    dbs = Databases(postgres_admin_url)
    space = EventSpace(nats_url, "T_unused", "tunused.govit")
    try:
        urls = {s.name: await dbs.create(f"tpl_{s.name}") for s in SERVICES}
        plat = Platform(env=_platform_env(space, jwt_dir, "suining"), database_urls=urls)
        try:
            await asyncio.to_thread(plat.migrate)
        except Exception as exc:
            pytest.fail(f"the template migrations failed: {exc}", pytrace=False)
        yield {name: urlparse(url).path.lstrip("/") for name, url in urls.items()}
    finally:
        await dbs.drop_all()


@pytest_asyncio.fixture(scope="module")
async def platform(
    postgres_admin_url: str,
    nats_url: str,
    jwt_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Platform]:
    """The platform on the shared broker, for one test module."""
    log_dir = tmp_path_factory.mktemp("platform-logs")
    async with running_platform(postgres_admin_url, nats_url, jwt_dir, log_dir) as plat:
        yield plat


def _start(plat: Platform) -> None:
    for name in plat.services:
        plat.start_service(name)
    plat.wait_ready(timeout=START_TIMEOUT_S)


@pytest.fixture(scope="module")
def tokens(issuer: TokenIssuer) -> dict[str, str]:
    """Bearer tokens of the people in the walking skeleton."""
    return {
        "unit_a": issuer.issue("alice@org-a", "org-a", ["unit_staff"]),
        "unit_b": issuer.issue("bob@org-b", "org-b", ["unit_staff"]),
        # C4 (suining): each unit's chief data officer signs its applications off.
        "cdo_a": issuer.issue("carol@org-a", "org-a", ["unit_cdo"]),
        "cdo_b": issuer.issue("dave@org-b", "org-b", ["unit_cdo"]),
        "reviewer": issuer.issue("rita@org-data-bureau", "org-data-bureau", ["bureau_reviewer"]),
        "finance": issuer.issue(
            "fred@org-finance-bureau", "org-finance-bureau", ["finance_officer"]
        ),
        "auditor": issuer.issue("audrey@org-audit-bureau", "org-audit-bureau", ["auditor"]),
        # The joint review (D3): a drawn expert, the security and the secrecy reviewers.
        "expert": issuer.issue("ed@org-univ", "org-univ", ["expert"]),
        "security": issuer.issue("sam@org-cac", "org-cac", ["security_reviewer"]),
        "secrecy": issuer.issue("sue@org-secrecy", "org-secrecy", ["secrecy_reviewer"]),
    }


class Clients:
    """One REST client per service, all closed together."""

    def __init__(self, platform: Platform) -> None:
        self.by_name = {
            name: httpx.AsyncClient(base_url=sp.base_url, timeout=15)
            for name, sp in platform.services.items()
        }

    def __getattr__(self, name: str) -> httpx.AsyncClient:
        try:
            return self.by_name[name]
        except KeyError:
            raise AttributeError(name) from None

    async def aclose(self) -> None:
        for client in self.by_name.values():
            await client.aclose()


@pytest_asyncio.fixture
async def api(platform: Platform) -> AsyncIterator[Clients]:
    """REST clients of the running platform: api.intake, api.review, api.cloud_broker, ..."""
    clients = Clients(platform)
    yield clients
    await clients.aclose()
