"""`govit-review serve | migrate | ...`."""

from govit_kit.cli import service_main
from review.main import spec


def main() -> None:
    """Entry point."""
    service_main(spec)
