"""REST shapes of funding lines."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from finance.funding.enums import FundingKind, FundingSource


class FundingLineRead(BaseModel):
    """A funding line."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    project_id: str
    org_id: str
    fiscal_year: int
    kind: FundingKind
    source: FundingSource
    amount: Decimal
    decisions: list[dict[str, Any]]
    opened_at: datetime
