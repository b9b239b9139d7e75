"""C6 with two running instances: a county deployment forwards to the city's over gRPC."""

import asyncio
import hashlib
import uuid
from decimal import Decimal
from pathlib import Path

import grpc
import pytest
from intake_test_helpers import C1_FORM, CATALOG_ROW, approve, submitted_project, upload_required
from sqlalchemy import select

import govit_kit.policy
from govit.intake.v1 import intake_service_pb2 as pb
from govit.intake.v1 import intake_service_pb2_grpc as pb_grpc
from govit_kit.convert import to_money
from govit_kit.testing import (
    EventSpace,
    ThrowawayCA,
    bearer,
    delete_stream,
    run_service,
    settings_for,
    tls_ingress,
)
from intake.config import IntakeSettings
from intake.forwarding.schemas import CHUNK_BYTES, parts
from intake.main import spec
from intake.projects.models import Project

# Materials larger than a gRPC message together (2 x 2.5 MB > 4 MiB) and each more than one
# chunk: the limit both deployments allow in this test.
BIG = 2_500_000
MATERIAL_MAX = 3_000_000
# A catalog row whose optional cells are absent (unstructured data).
FILE_ROW = {**CATALOG_ROW, "format_category": "电子文件", "format_type": "pdf",
            "item_name": "登记簿扫描件", "data_type": None, "data_length": None,
            "open_to_public": True, "open_conditions": "脱敏后", "update_cycle": "每月"}  # fmt: skip


def city_profile(folder: Path) -> str:
    """Suining's profile where the catalog is mandatory too (C2, as in YY): the city's own C2
    check then has something to say about a forwarded application."""
    builtin = Path(govit_kit.policy.__file__).parent / "profiles" / "suining.yaml"
    text = builtin.read_text(encoding="utf-8")
    old = "  C2: {applies: false, article: null, figures: {}}"
    assert old in text
    path = folder / "suining-with-catalog.yaml"
    path.write_text(
        text.replace(
            old,
            '  C2: {applies: true, article: "YY annex 2; YY art14", '
            "figures: {required_from: submission, project_types: [new, continued, expansion, "
            "operations, service_purchase]}}",
        ),
        encoding="utf-8",
    )
    return str(path)


