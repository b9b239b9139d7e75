"""The Helm chart: it lints, renders with each value set, every manifest passes the Kubernetes
schemas, and what it renders is what production needs (probes, limits, hardened pods, a Service,
a PodDisruptionBudget and a migration hook per Deployment, settings and Secrets wired through)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from govit_kit.http import platform_router
from govit_kit.policy import load_profile

from .conftest import CHART, COUNTY_PROFILE, ROOT, SERVICES, VALUE_SETS

# The schemas: the oldest Kubernetes the chart supports (Chart.yaml kubeVersion) and a current one.
KUBE_VERSIONS = ["1.27.0", "1.35.0"]
HOOK = "pre-install,pre-upgrade"


def deployments(rendered) -> dict[str, dict]:
    return {rendered.component(d): d for d in rendered.of_kind("Deployment")}


def pod_spec(doc: dict) -> dict:
    return doc["spec"]["template"]["spec"]


def env_of(container: dict) -> dict[str, dict]:
    return {e["name"]: e for e in container.get("env", [])}


def matches(selector: dict, labels: dict) -> bool:
    assert set(selector) == {"matchLabels"}, f"only matchLabels selectors here: {selector}"
    return selector["matchLabels"].items() <= labels.items()


@pytest.mark.parametrize("value_set", list(VALUE_SETS))
def test_lints_strictly(chart, value_set):
    files, extra = chart.args_for(value_set)
    out = chart.run(
        "lint", "--strict", str(CHART), *[a for f in files for a in ("-f", str(f))], *extra
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 chart(s) failed" in out.stdout


def test_every_manifest_passes_the_kubernetes_schemas(rendered):
    custom = []
    for doc in rendered.docs:
        if doc["apiVersion"].startswith("monitoring.coreos.com/"):
            custom.append(doc)  # a CRD: no schema in kubernetes-validate; checked below
            continue
        for version in KUBE_VERSIONS:
            try:
                kubernetes_validate.validate(doc, version, strict=True)
            except kubernetes_validate.ValidationError as exc:
                pytest.fail(f"{doc['kind']}/{doc['metadata']['name']} on {version}: {exc.message}")
    monitors = rendered.values["global"]["telemetry"]["serviceMonitor"]["enabled"]
    assert len(custom) == (len(SERVICES) if monitors else 0)


def test_the_schema_catches_what_a_validator_would():
    """The validation itself can fail: a Deployment with a misspelt field is refused."""
    bad = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {
            "selector": {"matchLabels": {"a": "b"}},
            "template": {
                "metadata": {"labels": {"a": "b"}},
                "spec": {"containers": [{"name": "x", "image": "x", "readinessProbes": {}}]},
            },
        },
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, KUBE_VERSIONS[-1], strict=True)


def test_one_deployment_per_enabled_service(rendered):
    assert sorted(deployments(rendered)) == sorted(SERVICES)
    for name, dep in deployments(rendered).items():
        assert dep["metadata"]["name"] == f"govit-{name}"
        image = pod_spec(dep)["containers"][0]["image"]
        assert re.fullmatch(rf".+/govit-{name}:[\w.-]+", image), image


def test_a_disabled_service_is_left_out_and_peers_must_exist(chart):
    out = chart.render(
        "production",
        "--set", "services.finance.enabled=false",
        "--set", "services.audit.peers={intake,review,cloud-broker}",
    )  # fmt: skip
    assert "finance" not in deployments(out)
    assert not [d for d in out.docs if "finance" in d["metadata"]["name"]]
    # audit calls finance: disabling finance while audit still names it is refused, by name.
    refused = chart.template("production", "--set", "services.finance.enabled=false")
    assert not hasattr(refused, "docs")
    assert "services.audit.peers names finance" in refused.stderr


def test_the_probed_paths_are_served():
    assert {"/healthz", "/readyz", "/metrics"} <= {r.path for r in platform_router.routes}


def test_every_container_has_probes_limits_and_a_hardened_context(rendered):
    workloads = rendered.of_kind("Deployment") + rendered.of_kind("Job")
    assert workloads
    for doc in workloads:
        spec = pod_spec(doc)
        where = f"{doc['kind']}/{doc['metadata']['name']}"
        pod_ctx = spec["securityContext"]
        assert pod_ctx["runAsNonRoot"] is True and pod_ctx["runAsUser"] != 0, where
        assert spec["automountServiceAccountToken"] is False, where
        for c in spec["containers"] + spec.get("initContainers", []):
            ctx = c["securityContext"]
            assert ctx["runAsNonRoot"] is True and ctx.get("runAsUser", 1) != 0, where
            assert ctx["readOnlyRootFilesystem"] is True, where
            assert ctx["allowPrivilegeEscalation"] is False, where
            assert ctx["capabilities"]["drop"] == ["ALL"] and "add" not in ctx["capabilities"], (
                where
            )
            assert ctx.get("privileged", False) is False, where
            limits, requests = c["resources"]["limits"], c["resources"]["requests"]
            assert {"cpu", "memory"} <= limits.keys() and {"cpu", "memory"} <= requests.keys(), (
                where
            )
            # Anything the process writes goes to a volume (the root filesystem is read-only).
            assert "/tmp" in {m["mountPath"] for m in c["volumeMounts"]}, where
            if doc["kind"] != "Deployment":
                continue  # a Job's container runs to completion: no probes
            ports = {p["name"]: p["containerPort"] for p in c["ports"]}
            for probe in ("startupProbe", "livenessProbe"):
                assert c[probe]["httpGet"]["path"] == "/healthz", where
                assert c[probe]["httpGet"]["port"] == "http", where
            # Readiness is the native gRPC health check, which follows /readyz.
            assert c["readinessProbe"]["grpc"]["port"] == ports["grpc"], where
            assert c["env"] and any(e["name"] == "GOVIT_DATABASE_URL" for e in c["env"])


def test_every_deployment_has_a_service_a_disruption_budget_and_an_account(rendered):
    services = rendered.of_kind("Service")
    budgets = rendered.of_kind("PodDisruptionBudget")
    for name, dep in deployments(rendered).items():
        pod_labels = dep["spec"]["template"]["metadata"]["labels"]
        container = pod_spec(dep)["containers"][0]
        port_names = {p["name"] for p in container["ports"]}
        mine = [s for s in services if s["spec"]["selector"].items() <= pod_labels.items()]
        assert len(mine) == 1, f"{name}: {len(mine)} Services select its pods"
        svc = mine[0]
        assert svc["metadata"]["name"] == dep["metadata"]["name"]  # the name peers dial
        assert {p["name"] for p in svc["spec"]["ports"]} == {"http", "grpc"}
        assert {p["targetPort"] for p in svc["spec"]["ports"]} <= port_names
        pdbs = [b for b in budgets if matches(b["spec"]["selector"], pod_labels)]
        assert len(pdbs) == 1, f"{name}: {len(pdbs)} PodDisruptionBudgets"
        budget = pdbs[0]["spec"]
        assert ("minAvailable" in budget) != ("maxUnavailable" in budget)
        account = pod_spec(dep)["serviceAccountName"]
        rendered.one("ServiceAccount", account)
        # Other services' pods are not selected by this Deployment.
        for other, odep in deployments(rendered).items():
            if other != name:
                assert not matches(
                    dep["spec"]["selector"], odep["spec"]["template"]["metadata"]["labels"]
                )


def test_autoscaling_owns_the_replica_count_when_on(rendered):
    hpas = {
        h["spec"]["scaleTargetRef"]["name"]: h for h in rendered.of_kind("HorizontalPodAutoscaler")
    }
    g = rendered.values["global"]
    for name, dep in deployments(rendered).items():
        block = rendered.service_values(name).get("autoscaling", g["autoscaling"])
        if block["enabled"]:
            hpa = hpas[dep["metadata"]["name"]]
            assert hpa["spec"]["scaleTargetRef"]["kind"] == "Deployment"
            assert hpa["spec"]["minReplicas"] == block["minReplicas"]
            assert hpa["spec"]["maxReplicas"] == block["maxReplicas"]
            assert "replicas" not in dep["spec"]  # or every upgrade would reset the scale
        else:
            assert dep["metadata"]["name"] not in hpas
            assert dep["spec"]["replicas"] == rendered.service_values(name).get(
                "replicas", g["replicas"]
            )


def test_production_shape(chart):
    out = chart.render("production")
    hpas = out.of_kind("HorizontalPodAutoscaler")
    assert len(hpas) == 4 and all(h["spec"]["minReplicas"] == 3 for h in hpas)
    assert deployments(out)["audit"]["spec"]["replicas"] == 3
    config = out.one("ConfigMap", "govit-config")["data"]
    assert config["GOVIT_STREAM_REPLICAS"] == "3"
    assert config["GOVIT_NATS_URL"].startswith("nats://nats.nats.svc")
    assert len(out.of_kind("NetworkPolicy")) == 2 * len(SERVICES)  # service + migration Job
    # Existing Secrets only: the chart makes none in production.
    assert out.of_kind("Secret") == []


def test_evaluation_shape(chart):
    out = chart.render("evaluation")
    assert out.of_kind("HorizontalPodAutoscaler") == []
    assert out.of_kind("NetworkPolicy") == []
    assert all(d["spec"]["replicas"] == 1 for d in out.of_kind("Deployment"))
    assert out.one("ConfigMap", "govit-config")["data"]["GOVIT_STREAM_REPLICAS"] == "1"


def test_migrations_run_as_a_hook_job_per_service(rendered):
    jobs = {rendered.component(j).removesuffix("-migrate"): j for j in rendered.of_kind("Job")}
    assert sorted(jobs) == sorted(SERVICES)
    for name, dep in deployments(rendered).items():
        job = jobs[name]
        assert job["metadata"]["annotations"]["helm.sh/hook"] == HOOK
        c, svc_c = pod_spec(job)["containers"][0], pod_spec(dep)["containers"][0]
        assert c["args"] == ["migrate"] and svc_c["args"] == ["serve"]
        assert c["image"] == svc_c["image"]
        # The same database as the service it migrates.
        assert env_of(c)["GOVIT_DATABASE_URL"] == env_of(svc_c)["GOVIT_DATABASE_URL"]
        assert pod_spec(job)["restartPolicy"] == "Never"


def test_secrets_the_hook_needs_exist_before_it(rendered):
    """A Secret the chart makes for a migration Job is itself a hook that runs first."""
    for secret in rendered.of_kind("Secret"):
        if secret["metadata"]["name"].endswith("-database"):
            annotations = secret["metadata"]["annotations"]
            assert annotations["helm.sh/hook"] == HOOK
            assert int(annotations["helm.sh/hook-weight"]) < 0


def test_database_urls_and_keys_come_from_secrets(rendered):
    g = rendered.values["global"]
    for name, dep in deployments(rendered).items():
        c = pod_spec(dep)["containers"][0]
        env = env_of(c)
        ref = env["GOVIT_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
        db = rendered.service_values(name)["database"]
        assert ref["name"] == (db.get("existingSecret") or f"govit-{name}-database")
        assert "value" not in env["GOVIT_DATABASE_URL"]
        volumes = {v["name"]: v for v in pod_spec(dep)["volumes"]}
        if not g["auth"]["jwksUrl"]:
            secret = volumes["jwt"]["secret"]["secretName"]
            assert secret == (g["auth"]["publicKey"]["existingSecret"] or "govit-jwt")
        if name == "audit":
            signing = volumes["signing-key"]["secret"]["secretName"]
            key = rendered.service_values("audit")["signingKey"]
            assert signing == (key["existingSecret"] or "govit-audit-signing-key")
            assert env["GOVIT_AUDIT_SIGNING_KEY_FILE"]["value"] == "/etc/govit/audit/signing.key"
    # No secret material in the ConfigMaps.
    for cm in rendered.of_kind("ConfigMap"):
        text = yaml.safe_dump(cm)
        assert "PRIVATE KEY" not in text and "postgresql" not in text


def test_evaluation_secrets_hold_what_the_services_read(chart, jwt_pub):
    out = chart.render("evaluation")
    db = out.one("Secret", "govit-intake-database")["stringData"]["database-url"]
    assert db.startswith("postgresql+asyncpg://")
    assert (
        out.one("Secret", "govit-jwt")["stringData"]["jwt.pub"].strip()
        == jwt_pub.read_text().strip()
    )
    # The audit signing key the chart generates is an Ed25519 key the service can load, and is
    # kept on uninstall.
    secret = out.one("Secret", "govit-audit-signing-key")
    assert secret["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    pem = base64.b64decode(secret["data"]["signing.key"])
    assert isinstance(serialization.load_pem_private_key(pem, password=None), Ed25519PrivateKey)


# Peers outside the release: reached through `extraEgress` and their own block of settings (intake's
# `forwarding`, see examples/county.yaml), not through the chart's peer wiring.
EXTERNAL_PEERS = {"intake": {"city-intake"}}  # C6: a county's intake forwards to the city's


def test_peers_are_wired_to_their_services(rendered):
    g = rendered.values["global"]
    for name, dep in deployments(rendered).items():
        env = env_of(pod_spec(dep)["containers"][0])
        peers = rendered.service_values(name)["peers"]
        external = {
            f"GOVIT_{p.replace('-', '_').upper()}_GRPC" for p in EXTERNAL_PEERS.get(name, ())
        }
        dialled = {k for k in env if re.fullmatch(r"GOVIT_[A-Z_]+_GRPC", k)} - external
        assert dialled == {f"GOVIT_{p.replace('-', '_').upper()}_GRPC" for p in peers}
        for peer in peers:
            host = env[f"GOVIT_{peer.replace('-', '_').upper()}_GRPC"]["value"]
            assert host == f"govit-{peer}:{g['ports']['grpc']}"
            rendered.one("Service", f"govit-{peer}")


def test_the_peers_in_values_are_the_calls_in_the_code():
    """A service that starts calling another must say so in values (its NetworkPolicy follows)."""
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    for name in SERVICES:
        source = "\n".join(p.read_text() for p in (ROOT / "services" / name / "src").rglob("*.py"))
        called = {m.replace("_", "-") for m in re.findall(r"channel\(\"(\w+)\"\)", source)}
        if name == "audit":
            from audit.log.reconcile import PUBLISHERS

            called |= {p.replace("_", "-") for p in PUBLISHERS}
        called -= EXTERNAL_PEERS.get(name, set())
        assert called == set(values["services"][name]["peers"]), name


def test_settings_reach_the_services(rendered):
    g = rendered.values["global"]
    config = rendered.one("ConfigMap", "govit-config")["data"]
    for dep in rendered.of_kind("Deployment"):
        refs = [e["configMapRef"]["name"] for e in pod_spec(dep)["containers"][0]["envFrom"]]
        assert refs == ["govit-config"]
        checksum = dep["spec"]["template"]["metadata"]["annotations"]["checksum/config"]
        assert re.fullmatch(r"[0-9a-f]{64}", checksum)
    assert config["GOVIT_STREAM"] == g["nats"]["stream"]
    assert config["GOVIT_SUBJECT_ROOT"] == g["nats"]["subjectRoot"]
    assert config["GOVIT_STREAM_REPLICAS"] == str(g["nats"]["streamReplicas"])
    assert config["GOVIT_HTTP_PORT"] == str(g["ports"]["http"])
    assert config["GOVIT_GRPC_PORT"] == str(g["ports"]["grpc"])
    if g["telemetry"]["otlpEndpoint"]:
        assert config["GOVIT_TRACES_EXPORTER"] == "otlp"
        assert config["OTEL_EXPORTER_OTLP_ENDPOINT"] == g["telemetry"]["otlpEndpoint"]
    else:
        assert config["GOVIT_TRACES_EXPORTER"] == "none"
    if g["auth"]["jwksUrl"]:
        assert config["GOVIT_JWKS_URL"] == g["auth"]["jwksUrl"]
        assert "GOVIT_JWT_PUBLIC_KEY_FILE" not in config
    else:
        assert config["GOVIT_JWT_PUBLIC_KEY_FILE"] == "/etc/govit/jwt/jwt.pub"


def test_every_setting_the_chart_sets_is_one_the_services_read(rendered):
    import importlib

    known = set()
    for package in ("intake", "review", "cloud_broker", "finance", "audit"):
        settings_cls = importlib.import_module(f"{package}.main").spec().settings_cls
        known |= {f"GOVIT_{f.upper()}" for f in settings_cls.model_fields}
    names = set(rendered.one("ConfigMap", "govit-config")["data"])
    for doc in rendered.of_kind("Deployment") + rendered.of_kind("Job"):
        names |= set(env_of(pod_spec(doc)["containers"][0]))
    unknown = {n for n in names if n.startswith("GOVIT_")} - known
    assert not unknown, f"settings no service reads: {unknown}"


FORWARDING = {
    "GOVIT_CITY_INTAKE_GRPC",
    "GOVIT_CITY_INTAKE_GRPC_TLS",
    "GOVIT_CITY_INTAKE_GRPC_CA_FILE",
    "GOVIT_CITY_INTAKE_GRPC_SERVER_NAME",
    "GOVIT_JURISDICTION_NAME",
    "GOVIT_FORWARD_TIMEOUT_SECONDS",
}


def test_forwarding_settings_reach_intake_only(rendered):
    """C6: a county's intake gets the city's address, TLS, the CA file mounted from the
    ConfigMap or Secret named in values, its own name and the timeout; the city (no cityGrpc)
    and every other service none of it."""
    forwarding = rendered.service_values("intake")["forwarding"]
    for name, dep in deployments(rendered).items():
        env = {k: e.get("value") for k, e in env_of(pod_spec(dep)["containers"][0]).items()}
        volumes = {v["name"]: v for v in pod_spec(dep)["volumes"]}
        mounts = {m["name"]: m for m in pod_spec(dep)["containers"][0]["volumeMounts"]}
        if name != "intake" or not forwarding["cityGrpc"]:
            assert not FORWARDING & set(env) and "city-ca" not in volumes, name
            continue
        ca = forwarding["ca"]
        assert {k: v for k, v in env.items() if k in FORWARDING} == {
            "GOVIT_CITY_INTAKE_GRPC": forwarding["cityGrpc"],
            "GOVIT_CITY_INTAKE_GRPC_TLS": "true",
            "GOVIT_CITY_INTAKE_GRPC_CA_FILE": f"/etc/govit/city-ca/{ca['key']}",
            "GOVIT_JURISDICTION_NAME": forwarding["jurisdictionName"],
            "GOVIT_FORWARD_TIMEOUT_SECONDS": str(forwarding["timeoutSeconds"]),
        }
        assert volumes["city-ca"] == {
            "name": "city-ca",
            "configMap": {"name": ca["existingConfigMap"]},
        }
        assert mounts["city-ca"] == {
            "name": "city-ca", "mountPath": "/etc/govit/city-ca", "readOnly": True
        }  # fmt: skip


def test_a_city_ca_given_as_pem_is_what_intake_starts_with(chart, tmp_path, monkeypatch):
    """The CA's PEM in values travels in a ConfigMap of the chart's, mounted where
    GOVIT_CITY_INTAKE_GRPC_CA_FILE points; intake, started with the rendered settings and that
    file, dials the city over TLS trusting exactly that CA."""
    from govit_kit.peers import peer_target
    from govit_kit.testing import ThrowawayCA
    from intake.config import IntakeSettings

    ca = ThrowawayCA()
    (tmp_path / "city-ca.pem").write_bytes(ca.pem)
    out = chart.render(
        "county",
        "--set", "services.intake.forwarding.ca.existingConfigMap=",
        "--set", "services.intake.forwarding.serverName=grpc.govit.city.example.gov.cn",
        "--set", "services.intake.forwarding.cityGrpc=10.10.0.20:443",
        "--set-file", f"services.intake.forwarding.ca.pem={tmp_path / 'city-ca.pem'}",
    )  # fmt: skip
    configmap = out.one("ConfigMap", "govit-city-ca")
    assert configmap["data"]["ca.crt"].strip() == ca.pem.decode().strip()
    dep = deployments(out)["intake"]
    volumes = {v["name"]: v for v in pod_spec(dep)["volumes"]}
    assert volumes["city-ca"]["configMap"] == {"name": "govit-city-ca"}
    mounted = tmp_path / "etc-govit-city-ca"
    mounted.mkdir()
    (mounted / "ca.crt").write_text(configmap["data"]["ca.crt"])
    for key, e in env_of(pod_spec(dep)["containers"][0]).items():
        if key in FORWARDING:
            monkeypatch.setenv(key, e["value"].replace("/etc/govit/city-ca", str(mounted)))
    target = peer_target(IntakeSettings(), "city_intake")
    assert (target.address, target.tls, target.server_name) == (
        "10.10.0.20:443", True, "grpc.govit.city.example.gov.cn"
    )  # fmt: skip
    assert target.root_certificates.strip() == ca.pem.strip()
    # A change of the PEM rolls intake's pods (the checksum covers the ConfigMap).
    (tmp_path / "other.pem").write_bytes(ThrowawayCA().pem)
    rolled = chart.render(
        "county",
        "--set", "services.intake.forwarding.ca.existingConfigMap=",
        "--set-file", f"services.intake.forwarding.ca.pem={tmp_path / 'other.pem'}",
    )  # fmt: skip
    checksum = "checksum/config"
    assert (
        deployments(rolled)["intake"]["spec"]["template"]["metadata"]["annotations"][checksum]
        != dep["spec"]["template"]["metadata"]["annotations"][checksum]
    )


def test_a_city_ca_from_a_secret_is_mounted(chart):
    out = chart.render(
        "county",
        "--set", "services.intake.forwarding.ca.existingConfigMap=",
        "--set", "services.intake.forwarding.ca.existingSecret=city-ca",
    )  # fmt: skip
    volumes = {v["name"]: v for v in pod_spec(deployments(out)["intake"])["volumes"]}
    assert volumes["city-ca"]["secret"] == {"secretName": "city-ca", "defaultMode": 0o440}


@pytest.mark.parametrize(
    "setting, message",
    [
        (
            "services.intake.forwarding.ca.existingSecret=x",
            "services.intake.forwarding.ca: set one of existingConfigMap, existingSecret or pem, "
            "not existingConfigMap and existingSecret",
        ),
        (
            "services.intake.forwarding.tls=false",
            "services.intake.forwarding.ca is set but tls is false",
        ),
        (
            "services.intake.forwarding.cityGrpc=",
            "services.intake.forwarding.ca is set but cityGrpc is empty",
        ),
        (
            "services.intake.env.GOVIT_CITY_INTAKE_GRPC=city:443",
            "services.intake.env.GOVIT_CITY_INTAKE_GRPC: set it in services.intake.forwarding",
        ),
        ("services.intake.forwarding.cityGrpc=no-port", "forwarding/cityGrpc"),
        ("services.intake.forwarding.tsl=true", "additional properties 'tsl'"),
    ],
)
def test_forwarding_mistakes_are_named_at_install_time(chart, setting, message):
    out = chart.template("county", "--set", setting)
    assert not hasattr(out, "docs"), f"{setting} was accepted"
    assert message in out.stderr, out.stderr


def test_a_profile_file_travels_in_a_configmap_and_loads(chart, tmp_path):
    out = chart.render("county")
    assert out.one("ConfigMap", "govit-config")["data"]["GOVIT_POLICY_PROFILE"] == (
        "/etc/govit/policy/profile.yaml"
    )
    text = out.one("ConfigMap", "govit-config-policy")["data"]["profile.yaml"]
    (tmp_path / "profile.yaml").write_text(text)
    loaded = load_profile(str(tmp_path / "profile.yaml"))
    assert loaded == load_profile(str(COUNTY_PROFILE)) and loaded.code == "PDS"
    for dep in out.of_kind("Deployment"):
        spec = pod_spec(dep)
        volumes = {v["name"]: v for v in spec["volumes"]}
        assert volumes["policy"]["configMap"]["name"] == "govit-config-policy"
        mounts = {m["name"]: m["mountPath"] for m in spec["containers"][0]["volumeMounts"]}
        assert mounts["policy"] == "/etc/govit/policy"


def test_a_builtin_profile_is_named(chart):
    out = chart.render("production", "--set", "global.policyProfile.name=yunyang")
    assert out.one("ConfigMap", "govit-config")["data"]["GOVIT_POLICY_PROFILE"] == "yunyang"
    assert load_profile("yunyang").code == "YY"
    assert not [c for c in out.of_kind("ConfigMap") if c["metadata"]["name"].endswith("-policy")]


@pytest.mark.parametrize(
    "setting, message",
    [
        ("services.cloud_broker.replicas=2", "additional properties 'cloud_broker'"),
        ("global.nats.streamReplicas=2", "streamReplicas"),
        ("global.policyProfile.name=beijing", "policyProfile/name"),
        ("services.audit.peers[0]=intak", "services/audit/peers/0"),
        ("global.resources.limits=null", "resources"),
        ("global.autoscaling.enabeld=true", "enabeld"),
        ("services.intake.database.url=mysql://x", "database/url"),
        ("services.review.env.lowercase=x", "lowercase' does not match"),
    ],
)
def test_the_schema_refuses_a_typo_at_install_time(chart, setting, message):
    out = chart.template("production", "--set", setting)
    assert not hasattr(out, "docs"), f"{setting} was accepted"
    assert "values don't meet the specifications" in out.stderr and message in out.stderr, (
        out.stderr
    )


@pytest.mark.parametrize(
    "setting, message",
    [
        ("services.audit.database.existingSecret=", "services.audit.database: set existingSecret"),
        ("global.auth.publicKey.existingSecret=", "global.auth: set jwksUrl"),
    ],
)
def test_missing_secrets_are_named(chart, setting, message):
    out = chart.template("production", "--set", setting)
    assert not hasattr(out, "docs") and message in out.stderr, out


def test_service_monitors_scrape_each_service(chart):
    out = chart.render("production")
    monitors = out.of_kind("ServiceMonitor")
    assert len(monitors) == len(SERVICES)
    for m in monitors:
        svc = out.one("Service", m["metadata"]["name"])
        assert matches(m["spec"]["selector"], svc["metadata"]["labels"])
        assert m["spec"]["endpoints"] == [{"port": "http", "path": "/metrics", "interval": "30s"}]
        assert m["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    assert chart.render("evaluation").of_kind("ServiceMonitor") == []


def test_the_examples_are_documented():
    ops = (ROOT / "docs" / "operations.md").read_text()
    for example in Path(CHART / "examples").glob("*.yaml"):
        assert f"deploy/k8s/examples/{example.name}" in ops
