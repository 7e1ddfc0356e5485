"""The generic JSON webhook: the contract Alert as the body, HMAC-signed, with an idempotency key.

Headers: ``X-Newsmon-Timestamp`` (unix seconds), ``X-Newsmon-Signature: sha256=<hex>`` where the hex is
HMAC-SHA256(secret, timestamp + "." + body) (only when a secret is configured), and
``Idempotency-Key`` (``types.delivery_key``: stable for one alert version).
"""
from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..config import SinkConfig
from ..types import Alert, delivery_key
from .http import dumps, post

TIMESTAMP_HEADER = "X-Newsmon-Timestamp"
SIGNATURE_HEADER = "X-Newsmon-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` over ``timestamp + "." + body``."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str | None, signature: str | None, body: bytes, *,
           tolerance: float = 300.0, now: float | None = None) -> bool:
    """True when the signature matches and the timestamp is within ``tolerance`` seconds."""
    if not timestamp or not signature:
        return False
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(sign(secret, timestamp, body), signature)


@dataclass(frozen=True)
class WebhookNotifier:
    config: SinkConfig
    client: httpx.AsyncClient
    clock: Callable[[], float] = field(default=time.time, repr=False)

    @property
    def name(self) -> str:
        return self.config.name

    def payload(self, alert: Alert, previous: dict[str, Any] | None = None) -> Alert:
        return alert

    def headers(self, alert: Alert, body: bytes) -> dict[str, str]:
        ts = str(int(self.clock()))
        out = {"Content-Type": "application/json", TIMESTAMP_HEADER: ts, IDEMPOTENCY_HEADER: delivery_key(alert)}
        if self.config.secret:
            out[SIGNATURE_HEADER] = sign(self.config.secret, ts, body)
        return out

    async def notify(self, alert: Alert, previous: dict[str, Any] | None = None) -> None:
        body = dumps(self.payload(alert, previous))
        await post(self.client, self.config.url, body, headers=self.headers(alert, body),
                   timeout=self.config.timeout, secrets=self.config.secrets)
