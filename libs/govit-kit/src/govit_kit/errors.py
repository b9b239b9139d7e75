"""Domain errors: what a flow raises; http.py maps them to problem+json, rpc.py to gRPC status."""

from __future__ import annotations

from typing import Any

from govit_kit.policy.decision import Decision


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


class InvalidInput(DomainError):
    """A field's value is wrong; names the field."""

    status, title, type_slug = 422, "Invalid input", "invalid-input"

    def __init__(self, field: str, detail: str, **extensions: Any) -> None:
        super().__init__(detail, errors=[{"field": field, "message": detail}], **extensions)


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
