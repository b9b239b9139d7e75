"""The data resource catalog (C2): YY annex 2's fields and enumerations, CSV and xlsx round trips."""

import io

import grpc
import pytest
from intake_test_helpers import C1_FORM, CATALOG_ROW, new_project, upload_required
from openpyxl import Workbook, load_workbook

from govit.intake.v1 import intake_service_pb2 as pb
from govit.intake.v1 import intake_service_pb2_grpc as pb_grpc
from intake.catalogs import enums

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ROWS = [
    enums.HEADINGS,
    ["县不动产登记中心", "不动产登记信息", "数据库类", "oracle", "权利人名称", "C", 100,
     "有条件共享", "接口", "否", None, "每日"],
    ["县不动产登记中心", "不动产登记信息", "数据库类", "oracle", "登记日期", "D", 8,
     "无条件共享", "共享交换平台", "是", "脱敏后开放", "实时"],
    ["县不动产登记中心", "登记档案扫描件", "图形图像类", "jpg", "档案影像", None, None,
     "不予共享", "电子文档", "否", None, "每年"],
]  # fmt: skip


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cells(data: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


async def test_catalog_round_trips_through_xlsx_and_csv_unchanged(start_intake, client_for):
    c = client_for(await start_intake("yunyang"))
    pid = (await new_project(c))["id"]
    r = await c.http.post(
        f"/v1/projects/{pid}/catalog/import",
        headers={**c.staff(), "content-type": XLSX},
        content=workbook(ROWS),
    )
    assert r.status_code == 200, r.text
    assert [e["item_name"] for e in r.json()] == ["权利人名称", "登记日期", "档案影像"]
    exported = await c.http.get(f"/v1/projects/{pid}/catalog?format=xlsx", headers=c.staff())
    assert exported.headers["content-type"] == XLSX
    assert cells(exported.content) == ROWS  # every cell as the unit sent it

    # Import what was exported: the catalog and the next export are the same.
    before = (await c.http.get(f"/v1/projects/{pid}/catalog", headers=c.staff())).json()
    r = await c.http.post(
        f"/v1/projects/{pid}/catalog/import",
        headers={**c.staff(), "content-type": XLSX},
        content=exported.content,
    )
    assert r.status_code == 200 and r.json() == before
    again = await c.http.get(f"/v1/projects/{pid}/catalog?format=xlsx", headers=c.staff())
    assert cells(again.content) == ROWS

    csv1 = await c.http.get(f"/v1/projects/{pid}/catalog?format=csv", headers=c.staff())
    assert csv1.content.startswith("\ufeff部门名称".encode())
    r = await c.http.post(
        f"/v1/projects/{pid}/catalog/import",
        headers={**c.staff(), "content-type": "text/csv"},
        content=csv1.content,
    )
    assert r.status_code == 200 and r.json() == before
    csv2 = await c.http.get(f"/v1/projects/{pid}/catalog?format=csv", headers=c.staff())
    assert csv2.content == csv1.content

    check = await c.http.get(f"/v1/projects/{pid}/catalog/check", headers=c.bureau())
    assert check.json() == {
        "complete": True,
        "entries": 3,
        "stage": "submission",
        "required": True,
        "decisions": [],
    }
    # Another unit neither reads nor replaces it.
    assert (
        await c.http.get(f"/v1/projects/{pid}/catalog", headers=c.staff("org-b"))
    ).status_code == 404
    r = await c.http.put(
        f"/v1/projects/{pid}/catalog", headers=c.staff("org-b"), json=[CATALOG_ROW]
    )
    assert r.status_code == 404


async def test_invalid_rows_are_named_and_change_nothing(start_intake, client_for):
    c = client_for(await start_intake("yunyang"))
    pid = (await new_project(c))["id"]
    await c.http.put(f"/v1/projects/{pid}/catalog", headers=c.staff(), json=[CATALOG_ROW])
    bad = [
        ROWS[0],
        ["部门", "资源", "数据库类", "oracle", "项", None, None, "有条件共享", "接口", "否", None, "每日"],
        ["部门", "资源", "电子文件", "exe", "项", None, None, "随便共享", "接口", "否", None, "每日"],
        ["部门", "资源", "电子文件", "pdf", "项", "Q", None, "无条件共享", "接口", "也许", None, "每旬"],
    ]  # fmt: skip
    r = await c.http.post(
        f"/v1/projects/{pid}/catalog/import",
        headers={**c.staff(), "content-type": XLSX},
        content=workbook(bad),
    )
    assert r.status_code == 422, r.text
    fields = [e["field"] for e in r.json()["errors"]]
    assert fields == [
        "row 2",  # structured data without type and length (annex 2 note 5)
        "row 3: format_type",
        "row 3: share_type",
        "row 4: data_type",
        "row 4: open_to_public",
        "row 4: update_cycle",
    ], fields
    got = (await c.http.get(f"/v1/projects/{pid}/catalog", headers=c.staff())).json()
    assert [e["item_name"] for e in got] == [CATALOG_ROW["item_name"]]
    r = await c.http.post(
        f"/v1/projects/{pid}/catalog/import",
        headers={**c.staff(), "content-type": XLSX},
        content=workbook([["名称", "其他"]]),
    )
    assert r.status_code == 422 and "headings" in r.json()["detail"]
    r = await c.http.post(
        f"/v1/projects/{pid}/catalog/import",
        headers={**c.staff(), "content-type": XLSX},
        content=b"not a workbook",
    )
    assert r.status_code == 422
    r = await c.http.put(
        f"/v1/projects/{pid}/catalog",
        headers=c.staff(),
        json=[{**CATALOG_ROW, "share_method": "U盘"}],
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "0.share_method"


async def test_review_rechecks_the_catalog_over_grpc_before_acceptance(start_intake, client_for):
    svc = await start_intake("yunyang")
    c = client_for(svc)
    pid = (await new_project(c))["id"]
    reviewer = c.bureau()["authorization"]
    async with grpc.aio.insecure_channel(f"127.0.0.1:{svc.grpc_port}") as ch:
        stub = pb_grpc.IntakeServiceStub(ch)
        md = [("authorization", reviewer)]
        empty = await stub.CheckCatalog(pb.CheckCatalogRequest(project_id=pid), metadata=md)
        assert empty.complete is False and empty.entries == 0
        assert (empty.decisions[0].rule_id, empty.decisions[0].article) == (
            "C2",
            "YY annex 2; YY art14",
        )
        await c.http.put(f"/v1/projects/{pid}/catalog", headers=c.staff(), json=[CATALOG_ROW])
        full = await stub.CheckCatalog(pb.CheckCatalogRequest(project_id=pid), metadata=md)
        assert full.complete is True and full.entries == 1 and not full.decisions
        other = [("authorization", c.staff("org-b")["authorization"])]
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.CheckCatalog(pb.CheckCatalogRequest(project_id=pid), metadata=other)
        assert err.value.code() == grpc.StatusCode.NOT_FOUND


async def test_a_nul_character_in_an_imported_file_is_named_by_row_and_column(
    start_intake, client_for
):
    """A file is no JSON body: the REST guard never sees its cells. A cell holding U+0000 is a
    422 naming its row and column (it was a 500 on PostgreSQL), and the catalog is unchanged."""
    from intake.catalogs import service

    c = client_for(await start_intake("yunyang"))
    pid = (await new_project(c))["id"]
    await c.http.put(f"/v1/projects/{pid}/catalog", headers=c.staff(), json=[CATALOG_ROW])
    row = ["人口\x00信息" if cell == "不动产登记信息" else cell for cell in ROWS[1]]
    data = service.write_csv([]).decode("utf-8-sig") + ",".join(
        "" if cell is None else str(cell) for cell in row
    )
    r = await c.http.post(
        f"/v1/projects/{pid}/catalog/import",
        headers={**c.staff(), "content-type": "text/csv"},
        content=data.encode(),
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [
        {"field": "row 2: resource_name", "message": "must not contain the NUL character (U+0000)"}
    ]
    got = (await c.http.get(f"/v1/projects/{pid}/catalog", headers=c.staff())).json()
    assert [e["item_name"] for e in got] == [CATALOG_ROW["item_name"]]


def test_an_xlsx_cell_holding_nul_is_named_too():
    """openpyxl reads Excel's `_x0000_` escape as U+0000: the rows it hands over are checked
    as the CSV's are."""
    from govit_kit.errors import InvalidInput
    from intake.catalogs import service

    row = [*ROWS[1][:4], "权利人\x00名称", *ROWS[1][5:]]
    with pytest.raises(InvalidInput) as err:
        service._parse([ROWS[0], row], "xlsx")
    assert err.value.extensions["errors"][0]["field"] == "row 2: item_name"


def test_intakes_project_types_are_the_kits():
    """C2's project_types figure is checked against the kit's list: the same values."""
    from govit_kit.policy import PROJECT_TYPES
    from intake.projects.enums import ProjectType

    assert {t.value for t in ProjectType} == PROJECT_TYPES


async def test_wuhai_asks_the_catalog_of_new_projects_before_acceptance_not_at_submission(
    start_intake, client_for
):
    """C2 (WH art15: 新建政务信息化项目必须于项目验收前...完成数据资源目录编制): a new project is
    submitted without its catalog, and the unit compiles it after submission; intake's check
    before acceptance asks it of a new project only (an 改扩建 one is not covered)."""
    svc = await start_intake("wuhai")
    c = client_for(svc)
    new = (await new_project(c))["id"]
    expansion = (await new_project(c, project_type="expansion"))["id"]
    for pid in (new, expansion):
        r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "submitted"
    # At submission it was not due; before acceptance it is, for the new project.
    check = (await c.http.get(f"/v1/projects/{new}/catalog/check", headers=c.bureau())).json()
    assert check["complete"] is False and check["required"] is True
    assert [(d["rule_id"], d["article"]) for d in check["decisions"]] == [("C2", "WH art15")]
    check = (await c.http.get(f"/v1/projects/{expansion}/catalog/check", headers=c.bureau())).json()
    assert check["required"] is False and check["decisions"] == []
    reviewer = c.bureau()["authorization"]
    async with grpc.aio.insecure_channel(f"127.0.0.1:{svc.grpc_port}") as ch:
        stub = pb_grpc.IntakeServiceStub(ch)
        md = [("authorization", reviewer)]
        empty = await stub.CheckCatalog(pb.CheckCatalogRequest(project_id=new), metadata=md)
        assert empty.complete is False and empty.project_type == "new"
        assert [(d.rule_id, d.article) for d in empty.decisions] == [("C2", "WH art15")]
        other = await stub.CheckCatalog(pb.CheckCatalogRequest(project_id=expansion), metadata=md)
        assert other.project_type == "expansion" and not other.decisions
        # The unit compiles the catalog after submission, before acceptance.
        r = await c.http.put(f"/v1/projects/{new}/catalog", headers=c.staff(), json=[CATALOG_ROW])
        assert r.status_code == 200, r.text
        full = await stub.CheckCatalog(pb.CheckCatalogRequest(project_id=new), metadata=md)
        assert full.complete is True and full.entries == 1 and not full.decisions
    # Another unit may not touch it.
    r = await c.http.put(
        f"/v1/projects/{new}/catalog", headers=c.staff("org-b"), json=[CATALOG_ROW]
    )
    assert r.status_code == 404, r.text


async def test_yunyang_catalog_is_fixed_once_submitted(start_intake, client_for):
    """C2 (YY art14): the catalog is part of the application approved; after submission the unit
    does not change it (only while the application is editable)."""
    c = client_for(await start_intake("yunyang"))
    project = await new_project(c, **C1_FORM)
    pid = project["id"]
    await upload_required(c, pid)
    await c.http.put(f"/v1/projects/{pid}/catalog", headers=c.staff(), json=[CATALOG_ROW])
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff())
    assert r.status_code == 200, r.text
    r = await c.http.put(f"/v1/projects/{pid}/catalog", headers=c.staff(), json=[CATALOG_ROW])
    assert r.status_code == 409, r.text


async def test_a_check_reads_the_catalog_once(start_intake, client_for):
    """The check over REST and over gRPC reads and validates the catalog's rows once: what it
    found gives both `complete` and the C2 refusals."""
    from govit_kit.testing import counted_statements

    svc = await start_intake("yunyang")
    c = client_for(svc)
    pid = (await new_project(c))["id"]
    await c.http.put(f"/v1/projects/{pid}/catalog", headers=c.staff(), json=[CATALOG_ROW])
    with counted_statements(svc.runtime.db.engine) as ran:
        r = await c.http.get(f"/v1/projects/{pid}/catalog/check", headers=c.bureau())
    assert r.status_code == 200 and r.json()["complete"] is True, r.text
    assert len(ran.naming("FROM catalog_entry")) == 1, ran.naming("FROM catalog_entry")
    md = [("authorization", c.bureau()["authorization"])]
    async with grpc.aio.insecure_channel(f"127.0.0.1:{svc.grpc_port}") as ch:
        stub = pb_grpc.IntakeServiceStub(ch)
        with counted_statements(svc.runtime.db.engine) as ran:
            full = await stub.CheckCatalog(pb.CheckCatalogRequest(project_id=pid), metadata=md)
        assert full.complete is True and full.entries == 1 and not full.decisions
        assert len(ran.naming("FROM catalog_entry")) == 1, ran.naming("FROM catalog_entry")
