"""REST endpoint of the spend report."""

import enum
from typing import Annotated

from fastapi import APIRouter, Query, Response

from finance.reports import spend
from govit_kit.auth import PROJECT_READERS
from govit_kit.http import CurrentPrincipal, CurrentRuntime

router = APIRouter(tags=["reports"])


class Format(enum.StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/v1/reports/spend",
    responses={
        200: {
            "description": "The report as JSON, CSV or xlsx, by `format`",
            "content": {"text/csv": {}, XLSX: {}},
        }
    },
)
async def spend_report(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    project_id: Annotated[str | None, Query(max_length=36)] = None,
    format: Format = Format.JSON,
):
    """Spend against budget per unit, project, year and line kind (a unit: its own)."""
    scope = who.org_scope(PROJECT_READERS)
    async with rt.db.sessions() as session:
        report = await spend.rows(
            session, org_scope=scope, fiscal_year=fiscal_year, project_id=project_id
        )
    name = f"spend-{fiscal_year or 'all'}"
    if format is Format.CSV:
        return Response(
            spend.to_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if format is Format.XLSX:
        return Response(
            spend.to_xlsx(report),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return {
        "items": [
            {k: (str(v) if k in spend.COLUMNS[5:] else v) for k, v in r.items()} for r in report
        ]
    }