async def test_county_forwards_to_the_city_and_sees_its_outcome(
    start_intake, client_for, databases, event_space, jwt_dir, nats_url, issuer, tmp_path
):
    city = await start_intake(
        city_profile(tmp_path), jurisdiction_name="遂宁市", material_max_bytes=MATERIAL_MAX
    )
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
            city_intake_grpc_tls=False,  # the city's gRPC port itself, no ingress in between
            material_max_bytes=MATERIAL_MAX,
            max_request_bytes=MATERIAL_MAX + 4096,
        ),
    )
    try:
        cc = client_for(county)
        ct = client_for(city)
        county_reviewer = bearer(issuer.issue("chen", "org-chuanshan", ["county_reviewer"]))
        # The county authority's own record is the bureau's to make; the authority registers
        # its units under itself.
        authority, unit = CITY_REGISTER[0], {**CITY_REGISTER[1], "cdo_subject": None}
        r = await cc.http.post("/v1/organisations", headers=cc.bureau(), json=authority)
        assert r.status_code == 201, r.text
        r = await cc.http.post("/v1/organisations", headers=county_reviewer, json=unit)
        assert r.status_code == 201, r.text
        # The city's register holds them too: the city takes a forwarded application only for a
        # county unit registered there under the authority that forwards it.
        await register_city_units(ct)

        r = await cc.http.post(
            "/v1/projects",
            headers=cc.staff("org-cs-edu"),
            json={
                "name": "智慧校园",
                "project_type": "new",
                "total_investment": "800000.00",
                **C1_FORM,
            },
        )
        pid = r.json()["id"]
        kinds = await upload_required(cc, pid, "org-cs-edu")
        # Two large materials, streamed to the city in chunks.
        big = {kind: bytes([n]) * BIG for n, kind in enumerate(("budget_detail", "other"), 1)}
        for kind, content in big.items():
            r = await cc.http.put(
                f"/v1/projects/{pid}/materials/{kind}",
                params={"filename": f"{kind}.zip"},
                headers={**cc.staff("org-cs-edu"), "content-type": "application/zip"},
                content=content,
            )
            assert r.status_code == 200, r.text
        r = await cc.http.put(
            f"/v1/projects/{pid}/catalog",
            headers=cc.staff("org-cs-edu"),
            json=[CATALOG_ROW, FILE_ROW],
        )
        assert r.status_code == 200, r.text
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
        # ... the whole form (C1) as the unit filled it in the county, and the C4 sign-off ...
        county_view = (await cc.http.get(f"/v1/projects/{pid}", headers=county_reviewer)).json()
        for field, value in C1_FORM.items():
            assert got[field] == value, field
        assert (got["name"], got["project_type"], got["total_investment"]) == (
            "智慧校园", "new", "800000.00"
        )  # fmt: skip
        assert got["cdo_signed_by"] == county_view["cdo_signed_by"] == "cdo-org-cs-edu"
        assert got["cdo_signed_at"] == county_view["cdo_signed_at"]
        # ... every material with the same hash, and its content downloadable ...
        described = ("kind", "filename", "content_type", "size_bytes", "sha256", "uploaded_by")
        county_materials = [{k: m[k] for k in described} for m in materials.json()]
        city_materials = (
            await ct.http.get(f"/v1/projects/{city_id}/materials", headers=ct.bureau())
        ).json()
        assert [{k: m[k] for k in described} for m in city_materials] == county_materials
        assert {m["kind"] for m in city_materials} == {*kinds, *big}
        for kind, content in big.items():
            r = await ct.http.get(
                f"/v1/projects/{city_id}/materials/{kind}/content", headers=ct.bureau()
            )
            assert r.status_code == 200 and r.content == content
            assert r.headers["x-content-sha256"] == hashlib.sha256(content).hexdigest()
        r = await ct.http.get(
            f"/v1/projects/{city_id}/materials/{kinds[0]}/content", headers=ct.bureau()
        )
        assert r.content == f"%PDF-1.7 {kinds[0]}".encode()
        # ... and the data resource catalog (C2), which the city's own check finds complete.
        city_catalog = (
            await ct.http.get(f"/v1/projects/{city_id}/catalog", headers=ct.bureau())
        ).json()
        county_catalog = (
            await cc.http.get(f"/v1/projects/{pid}/catalog", headers=county_reviewer)
        ).json()
        assert city_catalog == county_catalog
        assert [{k: r[k] for k in CATALOG_ROW} for r in city_catalog] == [CATALOG_ROW, FILE_ROW]
        async with grpc.aio.insecure_channel(f"127.0.0.1:{city.grpc_port}") as channel:
            checked = await pb_grpc.IntakeServiceStub(channel).CheckCatalog(
                pb.CheckCatalogRequest(project_id=city_id),
                metadata=[("authorization", ct.bureau()["authorization"])],
            )
        assert (checked.complete, checked.entries, list(checked.decisions)) == (True, 2, [])
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


