"""Cloud-broker's govit.cloud_broker.v1.BillLineIssued, as cloud-broker (issue 3) defines it.

Finance's branch does not carry cloud-broker's proto yet; this registers the same message (same
name, fields and numbers) for the tests only, unless the generated class is already there (after
the merge), so the consumer decodes exactly what cloud-broker publishes.
"""

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, symbol_database

from govit.common.v1 import common_pb2  # noqa: F401  (Money must be in the pool first)
from govit_kit.events import message_class

NAME = "govit.cloud_broker.v1.BillLineIssued"
F = descriptor_pb2.FieldDescriptorProto
FIELDS = [
    ("bill_line_id", 1, F.TYPE_STRING),
    ("period", 2, F.TYPE_STRING),
    ("org_id", 3, F.TYPE_STRING),
    ("platform_id", 4, F.TYPE_STRING),
    ("service_mode", 5, F.TYPE_STRING),
    ("amount", 6, F.TYPE_MESSAGE),
    ("usage_lines", 7, F.TYPE_INT64),
    ("unit_level", 8, F.TYPE_STRING),
    ("unit_funding", 9, F.TYPE_STRING),
    ("rule_id", 10, F.TYPE_STRING),
    ("article", 11, F.TYPE_STRING),
]


def bill_line_issued_class():
    """The message class, registering the test copy only when the real one is absent."""
    try:
        return message_class(NAME)
    except KeyError:
        pass
    file = descriptor_pb2.FileDescriptorProto(
        name="finance_tests/cloud_broker_bill_line.proto",
        package="govit.cloud_broker.v1",
        syntax="proto3",
        dependency=["govit/common/v1/common.proto"],
    )
    message = file.message_type.add(name="BillLineIssued")
    for name, number, kind in FIELDS:
        field = message.field.add(name=name, number=number, type=kind, label=F.LABEL_OPTIONAL)
        if kind == F.TYPE_MESSAGE:
            field.type_name = ".govit.common.v1.Money"
    descriptor_pool.Default().Add(file)
    cls = message_factory.GetMessageClass(descriptor_pool.Default().FindMessageTypeByName(NAME))
    symbol_database.Default().RegisterMessage(cls)
    return cls
