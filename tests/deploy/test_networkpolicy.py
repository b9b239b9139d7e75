"""The NetworkPolicies, evaluated as a cluster would: each service reaches NATS, its own database
and the gRPC peers it calls, and nothing else; only its callers reach its gRPC port.

A small evaluator of the NetworkPolicy rules (podSelector, namespaceSelector, ports; additive
allow-lists over a default deny for the pods a policy selects) runs over the rendered manifests,
with pods placed where the production value set says NATS, the databases and the rest run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from .conftest import NAMESPACE, SERVICES


@dataclass(frozen=True)
class Pod:
    name: str
    namespace: str
    labels: dict = field(hash=False)
    namespace_labels: dict = field(hash=False, default_factory=dict)


def _ns(name: str) -> dict:
    return {"kubernetes.io/metadata.name": name}


def selects(selector: dict, labels: dict) -> bool:
    assert set(selector) <= {"matchLabels"}, f"evaluator knows matchLabels only: {selector}"
    return selector.get("matchLabels", {}).items() <= labels.items()


def peer_matches(peer: dict, pod: Pod, policy_namespace: str) -> bool:
    if "ipBlock" in peer:
        return False  # pods here are reached by labels, never by address
    if "namespaceSelector" in peer:
        if not selects(peer["namespaceSelector"], pod.namespace_labels):
            return False
    elif pod.namespace != policy_namespace:
        return False  # a podSelector alone means the policy's own namespace
    return "podSelector" not in peer or selects(peer["podSelector"], pod.labels)


def port_matches(rule: dict, port: int, protocol: str) -> bool:
    ports = rule.get("ports")
    if not ports:
        return True
    return any(p["port"] == port and p.get("protocol", "TCP") == protocol for p in ports)


def policies_for(policies: list[dict], pod: Pod, direction: str) -> list[dict]:
    return [
        p
        for p in policies
        if pod.namespace == NAMESPACE
        and direction in p["spec"]["policyTypes"]
        and selects(p["spec"]["podSelector"], pod.labels)
    ]


def allowed(policies: list[dict], src: Pod, dst: Pod, port: int, protocol: str = "TCP") -> bool:
    """Whether a connection from src to dst:port gets through both ends' policies."""
    out = policies_for(policies, src, "Egress")
    if out and not any(
        port_matches(rule, port, protocol)
        and ("to" not in rule or any(peer_matches(p, dst, NAMESPACE) for p in rule["to"]))
        for p in out
        for rule in p["spec"].get("egress", [])
    ):
        return False
    inn = policies_for(policies, dst, "Ingress")
    return not inn or any(
        port_matches(rule, port, protocol)
        and ("from" not in rule or any(peer_matches(p, src, NAMESPACE) for p in rule["from"]))
        for p in inn
        for rule in p["spec"].get("ingress", [])
    )


class World:
    """The govit pods of a rendered chart and the pods around them (production placement)."""

    def __init__(self, rendered) -> None:
        self.policies = rendered.of_kind("NetworkPolicy")
        g = rendered.values["global"]
        self.http, self.grpc = g["ports"]["http"], g["ports"]["grpc"]
        self.services = {
            d["metadata"]["labels"]["app.kubernetes.io/component"]: Pod(
                d["metadata"]["name"], NAMESPACE, d["spec"]["template"]["metadata"]["labels"],
                _ns(NAMESPACE),
            )
            for d in rendered.of_kind("Deployment")
        }  # fmt: skip
        self.migrations = {
            j["metadata"]["labels"]["app.kubernetes.io/component"].removesuffix("-migrate"): Pod(
                j["metadata"]["name"], NAMESPACE, j["spec"]["template"]["metadata"]["labels"],
                _ns(NAMESPACE),
            )
            for j in rendered.of_kind("Job")
        }  # fmt: skip
        self.nats = Pod("nats-0", "nats", {"app.kubernetes.io/name": "nats"}, _ns("nats"))
        self.databases = {
            s: Pod(
                f"govit-{s}-1", "databases",
                {"cnpg.io/cluster": f"govit-{s}", "cnpg.io/podRole": "instance"}, _ns("databases"),
            )
            for s in SERVICES
        }  # fmt: skip
        self.dns = Pod("coredns", "kube-system", {"k8s-app": "kube-dns"}, _ns("kube-system"))
        self.collector = Pod(
            "otel", "observability", {"app.kubernetes.io/name": "opentelemetry-collector"},
            _ns("observability"),
        )  # fmt: skip
        self.ingress = Pod("nginx", "ingress-nginx", {"app": "nginx"}, _ns("ingress-nginx"))
        self.prometheus = Pod("prom", "monitoring", {"app": "prometheus"}, _ns("monitoring"))
        # A pod in the platform's own namespace that is no govit service, and one elsewhere.
        self.neighbour = Pod("debug", NAMESPACE, {"app": "debug"}, _ns(NAMESPACE))
        self.outsider = Pod("x", "default", {"app": "x"}, _ns("default"))
        self.peers = {s: rendered.service_values(s)["peers"] for s in self.services}

    def ok(self, src: Pod, dst: Pod, port: int, protocol: str = "TCP") -> bool:
        return allowed(self.policies, src, dst, port, protocol)


