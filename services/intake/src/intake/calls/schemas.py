"""REST shapes of demand calls."""

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class DemandCallCreate(BaseModel):
    """A call for the demands of a plan year; the deadline comes from the profile where it
    sets one (PDS: end of July, YY: end of September of the year before)."""

    model_config = ConfigDict(extra="forbid")

    plan_year: Annotated[int, Field(ge=2000, le=2100)]
    deadline: dt.date | None = None


class DemandCallRead(BaseModel):
    """A demand call."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    plan_year: int
    deadline: dt.date
    opened_by: str
    opened_at: dt.datetime
