"""`govit-audit serve | migrate | ...`."""

from govit_kit.cli import service_main

from audit.main import spec


def main() -> None:
    """Entry point."""
    service_main(spec)
