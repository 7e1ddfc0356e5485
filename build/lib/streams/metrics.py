"""The worker's own Prometheus metrics, created once from an injected registry (never at import)."""
from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class PipelineMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.articles = Counter("newsmon_articles", "Articles accepted, by language", ["lang"], registry=registry)
        self.rejected = Counter(
            "newsmon_articles_rejected", "Messages sent to articles.dlq, by reason", ["reason"], registry=registry)
        self.events = Counter("newsmon_events", "Events extracted, by family and type", ["family", "type"],
                              registry=registry)
        self.alerts = Counter("newsmon_alerts", "Alerts emitted, by rule, severity and status",
                              ["rule_id", "severity", "status"], registry=registry)
        self.processing = Histogram(
            "newsmon_processing_seconds", "Time from an article's arrival at the worker to its alerts being sent",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10), registry=registry)
        self.extract_batch = Histogram(
            "newsmon_extract_batch_seconds", "Wall time of one extraction batch in the process pool",
            buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10), registry=registry)
        self.rules_reload = Counter("newsmon_rules_reloads", "Rule reloads, by outcome", ["outcome"],
                                    registry=registry)
        self.rules_loaded = Gauge("newsmon_rules_loaded", "Rules in force", registry=registry)
