"""Audit's settings beyond the common ones."""

from pathlib import Path

from govit_kit.config import Settings


class AuditSettings(Settings):
    """GOVIT_AUDIT_* variables."""

    # Ed25519 PEM private key that signs tree heads; made under data_dir on first use if unset.
    audit_signing_key_file: Path | None = None
    # Public keys (PEM files) of signing keys rotated out, so the heads they signed still verify;
    # as JSON in the environment: GOVIT_AUDIT_PREVIOUS_PUBLIC_KEY_FILES='["/keys/2025.pem"]'.
    audit_previous_public_key_files: list[Path] = []
    # How often a new tree head is signed when the log has grown.
    audit_sign_interval_s: float = 60.0
    # Reconciliation counts an event published less than this long ago as in flight, not missing,
    # and an entry logged less than this long before it as in flight, not logged-not-published.
    audit_reconcile_grace_s: float = 30.0
    # A payment whose review is not in the log yet waits this long for it before it is a finding
    # (events from different services may reach the log out of order).
    audit_compliance_grace_s: float = 30.0
    # How often due compliance watches are turned into findings.
    audit_compliance_interval_s: float = 10.0
