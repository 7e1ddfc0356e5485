"""The notifier contract: one notifier per service, holding only its config and building its payload."""
from __future__ import annotations

from typing import Any, Protocol

from ..types import Alert


class DeliveryError(Exception):
    """A sink did not accept an alert.

    ``retryable``: worth another attempt (5xx, 429, connection errors, timeouts). ``status``: the HTTP
    status, or None when no response came back. ``body``: the response body, truncated and redacted.
    ``retry_after``: seconds the sink asked us to wait (``Retry-After``). The message never contains a
    URL or a secret: callers build it from ``reason`` only.
    """

    def __init__(self, reason: str, *, retryable: bool, status: int | None = None, body: str = "",
                 retry_after: float | None = None) -> None:
        super().__init__(reason if status is None else f"{reason} (HTTP {status})")
        self.reason = reason
        self.retryable = retryable
        self.status = status
        self.body = body
        self.retry_after = retry_after


class CircuitOpenError(DeliveryError):
    """Raised without calling the sink while its circuit breaker is open."""

    def __init__(self, retry_after: float) -> None:
        super().__init__("circuit open", retryable=False, retry_after=retry_after)


class Notifier(Protocol):
    """Sends one alert to one sink; raises ``DeliveryError`` when the sink does not accept it.

    ``previous`` is the summary of the last version of this alert the sink accepted (for "what
    changed" in an ``updated`` message), or None."""

    @property
    def name(self) -> str: ...

    def payload(self, alert: Alert, previous: dict[str, Any] | None = None) -> Any: ...

    async def notify(self, alert: Alert, previous: dict[str, Any] | None = None) -> None: ...
