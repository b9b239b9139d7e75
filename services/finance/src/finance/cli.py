"""`govit-finance serve | migrate | ...`."""

from govit_kit.cli import service_main

from finance.main import spec


def main() -> None:
    """Entry point."""
    service_main(spec)
