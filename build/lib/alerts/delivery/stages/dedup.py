"""Dedup: skip a sink that already accepted this alert version, per the durable ``delivered`` record.

Keys in ``delivered`` (a changelogged table in the stream, a dict in tests):
``"<sink>|<delivery key>"`` → when and after how many attempts the sink accepted that version, and
``"<sink>|<alert id>|last"`` → a summary of the last accepted version (to say what an update changed).
"""
from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import structlog

from ..types import Alert, Ctx

log = structlog.get_logger(__name__)


def delivered_key(sink: str, key: str) -> str:
    return f"{sink}|{key}"


def last_key(sink: str, alert_id: str) -> str:
    return f"{sink}|{alert_id}|last"


class DedupStage:
    def __init__(self, delivered: MutableMapping[str, dict[str, Any]]) -> None:
        self.delivered = delivered

    async def exec(self, ctx: Ctx, alert: Alert) -> tuple[Ctx, Alert | None]:
        assert ctx.sink is not None
        if self.delivered.get(delivered_key(ctx.sink, ctx.key)) is not None:
            log.info("alert_duplicate_skipped", alert_id=alert.get("id"), sink=ctx.sink, key=ctx.key)
            return ctx.evolve(outcome="duplicate"), None
        previous = self.delivered.get(last_key(ctx.sink, str(alert.get("id", ""))))
        return ctx.evolve(previous=previous), alert
