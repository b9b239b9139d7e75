"""Small converters from review's values to protobuf."""

from typing import Any

from govit.common.v1 import common_pb2
from govit_kit.policy import Decision


def decision_pb(d: Decision | dict[str, Any]) -> common_pb2.Decision:
    """A decision (or its stored dict) as govit.common.v1.Decision."""
    if isinstance(d, Decision):
        d = d.to_dict()
    return common_pb2.Decision(
        rule_id=d["rule_id"], article=d["article"], outcome=d["outcome"], reason=d["reason"]
    )
