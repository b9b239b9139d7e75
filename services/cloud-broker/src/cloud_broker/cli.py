"""`govit-cloud-broker serve | migrate | ...`."""

from cloud_broker.main import spec
from govit_kit.cli import service_main


def main() -> None:
    """Entry point."""
    service_main(spec)
