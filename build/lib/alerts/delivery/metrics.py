"""Delivery metrics, built once from an injected registry (never at import)."""
from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

CIRCUIT_STATES = {"closed": 0, "half_open": 1, "open": 2}


class DeliveryMetrics:
    """``newsmon_webhook_deliveries_total{sink,outcome}``, ``newsmon_delivery_seconds{sink}``,
    ``newsmon_delivery_retries_total{sink}``, ``newsmon_circuit_state{sink}`` (0 closed, 1 half-open,
    2 open) and ``newsmon_alerts_dlq_total{sink}``."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.deliveries = Counter("newsmon_webhook_deliveries", "Alert deliveries per sink by outcome",
                                  ["sink", "outcome"], registry=registry)
        self.seconds = Histogram("newsmon_delivery_seconds",
                                 "Time from the first attempt to the final outcome, per sink", ["sink"],
                                 buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
                                 registry=registry)
        self.retries = Counter("newsmon_delivery_retries", "Delivery attempts after the first", ["sink"],
                               registry=registry)
        self.circuit = Gauge("newsmon_circuit_state", "Circuit breaker state: 0 closed, 1 half-open, 2 open",
                             ["sink"], registry=registry)
        self.dlq = Counter("newsmon_alerts_dlq", "Alerts handed to the dead-letter topic", ["sink"],
                           registry=registry)

    def set_circuit(self, sink: str, state: str) -> None:
        self.circuit.labels(sink=sink).set(CIRCUIT_STATES[state])
