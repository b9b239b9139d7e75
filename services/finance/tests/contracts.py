"""Events other services (being built in parallel) publish, as they define them, for tests only.

Finance's branch does not carry cloud-broker's and review's new protos yet; this registers the same
messages (same names, fields and numbers) unless the generated classes are already there (after
the merge), so finance's consumers decode exactly what those services publish.
"""

from google.protobuf import (
    descriptor_pb2,
    descriptor_pool,
    message_factory,
    symbol_database,
    timestamp_pb2,  # noqa: F401  (dependencies must be in the pool first)
)

from govit.common.v1 import common_pb2  # noqa: F401
from govit_kit.events import message_class

F = descriptor_pb2.FieldDescriptorProto
S, B, I64, MSG = F.TYPE_STRING, F.TYPE_BOOL, F.TYPE_INT64, F.TYPE_MESSAGE
MONEY, TIMESTAMP = ".govit.common.v1.Money", ".google.protobuf.Timestamp"
ACTOR, DECISION = ".govit.common.v1.Actor", ".govit.common.v1.Decision"

# cloud-broker (issue 3): proto/govit/cloud_broker/v1/events.proto
BILL_LINE_ISSUED = (
    "govit.cloud_broker.v1",
    "BillLineIssued",
    [
        ("bill_line_id", 1, S, None),
        ("period", 2, S, None),
        ("org_id", 3, S, None),
        ("platform_id", 4, S, None),
        ("service_mode", 5, S, None),
        ("amount", 6, MSG, MONEY),
        ("usage_lines", 7, I64, None),
        ("unit_level", 8, S, None),
        ("unit_funding", 9, S, None),
        ("rule_id", 10, S, None),
        ("article", 11, S, None),
    ],
)
# review (issue 6): proto/govit/review/v1/events.proto
RECTIFICATION_ISSUED = (
    "govit.review.v1",
    "RectificationIssued",
    [
        ("order_id", 1, S, None),
        ("project_id", 2, S, None),
        ("org_id", 3, S, None),
        ("finding", 4, S, None),
        ("description", 5, S, None),
        ("security", 6, B, None),
        ("hold_payments", 7, B, None),
        ("blocks_new_projects", 8, B, None),
        ("due_at", 9, MSG, TIMESTAMP),
        ("decisions", 10, MSG, DECISION),
        ("issued_by", 11, MSG, ACTOR),
        ("issued_at", 12, MSG, TIMESTAMP),
    ],
)
RECTIFICATION_RESOLVED = (
    "govit.review.v1",
    "RectificationResolved",
    [
        ("order_id", 1, S, None),
        ("project_id", 2, S, None),
        ("org_id", 3, S, None),
        ("note", 4, S, None),
        ("blocks_new_projects", 5, B, None),
        ("resolved_by", 6, MSG, ACTOR),
        ("resolved_at", 7, MSG, TIMESTAMP),
    ],
)
ACCEPTANCE_RECORDED = (
    "govit.review.v1",
    "AcceptanceRecorded",
    [
        ("acceptance_id", 1, S, None),
        ("case_id", 2, S, None),
        ("project_id", 3, S, None),
        ("org_id", 4, S, None),
        ("stage", 5, S, None),
        ("accepted_on", 6, S, None),
        ("om_eligible", 7, B, None),
        ("evaluation_earliest_on", 8, S, None),
        ("evaluation_due_on", 9, S, None),
        ("decisions", 10, MSG, DECISION),
        ("recorded_by", 11, MSG, ACTOR),
        ("recorded_at", 12, MSG, TIMESTAMP),
    ],
)
# intake (issue 5): proto/govit/intake/v1/events.proto
PLAN_ITEM_ADDED = (
    "govit.intake.v1",
    "PlanItemAdded",
    [
        ("plan_year", 1, F.TYPE_INT32, None),
        ("project_id", 2, S, None),
        ("org_id", 3, S, None),
        ("priority_type", 4, S, None),
        ("reason", 5, S, None),
        ("emergency", 6, B, None),
        ("document_reference", 7, S, None),
        ("added_by", 8, MSG, ACTOR),
    ],
)
REPEATED = {("RectificationIssued", "decisions"), ("AcceptanceRecorded", "decisions")}


def message(contract):
    """The message class of a contract, registering the test copy only when the real is absent."""
    package, name, fields = contract
    full_name = f"{package}.{name}"
    try:
        return message_class(full_name)
    except KeyError:
        pass
    file = descriptor_pb2.FileDescriptorProto(
        name=f"finance_tests/{package.replace('.', '_')}_{name}.proto",
        package=package,
        syntax="proto3",
        dependency=["govit/common/v1/common.proto", "google/protobuf/timestamp.proto"],
    )
    proto = file.message_type.add(name=name)
    for field_name, number, kind, type_name in fields:
        label = F.LABEL_REPEATED if (name, field_name) in REPEATED else F.LABEL_OPTIONAL
        field = proto.field.add(name=field_name, number=number, type=kind, label=label)
        if type_name:
            field.type_name = type_name
    descriptor_pool.Default().Add(file)
    cls = message_factory.GetMessageClass(
        descriptor_pool.Default().FindMessageTypeByName(full_name)
    )
    symbol_database.Default().RegisterMessage(cls)
    return cls
