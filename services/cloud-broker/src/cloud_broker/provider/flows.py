"""Use cases of the provider API (Open Service Broker semantics): list, claim under a lease,
renew, progress, complete, fail and attest the wipe. A provider acts only on its own
platform's orders (another's are 404), and sees only what provisioning needs (L16)."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date, timedelta

from sqlalchemy import select

from cloud_broker.catalog import service as catalog
from cloud_broker.provider import rules as obligation_rules
from cloud_broker.provider.enums import OperationState, OrderKind, OrderStatus
from cloud_broker.provider.models import Operation, WorkOrder
from cloud_broker.requests import flows as request_flows
from cloud_broker.requests.enums import ChangeStatus
from cloud_broker.requests.models import ChangeRequest, ResourceRequest
from govit.cloud_broker.v1 import events_pb2, types_pb2
from govit.common.v1 import common_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_actor, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import NUL_RULE, Conflict, Forbidden, InvalidInput, NotFound
from govit_kit.policy import SHANGHAI, Outcome, PolicyProfile
from govit_kit.uow import UnitOfWork

ORIGINATING_IDENTITY = "X-Broker-API-Originating-Identity"
READERS = frozenset({Role.BUREAU_CLOUD_ADMIN, Role.AUDITOR})


def parse_identity(value: str | None, field: str = ORIGINATING_IDENTITY) -> str:
    """OSB's originating identity, `<platform> <base64 JSON>`, as `<platform>:<user_id>`;
    422 naming the header (or, over gRPC, the field) when it is malformed or its JSON holds
    U+0000 (the REST guard sees no header, nor inside base64)."""
    if not value:
        return ""
    try:
        platform, encoded = value.strip().split(" ", 1)
        props = json.loads(base64.b64decode(encoded, validate=True))
        user = props.get("user_id") or props.get("username")
        if not isinstance(user, str) or not user:
            raise ValueError("no user_id")
    except (ValueError, TypeError, AttributeError):
        raise InvalidInput(field, "must be `<platform> <base64 JSON with user_id>`") from None
    identity = f"{platform}:{user}"[:500]
    if "\x00" in identity:
        raise InvalidInput(field, NUL_RULE)
    return identity


def platform_of(who: Principal) -> str:
    """The provider platform a provider's token is bound to."""
    who.require(Role.CLOUD_PROVIDER)
    if not who.provider_id:
        raise Forbidden("the token names no provider")
    return who.provider_id


def visible(who: Principal, status: str | None = None):
    """The select of orders the caller may list: a provider its platform's, the bureau all."""
    q = select(WorkOrder).order_by(WorkOrder.created_at, WorkOrder.id)
    if status:
        q = q.where(WorkOrder.status == status)
    if who.has(*READERS):
        return q
    return q.where(WorkOrder.platform_id == platform_of(who))


async def _load(session, order_id: str, lock: bool) -> WorkOrder | None:
    """The order row; with `lock`, locked FOR UPDATE until the transaction ends (a concurrent
    writer of the order waits, then reads the row as that one left it)."""
    if not lock:
        return await session.get(WorkOrder, order_id)
    return await session.get(WorkOrder, order_id, with_for_update=True, populate_existing=True)


async def get_order(*, session, who: Principal, order_id: str, lock: bool = False) -> WorkOrder:
    """An order of the caller's platform (404 for another's, so its existence does not leak)."""
    order = await _load(session, order_id, lock)
    if order is None:
        raise NotFound("work order not found")
    if who.has(*READERS) and not who.has(Role.CLOUD_PROVIDER):
        return order
    if order.platform_id != platform_of(who):
        raise NotFound("work order not found")
    return order


async def acting_on(*, session, who: Principal, order_id: str) -> WorkOrder:
    """An order the caller works on: only a provider, and only its platform's (404 for another's).
    The bureau and auditors read orders (get_order) but never claim, report or complete one: what
    a provider reports about its work is the provider's word (L16).

    Every action here writes, so the order row is locked FOR UPDATE first, before its request
    or anything else: two calls on one order take turns (the loser of a claim race finds it
    claimed, a repeated complete finds the first one's operation and replays it), and every
    writer of an order and its request (claim, complete, fail, expire_leases) locks the order
    before the request, so none of them waits on another in the opposite order (deadlock)."""
    platform = platform_of(who)
    order = await _load(session, order_id, lock=True)
    if order is None or order.platform_id != platform:
        raise NotFound("work order not found")
    return order


