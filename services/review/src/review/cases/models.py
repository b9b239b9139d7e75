"""Review cases (评审案件)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import Money, UTCDateTime, new_id, utcnow
from review.db import Base


class ReviewCase(Base):
    """The review of one submitted application."""

    __tablename__ = "review_case"
    # GET /v1/cases (service.visible) lists by (opened_at, id), the bureau's across units and a
    # unit's own: each page is read off an index in that order, not sorted out of the whole
    # table (the unit's index also answers every lookup by org_id).
    __table_args__ = (
        Index("ix_review_case_opened", "opened_at", "id"),
        Index("ix_review_case_org_opened", "org_id", "opened_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # A project has one case (its rounds are the resubmissions): unique, so two submissions
    # applied at once cannot both open one.
    project_id: Mapped[str] = mapped_column(String(36), index=True, unique=True)
    org_id: Mapped[str] = mapped_column(String(64))  # indexed with opened_at (above)
    project_name: Mapped[str] = mapped_column(String(200))
    total_investment: Mapped[Decimal] = mapped_column(Money())
    track: Mapped[str] = mapped_column(String(32))
    decisions: Mapped[list] = mapped_column(JSON, default=list)  # the rules that chose the track
    # The project's contractor, when known: experts involved with it are not drawn (D6).
    contractor: Mapped[str | None] = mapped_column(String(200))
    # Attributes the applicant declared for the pre-checks (D5, D8): see DeclaredAttributes.
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)
    round: Mapped[int] = mapped_column(Integer, default=1)  # 1, then +1 per resubmission
    # D7: the last step of the approval chain reached (bureau_opinion, ndrc_approval, ...).
    chain_stage: Mapped[str | None] = mapped_column(String(32))
    # The NDRC-approved estimate (概算), the base of later adjustments (F1).
    approved_investment: Mapped[Decimal | None] = mapped_column(Money())
    status: Mapped[str] = mapped_column(String(32), index=True)
    conclusion: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str | None] = mapped_column(String(128))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    concluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class PreCheck(Base):
    """A refusal ground of D5/D8 raised on a case: by the pre-check (预审) of the declared
    attributes, or, for a D5 ground no declaration can show (items 5's second half, 6, 7, 9), by
    a bureau reviewer with a written reason (`raised_by`).

    Raised until cleared (the declared attributes no longer raise it; a reviewer's ground, by a
    reviewer in writing) or a bureau reviewer overrules it with a written reason; the row is
    never deleted.
    """

    __tablename__ = "pre_check"
    __table_args__ = (UniqueConstraint("case_id", "ground"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    ground: Mapped[str] = mapped_column(String(64))
    rule_id: Mapped[str] = mapped_column(String(8))
    article: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A judged ground: the reviewer who raised it and their written reason (None: declared).
    raised_by: Mapped[str | None] = mapped_column(String(128))
    raise_reason: Mapped[str | None] = mapped_column(Text)
    cleared_by: Mapped[str | None] = mapped_column(String(128))
    clear_reason: Mapped[str | None] = mapped_column(Text)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overruled_by: Mapped[str | None] = mapped_column(String(128))
    overrule_reason: Mapped[str | None] = mapped_column(Text)
    overruled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Opinion(Base):
    """One version of one reviewer's opinion in one round; a new version never overwrites."""

    __tablename__ = "opinion"
    __table_args__ = (UniqueConstraint("case_id", "round", "author", "version"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    round: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(128))
    author_org: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    checklist: Mapped[dict] = mapped_column(JSON)  # item -> {verdict, comment}
    recommendation: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ConclusionRecord(Base):
    """Each conclusion the bureau issued on a case, round by round (the case keeps them all)."""

    __tablename__ = "conclusion_record"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    round: Mapped[int] = mapped_column(Integer)
    conclusion: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    required_revisions: Mapped[list] = mapped_column(JSON, default=list)
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    reviewer: Mapped[str] = mapped_column(String(128))
    concluded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Resubmission(Base):
    """The applicant's revised plan, opening the next round of the same case."""

    __tablename__ = "resubmission"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    round: Mapped[int] = mapped_column(Integer)  # the round it opens
    note: Mapped[str] = mapped_column(Text)
    resubmitted_by: Mapped[str] = mapped_column(String(128))
    resubmitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApprovalStep(Base):
    """A step of the D7 approval chain after the bureau's opinion: NDRC, then finance."""

    __tablename__ = "approval_step"
    __table_args__ = (UniqueConstraint("case_id", "step"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    step: Mapped[str] = mapped_column(String(32))
    document_number: Mapped[str] = mapped_column(String(200))
    approved_amount: Mapped[Decimal] = mapped_column(Money())
    note: Mapped[str | None] = mapped_column(Text)
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_org: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CaseSuspension(Base):
    """F4: the bureau suspended a case's construction (暂停项目建设) for a serious delay or
    loss, with its reason; lifted by the bureau. The row is kept after the lift."""

    __tablename__ = "case_suspension"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    reason: Mapped[str] = mapped_column(Text)
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    suspended_by: Mapped[str] = mapped_column(String(128))
    suspended_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lifted_by: Mapped[str | None] = mapped_column(String(128))
    lift_note: Mapped[str | None] = mapped_column(Text)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
