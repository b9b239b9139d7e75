"""Observability: OpenTelemetry traces, Prometheus metrics and JSON logs with trace ids."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from prometheus_client import Counter, Gauge, Histogram

tracer = trace.get_tracer("govit")

HTTP_REQUESTS = Counter(
    "govit_http_requests_total", "REST requests", ["service", "method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "govit_http_request_seconds", "REST request latency", ["service", "method", "route"]
)
OUTBOX_BACKLOG = Gauge("govit_outbox_backlog", "Outbox rows not yet published", ["service"])
EVENTS_PUBLISHED = Counter("govit_events_published_total", "Events published", ["service"])
EVENTS_APPLIED = Counter(
    "govit_events_applied_total", "Events applied by consumers", ["service", "consumer"]
)
CONSUMER_LAG = Gauge(
    "govit_consumer_lag", "Events pending or unacked for a consumer", ["service", "consumer"]
)
DEAD_LETTERS = Gauge("govit_dead_letters", "Events in the dead-letter table", ["service"])
RPC_REQUESTS = Counter("govit_rpc_requests_total", "gRPC requests", ["service", "method", "code"])
CALENDAR_KNOWN_UNTIL = Gauge(
    "govit_calendar_known_until_seconds",
    "Start (Unix time) of the first year, from this one on, whose working days are computed "
    "from the statute because nobody entered the State Council's calendar for it "
    "(chinese-calendar or the profile's calendar_overrides)",
    ["service"],
)


def setup_tracing(service: str, exporter: str) -> None:
    """Install a tracer provider; exporter is none, console or otlp."""
    provider = TracerProvider(resource=Resource.create({"service.name": f"govit-{service}"}))
    if exporter == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter(out=sys.stderr)))
    elif exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    elif exporter != "none":
        raise ValueError(f"GOVIT_TRACES_EXPORTER must be none, console or otlp, not {exporter!r}")
    trace.set_tracer_provider(provider)


def current_traceparent() -> str | None:
    """The W3C traceparent of the active span, for an outbox row or an outgoing call."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


def context_from(carrier: dict[str, str] | None) -> otel_context.Context:
    """The trace context carried by headers or metadata (W3C traceparent)."""
    return propagate.extract({k.lower(): v for k, v in (carrier or {}).items()})


def trace_id_of(traceparent: str | None) -> str | None:
    """The trace id inside a W3C traceparent header."""
    if not traceparent:
        return None
    parts = traceparent.split("-")
    return parts[1] if len(parts) == 4 else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the active trace and span ids."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        span = trace.get_current_span().get_span_context()
        doc = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if span.is_valid:
            doc["trace_id"] = format(span.trace_id, "032x")
            doc["span_id"] = format(span.span_id, "016x")
        if record.exc_info:
            doc["error"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False)


def setup_logging(service: str, level: str) -> None:
    """Send every log record to stderr as JSON."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access", "nats"):
        logging.getLogger(noisy).setLevel("WARNING")