@pytest.fixture(scope="module")
def world(chart) -> World:
    return World(chart.render("production"))


def test_every_service_and_migration_is_selected_by_a_policy(world):
    for pod in [*world.services.values(), *world.migrations.values()]:
        assert policies_for(world.policies, pod, "Egress"), pod.name
        assert policies_for(world.policies, pod, "Ingress"), pod.name


def test_no_rule_opens_everything(world):
    for policy in world.policies:
        for rule in policy["spec"].get("egress", []):
            assert rule.get("to") and rule.get("ports"), policy["metadata"]["name"]
            for peer in rule["to"]:
                assert peer.get("ipBlock", {}).get("cidr") != "0.0.0.0/0"
        for rule in policy["spec"].get("ingress", []):
            assert rule.get("ports"), policy["metadata"]["name"]


def test_each_service_reaches_nats_dns_and_its_own_database_only(world):
    for name, pod in world.services.items():
        assert world.ok(pod, world.nats, 4222), name
        assert not world.ok(pod, world.nats, 8222), name  # NATS monitoring: not needed
        assert world.ok(pod, world.dns, 53, "UDP") and world.ok(pod, world.dns, 53, "TCP"), name
        for owner, db in world.databases.items():
            assert world.ok(pod, db, 5432) == (owner == name), f"{name} -> {owner}'s database"
        assert world.ok(pod, world.collector, 4317), name  # traces, as configured
        for stranger in (world.outsider, world.neighbour, world.ingress, world.prometheus):
            for port in (80, 443, 4222, 5432, 8080, 50051):
                assert not world.ok(pod, stranger, port), f"{name} -> {stranger.name}:{port}"


def test_grpc_between_services_follows_the_peers_in_values(world):
    assert world.peers["cloud-broker"] == ["intake"]
    assert world.peers["review"] == ["intake"]  # CheckCatalog, C2 before acceptance
    assert sorted(world.peers["audit"]) == sorted(s for s in SERVICES if s != "audit")
    for src_name, src in world.services.items():
        for dst_name, dst in world.services.items():
            if src_name == dst_name:
                continue
            called = dst_name in world.peers[src_name]
            assert world.ok(src, dst, world.grpc) == called, f"{src_name} -> {dst_name} gRPC"
            # Services do not call each other's REST APIs.
            assert not world.ok(src, dst, world.http), f"{src_name} -> {dst_name} HTTP"


def test_only_the_ingress_and_prometheus_reach_the_http_ports(world):
    for name, pod in world.services.items():
        assert world.ok(world.ingress, pod, world.http), name
        assert world.ok(world.prometheus, pod, world.http), name
        for stranger in (world.outsider, world.neighbour):
            assert not world.ok(stranger, pod, world.http), name
            assert not world.ok(stranger, pod, world.grpc), name
        assert not world.ok(world.ingress, pod, world.grpc), name


def test_migrations_reach_their_database_and_nothing_else(world):
    for name, job in world.migrations.items():
        assert world.ok(job, world.databases[name], 5432), name
        assert world.ok(job, world.dns, 53, "UDP"), name
        assert not world.ok(job, world.nats, 4222), name
        for other, db in world.databases.items():
            if other != name:
                assert not world.ok(job, db, 5432), f"{name} migration -> {other}'s database"
        for svc in world.services.values():
            assert not world.ok(job, svc, world.grpc) and not world.ok(svc, job, world.http)


def test_a_new_peer_in_values_opens_exactly_that_path(chart):
    world = World(chart.render("production", "--set", "services.finance.peers={intake}"))
    finance, intake, review = (world.services[s] for s in ("finance", "intake", "review"))
    assert world.ok(finance, intake, world.grpc)
    assert not world.ok(finance, review, world.grpc)
    assert not world.ok(intake, finance, world.grpc)


def test_the_evaluator_sees_a_policy_that_opens_too_much(chart):
    """The checks above can fail: an extra egress rule to any pod on 443 is noticed."""
    world = World(
        chart.render(
            "production",
            "--set", "services.intake.extraEgress[0].to[0].podSelector.matchLabels.app=x",
            "--set", "services.intake.extraEgress[0].to[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=default",
            "--set", "services.intake.extraEgress[0].ports[0].port=443",
        )
    )  # fmt: skip
    assert world.ok(world.services["intake"], world.outsider, 443)
    assert not world.ok(world.services["review"], world.outsider, 443)


def test_without_network_policies_nothing_is_restricted(chart):
    """The evaluation value set turns them off: the evaluator then lets everything through."""
    world = World(chart.render("evaluation"))
    assert world.policies == []
    assert world.ok(world.services["intake"], world.outsider, 443)
