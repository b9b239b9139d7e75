"""Review's settings beyond the common ones."""

from govit_kit.config import Settings


class ReviewSettings(Settings):
    """GOVIT_REVIEW_* variables."""

    # How often overdue rectification orders are escalated (J1) and overdue evaluations flagged
    # (H1); 0 turns the sweep off (the bureau can still run it over REST).
    review_sweep_interval_s: float = 3600.0
