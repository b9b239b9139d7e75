"""Peers are dialled as their settings say: plaintext inside the cluster, TLS to a peer that
declares TLS settings (a county's intake calling the city's); a wrong TLS setting stops the
start naming the variable, and a plaintext call that cannot work, or sends tokens unencrypted
across networks, is warned of at start."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from govit_kit.config import Settings
from govit_kit.db import new_metadata
from govit_kit.peers import PeerSettingInvalid, PeerTarget, peer_names, peer_target, peer_targets
from govit_kit.runtime import Runtime, ServiceSpec
from govit_kit.testing import ThrowawayCA


class PartnerSettings(Settings):
    """A service with a peer outside the cluster, as intake's city_intake is."""

    partner_grpc: str = ""
    partner_grpc_tls: bool = True
    partner_grpc_ca_file: Path | None = None
    partner_grpc_server_name: str = ""


def settings(tmp_path: Path, **values) -> PartnerSettings:
    return PartnerSettings(
        service="kittest",
        data_dir=tmp_path,
        database_url="sqlite+aiosqlite:///:memory:",
        **values,
    )


def kittest_spec() -> ServiceSpec:
    return ServiceSpec(
        name="kittest",
        package="kittest",
        title="kittest",
        description="",
        metadata=new_metadata(),
        routers=[],
        settings_cls=PartnerSettings,
    )


def test_the_five_services_are_dialled_in_plaintext(tmp_path, caplog):
    targets = peer_targets(settings(tmp_path))
    assert set(peer_names(settings(tmp_path))) == {
        "intake", "review", "cloud_broker", "finance", "audit", "partner"
    }  # fmt: skip
    for peer in ("intake", "review", "cloud_broker", "finance", "audit"):
        assert targets[peer] == PeerTarget(peer, getattr(settings(tmp_path), f"{peer}_grpc"))
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_peer_outside_the_cluster_is_dialled_over_tls_with_its_ca_file(tmp_path):
    ca = ThrowawayCA()
    (tmp_path / "ca.pem").write_bytes(ca.pem)
    target = peer_target(
        settings(
            tmp_path,
            partner_grpc="10.10.0.20:443",
            partner_grpc_ca_file=tmp_path / "ca.pem",
            partner_grpc_server_name="grpc.govit.city.example.gov.cn",
        ),
        "partner",
    )
    assert target == PeerTarget(
        "partner", "10.10.0.20:443", True, ca.pem, "grpc.govit.city.example.gov.cn"
    )
    # Without a CA file: the roots grpcio ships.
    target = peer_target(settings(tmp_path, partner_grpc="city.example:443"), "partner")
    assert (target.tls, target.root_certificates) == (True, None)


@pytest.mark.parametrize(
    "values, message",
    [
        (
            {"partner_grpc_ca_file": "missing.pem"},
            "GOVIT_PARTNER_GRPC_CA_FILE: {tmp}/missing.pem does not exist or is not a file",
        ),
        (
            {"partner_grpc_ca_file": "certs"},
            "GOVIT_PARTNER_GRPC_CA_FILE: {tmp}/certs does not exist or is not a file",
        ),
        (
            {"partner_grpc_ca_file": "key.pem"},
            "GOVIT_PARTNER_GRPC_CA_FILE: {tmp}/key.pem holds no PEM certificate",
        ),
        (
            {"partner_grpc_tls": False, "partner_grpc_ca_file": "ca.pem"},
            "GOVIT_PARTNER_GRPC_CA_FILE is set but GOVIT_PARTNER_GRPC_TLS is false",
        ),
        (
            {"partner_grpc_tls": False, "partner_grpc_server_name": "city.example"},
            "GOVIT_PARTNER_GRPC_SERVER_NAME is set but GOVIT_PARTNER_GRPC_TLS is false",
        ),
    ],
)
def test_a_wrong_tls_setting_stops_startup_naming_it(tmp_path, values, message):
    (tmp_path / "ca.pem").write_bytes(ThrowawayCA().pem)
    (tmp_path / "certs").mkdir()
    (tmp_path / "key.pem").write_text(
        "-----BEGIN PRIVATE KEY-----\nMC4=\n-----END PRIVATE KEY-----\n"
    )
    values = {k: (tmp_path / v if k.endswith("_ca_file") else v) for k, v in values.items()}
    with pytest.raises(PeerSettingInvalid):
        peer_target(settings(tmp_path, partner_grpc="city.example:443", **values), "partner")
    with pytest.raises(SystemExit) as exc:
        Runtime(kittest_spec(), settings(tmp_path, partner_grpc="city.example:443", **values))
    assert str(exc.value.code).startswith("govit-kittest: ")
    assert message.format(tmp=tmp_path) in str(exc.value.code)


def test_plaintext_across_networks_is_warned_of_at_startup(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="govit_kit.peers")
    target = peer_target(
        settings(tmp_path, partner_grpc="city.example:443", partner_grpc_tls=False), "partner"
    )
    assert target == PeerTarget("partner", "city.example:443")
    warned = [r.getMessage() for r in caplog.records]
    assert warned == [
        "GOVIT_PARTNER_GRPC_TLS is false: bearer tokens go to city.example:443 unencrypted "
        "(for tests, or a peer on the same private network only)",
        "GOVIT_PARTNER_GRPC is city.example:443, port 443, but GOVIT_PARTNER_GRPC_TLS is false: "
        "a TLS ingress there refuses every call made in plaintext",
    ]
    # A peer inside the cluster on 443 gets the second warning only; an unset peer none.
    caplog.clear()
    peer_targets(settings(tmp_path, review_grpc="review.example:443"))
    assert [r.getMessage().split(" is ")[0] for r in caplog.records] == ["GOVIT_REVIEW_GRPC"]


async def test_the_channel_follows_the_settings(tmp_path):
    (tmp_path / "ca.pem").write_bytes(ThrowawayCA().pem)
    rt = Runtime(
        kittest_spec(),
        settings(tmp_path, partner_grpc="127.0.0.1:1", partner_grpc_ca_file=tmp_path / "ca.pem"),
    )
    try:
        assert rt.peers["partner"].tls and not rt.peers["intake"].tls
        assert rt.channel("partner") is rt.channel("partner")
        assert type(rt.channel("partner")).__name__ == "Channel"
    finally:
        await rt.close_channels()
        await rt.db.dispose()
