"""Cloud_broker's tables live on this metadata (with the platform's outbox, inbox and dead letters)."""

from sqlalchemy.orm import DeclarativeBase

from govit_kit.db import new_metadata


class Base(DeclarativeBase):
    """Declarative base of cloud_broker's models."""

    metadata = new_metadata()
