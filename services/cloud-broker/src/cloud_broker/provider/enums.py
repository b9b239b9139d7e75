"""Enumerations of work orders."""

import enum


class OrderKind(enum.StrEnum):
    """What the provider must do."""

    PROVISION = "provision"
    MODIFY = "modify"
    DEPROVISION = "deprovision"  # wipe the data (attested) and reclaim (L7)


class OrderStatus(enum.StrEnum):
    """Where a work order stands."""

    QUEUED = "queued"
    CLAIMED = "claimed"
    COMPLETED = "completed"
    FAILED = "failed"
    # The request was withdrawn by the platform (its project terminated, F5) while a provider
    # held the order: the provider removes what it created, as after a failed provision, and
    # reports it with `fail`; the order is then cancelled and the request withdrawn.
    CANCELLING = "cancelling"
    CANCELLED = "cancelled"  # off: the provider does nothing more with it


class OperationState(enum.StrEnum):
    """Open Service Broker's last_operation states."""

    IN_PROGRESS = "in progress"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
