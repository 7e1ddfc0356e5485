"""Record: after the sink accepted the alert, write it to the durable ``delivered`` record; when it
failed for good, hand a dead letter to ``on_dead_letter`` (the stream sends it to ``alerts.dlq``).

Order matters for at-least-once: the record is written only after the sink said 2xx, and the caller
commits the alert only after ``deliver`` returns. A crash in between re-sends the same version with the
same idempotency key. If handing over the dead letter fails, the error propagates so the alert is not
committed either.
"""
from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import datetime, timezone
from typing import Any

import structlog

from ..message import summarise
from ..metrics import DeliveryMetrics
from ..types import Alert, Ctx
from .dedup import delivered_key, last_key

log = structlog.get_logger(__name__)

DeadLetterHandler = Callable[[dict[str, Any]], "Awaitable[None] | None"]


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class RecordStage:
    def __init__(self, delivered: MutableMapping[str, dict[str, Any]], on_dead_letter: DeadLetterHandler,
                 *, metrics: DeliveryMetrics | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.delivered, self.on_dead_letter, self.metrics = delivered, on_dead_letter, metrics
        self._clock = clock

    async def exec(self, ctx: Ctx, alert: Alert) -> tuple[Ctx, Alert | None]:
        assert ctx.sink is not None
        elapsed = self._clock() - ctx.started if ctx.started else 0.0
        if self.metrics is not None:
            self.metrics.seconds.labels(sink=ctx.sink).observe(max(elapsed, 0.0))
        err = ctx.failure
        if err is None:
            self.delivered[delivered_key(ctx.sink, ctx.key)] = {
                "at": _now_iso(), "attempts": ctx.attempts, "key": ctx.key}
            self.delivered[last_key(ctx.sink, str(alert.get("id", "")))] = summarise(alert)
            log.info("alert_delivered", alert_id=alert.get("id"), sink=ctx.sink, attempts=ctx.attempts,
                     key=ctx.key, seconds=round(elapsed, 3))
            return ctx.evolve(outcome="delivered"), alert
        letter = {"alert": alert, "sink": ctx.sink, "reason": str(err), "status": err.status,
                  "response_body": err.body, "attempts": ctx.attempts, "failed_at": _now_iso()}
        log.error("alert_dead_lettered", alert_id=alert.get("id"), sink=ctx.sink, attempts=ctx.attempts,
                  status=err.status, reason=str(err))
        result = self.on_dead_letter(letter)
        if inspect.isawaitable(result):
            await result
        if self.metrics is not None:
            self.metrics.dlq.labels(sink=ctx.sink).inc()
        return ctx.evolve(outcome="dead_lettered"), alert
