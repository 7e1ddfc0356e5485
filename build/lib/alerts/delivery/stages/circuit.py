"""Circuit breaker per sink: after N consecutive failed attempts stop calling the sink for a while, so a
dead sink fails fast (its alerts are dead-lettered for replay) instead of holding up the others.

Only failures that say the sink is unwell count: no response (connection error, timeout) and 5xx.
A 4xx (our payload) or 429 (pacing) does not open the circuit. After ``reset_after`` seconds one trial
attempt is let through (half-open); its success closes the circuit, its failure re-opens it.
"""
from __future__ import annotations

import time
from collections.abc import Callable

import structlog

from ..notifiers.base import CircuitOpenError, DeliveryError
from ..pipeline import Stage
from ..types import Alert, Ctx

log = structlog.get_logger(__name__)


class CircuitBreaker:
    def __init__(self, sink: str, *, failures: int = 5, reset_after: float = 30.0,
                 clock: Callable[[], float] = time.monotonic,
                 on_change: Callable[[str, str], None] | None = None) -> None:
        self.sink, self.threshold, self.reset_after = sink, max(1, failures), reset_after
        self._clock, self._on_change = clock, on_change
        self.state = "closed"
        self._failures = 0
        self._opened_at = 0.0
        self._trial = False
        if on_change:
            on_change(sink, "closed")

    def _set(self, state: str) -> None:
        if state != self.state:
            log.warning("circuit_state_changed", sink=self.sink, old=self.state, new=state,
                        failures=self._failures)
            self.state = state
            if self._on_change:
                self._on_change(self.sink, state)

    def before(self) -> None:
        """Raise ``CircuitOpenError`` unless an attempt may go out now."""
        if self.state == "open":
            waited = self._clock() - self._opened_at
            if waited < self.reset_after:
                raise CircuitOpenError(self.reset_after - waited)
            self._set("half_open")
        if self.state == "half_open":
            if self._trial:
                raise CircuitOpenError(self.reset_after)
            self._trial = True

    def release(self) -> None:
        """An attempt ended without a verdict (cancelled): let the next trial through."""
        self._trial = False

    def success(self) -> None:
        self._failures, self._trial = 0, False
        self._set("closed")

    def failure(self, err: DeliveryError) -> None:
        self._trial = False
        unwell = err.status is None or err.status >= 500
        if not unwell:
            if self.state == "half_open":
                self._set("closed")  # the sink answered: it is alive
            return
        self._failures += 1
        if self.state == "half_open" or self._failures >= self.threshold:
            self._opened_at = self._clock()
            self._set("open")


class CircuitStage:
    def __init__(self, inner: Stage, breaker: CircuitBreaker) -> None:
        self.inner, self.breaker = inner, breaker

    async def exec(self, ctx: Ctx, alert: Alert) -> tuple[Ctx, Alert | None]:
        self.breaker.before()
        try:
            out = await self.inner.exec(ctx, alert)
        except CircuitOpenError:
            raise
        except DeliveryError as err:
            self.breaker.failure(err)
            if err.retryable and self.breaker.state == "open":  # stop retrying a sink just declared dead
                raise DeliveryError(f"{err.reason}; circuit opened", retryable=False, status=err.status,
                                    body=err.body) from None
            raise
        except BaseException:
            self.breaker.release()
            raise
        self.breaker.success()
        return out
