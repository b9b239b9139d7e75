"""Intake's register of units is the source of cloud-broker's and finance's copies.

Intake, cloud-broker and finance run in this process on real PostgreSQL and NATS, each with its
own database, and meet only on the stream: a unit registered and then changed in intake shows
up in cloud-broker's cloud accounts (level, first reviewer L3, jurisdiction L5, funding L9) and in
finance's funding records (L9), and finance's own fact (whether a county's finance pays) stays.
"""

import httpx
from sqlalchemy import select

from cloud_broker.main import spec as broker_spec
from finance.cloud.models import UnitFunding
from finance.main import spec as finance_spec
from govit_kit.credit_code import check_character
from govit_kit.testing import bearer, wait_until
from intake.main import spec as intake_spec


def credit_code(n: int) -> str:
    first17 = f"11510900MB{n:07d}"
    return first17 + check_character(first17)


async def test_units_registered_in_intake_are_copied_by_broker_and_finance(start_service, issuer):
    intake = await start_service(intake_spec(), policy_profile="suining")
    broker = await start_service(
        broker_spec(), intake_grpc=f"127.0.0.1:{intake.grpc_port}", policy_profile="suining"
    )
    finance = await start_service(finance_spec(), policy_profile="suining")
    bureau = bearer(issuer.issue("rev-1", "data-bureau", ["bureau_reviewer"]))
    cloud_admin = bearer(issuer.issue("adm-1", "data-bureau", ["bureau_cloud_admin"]))
    officer = bearer(issuer.issue("fay", "org-finance", ["finance_officer"]))

    async def funding(org):
        async with finance.runtime.db.sessions() as session:
            return await session.scalar(select(UnitFunding).where(UnitFunding.org_id == org))

    async with (
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{intake.http_port}", timeout=20) as ik,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{broker.http_port}", timeout=20) as cb,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{finance.http_port}", timeout=20) as fin,
    ):

        async def account(org, **expected):
            units = (await cb.get("/v1/units", headers=cloud_admin)).json()
            unit = next((u for u in units if u["org_id"] == org), None)
            return unit if unit and all(unit[k] == v for k, v in expected.items()) else None

        county = {"name": "射洪市数据局", "credit_code": credit_code(1), "level": "city"}
        r = await ik.post(
            "/v1/organisations",
            headers=bureau,
            json={"id": "org-shehong", **county, "funding_class": "full"},
        )
        assert r.status_code == 201, r.text
        body = {"name": "射洪市医院", "credit_code": credit_code(2), "level": "county"}
        body |= {"parent_org_id": "org-shehong", "funding_class": "partial"}
        r = await ik.post("/v1/organisations", headers=bureau, json={"id": "org-hosp", **body})
        assert r.status_code == 201, r.text
        unit = await wait_until(lambda: account("org-hosp", funding="partial"))
        assert (unit["level"], unit["county_authority_org"], unit["jurisdiction"]) == (
            "county",
            "org-shehong",
            "org-shehong",
        )
        copied = await wait_until(lambda: funding("org-hosp"))
        assert (copied.level, copied.funding, copied.local_finance_pays) == (
            "county",
            "partial",
            False,
        )
        # Finance records that the county's own finance pays (its funding order), then intake
        # changes the unit's funding class: the class follows intake, finance's fact stays.
        own = {"level": "county", "funding": "partial", "local_finance_pays": True}
        r = await fin.put("/v1/units/org-hosp/funding", headers=officer, json=own)
        assert r.status_code == 200, r.text
        etag = (await ik.get("/v1/organisations/org-hosp", headers=bureau)).headers["ETag"]
        r = await ik.put(
            "/v1/organisations/org-hosp",
            headers={**bureau, "If-Match": etag},
            json={**body, "funding_class": "self_funded"},
        )
        assert r.status_code == 200, r.text
        await wait_until(lambda: account("org-hosp", funding="self"))

        async def self_funded():
            row = await funding("org-hosp")
            return row if row.funding == "self" else None

        copied = await wait_until(self_funded)
        assert (copied.level, copied.local_finance_pays) == ("county", True)
