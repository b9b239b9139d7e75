"""Value types REST inputs share across services, so a path, a query and a body refuse the same
values with a 422 naming the field, before any of them reaches the database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, AwareDatetime

# An organisation's, provider's or platform's id: what intake's and the broker's body schemas
# accept for one (intake's `[A-Za-z0-9._-]{1,64}`, the broker's `[A-Za-z0-9][A-Za-z0-9._:-]
# {0,63}`), so an id a body registers is also one a path names; 64 is the columns' length.
ID_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"
IdPath = Annotated[str, Path(pattern=ID_PATTERN, description="an id of at most 64 characters")]


def _in_utc(value: datetime) -> datetime:
    """The moment in UTC; a ValueError (a 422 naming the field) when UTC has no such day."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("the moment falls outside the years 1 to 9999 in UTC") from None


# A moment given with its UTC offset (a naive one is a 422), held in UTC: 9999-12-31T23:59:59-14:00
# is a 422 naming the field, not an OverflowError where the database layer converts it.
UtcDatetime = Annotated[AwareDatetime, AfterValidator(_in_utc)]
