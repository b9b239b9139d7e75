"""Domain errors: what a flow raises; http.py maps them to problem+json, rpc.py to gRPC status."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from govit_kit.policy.decision import Decision
from govit_kit.policy.profile import PolicyProfile


class DomainError(Exception):
    """A client's request that cannot be carried out, with the HTTP status that says why."""

    status = 400
    title = "Bad request"
    type_slug = "bad-request"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class NotFound(DomainError):
    """The object does not exist, or belongs to another organisation (its existence must not leak)."""

    status, title, type_slug = 404, "Not found", "not-found"


class Forbidden(DomainError):
    """The caller's role may not do this."""

    status, title, type_slug = 403, "Forbidden", "forbidden"


class Unauthenticated(DomainError):
    """No token, or a token that is expired, forged or wrongly signed."""

    status, title, type_slug = 401, "Unauthenticated", "unauthenticated"


class Conflict(DomainError):
    """The object's current state does not allow this (an illegal transition, a stale version)."""

    status, title, type_slug = 409, "Conflict", "conflict"


class ConcurrentConflict(Conflict):
    """Another request changed the same data at the same moment and this one was rolled back:
    nothing was changed, and the same request sent again runs against the new state. REST's
    409 has a type of its own, `concurrent-conflict`, so a client tells it from a Conflict
    without reading the wording; gRPC's ABORTED (a concurrency conflict, retried at a higher
    level), where Conflict's FAILED_PRECONDITION says a retry alone will not help."""

    title, type_slug = "Concurrent change", "concurrent-conflict"


# Why a string holding U+0000 is refused, wherever it arrives (a REST body, path or query, a gRPC
# message, an uploaded file, a header): PostgreSQL text cannot store it, and no name, reason or
# id needs it.
NUL_RULE = "must not contain the NUL character (U+0000)"


class InvalidInput(DomainError):
    """A field's value is wrong; names the field."""

    status, title, type_slug = 422, "Invalid input", "invalid-input"

    def __init__(self, field: str, detail: str, **extensions: Any) -> None:
        super().__init__(detail, errors=[{"field": field, "message": detail}], **extensions)

    @classmethod
    def by_rule(
        cls, profile: PolicyProfile, field: str, reason: str, *rule_ids: str, **figures: Any
    ) -> InvalidInput:
        """A field's value refused on rules: each rule the profile applies is cited with its
        article in the detail and carried as its refusal decision (`decisions`), as a rule's
        refusals are; a rule the profile does not apply is not cited, and where none applies
        the check names the field only."""
        refusals = [
            Decision.refuse(profile, r, reason, field=field, **figures)
            for r in rule_ids
            if profile.applies(r)
        ]
        detail = profile.cite(reason, *rule_ids)
        if not refusals:
            return cls(field, detail)
        return cls(field, detail, decisions=[d.to_dict() for d in refusals])


class StoredValueRefused(InvalidInput):
    """The database refused a value of the request as data (too long for its column, out of a
    number's or a date's range, not valid text): a 422 / INVALID_ARGUMENT, like a field's
    validation, but the kit cannot tell which field held it, so it names none."""

    def __init__(self, detail: str) -> None:
        DomainError.__init__(self, detail)


class RuleRefused(DomainError):
    """A rule of the active policy profile refuses the request; names every rule and article."""

    status, title, type_slug = 422, "Refused by rule", "rule-refused"

    def __init__(self, decisions: list[Decision]) -> None:
        detail = "; ".join(f"{d.rule_id} ({d.article}): {d.reason}" for d in decisions)
        super().__init__(detail, decisions=[d.to_dict() for d in decisions])
        self.decisions = decisions


class Unavailable(DomainError):
    """A peer service could not be reached; the client may retry."""

    status, title, type_slug = 503, "Service unavailable", "unavailable"


# --- what the database refuses ---------------------------------------------------------------

