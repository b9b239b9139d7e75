"""`govit-audit serve | migrate | ...`."""

from audit.main import spec
from govit_kit.cli import service_main


def main() -> None:
    """Entry point."""
    service_main(spec)
