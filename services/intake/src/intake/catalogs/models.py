"""Data resource catalog entries (信息资源目录, C2) of an application."""

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import new_id
from intake.db import Base


class CatalogEntry(Base):
    """One row of YY annex 2: an information item of a resource, its format and sharing."""

    __tablename__ = "catalog_entry"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    department: Mapped[str] = mapped_column(String(200))
    resource_name: Mapped[str] = mapped_column(String(200))
    format_category: Mapped[str] = mapped_column(String(16))
    format_type: Mapped[str] = mapped_column(String(32))
    item_name: Mapped[str] = mapped_column(String(200))
    data_type: Mapped[str | None] = mapped_column(String(1))
    data_length: Mapped[int | None] = mapped_column(Integer)
    share_type: Mapped[str] = mapped_column(String(16))
    share_method: Mapped[str] = mapped_column(String(16))
    open_to_public: Mapped[bool] = mapped_column(Boolean)
    open_conditions: Mapped[str | None] = mapped_column(String(500))
    update_cycle: Mapped[str] = mapped_column(String(8))
