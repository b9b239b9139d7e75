"""Catalog rows: replace, read, check complete, and read/write them as CSV and xlsx."""

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.errors import NUL_RULE, InvalidInput
from govit_kit.policy import Decision, PolicyProfile
from intake.catalogs import enums
from intake.catalogs.models import CatalogEntry
from intake.catalogs.schemas import CatalogEntryBase, CatalogEntryRead

SHEET = "信息资源目录"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELDS = [name for name, _ in enums.COLUMNS]


async def entries(*, session: AsyncSession, project_id: str) -> list[CatalogEntry]:
    """The application's catalog rows, in order."""
    rows = await session.execute(
        select(CatalogEntry)
        .where(CatalogEntry.project_id == project_id)
        .order_by(CatalogEntry.position)
    )
    return list(rows.scalars())


async def replace(*, session: AsyncSession, project_id: str, rows: list[CatalogEntryBase]) -> None:
    """The catalog becomes exactly these rows."""
    await session.execute(delete(CatalogEntry).where(CatalogEntry.project_id == project_id))
    for position, row in enumerate(rows, start=1):
        session.add(CatalogEntry(project_id=project_id, position=position, **row.model_dump()))
    await session.flush()


async def problems(*, session: AsyncSession, project_id: str) -> tuple[int, list[str]]:
    """The catalog's rows and what keeps it from being complete (empty, or a row short of
    YY annex 2's fields), whether or not the profile asks for it now."""
    rows = await entries(session=session, project_id=project_id)
    if not rows:
        return 0, ["the data resource catalog (信息资源目录) is empty"]
    found = []
    for row in rows:
        try:
            CatalogEntryBase.model_validate({f: getattr(row, f) for f in FIELDS})
        except ValidationError as exc:
            found.append(f"row {row.position}: {exc.errors()[0]['msg']}")
    if found:
        return len(rows), ["the catalog is incomplete: " + "; ".join(found)]
    return len(rows), []


def required(profile: PolicyProfile, project, stage: str) -> bool:
    """C2: whether the profile asks this project's catalog at this stage (`submission` or
    `acceptance`): its figures say from which stage (required_from) and of which project types
    (project_types). YY art14: a condition of approval, every type; WH art15: new (新建) projects,
    before acceptance."""
    return profile.required_at("C2", stage, project.project_type)


@dataclass(frozen=True)
class Check:
    """C2's check of a project's catalog at a stage, from one read of its rows."""

    entries: int
    problems: list[str]
    required: bool
    decisions: list[Decision]

    @property
    def complete(self) -> bool:
        return not self.problems


def _refusals(profile: PolicyProfile, stage: str, found: list[str]) -> list[Decision]:
    """C2's refusals of what keeps an asked catalog from being complete, naming the figures it
    is asked by."""
    figures = {
        "required_from": profile.figure("C2", "required_from"),
        "project_types": profile.figure("C2", "project_types"),
        "stage": stage,
    }
    return [Decision.refuse(profile, "C2", reason, **figures) for reason in found]


async def check(*, session: AsyncSession, profile: PolicyProfile, project, stage: str) -> Check:
    """The catalog read and validated once: its rows, whether it is complete, whether the
    profile asks it of this project at this stage, and the C2 refusals where it does."""
    entries, found = await problems(session=session, project_id=project.id)
    asked = required(profile, project, stage)
    return Check(entries, found, asked, _refusals(profile, stage, found) if asked else [])


async def completeness(
    *, session: AsyncSession, profile: PolicyProfile, project, stage: str
) -> list[Decision]:
    """C2: where the profile asks the catalog of this project at this stage, an incomplete one
    is refused, naming the figures it is asked by (the rows are read only where it is asked)."""
    if not required(profile, project, stage):
        return []
    _, found = await problems(session=session, project_id=project.id)
    return _refusals(profile, stage, found)


# --- CSV and xlsx ---------------------------------------------------------------------------


def _cells(entry: CatalogEntry | CatalogEntryRead) -> list[str | int | None]:
    """A row as the annex's columns: 是/否 for openness, blanks for absent values."""
    out: list[str | int | None] = []
    for name in FIELDS:
        value = getattr(entry, name)
        if name == "open_to_public":
            value = enums.YES if value else enums.NO
        out.append(value)
    return out


def _parse(rows: list[list], source: str) -> list[CatalogEntryBase]:
    """Rows under the annex's heading row, validated; every bad cell is named by row and field."""
    if not rows or [str(c or "").strip() for c in rows[0][: len(FIELDS)]] != enums.HEADINGS:
        raise InvalidInput(
            "body", f"the first {source} row must be the headings of YY annex 2: {enums.HEADINGS}"
        )
    parsed, errors = [], []
    for number, cells in enumerate(rows[1:], start=2):
        cells = list(cells) + [None] * (len(FIELDS) - len(cells))
        if all(c in (None, "") for c in cells):
            continue
        values, nul = {}, []
        for name, cell in zip(FIELDS, cells, strict=False):
            text = "" if cell is None else str(cell).strip()
            if "\x00" in text:  # a file is no JSON body: the REST guard never saw it
                nul.append({"field": f"row {number}: {name}", "message": NUL_RULE})
            if name == "open_to_public":
                values[name] = {enums.YES: True, enums.NO: False}.get(text, text)
            else:
                values[name] = text or None
        if nul:
            errors.extend(nul)
            continue
        try:
            parsed.append(CatalogEntryBase.model_validate(values))
        except ValidationError as exc:
            for e in exc.errors():
                field = ".".join(str(p) for p in e["loc"])
                name = f"row {number}: {field}" if field else f"row {number}"
                errors.append({"field": name, "message": e["msg"]})
    if errors:
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        err = InvalidInput(errors[0]["field"], f"C2 catalog: {detail}")
        err.extensions["errors"] = errors
        raise err
    return parsed


def read_csv(data: bytes) -> list[CatalogEntryBase]:
    """Catalog rows from CSV (UTF-8, a BOM allowed, as Excel writes it)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("body", "the CSV is not UTF-8") from None
    return _parse(list(csv.reader(io.StringIO(text))), "CSV")


def write_csv(rows: list) -> bytes:
    """The catalog as CSV: UTF-8 with a BOM (so Excel reads the Chinese), CRLF lines."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(enums.HEADINGS)
    for row in rows:
        writer.writerow(["" if v is None else v for v in _cells(row)])
    return out.getvalue().encode("utf-8-sig")


def read_xlsx(data: bytes) -> list[CatalogEntryBase]:
    """Catalog rows from the first sheet of an xlsx workbook."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise InvalidInput("body", "not an xlsx workbook") from None
    try:
        sheet = book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _parse(rows, "xlsx")


def write_xlsx(rows: list) -> bytes:
    """The catalog as an xlsx workbook, one sheet with the annex's headings."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(enums.HEADINGS)
    for row in rows:
        sheet.append(_cells(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