def order_spec(req: ResourceRequest, kind: OrderKind, change: ChangeRequest | None) -> dict:
    """What the provider needs to do the work, and nothing of the unit's materials (L16)."""
    spec = {
        "request_id": req.id,
        "service_mode": req.service_mode,
        "items": change.items if change else req.items,
        "resource_ids": list(req.resource_ids or []),
    }
    if change is not None:
        spec["change_id"] = change.id
        spec["current_items"] = req.items
    return spec


async def open_order(
    *, uow: UnitOfWork, rt, req: ResourceRequest, kind: str, change: ChangeRequest | None = None
) -> WorkOrder:
    """Queue a work order for the request's platform."""
    kind = OrderKind(kind)
    order = WorkOrder(
        request_id=req.id,
        change_id=change.id if change else None,
        org_id=req.org_id,
        platform_id=req.platform_id,
        kind=kind.value,
        status=OrderStatus.QUEUED.value,
        spec=order_spec(req, kind, change),
        resource_ids=[],
        claims=0,
        progress_percent=0,
    )
    uow.session.add(order)
    await uow.session.flush()
    await _emit(uow, order, "opened", None, "")
    announce(uow, rt, order)
    return order


def queue_key(order: WorkOrder) -> str:
    """An order's turn in the queue: a requeued order was claimed since, so it has a new key and
    its platform's streams send it again."""
    return f"{order.id}:{order.claims}"


def announce(uow: UnitOfWork, rt, order: WorkOrder) -> None:
    """Hand a queued order to this process's streams of its platform as soon as the transaction
    commits (not after the rest of the request). The message is built now, from the order as
    the transaction leaves it."""
    feed, key, message = rt.state.order_feed, queue_key(order), order_message(order)
    uow.on_commit(lambda: feed.publish(order.platform_id, key, message))


async def cancel(*, uow: UnitOfWork, rt, order: WorkOrder, reason: str) -> None:
    """Take a provision order off the provider's work, its request being withdrawn (F5): a
    queued one is cancelled at once (the provider no longer lists, streams or claims it); a
    claimed one is `cancelling`: its provider removes what it created, as after a failed
    provision, and reports it with `fail`, which withdraws the request (or its lease runs out).
    The caller holds the order's lock. The platform's streams are told as the transaction
    commits (the order with its new status); the provider learns nothing of why (L16)."""
    if order.status == OrderStatus.QUEUED:
        order.status, name = OrderStatus.CANCELLED.value, "cancelled"
    elif order.status == OrderStatus.CLAIMED:
        order.status, name = OrderStatus.CANCELLING.value, "cancel_requested"
    else:
        return
    order.updated_at = utcnow()
    await uow.session.flush()
    await _emit(uow, order, name, None, "", reason)
    feed, message = rt.state.order_feed, order_message(order)
    key = f"{order.id}:{order.status}"
    uow.on_commit(lambda: feed.cancel(order.platform_id, key, message))


# What a provider still holding a cancelled order may do: renew its lease and report its
# clean-up with `fail`; it completes nothing and reports no progress.
_CLEANING_UP = (
    "the work order is cancelled (its request is withdrawn): remove what was created, as after "
    "a failed provision, and report it with fail"
)


def _check_lease(order: WorkOrder, who: Principal, *, cleaning_up: bool = False) -> None:
    """The order is claimed and its lease runs; `cleaning_up`: a cancelled order the provider
    still holds (cancelling) counts too."""
    if order.status == OrderStatus.CANCELLING and not cleaning_up:
        raise Conflict(_CLEANING_UP, state=order.status)
    if order.status not in (OrderStatus.CLAIMED, OrderStatus.CANCELLING):
        raise Conflict(f"the work order is {order.status}, not claimed", state=order.status)
    if order.lease_expires_at is None or order.lease_expires_at < utcnow():
        raise Conflict("the lease expired; claim the order again", state=order.status)


def _lease(rt, seconds: int | None) -> timedelta:
    s = seconds or rt.settings.lease_s
    if not 1 <= s <= rt.settings.max_lease_s:
        raise InvalidInput("lease_seconds", f"must be between 1 and {rt.settings.max_lease_s}")
    return timedelta(seconds=s)


async def claim(
    *, uow: UnitOfWork, rt, who: Principal, order_id: str, lease_seconds: int | None, identity: str
) -> WorkOrder:
    """Claim a queued order under a lease; claiming an order one already holds renews it."""
    order = await acting_on(session=uow.session, who=who, order_id=order_id)
    lease = _lease(rt, lease_seconds)
    if order.status == OrderStatus.CLAIMED and order.claimed_by == who.subject:
        _check_lease(order, who)
        order.lease_expires_at = utcnow() + lease
        await uow.session.flush()
        return order
    if order.status != OrderStatus.QUEUED:
        raise Conflict(f"the work order is {order.status}, not queued", state=order.status)
    order.status, order.claimed_by = OrderStatus.CLAIMED.value, who.subject
    order.lease_expires_at, order.updated_at = utcnow() + lease, utcnow()
    order.claims += 1
    await uow.session.flush()
    if order.kind == OrderKind.PROVISION:
        req = await uow.session.get(ResourceRequest, order.request_id)
        await request_flows.transition(uow=uow, req=req, action="provisioning", who=who)
    await _emit(uow, order, "claimed", who, identity)
    return order


