"""REST shapes of catalog entries, validated against YY annex 2's enumerations."""

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from intake.catalogs import enums

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
_FORMAT_TYPE = {t.lower(): t for t in enums.FORMAT_TYPES}


class CatalogEntryBase(BaseModel):
    """One row of the catalog (信息资源目录), every field of YY annex 2."""

    model_config = ConfigDict(extra="forbid")

    department: Text
    resource_name: Text
    format_category: Literal[enums.FORMAT_CATEGORIES]  # type: ignore[valid-type]
    format_type: str
    item_name: Text
    data_type: Literal[tuple(enums.DATA_TYPES)] | None = None  # type: ignore[valid-type]
    data_length: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    share_type: Literal[enums.SHARE_TYPES]  # type: ignore[valid-type]
    share_method: Literal[enums.SHARE_METHODS]  # type: ignore[valid-type]
    open_to_public: bool
    open_conditions: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None
    ) = None
    update_cycle: Literal[enums.UPDATE_CYCLES]  # type: ignore[valid-type]

    @field_validator("format_type")
    @classmethod
    def _format_type(cls, value: str) -> str:
        # Note 3 lists the types; they are matched without regard to case, stored as spelled there.
        known = _FORMAT_TYPE.get(value.strip().lower())
        if known is None:
            raise ValueError(
                f"not a format type of YY annex 2 note 3: {', '.join(enums.FORMAT_TYPES)}"
            )
        return known

    @model_validator(mode="after")
    def _structured(self):
        # Note 5: structured data states its data type and length.
        if self.format_category in enums.STRUCTURED_CATEGORIES and (
            self.data_type is None or self.data_length is None
        ):
            raise ValueError(
                f"{self.format_category} is structured data: data_type and data_length are required"
            )
        return self


class CatalogEntryRead(CatalogEntryBase):
    """A stored catalog row."""

    model_config = ConfigDict(from_attributes=True)

    position: int
