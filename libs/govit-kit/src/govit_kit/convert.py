"""Conversions between domain values and their protobuf messages (one place for all services)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from govit.common.v1 import common_pb2
from govit_kit.auth import Principal
from govit_kit.errors import InvalidInput


def to_timestamp(value: datetime | None) -> Timestamp | None:
    """A timezone-aware datetime as a protobuf Timestamp."""
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value.astimezone(UTC))
    return ts


def from_timestamp(ts: Timestamp, field: str = "timestamp") -> datetime:
    """A protobuf Timestamp as a timezone-aware UTC datetime; InvalidInput naming the field
    (INVALID_ARGUMENT, a 422) when its seconds fall outside the years 1 to 9999 or its nanos
    outside a second."""
    try:
        return ts.ToDatetime(tzinfo=UTC)
    except ValueError:
        raise InvalidInput(
            field, "not a valid timestamp (years 1 to 9999, nanos 0 to 999,999,999)"
        ) from None


def to_money(amount: Decimal) -> common_pb2.Money:
    """An exact yuan amount as Money (decimal string, never float)."""
    return common_pb2.Money(currency_code="CNY", amount=str(amount.quantize(Decimal("0.01"))))


def from_money(money: common_pb2.Money) -> Decimal:
    """Money as an exact Decimal of yuan."""
    if money.currency_code not in ("", "CNY"):
        raise ValueError(f"unsupported currency {money.currency_code}")
    return Decimal(money.amount)


def to_actor(who: Principal) -> common_pb2.Actor:
    """The caller as an Actor of an event."""
    return common_pb2.Actor(subject=who.subject, org_id=who.org_id, roles=sorted(who.roles))


def to_decision(d: Any) -> common_pb2.Decision:
    """A decision (a policy Decision, or the dict it is stored as) as its protobuf message."""
    if not isinstance(d, Mapping):
        d = d.to_dict()
    return common_pb2.Decision(
        rule_id=d["rule_id"], article=d["article"], outcome=d["outcome"], reason=d["reason"]
    )
