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


class OperationState(enum.StrEnum):
    """Open Service Broker's last_operation states."""

    IN_PROGRESS = "in progress"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