async def test_the_county_forwards_through_the_citys_tls_ingress(
    start_intake, client_for, databases, jwt_dir, nats_url, issuer, tmp_path
):
    """As docs/operations.md has it: the city's intake behind a gRPC ingress with TLS, its
    certificate from the city's own CA. The county dials it over TLS (the default), trusting that
    CA's file, and forwards, and reads the outcome back. Trusting another CA, the call fails on
    the certificate, the county says so and keeps the application to forward again."""
    city = await start_intake("suining", jurisdiction_name="遂宁市")
    city_ca, other_ca = ThrowawayCA("遂宁市政务CA"), ThrowawayCA("another CA")
    ingress = await tls_ingress(
        f"127.0.0.1:{city.grpc_port}", *city_ca.server("grpc.govit.city.test")
    )
    (tmp_path / "city-ca.pem").write_bytes(city_ca.pem)
    (tmp_path / "other-ca.pem").write_bytes(other_ca.pem)
    tag = uuid.uuid4().hex[:10]
    county_space = EventSpace(nats_url, f"T_{tag}", f"t{tag}.govit")
    county_db = await databases.create("county")

    def county_settings(ca_file: str) -> IntakeSettings:
        return settings_for(
            "intake",
            database_url=county_db,
            space=county_space,
            data_dir=jwt_dir,
            cls=IntakeSettings,
            policy_profile="suining",
            jurisdiction_name="船山区",
            # An IP and port, as a NetworkPolicy names the ingress; the certificate names a host.
            city_intake_grpc=f"127.0.0.1:{ingress.port}",
            city_intake_grpc_ca_file=tmp_path / ca_file,
            city_intake_grpc_server_name="grpc.govit.city.test",
        )

    county = await run_service(spec(), county_settings("other-ca.pem"))
    try:
        cc, ct = client_for(county), client_for(city)
        county_reviewer = bearer(issuer.issue("chen", "org-chuanshan", ["county_reviewer"]))
        authority, unit = CITY_REGISTER[0], {**CITY_REGISTER[1], "cdo_subject": None}
        r = await cc.http.post("/v1/organisations", headers=cc.bureau(), json=authority)
        assert r.status_code == 201, r.text
        r = await cc.http.post("/v1/organisations", headers=county_reviewer, json=unit)
        assert r.status_code == 201, r.text
        await register_city_units(ct)
        pid = await submitted_project(cc, "org-cs-edu")

        r = await cc.http.post(
            f"/v1/projects/{pid}/forward", headers=county_reviewer, json={"opinion": "同意"}
        )
        assert r.status_code == 503, r.text
        assert "CERTIFICATE_VERIFY_FAILED" in r.json()["detail"], r.json()
        got = (await cc.http.get(f"/v1/projects/{pid}", headers=county_reviewer)).json()
        assert (got["status"], got["city_project_id"]) == ("submitted", None)
        await county.shutdown()

        # The operator mounts the city's CA file instead and restarts.
        county = await run_service(spec(), county_settings("city-ca.pem"))
        cc = client_for(county)
        r = await cc.http.post(
            f"/v1/projects/{pid}/forward", headers=county_reviewer, json={"opinion": "同意"}
        )
        assert r.status_code == 200, r.text
        city_id = r.json()["city_project_id"]
        got = (await ct.http.get(f"/v1/projects/{city_id}", headers=ct.bureau())).json()
        assert (got["origin"], got["origin_project_id"], got["status"]) == (
            "船山区", pid, "submitted"
        )  # fmt: skip
        r = await cc.http.post(f"/v1/projects/{pid}/city-outcome", headers=county_reviewer)
        assert r.status_code == 200 and r.json()["city_status"] == "submitted", r.text
    finally:
        await county.shutdown()
        await ingress.stop()
        await delete_stream(nats_url, county_space.stream)


def test_a_county_dials_the_city_over_tls_and_checks_its_ca_file_at_start(tmp_path, monkeypatch):
    """The city is reached across networks with the reviewers' tokens: TLS unless
    GOVIT_CITY_INTAKE_GRPC_TLS=false; a CA file that is not there stops the start, named."""
    from govit_kit.runtime import Runtime

    def county(**values) -> IntakeSettings:
        return IntakeSettings(
            service="intake",
            data_dir=tmp_path,
            database_url="sqlite+aiosqlite:///:memory:",
            city_intake_grpc="grpc.govit.city.example.gov.cn:443",
            **values,
        )

    assert county().city_intake_grpc_tls
    monkeypatch.setenv("GOVIT_CITY_INTAKE_GRPC_TLS", "false")
    assert not county().city_intake_grpc_tls
    monkeypatch.setenv("GOVIT_CITY_INTAKE_GRPC_TLS", "true")
    monkeypatch.setenv("GOVIT_CITY_INTAKE_GRPC_CA_FILE", str(tmp_path / "city-ca.pem"))
    with pytest.raises(SystemExit) as exc:
        Runtime(spec(), county())
    assert exc.value.code == (
        f"govit-intake: GOVIT_CITY_INTAKE_GRPC_CA_FILE: {tmp_path}/city-ca.pem does not exist "
        "or is not a file"
    )


