"""Spend against budget per unit, project, fiscal year and line kind, from the ledger."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.funding.enums import EntryKind
from finance.funding.models import FundingLine, LedgerEntry, ProjectCopy

ZERO = Decimal("0.00")
COLUMNS = [
    "org_id",
    "project_id",
    "project_name",
    "fiscal_year",
    "line_kind",
    "budget",
    "paid",
    "surplus_returned",
    "balance",
    "paid_percent",
]
# What each entry kind counts as; reversals only ever undo allocations and adjustments.
BUDGET_KINDS = {EntryKind.ALLOCATION, EntryKind.ADJUSTMENT, EntryKind.REVERSAL}


async def rows(
    session: AsyncSession,
    *,
    org_scope: str | None,
    fiscal_year: int | None = None,
    project_id: str | None = None,
) -> list[dict]:
    """One row per (unit, project, year, line kind), ordered so."""
    key = (FundingLine.org_id, FundingLine.project_id, FundingLine.fiscal_year, FundingLine.kind)
    query = (
        select(*key, LedgerEntry.kind, func.sum(LedgerEntry.amount))
        .join(LedgerEntry, LedgerEntry.funding_line_id == FundingLine.id)
        .group_by(*key, LedgerEntry.kind)
    )
    if org_scope is not None:
        query = query.where(FundingLine.org_id == org_scope)
    if fiscal_year is not None:
        query = query.where(FundingLine.fiscal_year == fiscal_year)
    if project_id:
        query = query.where(FundingLine.project_id == project_id)
    table: dict[tuple, dict] = {}
    for org, project, year, line_kind, entry_kind, total in (await session.execute(query)).all():
        row = table.setdefault(
            (org, project, year, line_kind),
            {"budget": ZERO, "paid": ZERO, "surplus_returned": ZERO},
        )
        amount = Decimal(total).quantize(Decimal("0.01"))
        if EntryKind(entry_kind) in BUDGET_KINDS:
            row["budget"] += amount
        elif entry_kind == EntryKind.PAYMENT:
            row["paid"] -= amount
        else:
            row["surplus_returned"] -= amount
    names = dict((await session.execute(select(ProjectCopy.project_id, ProjectCopy.name))).all())
    out = []
    for (org, project, year, line_kind), r in sorted(table.items()):
        percent = (r["paid"] * 100 / r["budget"]).quantize(Decimal("0.01")) if r["budget"] else ZERO
        out.append(
            {
                "org_id": org,
                "project_id": project,
                "project_name": names.get(project, ""),
                "fiscal_year": year,
                "line_kind": line_kind,
                **r,
                "balance": r["budget"] - r["paid"] - r["surplus_returned"],
                "paid_percent": percent,
            }
        )
    return out


def to_csv(report: list[dict]) -> str:
    """CSV with a header; amounts as exact decimal text."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in report:
        writer.writerow(
            {k: (format(v, "f") if isinstance(v, Decimal) else v) for k, v in row.items()}
        )
    return buffer.getvalue()


def to_xlsx(report: list[dict]) -> bytes:
    """An xlsx workbook of one sheet; amounts as numbers formatted with fen."""
    book = Workbook()
    sheet = book.active
    sheet.title = "spend"
    sheet.append(COLUMNS)
    for row in report:
        sheet.append([row[c] for c in COLUMNS])
    for column in ("F", "G", "H", "I", "J"):
        for cell in sheet[column][1:]:
            cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
