"""Rate limit per sink: a token bucket in front of every attempt (Slack takes about 1 message/s)."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from ..notifiers.base import DeliveryError
from ..pipeline import Stage
from ..types import Alert, Ctx


class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up. ``acquire`` waits for a token; a sink's
    ``Retry-After`` pushes the next token back (``pause``)."""

    def __init__(self, rate: float, burst: int = 1, *, clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate, self.burst = rate, max(1, burst)
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(self.burst)
        self._updated: float | None = None
        self._lock = asyncio.Lock()

    def _now(self) -> float:
        return self._clock() if self._clock else asyncio.get_running_loop().time()

    def _refill(self) -> None:
        now = self._now()
        if self._updated is not None:
            self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    async def acquire(self) -> None:
        async with self._lock:  # waiters are served in order
            self._refill()
            if self._tokens < 1:
                await self._sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens -= 1

    def pause(self, seconds: float) -> None:
        """Take tokens away so the next acquire waits at least ``seconds``."""
        self._refill()
        self._tokens = min(self._tokens, 1 - seconds * self.rate)


class RateLimitStage:
    def __init__(self, inner: Stage, bucket: TokenBucket | None) -> None:
        self.inner, self.bucket = inner, bucket

    async def exec(self, ctx: Ctx, alert: Alert) -> tuple[Ctx, Alert | None]:
        if self.bucket is None:
            return await self.inner.exec(ctx, alert)
        await self.bucket.acquire()
        try:
            return await self.inner.exec(ctx, alert)
        except DeliveryError as err:
            if err.status == 429 and err.retry_after:
                self.bucket.pause(err.retry_after)
            raise