async def test_the_city_deployment_does_not_forward(start_intake, client_for, issuer):
    c = client_for(await start_intake("suining"))
    reviewer = bearer(issuer.issue("chen", "org-chuanshan", ["county_reviewer"]))
    r = await c.http.post("/v1/projects/whatever/forward", headers=reviewer, json={"opinion": "x"})
    assert r.status_code == 409 and "GOVIT_CITY_INTAKE_GRPC" in r.json()["detail"]


async def test_two_forwards_at_once_forward_once(
    start_intake, client_for, databases, jwt_dir, nats_url, issuer, tmp_path
):
    """Two forwards of one project at the same moment (two reviewers, a double click): both pass
    the first check and ask the city, which answers both with one city project; the county
    forwards once. The loser gets what a repeat gets (409, the project is forwarded), and the
    county's outbox holds one `project.forwarded`."""
    city = await start_intake(
        city_profile(tmp_path), jurisdiction_name="遂宁市", material_max_bytes=MATERIAL_MAX
    )
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
            city_intake_grpc_tls=False,  # the city's gRPC port itself, no ingress in between
        ),
    )
    try:
        cc, ct = client_for(county), client_for(city)
        reviewer = bearer(issuer.issue("chen", "org-chuanshan", ["county_reviewer"]))
        authority, unit = CITY_REGISTER[0], {**CITY_REGISTER[1], "cdo_subject": None}
        r = await cc.http.post("/v1/organisations", headers=cc.bureau(), json=authority)
        assert r.status_code == 201, r.text
        r = await cc.http.post("/v1/organisations", headers=reviewer, json=unit)
        assert r.status_code == 201, r.text
        await register_city_units(ct)
        r = await cc.http.post(
            "/v1/projects",
            headers=cc.staff("org-cs-edu"),
            json={"name": "智慧校园", "project_type": "new", "total_investment": "800000.00",
                  **C1_FORM},
        )  # fmt: skip
        pid = r.json()["id"]
        await upload_required(cc, pid, "org-cs-edu")
        r = await cc.http.put(
            f"/v1/projects/{pid}/catalog", headers=cc.staff("org-cs-edu"), json=[CATALOG_ROW]
        )
        assert r.status_code == 200, r.text
        await cc.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=cc.cdo("org-cs-edu"))
        r = await cc.http.post(f"/v1/projects/{pid}/submit", headers=cc.staff("org-cs-edu"))
        assert r.status_code == 200, r.text

        answers = await asyncio.gather(
            *(
                cc.http.post(f"/v1/projects/{pid}/forward", headers=reviewer, json={"opinion": o})
                for o in ("同意", "同意转报")
            )
        )
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        won = next(a for a in answers if a.status_code == 200).json()
        lost = next(a for a in answers if a.status_code == 409).json()
        assert lost["type"].endswith("/conflict") and lost["state"] == "forwarded", lost
        repeat = await cc.http.post(
            f"/v1/projects/{pid}/forward", headers=reviewer, json={"opinion": "同意"}
        )
        assert (repeat.status_code, repeat.json()["type"]) == (409, lost["type"])
        now = (await cc.http.get(f"/v1/projects/{pid}", headers=reviewer)).json()
        assert (now["status"], now["city_project_id"]) == ("forwarded", won["city_project_id"])
        db = county.runtime.db
        outbox = db.tables.outbox
        async with db.sessions() as session:
            types = (
                await session.scalars(select(outbox.c.event_type).where(outbox.c.subject == pid))
            ).all()
        assert types.count("govit.intake.project.forwarded") == 1, types
        async with city.runtime.db.sessions() as session:
            origins = (
                await session.scalars(select(Project.id).where(Project.origin_project_id == pid))
            ).all()
        assert origins == [won["city_project_id"]]
    finally:
        await county.shutdown()
        await delete_stream(nats_url, county_space.stream)


