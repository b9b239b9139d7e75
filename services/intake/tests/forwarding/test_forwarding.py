"""C6 with two running instances: a county deployment forwards to the city's over gRPC."""

import uuid

from intake_test_helpers import approve, upload_required

from govit_kit.testing import EventSpace, bearer, delete_stream, run_service, settings_for
from intake.config import IntakeSettings
from intake.main import spec


async def test_county_forwards_to_the_city_and_sees_its_outcome(
    start_intake, client_for, databases, event_space, jwt_dir, nats_url, issuer
):
    city = await start_intake("suining", jurisdiction_name="遂宁市")
    # The county runs its own deployment: its own database and its own event stream.
    tag = uuid.uuid4().hex[:10]
    county_space = EventSpace(nats_url, f"T_{tag}", f"t{tag}.govit")
    county = await run_service(
        spec(),
        settings_for(
            "intake",
            database_url=await databases.create("county"),
            space=county_space,
            data_dir=jwt_dir,
            cls=IntakeSettings,
            policy_profile="suining",
            jurisdiction_name="船山区",
            city_intake_grpc=f"127.0.0.1:{city.grpc_port}",
        ),
    )
    try:
        cc = client_for(county)
        ct = client_for(city)
        county_reviewer = bearer(issuer.issue("chen", "org-chuanshan", ["county_reviewer"]))
        for org in (
            {"id": "org-chuanshan", "name": "船山区数据局", "credit_code": "91110000600037341L",
             "level": "county", "funding_class": "full"},
            {"id": "org-cs-edu", "name": "船山区教育局", "credit_code": "12100000400010398P",
             "level": "county", "parent_org_id": "org-chuanshan", "funding_class": "full"},
        ):  # fmt: skip
            r = await cc.http.post("/v1/organisations", headers=county_reviewer, json=org)
            assert r.status_code == 201, r.text

        r = await cc.http.post(
            "/v1/projects",
            headers=cc.staff("org-cs-edu"),
            json={"name": "智慧校园", "project_type": "new", "total_investment": "800000.00"},
        )
        pid = r.json()["id"]
        await upload_required(cc, pid, "org-cs-edu")
        await cc.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=cc.cdo("org-cs-edu"))
        # Not yet submitted in the county: nothing to forward.
        r = await cc.http.post(
            f"/v1/projects/{pid}/forward", headers=county_reviewer, json={"opinion": "同意"}
        )
        assert r.status_code == 409
        r = await cc.http.post(f"/v1/projects/{pid}/submit", headers=cc.staff("org-cs-edu"))
        assert r.status_code == 200, r.text
        # The county authority reads its units' applications for its first review; another
        # county's authority does not.
        assert (
            await cc.http.get(f"/v1/projects/{pid}", headers=county_reviewer)
        ).status_code == 200
        listed = (await cc.http.get("/v1/projects", headers=county_reviewer)).json()["items"]
        assert [p["id"] for p in listed] == [pid]
        materials = await cc.http.get(f"/v1/projects/{pid}/materials", headers=county_reviewer)
        assert materials.status_code == 200 and materials.json()
        # Only the county authority above the unit forwards.
        other_county = bearer(issuer.issue("x", "org-other-county", ["county_reviewer"]))
        assert (await cc.http.get(f"/v1/projects/{pid}", headers=other_county)).status_code == 404
        assert (await cc.http.get("/v1/projects", headers=other_county)).json()["items"] == []
        stray = {"id": "org-elsewhere", "name": "别县单位", "credit_code": "91350100M000100Y43",
                 "level": "county", "funding_class": "full"}  # fmt: skip
        r = await cc.http.post("/v1/organisations", headers=county_reviewer, json=stray)
        assert r.status_code == 403
        orgs = (await cc.http.get("/v1/organisations", headers=county_reviewer)).json()["items"]
        assert [o["id"] for o in orgs] == ["org-chuanshan", "org-cs-edu"]
        assert (await cc.http.get("/v1/organisations", headers=other_county)).json()["items"] == []
        r = await cc.http.post(
            f"/v1/projects/{pid}/forward", headers=other_county, json={"opinion": "同意"}
        )
        assert r.status_code == 404
        r = await cc.http.post(
            f"/v1/projects/{pid}/forward",
            headers=county_reviewer,
            json={"opinion": "初审通过,建议市数据局审核"},
        )
        assert r.status_code == 200, r.text
        forwarded = r.json()
        assert forwarded["status"] == "forwarded" and forwarded["city_status"] == "submitted"
        city_id = forwarded["city_project_id"]

        # The city sees the application, its origin and the county's opinion.
        got = (await ct.http.get(f"/v1/projects/{city_id}", headers=ct.bureau())).json()
        assert got["status"] == "submitted" and got["org_id"] == "org-cs-edu"
        assert (got["origin"], got["origin_project_id"]) == ("船山区", pid)
        assert got["county_opinion"] == "初审通过,建议市数据局审核"
        outbox = city.runtime.db.tables.outbox
        async with city.runtime.db.sessions() as session:
            rows = (await session.execute(outbox.select())).all()
        assert [r.event_type for r in rows if r.project_id == city_id] == [
            "govit.intake.project.submitted"  # the city's review opens its case from this
        ]

        # The city's review approves; the county reads the outcome back.
        await approve(ct, event_space, city_id, "org-cs-edu")
        r = await cc.http.post(f"/v1/projects/{pid}/city-outcome", headers=county_reviewer)
        assert r.status_code == 200, r.text
        assert r.json()["city_status"] == "approved"
        assert (
            await cc.http.post(f"/v1/projects/{pid}/city-outcome", headers=other_county)
        ).status_code == 404
    finally:
        await county.shutdown()
        await delete_stream(nats_url, county_space.stream)


async def test_the_city_deployment_does_not_forward(start_intake, client_for, issuer):
    c = client_for(await start_intake("suining"))
    reviewer = bearer(issuer.issue("chen", "org-chuanshan", ["county_reviewer"]))
    r = await c.http.post("/v1/projects/whatever/forward", headers=reviewer, json={"opinion": "x"})
    assert r.status_code == 409 and "GOVIT_CITY_INTAKE_GRPC" in r.json()["detail"]
