"""REST shapes of asset registration."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from finance.assets.enums import AssetClass
from finance.money import Yuan

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class AssetEntryWrite(BaseModel):
    """One asset: its name, class and booked amount in yuan."""

    model_config = ConfigDict(extra="forbid")

    name: Text
    asset_class: AssetClass = Field(description="fixed (固定资产) or intangible (无形资产)")
    amount: Yuan


class AssetRegistrationCreate(BaseModel):
    """The unit registers the assets its project formed (G7: SN P art11, XY art20)."""

    model_config = ConfigDict(extra="forbid")

    registered_on: date = Field(description="The day of the registration; not in the future.")
    document: Text = Field(description="The registration's document (登记表、资产卡片 reference).")
    entries: list[AssetEntryWrite] = Field(min_length=1, max_length=500)


class AssetEntryRead(BaseModel):
    """A registered asset."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    asset_class: AssetClass
    amount: Decimal


class AssetRegistrationRead(BaseModel):
    """A registration and its assets."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    project_id: str
    org_id: str
    registered_on: date
    document: str
    total: Decimal
    entries: list[AssetEntryRead]
    decisions: list[dict[str, Any]]
    registered_by: str
    registered_at: datetime


class UnregisteredProject(BaseModel):
    """An accepted project with no asset registration yet (G7). `due_on` is always null: the
    articles set no deadline (XY art20 says only 及时, timely), so none is invented."""

    project_id: str
    org_id: str
    name: str
    accepted: bool
    due_on: date | None = None
    decisions: list[dict[str, Any]]


class AcceptanceReportFilingRead(BaseModel):
    """An acceptance report filed with finance (G7, PDS P art18), as review recorded it: the
    report's reference and the SHA-256 of its file, the final acceptance it is of, the bodies it
    was filed with and review's G7 decision."""

    model_config = ConfigDict(from_attributes=True)

    filing_id: str
    case_id: str
    project_id: str
    org_id: str
    acceptance_id: str
    report_document: str
    report_sha256: str
    filed_on: date
    recipients: list[str]
    decisions: list[dict[str, Any]]
    filed_by: str
    filed_at: datetime | None
    received_at: datetime