# SN P art15's five statements (C3): what a complete application carries under suining.
SN_KINDS = (
    "current_it_status",
    "no_duplication_statement",
    "system_integration",
    "cloud_and_data_status",
    "problem_and_result",
)
# The city's register: the county authority, its unit (with its CDO), a city unit, and another
# county's unit. Registered by the city's data bureau.
CITY_REGISTER = [
    {"id": "org-chuanshan", "name": "船山区数据局", "credit_code": "91110000600037341L",
     "level": "county", "funding_class": "full"},
    {"id": "org-cs-edu", "name": "船山区教育局", "credit_code": "12100000400010398P",
     "level": "county", "parent_org_id": "org-chuanshan", "funding_class": "full",
     "cdo_subject": "cdo-org-cs-edu"},
    {"id": "org-a", "name": "遂宁市教育局", "credit_code": "91350100M000100Y43",
     "level": "city", "funding_class": "full"},
    {"id": "org-shehong", "name": "射洪市数据局", "credit_code": "11510900MB1234567W",
     "level": "county", "funding_class": "full"},
    {"id": "org-sh-edu", "name": "射洪市教育局", "credit_code": "12510900MB1234567R",
     "level": "county", "parent_org_id": "org-shehong", "funding_class": "full"},
]  # fmt: skip


async def register_city_units(ct, orgs=CITY_REGISTER) -> None:
    """The city's data bureau registers the units a county forwards for (and others)."""
    for org in orgs:
        r = await ct.http.post("/v1/organisations", headers=ct.bureau(), json=org)
        assert r.status_code == 201, r.text


def application(
    county_project_id: str, *, kinds=SN_KINDS, **changes
) -> tuple[pb.ForwardedApplication, dict]:
    """A complete application as a county sends it (SN P art15's materials, the CDO's
    sign-off, one catalog row), of the county authority's unit org-cs-edu."""
    contents = {kind: f"%PDF-1.7 {kind}".encode() for kind in kinds}
    message = pb.ForwardedApplication(
        county_project_id=county_project_id,
        org_id="org-cs-edu",
        name="智慧校园",
        project_type="new",
        total_investment=to_money(Decimal("800000")),
        county_opinion="同意",
        origin="船山区",
        form=pb.ApplicationForm(
            leader_name="李四", leader_phone="023-55128091", cdo_signed_by="cdo-org-cs-edu"
        ),
        catalog=[pb.DataResourceEntry(**{k: v for k, v in CATALOG_ROW.items() if v is not None})],
        materials=[
            pb.ForwardedMaterial(
                kind=kind,
                filename=f"{kind}.pdf",
                content_type="application/pdf",
                sha256=hashlib.sha256(content).hexdigest(),
                size_bytes=len(content),
                uploaded_by="staff-org-cs-edu",
            )
            for kind, content in contents.items()
        ],
    )
    for path, value in changes.items():
        target, *fields = path.split(".")
        obj = {
            "form": message.form,
            "catalog": message.catalog[0],
            "material": message.materials[0],
            "app": message,
        }[target]
        setattr(obj, fields[0], value)
    return message, contents


