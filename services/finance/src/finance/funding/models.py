"""Finance's copy of projects, funding lines (资金安排) and the ledger that books them."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from finance.db import Base
from govit_kit.db import Money, UTCDateTime, new_id, utcnow


class ProjectCopy(Base):
    """What finance knows of a project, from intake's and review's events."""

    __tablename__ = "project_copy"

    project_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The total intake's submission states (申报总投资).
    total_investment: Mapped[Decimal] = mapped_column(Money())
    # The project's approved total investment (批复总投资), the latest of: the approving
    # conclusion's total, the NDRC's approved estimate (D7) and an approved adjustment's new total
    # (F1-F3), by the time review recorded it; an older event arriving late changes nothing. E1,
    # E6 and E7 measure it, the submitted total only while there is none.
    approved_total: Mapped[Decimal | None] = mapped_column(Money())
    approved_total_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Where it comes from: "conclusion <case>", "ndrc_approval <document>", "adjustment <change>".
    approved_total_source: Mapped[str | None] = mapped_column(String(240))
    review_conclusion: Mapped[str | None] = mapped_column(String(32))
    # The latest performance evaluation's grade (H2: a basis for the next O&M funds).
    evaluation_grade: Mapped[str | None] = mapped_column(String(16))
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Review suspended (F4) or terminated (F5) the project: its rule and article, as review cited.
    halted: Mapped[str | None] = mapped_column(String(16))  # suspended | terminated
    halt_rule: Mapped[str | None] = mapped_column(String(8))
    halt_article: Mapped[str | None] = mapped_column(String(200))
    # When review made the last halt change finance applied (the event's changed_at): review's
    # suspended, suspension_lifted and terminated events are separate consumers and may arrive in
    # any order, so an older one than this changes nothing (F4, F5).
    halt_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The halted case and, for a termination, its change request (F5): named where a payment on a
    # terminated project is answered with a conflict, the profile giving no article to cite.
    halt_case_id: Mapped[str | None] = mapped_column(String(64))
    halt_change_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class FundingLine(Base):
    """Money set aside for a project in a fiscal year; its balance is the sum of its entries."""

    __tablename__ = "funding_line"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(32))
    # The amount first allocated; later changes are ledger entries, never edits of this.
    amount: Mapped[Decimal] = mapped_column(Money())
    # The estimate the investment review approved (概算), when known.
    approved_estimate: Mapped[Decimal | None] = mapped_column(Money())
    status: Mapped[str] = mapped_column(String(16), default="open")
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LedgerEntry(Base):
    """One booking on a funding line. Rows are only ever inserted: a reversal undoes an entry."""

    __tablename__ = "ledger_entry"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    funding_line_id: Mapped[str] = mapped_column(ForeignKey("funding_line.id"), index=True)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    # Signed: positive adds to the balance, negative takes from it.
    amount: Mapped[Decimal] = mapped_column(Money())
    reverses_entry_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    memo: Mapped[str] = mapped_column(String(500), default="")
    booked_by: Mapped[str] = mapped_column(String(128))
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
