"""Cloud-broker's own settings (GOVIT_* variables, beside the platform's)."""

from govit_kit.config import Settings


class CloudBrokerSettings(Settings):
    """Knobs of the scheduler and the provider API."""

    # How often the scheduler looks for passed deadlines and expired leases.
    scheduler_interval_s: float = 30.0
    # A provider's claim on a work order lasts this long unless renewed.
    lease_s: int = 300
    max_lease_s: int = 3600
    # How often the work-order stream looks for new orders when nothing woke it.
    watch_poll_s: float = 1.0
