"""Helpers of intake's API tests: a complete C1 form, a catalog row, filing steps."""

# Every C1 form field filled (YY annex 1; PDS P art9).
C1_FORM = {
    "supervising_department": "县大数据发展局",
    "leader_name": "李四",
    "leader_phone": "023-55128091",
    "contact_name": "王五",
    "contact_phone": "13800000000",
    "background": "业务工作需要:统一办理不动产登记。",
    "basis_documents": [
        {"name": "云阳县政务信息化项目管理办法", "number": "云阳府办规〔2022〕4号"}
    ],
    "preparation_status": "已完成可行性研究报告。",
    "schedule": "2027年一季度招标,年底上线。",
    "yearly_funding": [{"year": 2027, "amount": "600000.00"}],
}

CATALOG_ROW = {
    "department": "县不动产登记中心",
    "resource_name": "不动产登记信息",
    "format_category": "数据库类",
    "format_type": "oracle",
    "item_name": "权利人名称",
    "data_type": "C",
    "data_length": 100,
    "share_type": "有条件共享",
    "share_method": "接口",
    "open_to_public": False,
    "open_conditions": None,
    "update_cycle": "每日",
}


async def new_project(c, org="org-a", **fields) -> dict:
    """A draft of the unit's (type new, 60万 unless told)."""
    body = {"name": "不动产登记平台", "project_type": "new", "total_investment": "600000.00"}
    r = await c.http.post("/v1/projects", headers=c.staff(org), json={**body, **fields})
    assert r.status_code == 201, r.text
    return r.json()


async def upload_required(c, pid: str, org="org-a", skip=()) -> list[str]:
    """Upload every material the profile requires of the project, except `skip`."""
    r = await c.http.get(f"/v1/projects/{pid}/required-materials", headers=c.staff(org))
    assert r.status_code == 200, r.text
    kinds = [m["kind"] for m in r.json() if m["kind"] not in skip]
    for kind in kinds:
        r = await c.http.put(
            f"/v1/projects/{pid}/materials/{kind}",
            params={"filename": f"{kind}.pdf"},
            headers={**c.staff(org), "content-type": "application/pdf"},
            content=f"%PDF-1.7 {kind}".encode(),
        )
        assert r.status_code == 200, r.text
    return kinds


def rules_of(problem: dict) -> list[tuple[str, str]]:
    """(rule id, article) of each decision of a rule-refused problem."""
    return [(d["rule_id"], d["article"]) for d in problem["decisions"]]


async def approve(c, space, pid: str, org="org-a") -> None:
    """Review concludes the project approved (its event, as review publishes it); wait until
    intake has it in the library."""
    from govit.review.v1 import events_pb2, types_pb2
    from govit_kit.testing import publish_event, wait_until

    await publish_event(
        space,
        "review",
        "case",
        "concluded",
        events_pb2.ReviewCaseConcluded(
            case_id=f"case-{pid}",
            project_id=pid,
            org_id=org,
            conclusion=types_pb2.CONCLUSION_APPROVE,
        ),
        subject=f"case-{pid}",
        org_id=org,
        project_id=pid,
    )

    async def in_library():
        r = await c.http.get(f"/v1/library/{pid}", headers=c.bureau())
        return r.status_code == 200

    await wait_until(in_library)


async def submitted_project(c, org="org-a", **fields) -> str:
    """A project filed complete under the running profile (materials, C4 sign-off) and submitted."""
    project = await new_project(c, org, **{**C1_FORM, **fields})
    pid = project["id"]
    await upload_required(c, pid, org)
    await c.http.put(f"/v1/projects/{pid}/catalog", headers=c.staff(org), json=[CATALOG_ROW])
    await c.http.post(f"/v1/projects/{pid}/cdo-signoff", headers=c.cdo(org))
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff(org))
    assert r.status_code == 200, r.text
    return pid


async def applied(c, consumer: str, event_id: str) -> None:
    """Wait until intake's `consumer` (its subscription name) has applied the event: its inbox
    holds the id. The way to see that a late or replayed event changed nothing."""
    from sqlalchemy import select

    from govit_kit.testing import wait_until

    inbox = c.svc.runtime.db.tables.inbox

    async def held():
        async with c.svc.runtime.db.sessions() as session:
            return await session.scalar(
                select(inbox.c.event_id).where(
                    inbox.c.event_id == event_id, inbox.c.consumer == consumer
                )
            )

    await wait_until(held)


def credit_code(n: int) -> str:
    """A valid unified social credit code (GB 32100-2015), a different one for each n."""
    from govit_kit.credit_code import check_character

    first17 = f"91350100M{n:08d}"
    return first17 + check_character(first17)


async def register_orgs(c, *org_ids: str) -> None:
    """Put units on intake's register of units (the bureau registers them)."""
    for i, org in enumerate(org_ids):
        body = {
            "id": org,
            "name": f"单位{org}",
            "credit_code": credit_code(sum(map(ord, org)) * 100 + i),
            "level": "city",
            "funding_class": "full",
        }
        r = await c.http.post("/v1/organisations", headers=c.bureau(), json=body)
        assert r.status_code == 201, r.text
