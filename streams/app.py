"""The Faust app: settings → App, topics, tables and agents. Built by `create_app`, never at import.

Flow (docs/ARCHITECTURE.md):
  articles ─decode─► (bad → articles.dlq) ─process pool: extract─► events + newsmon-extracted
  newsmon-extracted ─AlertEngine (incident + alert tables)─► alerts
  alerts ─Dispatcher (delivered table)─► webhooks / chat; failed for good → alerts.dlq
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

import faust
import structlog
from prometheus_client import CollectorRegistry

from streams.metrics import PipelineMetrics
from streams.pool import ExtractionPool
from streams.settings import Settings
from streams.topics import Topics, declare_topics

log = structlog.get_logger("newsmon.worker")


@dataclass
class Runtime:
    """What the agents share: settings, topics, tables, metrics and the stages they call."""

    settings: Settings
    topics: Topics
    registry: CollectorRegistry
    metrics: PipelineMetrics
    tables: dict[str, Any]
    pool: ExtractionPool | None = None
    engine: Any = None
    rules_holder: Any = None
    dispatcher: Any = None
    started_at: float = field(default_factory=time.time)
    extractor_ready: bool = False
    last_article_at: float | None = None
    last_alert_at: float | None = None
    counts: dict[str, int] = field(default_factory=lambda: {"articles": 0, "rejected": 0, "events": 0,
                                                            "fused": 0, "alerts": 0})


def create_app(settings: Settings) -> tuple[faust.App, Runtime]:
    os.makedirs(settings.data_dir, exist_ok=True)
    app = faust.App(
        settings.app_id,
        broker=settings.broker_url,
        store="memory://",  # tables are rebuilt from their changelog topics on start
        datadir=os.path.join(settings.data_dir, "faust"),
        processing_guarantee="at_least_once",  # alerts are idempotent by id; exactly_once has open bugs
        consumer_auto_offset_reset="earliest",
        broker_max_poll_records=100,
        stream_buffer_maxsize=1024,
        stream_processing_timeout=120.0,
        broker_commit_livelock_soft_timeout=120.0,
        topic_partitions=1,
        topic_replication_factor=1,
        web_enabled=True,
        web_port=settings.web_port,
        web_host=settings.web_host,
        web_bind=settings.web_host,
        producer_linger=settings.producer_linger_ms / 1000.0,
        autodiscover=False,
    )
    topics = declare_topics(app, article_partitions=settings.article_partitions)
    registry = CollectorRegistry()
    metrics = PipelineMetrics(registry)
    # JSON keys and values: str keys survive the changelog round trip (raw would come back as bytes)
    json_schema = faust.Schema(key_serializer="json", value_serializer="json")
    tables = {
        # fusion state: partitioned like the one-partition extracted topic that feeds it
        "incidents": app.Table("incidents", default=None, partitions=1, schema=json_schema),
        "alert_book": app.Table("alert-book", default=None, partitions=1, schema=json_schema),
        # delivery state: which sink accepted which alert version
        "delivered": app.Table("delivered", default=None, partitions=1, schema=json_schema),
        # outbox: alerts emitted but not yet handled by the delivery agent (re-driven if they stall)
        "outbox": app.Table("outbox", default=None, partitions=1, schema=json_schema),
    }
    runtime = Runtime(settings=settings, topics=topics, registry=registry, metrics=metrics, tables=tables)

    from faust.sensors.prometheus import setup_prometheus_sensors

    # faust's own stream/consumer metrics land in the same registry, served at /metrics
    setup_prometheus_sensors(app, pattern="/metrics", registry=registry, name_prefix="faust")

    from streams import agents

    agents.wire(app, runtime)
    return app, runtime
