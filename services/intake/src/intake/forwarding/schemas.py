"""C6: a forwarded application as the county sends it and as the city checks it.

The county turns its rows into a `ForwardedApplication` (plus each material's content); the city
checks every field with the same shapes its own units fill in (ProjectBase, ProjectForm,
CatalogEntryBase), recomputes each material's SHA-256 and size, and refuses anything else with
INVALID_ARGUMENT naming the field (`application.form.leader_phone`, `application.catalog[2]...`,
`application.materials[0].sha256`)."""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pydantic import ValidationError

from govit.intake.v1 import intake_service_pb2 as pb
from govit_kit.convert import from_timestamp, to_money, to_timestamp
from govit_kit.errors import Conflict, InvalidInput
from govit_kit.rpc import MAX_MESSAGE_BYTES
from intake.catalogs.models import CatalogEntry
from intake.catalogs.schemas import CatalogEntryBase
from intake.catalogs.service import FIELDS as CATALOG_FIELDS
from intake.projects.enums import MaterialKind
from intake.projects.flows import CONTENT_TYPES
from intake.projects.models import Project, ProjectMaterial
from intake.projects.schemas import ProjectBase, ProjectForm

# Material content travels in chunks of this size, well under gRPC's 4 MiB message limit.
CHUNK_BYTES = 1024 * 1024
# The form's text fields, as ApplicationForm and Project both name them.
FORM_TEXT = (
    "supervising_department",
    "leader_name",
    "leader_phone",
    "contact_name",
    "contact_phone",
    "background",
    "preparation_status",
    "schedule",
)
# Form fields that refer to other records of the county: they do not travel.
LOCAL_REFERENCES = {"predecessor_project_id", "demand_call_id", "framework_plan_id"}
# Catalog cells that may be absent (optional in DataResourceEntry).
OPTIONAL_CELLS = {"data_type", "data_length", "open_conditions"}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FILENAME = re.compile(r"^[^/\\\x00]{1,255}$")


def invalid(field: str, message: str) -> InvalidInput:
    """A refusal naming the field, in the detail too (a gRPC status carries only the detail)."""
    return InvalidInput(field, f"{field}: {message}")


def _first_error(prefix: str, exc: ValidationError) -> InvalidInput:
    error = exc.errors()[0]
    loc = ".".join(str(p) for p in error["loc"])
    return invalid(f"{prefix}.{loc}" if loc else prefix, error["msg"])


def _yuan(money, field: str) -> str | None:
    if money.currency_code not in ("", "CNY"):
        raise invalid(field, f"unsupported currency {money.currency_code}")
    return money.amount or None


# --- the county: rows to the message --------------------------------------------------------


def application_message(
    project: Project,
    *,
    opinion: str,
    origin: str,
    catalog: list[CatalogEntry],
    materials: list[ProjectMaterial],
) -> pb.ForwardedApplication:
    """The whole application as it is forwarded: header, form, catalog, material descriptions."""
    form = pb.ApplicationForm(
        **{name: getattr(project, name) or "" for name in FORM_TEXT},
        basis_documents=[
            pb.BasisDocument(name=d["name"], number=d.get("number") or "")
            for d in project.basis_documents or []
        ],
        yearly_funding=[
            pb.YearlyFunding(year=y["year"], amount=to_money(Decimal(str(y["amount"]))))
            for y in project.yearly_funding or []
        ],
        cloud_exception=bool(project.cloud_exception),
        upper_level_funded=bool(project.upper_level_funded),
        cdo_signed_by=project.cdo_signed_by or "",
        cdo_signed_at=to_timestamp(project.cdo_signed_at),
    )
    return pb.ForwardedApplication(
        county_project_id=project.id,
        org_id=project.org_id,
        name=project.name,
        project_type=project.project_type,
        total_investment=to_money(project.total_investment),
        county_opinion=opinion,
        origin=origin,
        form=form,
        catalog=[catalog_message(row) for row in catalog],
        materials=[
            pb.ForwardedMaterial(
                kind=m.kind,
                filename=m.filename,
                content_type=m.content_type,
                sha256=m.sha256,
                size_bytes=m.size_bytes,
                uploaded_by=m.uploaded_by,
                uploaded_at=to_timestamp(m.uploaded_at),
            )
            for m in materials
        ],
    )