async def test_the_city_checks_what_a_county_forwards(start_intake, client_for, issuer, tmp_path):
    city = await start_intake(city_profile(tmp_path))
    ct = client_for(city)
    await register_city_units(ct)
    token = [
        ("authorization", f"Bearer {issuer.issue('chen', 'org-chuanshan', ['county_reviewer'])}")
    ]
    async with grpc.aio.insecure_channel(f"127.0.0.1:{city.grpc_port}") as channel:
        stub = pb_grpc.IntakeServiceStub(channel)

        async def forward(message, contents):
            return await stub.ForwardApplicationParts(parts(message, contents), metadata=token)

        async def refused(message, contents, field):
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await forward(message, contents)
            assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert caught.value.details().startswith(f"{field}:"), caught.value.details()
            return caught.value.details()

        first = await forward(*application("county-1"))
        # Idempotent per county project: a retry gets the same city project, and so do two
        # forwards of one project that race (the second's row is refused by the unique origin).
        assert (await forward(*application("county-1"))).city_project_id == first.city_project_id
        raced = await asyncio.gather(*(forward(*application("county-5")) for _ in range(3)))
        assert len({r.city_project_id for r in raced}) == 1
        await refused(
            *application("county-2", **{"form.leader_phone": "call me"}),
            "application.form.leader_phone",
        )
        await refused(
            *application("county-2", **{"catalog.share_type": "随便"}),
            "application.catalog[0].share_type",
        )
        await refused(
            *application("county-2", **{"app.project_type": "palace"}), "application.project_type"
        )
        await refused(
            *application("county-2", **{"material.kind": "love_letter"}),
            "application.materials[0].kind",
        )
        # Over the city's own material limit: refused before any content is read.
        await refused(
            *application("county-2", **{"material.size_bytes": 10**9}),
            "application.materials[0].size_bytes",
        )
        message, contents = application("county-2")
        detail = await refused(
            message,
            {**contents, SN_KINDS[0]: b"%PDF-1.7 current_it_statuS"},
            "application.materials[0].sha256",
        )
        assert "refused" in detail
        await refused(message, {}, "application.materials[0]")
        # The old unary call carries no content: an application with materials is refused.
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.ForwardApplication(
                pb.ForwardApplicationRequest(application=message), metadata=token
            )
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "application.materials[0]" in caught.value.details()
        # Content beyond the declared size is refused while it streams.
        big = {SN_KINDS[0]: b"x" * (CHUNK_BYTES + 10)}
        await refused(message, big, "chunk.data")
        # Only a county authority forwards.
        unit = [("authorization", f"Bearer {issuer.issue('s', 'org-cs-edu', ['unit_staff'])}")]
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.ForwardApplicationParts(parts(*application("county-3")), metadata=unit)
        assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
        # An application forwarded without a catalog fails the city's own C2 check, as it would
        # at submission in the city: refused, and nothing is stored.
        bare, contents = application("county-4")
        del bare.catalog[:]
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await forward(bare, contents)
        assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert caught.value.details().startswith("C2 (YY annex 2; YY art14):")
    listed = (await ct.http.get("/v1/projects", headers=ct.bureau())).json()["items"]
    assert sorted(p["origin_project_id"] for p in listed) == ["county-1", "county-5"]


async def test_the_city_takes_only_a_complete_application_of_the_authoritys_own_unit(
    start_intake, client_for, issuer, tmp_path
):
    """C6 is the county's first review of its own units: the city takes a forwarded application
    only for a county unit registered (in the city) under the authority that forwards it, and
    checks it as it checks a submission of its own (C3, C4 by the registered CDO, J3; C2 here)."""
    city = await start_intake(city_profile(tmp_path))
    ct = client_for(city)
    await register_city_units(ct)
    token = [
        ("authorization", f"Bearer {issuer.issue('chen', 'org-chuanshan', ['county_reviewer'])}")
    ]
    async with grpc.aio.insecure_channel(f"127.0.0.1:{city.grpc_port}") as channel:
        stub = pb_grpc.IntakeServiceStub(channel)

        async def refused(message, contents, code):
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await stub.ForwardApplicationParts(parts(message, contents), metadata=token)
            assert caught.value.code() == code, caught.value.details()
            return caught.value.details()

        # Not a unit under the forwarding authority in the city's register: a city unit, another
        # county's unit, an unregistered id, the authority itself.
        for org_id in ("org-a", "org-sh-edu", "org-ghost", "org-chuanshan"):
            message, contents = application(f"county-{org_id}", **{"app.org_id": org_id})
            detail = await refused(message, contents, grpc.StatusCode.PERMISSION_DENIED)
            assert detail.startswith("application.org_id:") and "C6 (SN P art13)" in detail
            # The unary call is refused alike.
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await stub.ForwardApplication(
                    pb.ForwardApplicationRequest(application=message), metadata=token
                )
            assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED

        # The city's own submission refusals: a C3 statement missing ...
        detail = await refused(
            *application("county-c3", kinds=SN_KINDS[1:]), grpc.StatusCode.FAILED_PRECONDITION
        )
        assert detail == "C3 (SN P art15, art22): material missing: current_it_status"
        # ... no CDO sign-off, or one by someone other than the unit's registered CDO (C4) ...
        detail = await refused(
            *application("county-c4", **{"form.cdo_signed_by": ""}),
            grpc.StatusCode.FAILED_PRECONDITION,
        )
        assert detail.startswith("C4 (SN P art18):")
        detail = await refused(
            *application("county-c4", **{"form.cdo_signed_by": "made-up"}),
            grpc.StatusCode.FAILED_PRECONDITION,
        )
        assert detail.startswith("C4 (SN P art18):") and "cdo-org-cs-edu" in detail
        # ... and an open security rectification of the unit bars a new project (J3).
        r = await ct.http.put(
            "/v1/organisations/org-cs-edu/rectifications/rect-1",
            headers=ct.bureau(),
            json={"finding": "等保测评未通过"},
        )
        assert r.status_code == 200, r.text
        detail = await refused(*application("county-j3"), grpc.StatusCode.FAILED_PRECONDITION)
        assert detail.startswith("J3 (SN P art43):")
        r = await ct.http.post(
            "/v1/organisations/org-cs-edu/rectifications/rect-1/close", headers=ct.bureau()
        )
        assert r.status_code == 200, r.text

        # Nothing of the refused ones was stored, nor announced.
        assert (await ct.http.get("/v1/projects", headers=ct.bureau())).json()["items"] == []
        outbox = city.runtime.db.tables.outbox
        async with city.runtime.db.sessions() as session:
            rows = (await session.execute(outbox.select())).all()
        assert [r.event_type for r in rows if r.event_type.startswith("govit.intake.project")] == []

        # The complete application of the authority's own unit goes in, as submitted.
        reply = await stub.ForwardApplicationParts(parts(*application("county-ok")), metadata=token)
        assert reply.status == "submitted"
    got = (await ct.http.get(f"/v1/projects/{reply.city_project_id}", headers=ct.bureau())).json()
    assert (got["org_id"], got["cdo_signed_by"]) == ("org-cs-edu", "cdo-org-cs-edu")
    listed = (await ct.http.get("/v1/projects", headers=ct.bureau())).json()["items"]
    assert [p["origin_project_id"] for p in listed] == ["county-ok"]


