"""How a service dials its peers over gRPC: in plaintext inside the cluster, over TLS to a peer
reached through an ingress (a county's intake calling the city's, C6).

A peer is a settings field `<peer>_grpc` (host:port). A settings class may declare beside it
`<peer>_grpc_tls` (bool), `<peer>_grpc_ca_file` (PEM roots to trust instead of the ones grpcio
ships) and `<peer>_grpc_server_name` (the name the certificate must carry, when the address is not
it). A peer without them is one inside the cluster (the five services), dialled in plaintext on
the cluster's network; a peer with them is reached across networks, and every call to it carries
the caller's bearer token, so its TLS is turned off only on purpose and start-up says so.
Everything is read and checked once, when the service starts: a mistake stops it with the
variable's name, not the first forwarded call."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import grpc
from cryptography import x509

from govit_kit.config import Settings

log = logging.getLogger(__name__)

# The port a TLS ingress listens on: dialling it in plaintext fails on every call.
TLS_PORT = "443"


class PeerSettingInvalid(ValueError):
    """A peer's TLS settings are wrong; the message names the variable."""


@dataclass(frozen=True)
class PeerTarget:
    """One peer as the service dials it: its address and, over TLS, what it trusts."""

    peer: str
    address: str
    tls: bool = False
    root_certificates: bytes | None = None  # None: the roots grpcio ships
    server_name: str = ""

    def channel(self) -> grpc.aio.Channel:
        """A new channel to the peer, secure when its settings say TLS."""
        if not self.tls:
            return grpc.aio.insecure_channel(self.address)
        credentials = grpc.ssl_channel_credentials(root_certificates=self.root_certificates)
        options = []
        if self.server_name:
            options.append(("grpc.ssl_target_name_override", self.server_name))
        return grpc.aio.secure_channel(self.address, credentials, options=options)


def variable(field: str) -> str:
    """The environment variable of a settings field."""
    return f"GOVIT_{field.upper()}"


def peer_names(settings: Settings) -> list[str]:
    """Every peer the settings name (fields `<peer>_grpc`), whether set or not."""
    return [f.removesuffix("_grpc") for f in type(settings).model_fields if f.endswith("_grpc")]


def _roots(field: str, path: Path) -> bytes:
    """The PEM certificates of a CA file, checked to be at least one certificate."""
    if not path.is_file():
        raise PeerSettingInvalid(f"{variable(field)}: {path} does not exist or is not a file")
    try:
        pem = path.read_bytes()
    except OSError as exc:
        raise PeerSettingInvalid(f"{variable(field)}: {path} cannot be read: {exc}") from None
    try:
        if not x509.load_pem_x509_certificates(pem):
            raise ValueError("no certificate")
    except ValueError:
        raise PeerSettingInvalid(
            f"{variable(field)}: {path} holds no PEM certificate "
            "(expected one or more -----BEGIN CERTIFICATE----- blocks)"
        ) from None
    return pem


def peer_target(settings: Settings, peer: str) -> PeerTarget:
    """How to dial one peer, its TLS settings checked; PeerSettingInvalid names what is wrong."""
    address = getattr(settings, f"{peer}_grpc")
    tls = bool(getattr(settings, f"{peer}_grpc_tls", False))
    ca_file: Path | None = getattr(settings, f"{peer}_grpc_ca_file", None)
    server_name: str = getattr(settings, f"{peer}_grpc_server_name", "")
    tls_var = variable(f"{peer}_grpc_tls")
    if not tls:
        for field in (f"{peer}_grpc_ca_file", f"{peer}_grpc_server_name"):
            if getattr(settings, field, None):
                raise PeerSettingInvalid(
                    f"{variable(field)} is set but {tls_var} is false: set {tls_var}=true to "
                    "dial the peer over TLS, or unset the other"
                )
        if address and f"{peer}_grpc_tls" in type(settings).model_fields:
            log.warning(
                "%s is false: bearer tokens go to %s unencrypted (for tests, or a peer on the "
                "same private network only)",
                tls_var,
                address,
            )
        if address.rpartition(":")[2] == TLS_PORT:
            log.warning(
                "%s is %s, port %s, but %s is false: a TLS ingress there refuses every call "
                "made in plaintext",
                variable(f"{peer}_grpc"),
                address,
                TLS_PORT,
                tls_var,
            )
        return PeerTarget(peer, address)
    roots = _roots(f"{peer}_grpc_ca_file", Path(ca_file)) if ca_file else None
    return PeerTarget(peer, address, True, roots, server_name)


def peer_targets(settings: Settings) -> dict[str, PeerTarget]:
    """Every peer the settings name, checked (raises PeerSettingInvalid on the first mistake)."""
    return {peer: peer_target(settings, peer) for peer in peer_names(settings)}