def catalog_message(row: CatalogEntry) -> pb.DataResourceEntry:
    """A catalog row as its message (absent optional cells stay unset)."""
    values = {name: getattr(row, name) for name in CATALOG_FIELDS}
    return pb.DataResourceEntry(**{k: v for k, v in values.items() if v is not None})


def check_fits(application: pb.ForwardedApplication) -> None:
    """The materials travel in chunks; the rest (form, catalog) must fit one gRPC message, with
    room to spare (a catalog of some thousands of rows would not)."""
    limit = MAX_MESSAGE_BYTES - CHUNK_BYTES
    if application.ByteSize() > limit:
        raise Conflict(
            f"the application without its materials is {application.ByteSize()} bytes; "
            f"at most {limit} can be forwarded"
        )


def parts(application: pb.ForwardedApplication, contents: dict[str, bytes]):
    """The stream of ForwardApplicationParts: the application, then each material in chunks."""
    yield pb.ForwardApplicationPartsRequest(application=application)
    for kind, data in contents.items():
        for start in range(0, len(data), CHUNK_BYTES):
            chunk = pb.MaterialChunk(kind=kind, data=data[start : start + CHUNK_BYTES])
            yield pb.ForwardApplicationPartsRequest(chunk=chunk)


# --- the city: the message, checked ---------------------------------------------------------


@dataclass
class IncomingMaterial:
    """A forwarded material whose size and hash the city has checked."""

    kind: str
    filename: str
    content_type: str
    sha256: str
    content: bytes
    uploaded_by: str
    uploaded_at: datetime | None


@dataclass
class IncomingApplication:
    """A forwarded application, every field checked as the city's own units' are."""

    header: ProjectBase
    form: ProjectForm
    cdo_signed_by: str | None
    cdo_signed_at: datetime | None
    catalog: list[CatalogEntryBase]
    materials: list[IncomingMaterial]

    def project_values(self) -> dict:
        """The Project columns of the form (header and form fields)."""
        values = self.form.model_dump(
            mode="python", exclude={"basis_documents", "yearly_funding", *LOCAL_REFERENCES}
        )
        return {
            **values,
            "name": self.header.name,
            "project_type": self.header.project_type.value,
            "total_investment": self.header.total_investment,
            "basis_documents": [d.model_dump(mode="json") for d in self.form.basis_documents],
            "yearly_funding": [y.model_dump(mode="json") for y in self.form.yearly_funding],
            "cdo_signed_by": self.cdo_signed_by,
            "cdo_signed_at": self.cdo_signed_at,
        }


def declared_sizes(application: pb.ForwardedApplication, *, max_bytes: int) -> dict[str, int]:
    """Each declared material's kind and size, checked before any content is read (so the city
    never holds more than it agreed to take)."""
    sizes: dict[str, int] = {}
    for i, m in enumerate(application.materials):
        field = f"application.materials[{i}]"
        try:
            MaterialKind(m.kind)
        except ValueError:
            raise invalid(f"{field}.kind", f"not a material kind: {m.kind!r}") from None
        if m.kind in sizes:
            raise invalid(f"{field}.kind", f"{m.kind} is forwarded twice")
        if not 1 <= m.size_bytes <= max_bytes:
            raise invalid(
                f"{field}.size_bytes",
                f"{m.size_bytes} bytes; a material is 1 to {max_bytes} bytes here",
            )
        sizes[m.kind] = m.size_bytes
    return sizes


