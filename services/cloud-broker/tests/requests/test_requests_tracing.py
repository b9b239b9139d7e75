"""One trace follows a request from the broker's REST endpoint into intake's gRPC handler."""

import httpx
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from cloud_broker.main import spec as broker_spec
from govit_kit.testing import bearer
from intake.main import spec as intake_spec


def recording_exporter() -> InMemorySpanExporter:
    """Record every span of this process (the SDK provider can be installed once per process)."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


async def test_rest_to_grpc_is_one_trace(start_service, issuer):
    spans = recording_exporter()
    intake = await start_service(intake_spec())
    broker = await start_service(broker_spec(), intake_grpc=f"127.0.0.1:{intake.grpc_port}")
    unit = issuer.issue("alice", "org-a", ["unit_staff"])
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{broker.http_port}") as http:
        r = await http.post(
            "/v1/resource-requests",
            headers=bearer(unit),
            json={
                "project_id": "no-such-project",
                "service_mode": "general",
                "items": [{"sku": "ecs.vcpu", "quantity": 1}],
            },
        )
    assert r.status_code == 422  # L2: intake answered 404 to the unit's token
    trace_id = r.headers["traceparent"].split("-")[1]
    finished = spans.get_finished_spans()
    rest = [s for s in finished if s.name == "POST /v1/resource-requests"]
    rpc = [s for s in finished if s.name == "/govit.intake.v1.IntakeService/GetProject"]
    assert len(rest) == 1 and len(rpc) == 1
    assert rpc[0].kind is SpanKind.SERVER
    assert format(rest[0].context.trace_id, "032x") == trace_id
    assert rpc[0].context.trace_id == rest[0].context.trace_id
    assert rpc[0].parent is not None and rpc[0].parent.trace_id == rest[0].context.trace_id
