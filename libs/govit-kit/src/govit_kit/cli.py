"""Command lines: `govit run` (the whole platform), `govit token`, and each service's own CLI."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from govit_kit.auth import Role, TokenIssuer
from govit_kit.config import Settings
from govit_kit.policy import UnknownProfile, load_profile


def service_main(spec_factory) -> None:
    """`govit-<service> serve | migrate | check-migrations | revision -m MSG | openapi`."""
    parser = argparse.ArgumentParser(prog=f"govit-{spec_factory().name.replace('_', '-')}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the service (REST, gRPC, outbox relay, consumers)")
    sub.add_parser("migrate", help="upgrade the database to the newest revision")
    sub.add_parser("check-migrations", help="fail if models hold changes no revision covers")
    rev = sub.add_parser("revision", help="autogenerate a migration revision")
    rev.add_argument("-m", "--message", required=True)
    sub.add_parser("openapi", help="print the OpenAPI document")
    args = parser.parse_args()
    spec = spec_factory()
    settings = spec.settings_cls(service=spec.name)

    from govit_kit import migrations
    from govit_kit.runtime import Runtime, run

    url = settings.effective_database_url
    if args.command == "serve":
        run(spec)
    elif args.command == "migrate":
        migrations.upgrade(spec, url)
    elif args.command == "check-migrations":
        migrations.check(spec, url)
    elif args.command == "revision":
        migrations.revision(spec, url, args.message)
    elif args.command == "openapi":
        import json

        print(json.dumps(Runtime(spec, settings).app.openapi(), indent=2, ensure_ascii=False))


def _token(args: argparse.Namespace) -> None:
    issuer = TokenIssuer.from_settings(Settings())
    print(
        issuer.issue(
            args.sub or f"{args.role}@{args.org}",
            args.org,
            args.role,
            provider_id=args.provider,
            ttl_s=args.ttl,
        )
    )


def shared_database_warning(environ, data_dir: Path) -> str | None:
    """What `govit run` says when the environment holds GOVIT_DATABASE_URL: the launcher gives
    each service a database of its own and never passes that one URL on, so a service without
    its own GOVIT_<SERVICE>_DATABASE_URL uses its SQLite file, not the URL the operator set."""
    from govit_kit.platform import SERVICES

    if not environ.get("GOVIT_DATABASE_URL"):
        return None
    own = [f"GOVIT_{s.name.upper()}_DATABASE_URL" for s in SERVICES]
    on_sqlite = [s.name for s, var in zip(SERVICES, own, strict=True) if not environ.get(var)]
    fallback = (
        "Services without their own use SQLite: "
        + ", ".join(f"{n} ({data_dir / (n + '.db')})" for n in on_sqlite)
        + "."
        if on_sqlite
        else "Every service has its own here."
    )
    return (
        "govit run: warning: GOVIT_DATABASE_URL is set and ignored. Each service needs a "
        "database of its own, so govit run gives that one URL to none of them. Set "
        "GOVIT_<SERVICE>_DATABASE_URL for each service instead: " + ", ".join(own) + ". " + fallback
    )


def _run(args: argparse.Namespace) -> None:
    from govit_kit.platform import SERVICES, NatsServer, Platform

    data = Path(os.environ.get("GOVIT_DATA_DIR", ".govit")).resolve()
    if warning := shared_database_warning(os.environ, data):
        print(warning, file=sys.stderr, flush=True)
    profile = os.environ.get("GOVIT_POLICY_PROFILE", "suining")
    try:
        load_profile(profile)  # fail here, clearly, rather than in five service logs
    except UnknownProfile as exc:
        raise SystemExit(f"govit run: GOVIT_POLICY_PROFILE: {exc}") from None
    env = {"GOVIT_DATA_DIR": str(data)}
    nats = None
    if not os.environ.get("GOVIT_NATS_URL"):  # embedded default: a broker of our own
        nats = NatsServer(data / "nats").start()
        env["GOVIT_NATS_URL"] = nats.url
    urls, ports = {}, {}
    for s in SERVICES:
        prefix = f"GOVIT_{s.name.upper()}_"
        if os.environ.get(prefix + "DATABASE_URL"):
            urls[s.name] = os.environ[prefix + "DATABASE_URL"]
        ports[s.name] = (
            int(os.environ.get(prefix + "HTTP_PORT", s.http_port)),
            int(os.environ.get(prefix + "GRPC_PORT", s.grpc_port)),
        )
    platform = Platform(env=env, database_urls=urls, ports=ports, log_dir=data / "logs")
    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    sys.stdout.reconfigure(line_buffering=True)
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        platform.migrate()
        platform.start()
        issuer = TokenIssuer.from_settings(Settings(data_dir=data))
        nats_url = env.get("GOVIT_NATS_URL") or os.environ["GOVIT_NATS_URL"]
        print(
            f"\ngovit is running: policy profile {profile}, NATS {nats_url}, logs in {data}/logs\n"
        )
        for sp in platform.services.values():
            print(f"  {sp.info.name:<13} REST {sp.base_url}/docs   gRPC 127.0.0.1:{sp.grpc_port}")
        print(
            "\nDevelopment tokens (8 h; more with `.venv/bin/govit token --org ORG --role ROLE`):"
        )
        for org, role in [
            ("org-demo-unit", Role.UNIT_STAFF),
            ("org-data-bureau", Role.BUREAU_REVIEWER),
            ("org-audit-bureau", Role.AUDITOR),
        ]:
            print(f"  {role.value:<16} {issuer.issue(f'{role.value}@{org}', org, [role])}")
        print("\nPress Ctrl-C to stop.")
        while not stopping:
            for sp in platform.services.values():
                if sp.proc is not None and sp.proc.poll() is not None:
                    print(
                        f"{sp.info.name} exited ({sp.proc.returncode}); stopping", file=sys.stderr
                    )
                    stopping = True
            time.sleep(0.5)
    finally:
        print("\nstopping…")
        platform.stop()
        if nats is not None:
            nats.stop()
        print("stopped.")


def _walkthrough(_args: argparse.Namespace) -> None:
    import httpx

    from govit_kit.platform import SERVICES
    from govit_kit.walkthrough import WalkthroughFailed, run

    settings = Settings()
    issuer = TokenIssuer.from_settings(settings)
    urls = {
        s.name: "http://127.0.0.1:"
        + os.environ.get(f"GOVIT_{s.name.upper()}_HTTP_PORT", str(s.http_port))
        for s in SERVICES
    }
    try:
        run(urls, lambda sub, org, role: issuer.issue(sub, org, [role]))
    except (WalkthroughFailed, httpx.ConnectError) as exc:
        raise SystemExit(f"walkthrough stopped: {exc} (is `make run` running?)") from None


def main() -> None:
    """`govit run`, `govit token` or `govit walkthrough`."""
    parser = argparse.ArgumentParser(prog="govit")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run all five services on this machine")
    run.set_defaults(fn=_run)
    tok = sub.add_parser("token", help="print a development token (embedded default only)")
    tok.add_argument("--org", required=True)
    tok.add_argument("--role", required=True, choices=[r.value for r in Role], action="append")
    tok.add_argument("--provider", help="the provider a cloud_provider token is bound to")
    tok.add_argument("--sub", help="the subject (default: role@org)")
    tok.add_argument("--ttl", type=int, default=8 * 3600, help="seconds")
    tok.set_defaults(fn=_token)
    walk = sub.add_parser(
        "walkthrough", help="take one project through the running platform (after govit run)"
    )
    walk.set_defaults(fn=_walkthrough)
    args = parser.parse_args()
    if args.command == "token":
        args.sub = args.sub or f"{args.role[0]}@{args.org}"
    args.fn(args)
