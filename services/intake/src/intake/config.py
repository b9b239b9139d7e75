"""Intake's own settings (GOVIT_* variables beside the platform's)."""

from govit_kit.config import Settings


class IntakeSettings(Settings):
    """Settings only intake reads."""

    # Largest material a unit may upload (bytes); keep it within GOVIT_MAX_REQUEST_BYTES.
    material_max_bytes: int = 1_000_000
    # C6: in a county or park deployment, the city deployment's intake gRPC address (host:port);
    # empty in the city itself.
    city_intake_grpc: str = ""
    # C6: how long a county waits for the city to take a forwarded application (its materials
    # are streamed, up to one material_max_bytes per kind).
    forward_timeout_seconds: float = 60.0
    # The name this deployment gives itself when it forwards to the city (e.g. 船山区).
    jurisdiction_name: str = ""