async def renew(
    *, uow: UnitOfWork, rt, who: Principal, order_id: str, lease_seconds: int | None
) -> WorkOrder:
    """Renew the lease while working (409 once it expired: the order went back to the queue)."""
    order = await acting_on(session=uow.session, who=who, order_id=order_id)
    _check_lease(order, who, cleaning_up=True)
    if order.claimed_by != who.subject:
        raise Conflict("another of the provider's workers holds the lease", state=order.status)
    order.lease_expires_at = utcnow() + _lease(rt, lease_seconds)
    await uow.session.flush()
    return order


async def progress(
    *, uow: UnitOfWork, who: Principal, order_id: str, percent: int, note: str, identity: str
) -> WorkOrder:
    """Report progress on a claimed order."""
    order = await acting_on(session=uow.session, who=who, order_id=order_id)
    _check_lease(order, who)
    if percent < order.progress_percent:
        raise InvalidInput("percent", f"progress cannot go back from {order.progress_percent}")
    order.progress_percent, order.progress_note, order.updated_at = percent, note, utcnow()
    await uow.session.flush()
    await _emit(uow, order, "progressed", who, identity)
    return order


def _fingerprint(action: str, args: dict) -> str:
    return hashlib.sha256(json.dumps([action, args], sort_keys=True).encode()).hexdigest()


async def _replay(uow: UnitOfWork, order: WorkOrder, action: str, fingerprint: str):
    """The operation of an identical earlier call, or 409 for a different one."""
    done = await uow.session.scalar(
        select(Operation).where(Operation.work_order_id == order.id, Operation.action == action)
    )
    if done is None:
        return None
    if done.fingerprint != fingerprint:
        raise Conflict(
            f"the work order already has a different {action}; an operation is not changed",
            operation_id=done.id,
        )
    return done


async def _operation(
    uow: UnitOfWork, order: WorkOrder, action: str, fingerprint: str, description: str, identity
) -> Operation:
    op = Operation(
        work_order_id=order.id,
        platform_id=order.platform_id,
        action=action,
        fingerprint=fingerprint,
        state=OperationState.SUCCEEDED.value,
        description=description,
        originating_identity=identity,
        finished_at=utcnow(),
    )
    uow.session.add(op)
    await uow.session.flush()
    return op


def _same_target(order: WorkOrder, req: ResourceRequest, resource_ids: list[str]) -> None:
    """Nothing destructive before the broker checked the target is this order's resource."""
    if sorted(resource_ids) != sorted(req.resource_ids or []):
        raise Conflict(
            "the resource ids do not match the order's resource; nothing was changed",
            expected=sorted(req.resource_ids or []),
        )


def _wipe_first(profile: PolicyProfile, order: WorkOrder) -> Conflict:
    """A reclaim completed before its data wipe was attested: a state conflict, citing L7 and
    its article where the profile applies it (SN C art16: 过渡期满后...做好数据清除、政务云资源
    回收; PDS C art12: 及时回收云资源,清除有关数据), a plain one elsewhere (no rule, no article:
    the broker still wipes before it reclaims)."""
    what = "attest the data wipe before completing the reclaim"
    if not profile.applies("L7"):
        return Conflict(what, state=order.status)
    return Conflict(
        f"{what} ({profile.citation('L7')})",
        state=order.status,
        rule_id="L7",
        article=profile.rule("L7").article,
    )


