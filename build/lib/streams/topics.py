"""Every topic the worker reads or writes (CONTRACT §5), declared on an app in one place.

Values: `articles`, `articles.dlq` and `rules` carry raw bytes (a bad message must reach the DLQ as it
came); the others carry JSON in the contract's shapes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import faust

ARTICLES = "articles"
ARTICLES_DLQ = "articles.dlq"
EVENTS = "events"
ALERTS = "alerts"
ALERTS_DLQ = "alerts.dlq"
RULES = "rules"
# Internal: one partition, so incident fusion sees every article's events (extraction scales on `articles`).
EXTRACTED = "newsmon-extracted"


@dataclass
class Topics:
    articles: Any
    articles_dlq: Any
    events: Any
    alerts: Any
    alerts_dlq: Any
    rules: Any
    extracted: Any


def declare_topics(app: faust.App, *, article_partitions: int) -> Topics:
    def topic(name: str, serializer: str, partitions: int | None = None, **kw: Any) -> Any:
        # internal=True: the worker creates the topic with these settings when it does not exist yet
        return app.topic(name, value_serializer=serializer, key_serializer="raw", partitions=partitions,
                         internal=True, **kw)

    return Topics(
        articles=topic(ARTICLES, "raw", article_partitions),
        articles_dlq=topic(ARTICLES_DLQ, "raw", 1),
        events=topic(EVENTS, "json", 1),
        alerts=topic(ALERTS, "json", 1),
        alerts_dlq=topic(ALERTS_DLQ, "json", 1),
        rules=topic(RULES, "raw", 1, compacting=True),
        extracted=topic(EXTRACTED, "json", 1),
    )
