"""`govit-cloud-broker serve | migrate | ...`."""

from govit_kit.cli import service_main

from cloud_broker.main import spec


def main() -> None:
    """Entry point."""
    service_main(spec)
