"""C6 without services: a county's rows become a message the city's checks take back unchanged."""

import hashlib
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from intake_test_helpers import C1_FORM, CATALOG_ROW

from govit_kit.errors import Conflict, InvalidInput
from intake.catalogs.models import CatalogEntry
from intake.forwarding import schemas
from intake.projects.models import Project, ProjectMaterial

SIGNED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def county_rows(content: bytes):
    project = Project(
        id="county-1",
        org_id="org-cs-edu",
        name="智慧校园",
        project_type="new",
        total_investment=Decimal("800000.00"),
        **{k: v for k, v in C1_FORM.items() if k not in ("basis_documents", "yearly_funding")},
        basis_documents=C1_FORM["basis_documents"],
        yearly_funding=C1_FORM["yearly_funding"],
        cloud_exception=True,
        upper_level_funded=False,
        cdo_signed_by="cdo-1",
        cdo_signed_at=SIGNED,
    )
    catalog = [CatalogEntry(position=1, **CATALOG_ROW)]
    material = ProjectMaterial(
        kind="other",
        filename="附件.pdf",
        content_type="application/pdf",
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by="staff-1",
        uploaded_at=SIGNED,
    )
    return project, catalog, [material]


def test_what_the_county_sends_the_city_takes_back_unchanged():
    content = b"x" * (2 * schemas.CHUNK_BYTES + 5)
    project, catalog, materials = county_rows(content)
    message = schemas.application_message(
        project, opinion="同意", origin="船山区", catalog=catalog, materials=materials
    )
    chunks = [p.chunk.data for p in schemas.parts(message, {"other": content})][1:]
    assert [len(c) for c in chunks] == [schemas.CHUNK_BYTES, schemas.CHUNK_BYTES, 5]
    got = schemas.check_application(message, {"other": b"".join(chunks)}, max_bytes=len(content))
    values = got.project_values()
    for field, value in C1_FORM.items():
        assert values[field] == value, field
    assert (values["total_investment"], values["cloud_exception"]) == (Decimal("800000.00"), True)
    assert (values["cdo_signed_by"], values["cdo_signed_at"]) == ("cdo-1", SIGNED)
    assert [r.model_dump() for r in got.catalog] == [CATALOG_ROW]
    assert (got.materials[0].content, got.materials[0].uploaded_at) == (content, SIGNED)
    with pytest.raises(InvalidInput, match=r"^application.materials\[0\].size_bytes"):
        schemas.check_application(message, {"other": content}, max_bytes=len(content) - 1)
    # An amount that is no number is bad input naming the field (it was an internal error).
    message.total_investment.amount = "eight hundred thousand"
    with pytest.raises(InvalidInput, match=r"^application.total_investment"):
        schemas.check_application(message, {"other": content}, max_bytes=len(content))


@pytest.mark.parametrize(
    ("where", "field"),
    [
        ("form", "application.form.cdo_signed_at"),
        ("material", "application.materials[0].uploaded_at"),
    ],
)
def test_a_timestamp_beyond_year_9999_is_bad_input_naming_the_field(where, field):
    """Seconds past 9999-12-31 (or nanos out of a second) are the county's mistake, named; it
    was an internal error."""
    content = b"x"
    project, catalog, materials = county_rows(content)
    message = schemas.application_message(
        project, opinion="同意", origin="船山区", catalog=catalog, materials=materials
    )
    stamp = message.form.cdo_signed_at if where == "form" else message.materials[0].uploaded_at
    stamp.seconds = 2**40
    with pytest.raises(InvalidInput) as err:
        schemas.check_application(message, {"other": content}, max_bytes=len(content))
    assert err.value.extensions["errors"][0]["field"] == field


def test_a_form_and_catalog_too_large_for_one_message_are_not_forwarded():
    project, catalog, _ = county_rows(b"")
    fits = schemas.application_message(
        project, opinion="同意", origin="船山区", catalog=catalog, materials=[]
    )
    schemas.check_fits(fits)
    # About 130 bytes a row: some 25,000 rows pass the 3 MiB left beside a chunk.
    fits.catalog.extend([fits.catalog[0]] * 25_000)
    with pytest.raises(Conflict, match="without its materials"):
        schemas.check_fits(fits)