UNIQUE_VIOLATION = "23505"
# PostgreSQL aborts a transaction that collides with a concurrent one: nothing was written, and
# the same request sent again runs against the new state.
RETRYABLE_SQLSTATES = {
    "40P01": "a deadlock with a concurrent request",  # deadlock_detected
    "40001": "a concurrent request's change to the same data",  # serialization_failure
    "55P03": "a lock a concurrent request holds",  # lock_not_available (lock_timeout, NOWAIT)
}
# Integrity violations other than a duplicate: the stored data refuses the change, and sending
# it again changes nothing. The kit cannot know the request's field, so it names the kind.
INTEGRITY_KINDS = {
    "23503": "a reference between objects does not hold (the object named does not exist, "
    "or another object still refers to it)",  # foreign_key_violation
    "23502": "a required value is missing",  # not_null_violation
    "23514": "a value breaks a check on the stored data",  # check_violation
}
# PostgreSQL's class 22 (data_exception): a value that does not fit its column or type. It is the
# request's value (a flow let it through unchecked), so the client hears a 422, not a 500.
DATA_EXCEPTION_CLASS = "22"
# In class 22 but a computation's fault, not a value's: stays a bug (500 / INTERNAL).
NOT_A_VALUE = {"22012"}  # division_by_zero
# SQLite (the embedded default) gives no SQLSTATE; its message names the kind of violation.
SQLITE_KINDS = {
    "UNIQUE constraint failed": UNIQUE_VIOLATION,
    "FOREIGN KEY constraint failed": "23503",
    "NOT NULL constraint failed": "23502",
    "CHECK constraint failed": "23514",
}


def sqlstate(exc: DBAPIError) -> str | None:
    """The SQLSTATE of a database error: asyncpg's (on SQLAlchemy's adapted error, or the
    asyncpg exception it wraps), psycopg's `sqlstate` or psycopg2's `pgcode`; None on SQLite."""
    orig = exc.orig
    for err in (orig, getattr(orig, "__cause__", None)):
        code = getattr(err, "sqlstate", None) or getattr(err, "pgcode", None)
        if isinstance(code, str) and code:
            return code
    return None


def store_conflict(exc: BaseException) -> ConcurrentConflict | Conflict | InvalidInput | None:
    """The domain error a write the database refused amounts to, or None if it is none of these
    (a bug: the caller's 500 / INTERNAL). A concurrent change (StaleDataError, a duplicate, a
    deadlock, a serialization failure, a lock not granted) is a ConcurrentConflict saying
    "retry"; another integrity violation is a Conflict that does not; a value PostgreSQL refuses
    as data (class 22) is a StoredValueRefused (422 / INVALID_ARGUMENT)."""
    if isinstance(exc, StaleDataError):
        # Two officials changed the same object at once; the later one must look again.
        return ConcurrentConflict("the object was changed by someone else; reload it")
    if not isinstance(exc, DBAPIError):
        return None
    code = sqlstate(exc)
    if code is None and str(exc.orig).startswith("database is locked"):
        code = "55P03"  # SQLite's busy timeout ran out: the embedded default's lock not granted
    if code in RETRYABLE_SQLSTATES:
        return ConcurrentConflict(
            f"the request was rolled back after {RETRYABLE_SQLSTATES[code]}; "
            "nothing was changed; retry"
        )
    if code and code.startswith(DATA_EXCEPTION_CLASS) and code not in NOT_A_VALUE:
        message = (str(exc.orig).splitlines() or [code])[0][:200]
        return StoredValueRefused(
            f"a value does not fit the stored data ({message}); nothing was changed "
            "(the service could not tell which field held it)"
        )
    if not isinstance(exc, IntegrityError):
        return None
    if code is None:
        message = str(exc.orig)
        code = next((c for text, c in SQLITE_KINDS.items() if message.startswith(text)), None)
    if code is None or code == UNIQUE_VIOLATION:
        # A concurrent duplicate (the same Idempotency-Key twice at once, a second original
        # contract); a retry meets the first one's result. Without a SQLSTATE or a known SQLite
        # message the kind is unknown, and this has always been the answer.
        return ConcurrentConflict("a concurrent request made the same change; retry")
    kind = INTEGRITY_KINDS.get(code, "an integrity constraint refused it")
    return Conflict(f"the request conflicts with the stored data: {kind}; nothing was changed")
