"""The audit service: the tamper-evident record of every platform event (J4, L17)."""

from audit import consumers, rpc
from audit.compliance.flows import watch_deadlines
from audit.compliance.views import router as compliance_router
from audit.config import AuditSettings
from audit.db import Base
from audit.log.flows import sign_periodically
from audit.log.signing import Signer, key_id, load_public_key, public_key_pem
from audit.log.views import router as log_router
from govit_kit.runtime import Runtime, ServiceSpec


def setup(rt: Runtime) -> None:
    """Load (or, in the embedded default, create) the key that signs tree heads, and the public
    keys of those rotated out."""
    path = rt.settings.audit_signing_key_file or rt.settings.data_dir / "audit-signing.key"
    rt.state.signer = Signer.from_file(path)
    pems = [rt.state.signer.public_pem]
    pems += [
        public_key_pem(load_public_key(f.read_text()))
        for f in rt.settings.audit_previous_public_key_files
    ]
    rt.state.public_keys = {key_id(pem): pem for pem in pems}  # what integrity checks heads with


def spec() -> ServiceSpec:
    """What audit is made of."""
    return ServiceSpec(
        name="audit",
        package="audit",
        title="govit audit",
        description="Every platform event in a signed Merkle log (RFC 6962), with proofs, "
        "exchange bundles for the audit bureau, integrity checks, reconciliation and compliance findings (J1-J4, L17).",
        metadata=Base.metadata,
        routers=[log_router, compliance_router],
        servicers=rpc.servicers,
        subscriptions=consumers.subscriptions,
        tasks=[sign_periodically, watch_deadlines],
        setup=setup,
        settings_cls=AuditSettings,
    )
