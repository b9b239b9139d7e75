"""`govit-intake serve | migrate | ...`."""

from govit_kit.cli import service_main
from intake.main import spec


def main() -> None:
    """Entry point."""
    service_main(spec)