async def complete(
    *, uow: UnitOfWork, rt, who: Principal, order_id: str, resource_ids: list[str], identity: str
) -> Operation:
    """The provider finished: provisioned (ids of what it created), modified or reclaimed."""
    order = await acting_on(session=uow.session, who=who, order_id=order_id)
    fp = _fingerprint("complete", {"resource_ids": sorted(resource_ids)})
    if (done := await _replay(uow, order, "complete", fp)) is not None:
        return done
    _check_lease(order, who)
    req = await uow.session.get(ResourceRequest, order.request_id)
    if order.kind == OrderKind.PROVISION:
        if not resource_ids:
            raise InvalidInput("resource_ids", "name what was created")
        await request_flows.not_on_books(
            uow=uow, platform_id=order.platform_id, resource_ids=resource_ids
        )
        req.resource_ids = list(resource_ids)
        req.active_operation = None
        await request_flows.transition(uow=uow, req=req, action="configure", who=who)
        await request_flows._deadlines_after(uow=uow, rt=rt, req=req, action="configure")
    elif order.kind == OrderKind.MODIFY:
        _same_target(order, req, resource_ids)
        change = await uow.session.get(ChangeRequest, order.change_id)
        change.items_before, change.applied_at = list(req.items), utcnow()
        req.items, req.active_operation = change.items, None
        for name, size in (await catalog.sizes(session=uow.session, items=change.items)).items():
            setattr(req, name, size)
        change.status = ChangeStatus.APPLIED.value
        await uow.session.flush()
        await request_flows._emit_change(uow, change, "applied", who, [])
    else:
        _same_target(order, req, resource_ids)
        if order.wipe_attestation is None:
            raise _wipe_first(rt.profile, order)
        req.active_operation = None
        await request_flows.transition(uow=uow, req=req, action="reclaim", who=who)
    order.status, order.resource_ids = OrderStatus.COMPLETED.value, list(resource_ids)
    order.progress_percent, order.lease_expires_at, order.updated_at = 100, None, utcnow()
    op = await _operation(uow, order, "complete", fp, f"{order.kind} completed", identity)
    await _emit(uow, order, "completed", who, identity)
    return op


async def fail(
    *, uow: UnitOfWork, rt, who: Principal, order_id: str, reason: str, identity: str
) -> Operation:
    """The provider could not do it; the broker cleans up: a failed provision returns the
    request to approved (for another allocation), a failed change ends the change, a failed
    reclaim is queued again. On a cancelled order the provider still held (cancelling, F5)
    it reports its clean-up: the order is cancelled and the request withdrawn."""
    order = await acting_on(session=uow.session, who=who, order_id=order_id)
    fp = _fingerprint("fail", {"reason": reason})
    if (done := await _replay(uow, order, "fail", fp)) is not None:
        return done
    if order.status == OrderStatus.CANCELLING:
        # The clean-up may end after the lease did: the scheduler has not cancelled it yet.
        order.failure_reason, order.lease_expires_at, order.updated_at = reason, None, utcnow()
        op = await _operation(uow, order, "fail", fp, reason, identity)
        await _cleaned_up(uow=uow, rt=rt, order=order, who=who, identity=identity, reason=reason)
        return op
    _check_lease(order, who)
    req = await uow.session.get(ResourceRequest, order.request_id)
    order.status, order.failure_reason = OrderStatus.FAILED.value, reason
    order.lease_expires_at, order.updated_at = None, utcnow()
    op = await _operation(uow, order, "fail", fp, reason, identity)
    await _emit(uow, order, "failed", who, identity, reason)
    if order.kind == OrderKind.PROVISION:
        req.platform_id, req.active_operation = None, None
        await request_flows.transition(
            uow=uow, req=req, action="provision_failed", who=who, reason=reason
        )
    elif order.kind == OrderKind.MODIFY:
        change = await uow.session.get(ChangeRequest, order.change_id)
        change.status, change.decision_reason = ChangeStatus.FAILED.value, reason
        req.active_operation = None
        await uow.session.flush()
        await request_flows._emit_change(uow, change, "failed", who, [])
    else:
        await open_order(uow=uow, rt=rt, req=req, kind=OrderKind.DEPROVISION)
    return op


async def _cleaned_up(
    *, uow: UnitOfWork, rt, order: WorkOrder, who: Principal | None, identity: str, reason: str
) -> None:
    """A cancelled order's provider is done with it (it reported its clean-up, or its lease ran
    out): the order is cancelled and its request withdrawn (F5), in one transaction."""
    from cloud_broker.projects import flows as projects

    order.status = OrderStatus.CANCELLED.value
    await uow.session.flush()
    await _emit(uow, order, "cancelled", who, identity, reason)
    req = await uow.session.get(ResourceRequest, order.request_id)
    await projects.withdraw(uow=uow, rt=rt, req=req, cleaned_up=reason)


