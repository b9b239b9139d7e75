"""Intake's own settings (GOVIT_* variables beside the platform's)."""

from pathlib import Path

from govit_kit.config import Settings


class IntakeSettings(Settings):
    """Settings only intake reads."""

    # Largest material a unit may upload (bytes); keep it within GOVIT_MAX_REQUEST_BYTES.
    material_max_bytes: int = 1_000_000
    # C6: in a county or park deployment, the city deployment's intake gRPC address (host:port);
    # empty in the city itself.
    city_intake_grpc: str = ""
    # The city is reached across networks, through its gRPC ingress, and every forwarded call
    # carries the county reviewer's bearer token: TLS unless turned off on purpose (a test, or a
    # city on the same private network), which start-up then warns of (govit_kit.peers).
    city_intake_grpc_tls: bool = True
    # PEM certificates of the CA that signed the city ingress's certificate (a government CA);
    # unset: the public roots grpcio ships.
    city_intake_grpc_ca_file: Path | None = None
    # The name the city's certificate must carry, when GOVIT_CITY_INTAKE_GRPC is not it (an IP).
    city_intake_grpc_server_name: str = ""
    # C6: how long a county waits for the city to take a forwarded application (its materials
    # are streamed, up to one material_max_bytes per kind).
    forward_timeout_seconds: float = 60.0
    # The name this deployment gives itself when it forwards to the city (e.g. 船山区).
    jurisdiction_name: str = ""