async def test_no_forwarded_application_where_the_profile_has_no_c6(
    start_intake, client_for, issuer
):
    city = await start_intake("yunyang")
    ct = client_for(city)
    await register_city_units(ct)
    token = [
        ("authorization", f"Bearer {issuer.issue('chen', 'org-chuanshan', ['county_reviewer'])}")
    ]
    async with grpc.aio.insecure_channel(f"127.0.0.1:{city.grpc_port}") as channel:
        stub = pb_grpc.IntakeServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.ForwardApplicationParts(parts(*application("county-1")), metadata=token)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "C6 does not apply" in caught.value.details()
    assert (await ct.http.get("/v1/projects", headers=ct.bureau())).json()["items"] == []


async def test_a_refused_forwarding_authority_carries_the_c6_decision(
    start_intake, client_for, tmp_path
):
    """The refusal of an owner unit not under the forwarding authority carries C6's decision
    with the profile's article, as the county register's refusals do, besides citing it."""
    from govit_kit.auth import Principal, Role
    from govit_kit.errors import Forbidden
    from intake.forwarding.flows import _check_forwarding_authority

    city = await start_intake(city_profile(tmp_path))
    await register_city_units(client_for(city))
    who = Principal("chen", "org-chuanshan", frozenset({Role.COUNTY_REVIEWER}))
    async with city.runtime.db.sessions() as session:
        for org_id in ("org-a", "org-ghost", ""):
            with pytest.raises(Forbidden) as caught:
                await _check_forwarding_authority(session, who, city.runtime.profile, org_id)
            refused = caught.value
            assert refused.detail.startswith("application.org_id:")
            assert "C6 (SN P art13)" in refused.detail
            [d] = refused.extensions["decisions"]
            assert (d["rule_id"], d["article"], d["outcome"]) == ("C6", "SN P art13", "refuse")
            assert refused.extensions["errors"][0]["field"] == "application.org_id"
        assert (
            await _check_forwarding_authority(session, who, city.runtime.profile, "org-cs-edu")
        ).id == "org-cs-edu"
