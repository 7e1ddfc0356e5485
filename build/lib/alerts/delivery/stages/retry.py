"""Retry: attempt, and on a retryable ``DeliveryError`` wait and attempt again until the deadline.

Waits grow exponentially with jitter (half fixed, half random) up to ``max_delay``; a ``Retry-After``
from the sink is honoured (waited at least that long). When the next wait would end past the deadline,
or the error is final (4xx other than 429, open circuit), the stage gives up and passes the failure on in
``ctx.failure`` for the record stage to dead-letter. Retrying happens here and nowhere else.
"""
from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

import structlog

from ..config import RetryConfig
from ..metrics import DeliveryMetrics
from ..notifiers.base import DeliveryError
from ..pipeline import Stage
from ..types import Alert, Ctx

log = structlog.get_logger(__name__)


def backoff(attempt: int, policy: RetryConfig, rand: Callable[[], float] = random.random) -> float:
    """Wait before attempt ``attempt + 1``: ``d/2 + rand*d/2`` with ``d = initial * multiplier**(attempt-1)``
    capped at ``max_delay``."""
    d = min(policy.max_delay, policy.initial * policy.multiplier ** (attempt - 1))
    return d / 2 + rand() * d / 2


class RetryStage:
    def __init__(self, inner: Stage, policy: RetryConfig, *, metrics: DeliveryMetrics | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 rand: Callable[[], float] = random.random) -> None:
        self.inner, self.policy, self.metrics = inner, policy, metrics
        self._sleep, self._rand = sleep, rand

    async def exec(self, ctx: Ctx, alert: Alert) -> tuple[Ctx, Alert | None]:
        loop = asyncio.get_running_loop()
        deadline = ctx.deadline if ctx.deadline is not None else loop.time() + self.policy.deadline
        attempt = 0
        while True:
            attempt += 1
            try:
                out_ctx, _ = await self.inner.exec(ctx.evolve(attempts=attempt), alert)
            except DeliveryError as err:
                delay = backoff(attempt, self.policy, self._rand)
                if err.retry_after is not None:
                    delay = max(delay, err.retry_after)
                remaining = deadline - loop.time()
                if not err.retryable or delay >= remaining:
                    if err.retryable:
                        log.warning("delivery_deadline_exceeded", alert_id=alert.get("id"), sink=ctx.sink,
                                    attempts=attempt, status=err.status, reason=err.reason,
                                    wanted_delay=round(delay, 3), remaining=round(max(remaining, 0), 3))
                    return ctx.evolve(attempts=attempt, failure=err), alert
                log.info("delivery_retry", alert_id=alert.get("id"), sink=ctx.sink, attempt=attempt,
                         status=err.status, reason=err.reason, delay=round(delay, 3))
                if self.metrics is not None:
                    self.metrics.retries.labels(sink=ctx.sink).inc()
                await self._sleep(delay)
                continue
            return out_ctx.evolve(attempts=attempt, outcome="delivered"), alert