def check_application(
    application: pb.ForwardedApplication, contents: dict[str, bytes], *, max_bytes: int
) -> IncomingApplication:
    """Every field of a forwarded application checked; the first bad one is refused by name."""
    a = application
    if not a.county_project_id or len(a.county_project_id) > 36:
        raise invalid("application.county_project_id", "required, at most 36 characters")
    if not a.org_id or len(a.org_id) > 64:
        raise invalid("application.org_id", "required, at most 64 characters")
    if len(a.origin) > 100:
        raise invalid("application.origin", "at most 100 characters")
    if len(a.county_opinion) > 5000:
        raise invalid("application.county_opinion", "at most 5000 characters")
    header = {
        "name": a.name,
        "project_type": a.project_type,
        "total_investment": _yuan(a.total_investment, "application.total_investment"),
    }
    try:
        base = ProjectBase.model_validate(header)
    except ValidationError as exc:
        raise _first_error("application", exc) from None
    f = a.form
    values = {name: getattr(f, name) or None for name in FORM_TEXT}
    values["basis_documents"] = [{"name": d.name, "number": d.number} for d in f.basis_documents]
    values["yearly_funding"] = [
        {"year": y.year, "amount": _yuan(y.amount, f"application.form.yearly_funding[{i}]")}
        for i, y in enumerate(f.yearly_funding)
    ]
    values["cloud_exception"] = f.cloud_exception
    values["upper_level_funded"] = f.upper_level_funded
    try:
        form = ProjectForm.model_validate(values)
    except ValidationError as exc:
        raise _first_error("application.form", exc) from None
    if len(f.cdo_signed_by) > 128:
        raise invalid("application.form.cdo_signed_by", "at most 128 characters")
    signed_at = (
        from_timestamp(f.cdo_signed_at, "application.form.cdo_signed_at")
        if f.HasField("cdo_signed_at")
        else None
    )
    catalog = []
    for i, entry in enumerate(a.catalog):
        row = {
            name: None
            if name in OPTIONAL_CELLS and not entry.HasField(name)
            else getattr(entry, name)
            for name in CATALOG_FIELDS
        }
        try:
            catalog.append(CatalogEntryBase.model_validate(row))
        except ValidationError as exc:
            raise _first_error(f"application.catalog[{i}]", exc) from None
    declared_sizes(a, max_bytes=max_bytes)
    materials = [_material(i, m, contents) for i, m in enumerate(a.materials)]
    return IncomingApplication(
        header=base,
        form=form,
        cdo_signed_by=f.cdo_signed_by or None,
        cdo_signed_at=signed_at,
        catalog=catalog,
        materials=materials,
    )


def _material(i: int, m: pb.ForwardedMaterial, contents: dict[str, bytes]) -> IncomingMaterial:
    field = f"application.materials[{i}]"
    if not _FILENAME.match(m.filename):
        raise invalid(f"{field}.filename", "1 to 255 characters, no slash, backslash or NUL")
    if m.content_type not in CONTENT_TYPES:
        raise invalid(f"{field}.content_type", f"{m.content_type or 'none'} is not accepted")
    if not _SHA256.match(m.sha256):
        raise invalid(f"{field}.sha256", "64 lower-case hex digits")
    if len(m.uploaded_by) > 128:
        raise invalid(f"{field}.uploaded_by", "at most 128 characters")
    content = contents.get(m.kind)
    if content is None:
        raise invalid(field, f"the content of {m.kind} did not arrive")
    if len(content) != m.size_bytes:
        raise invalid(
            f"{field}.size_bytes", f"declared {m.size_bytes} bytes, {len(content)} arrived"
        )
    digest = hashlib.sha256(content).hexdigest()
    if digest != m.sha256:
        raise invalid(
            f"{field}.sha256",
            f"the content's SHA-256 is {digest}, not the declared {m.sha256}: refused",
        )
    return IncomingMaterial(
        kind=m.kind,
        filename=m.filename,
        content_type=m.content_type,
        sha256=digest,
        content=content,
        uploaded_by=m.uploaded_by,
        uploaded_at=(
            from_timestamp(m.uploaded_at, f"{field}.uploaded_at")
            if m.HasField("uploaded_at")
            else None
        ),
    )


async def read_parts(requests, *, max_bytes: int) -> tuple[pb.ForwardedApplication, dict]:
    """The application and its materials' content from a ForwardApplicationParts stream; no
    more content is taken than the application declared."""
    application: pb.ForwardedApplication | None = None
    sizes: dict[str, int] = {}
    chunks: dict[str, list[bytes]] = {}
    received: dict[str, int] = {}
    async for part in requests:
        which = part.WhichOneof("part")
        if which == "application":
            if application is not None:
                raise invalid("application", "sent twice; it comes once, first")
            application = part.application
            sizes = declared_sizes(application, max_bytes=max_bytes)
        elif which == "chunk":
            if application is None:
                raise invalid("application", "must come first, before any chunk")
            kind = part.chunk.kind
            if kind not in sizes:
                raise invalid("chunk.kind", f"{kind!r} is not a declared material")
            received[kind] = received.get(kind, 0) + len(part.chunk.data)
            if received[kind] > sizes[kind]:
                raise invalid("chunk.data", f"more of {kind} than its declared {sizes[kind]} bytes")
            chunks.setdefault(kind, []).append(part.chunk.data)
        else:
            raise invalid("part", "empty message: an application or a chunk")
    if application is None:
        raise invalid("application", "required")
    return application, {kind: b"".join(pieces) for kind, pieces in chunks.items()}
