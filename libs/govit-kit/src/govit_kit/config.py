"""Service settings: one environment contract for every service (GOVIT_* variables)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Settings every service reads; a service's own settings subclass this."""

    model_config = SettingsConfigDict(env_prefix="GOVIT_", extra="ignore")

    service: str = Field("", description="Service name: intake, review, cloud_broker, ...")
    # Database: SQLite in the embedded default, PostgreSQL (asyncpg) in production.
    database_url: str = ""
    nats_url: str = "nats://127.0.0.1:4222"
    # Stream and subject root: production uses GOVIT / govit; tests use their own
    # so several runs can share one broker without seeing each other's events.
    stream: str = "GOVIT"
    subject_root: str = "govit"
    stream_replicas: int = 1
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    grpc_host: str = "127.0.0.1"
    grpc_port: int = 50050
    policy_profile: str = "suining"
    data_dir: Path = Path(".govit")
    # Auth: the embedded default signs and verifies with a local Ed25519 key;
    # production verifies against the identity provider's JWKS.
    jwt_private_key_file: Path | None = None
    jwt_public_key_file: Path | None = None
    jwks_url: str = ""
    jwt_issuer: str = "govit-dev"
    jwt_audience: str = "govit"
    # Peers' gRPC addresses (host:port), dialled in plaintext on the cluster's network. A peer
    # reached across networks declares TLS settings beside its address (govit_kit.peers; intake's
    # city_intake_grpc).
    intake_grpc: str = "127.0.0.1:50051"
    review_grpc: str = "127.0.0.1:50052"
    cloud_broker_grpc: str = "127.0.0.1:50053"
    finance_grpc: str = "127.0.0.1:50054"
    audit_grpc: str = "127.0.0.1:50055"
    # Reliability knobs.
    # Tries before an event is dead-lettered; back-off doubles from 0.4 s (8 tries: about a minute).
    consumer_max_deliver: int = 8
    # Tries for an event that waits on a fact another event brings (a handler raised NotYet):
    # after an outage the consumers catch up independently; 150 tries, 30 s apart once the
    # back-off reaches that, wait about 75 minutes before the dead letters.
    consumer_await_max_deliver: int = 150
    consumer_ack_wait_s: float = 30.0
    # Events fetched and applied per transaction (a failed batch is retried one at a time).
    consumer_batch: int = 100
    publish_timeout_s: float = 5.0
    relay_batch: int = 100
    relay_idle_s: float = 0.2
    max_request_bytes: int = 1_048_576
    # Observability: none | console | otlp (OTLP endpoint from the standard OTEL_* variables).
    traces_exporter: str = "none"
    log_level: str = "INFO"

    @cached_property
    def effective_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file per service under data_dir."""
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{(self.data_dir / f'{self.service}.db').resolve()}"

    def subject(self, service: str, aggregate: str, event: str) -> str:
        """The NATS subject of an event: <root>.<service>.<aggregate>.<event>."""
        return f"{self.subject_root}.{service}.{aggregate}.{event}"