async def attest_wipe(
    *,
    uow: UnitOfWork,
    who: Principal,
    order_id: str,
    resource_ids: list[str],
    method: str,
    attested_by: str,
    identity: str,
    profile: PolicyProfile,
    logs_kept_until: date | None = None,
) -> Operation:
    """L7: the provider attests it wiped the resource's data (checked against the resource),
    and, where L17 applies, that the resources' operation logs outlive the wipe."""
    order = await acting_on(session=uow.session, who=who, order_id=order_id)
    args = {"resource_ids": sorted(resource_ids), "method": method, "attested_by": attested_by}
    if logs_kept_until is not None:
        args["operation_logs_kept_until"] = logs_kept_until.isoformat()
    fp = _fingerprint("wipe", args)
    if (done := await _replay(uow, order, "wipe", fp)) is not None:
        return done
    if order.kind != OrderKind.DEPROVISION:
        raise Conflict(f"a {order.kind} order has no data wipe", state=order.status)
    _check_lease(order, who)
    req = await uow.session.get(ResourceRequest, order.request_id)
    _same_target(order, req, resource_ids)
    today = utcnow().astimezone(SHANGHAI).date()
    kept = obligation_rules.logs_kept(profile, today, logs_kept_until)
    if kept is not None and kept.outcome is Outcome.REFUSE:
        raise InvalidInput("operation_logs_kept_until", f"{profile.citation('L17')}: {kept.reason}")
    order.wipe_attestation = {**args, "at": utcnow().isoformat(), "by": who.subject}
    order.updated_at = utcnow()
    op = await _operation(uow, order, "wipe", fp, "data wipe attested", identity)
    await _emit(uow, order, "wipe_attested", who, identity)
    return op


async def get_operation(*, session, who: Principal, operation_id: str) -> Operation:
    """An operation of the caller's platform."""
    op = await session.get(Operation, operation_id)
    if op is None or (not who.has(*READERS) and op.platform_id != platform_of(who)):
        raise NotFound("operation not found")
    return op


async def expire_leases(*, rt) -> int:
    """Return every order whose lease ran out to the queue (its request back to allocated). A
    cancelled order whose provider let its lease run out while cleaning up (cancelling) is
    cancelled, and its request withdrawn (F5): the provider holds it no longer."""
    async with rt.db.unit_of_work() as uow:
        q = select(WorkOrder).where(
            WorkOrder.status.in_([OrderStatus.CLAIMED, OrderStatus.CANCELLING]),
            WorkOrder.lease_expires_at < utcnow(),
        )
        if rt.db.engine.dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        orders = (await uow.session.scalars(q)).all()
        for order in orders:
            if order.status == OrderStatus.CANCELLING:
                order.lease_expires_at, order.updated_at = None, utcnow()
                reason = "the provider's lease on the cancelled order ran out"
                await _cleaned_up(uow=uow, rt=rt, order=order, who=None, identity="", reason=reason)
                continue
            order.status, order.claimed_by, order.lease_expires_at = (
                OrderStatus.QUEUED.value,
                None,
                None,
            )
            order.progress_percent, order.updated_at = 0, utcnow()
            await uow.session.flush()
            if order.kind == OrderKind.PROVISION:
                req = await uow.session.get(ResourceRequest, order.request_id)
                await request_flows.transition(
                    uow=uow,
                    req=req,
                    action="requeue",
                    who=None,
                    reason="the provider's lease expired",
                )
            await _emit(uow, order, "lease_expired", None, "")
            announce(uow, rt, order)
    return len(orders)


async def _emit(
    uow: UnitOfWork,
    order: WorkOrder,
    name: str,
    who: Principal | None,
    identity: str,
    reason: str = "",
) -> None:
    await uow.emit(
        "work_order",
        name,
        events_pb2.WorkOrderChanged(
            order_id=order.id,
            request_id=order.request_id,
            org_id=order.org_id,
            platform_id=order.platform_id,
            kind=order.kind,
            status=order.status,
            resource_ids=list(order.resource_ids or []),
            progress_percent=order.progress_percent,
            reason=reason,
            originating_identity=identity,
            actor=to_actor(who) if who else common_pb2.Actor(subject="service:cloud_broker"),
            at=to_timestamp(utcnow()),
        ),
        subject=order.id,
        org_id=order.org_id,
    )


def order_message(order: WorkOrder) -> types_pb2.WorkOrder:
    """An order as the provider sees it."""
    return types_pb2.WorkOrder(
        order_id=order.id,
        request_id=order.request_id,
        platform_id=order.platform_id,
        kind=order.kind,
        status=order.status,
        service_mode=order.spec.get("service_mode", ""),
        items=[
            types_pb2.ResourceItem(sku=i["sku"], quantity=i["quantity"])
            for i in order.spec["items"]
        ],
        resource_ids=list(order.spec.get("resource_ids", [])),
        lease_expires_at=to_timestamp(order.lease_expires_at),
        progress_percent=order.progress_percent,
        created_at=to_timestamp(order.created_at),
    )
