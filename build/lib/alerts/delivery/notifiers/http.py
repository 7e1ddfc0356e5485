"""The one HTTP path every notifier uses: build the client, POST, classify the answer, redact.

Retrying is not done here (the transport is built with ``retries=0``): it lives once, in the retry
stage, so attempts never multiply across layers.
"""
from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from ..config import SinkConfig
from .base import DeliveryError

REDACTED = "<redacted>"
MAX_BODY = 1024  # characters of a response body kept in errors and dead letters
DEFAULT_RETRY_CODES = frozenset({429})  # 4xx codes retried on top of every 5xx


def make_client(transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The shared client: explicit timeouts, no redirects, no transport-level retries."""
    return httpx.AsyncClient(
        transport=transport or httpx.AsyncHTTPTransport(retries=0),
        timeout=httpx.Timeout(10.0, connect=5.0), follow_redirects=False,
        headers={"User-Agent": "newsmon-delivery/0.1"})


def redact_url(url: str) -> str:
    """Scheme, host and port only: webhook tokens live in the path and query."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return REDACTED
    tail = f"/{REDACTED}" if (parts.path.strip("/") or parts.query) else ""
    return f"{parts.scheme}://{host}{port}{tail}"


def secret_fragments(secrets: Iterable[str]) -> list[str]:
    """The substrings to scrub: each secret, and each path segment and query value of secret URLs."""
    out: set[str] = set()
    for s in secrets:
        if not s:
            continue
        out.add(s)
        if s.startswith(("http://", "https://")):
            try:
                parts = urlsplit(s)
            except ValueError:
                continue
            if parts.path.strip("/"):
                out.add(parts.path)
            out.update(seg for seg in parts.path.split("/") if len(seg) >= 6)
            out.update(v for _, v in parse_qsl(parts.query) if len(v) >= 6)
    return sorted(out, key=len, reverse=True)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret fragment replaced by ``<redacted>``."""
    for frag in secret_fragments(secrets):
        text = text.replace(frag, REDACTED)
    return text


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def classify_status(status: int, body: str = "", *, retry_after: float | None = None,
                    retry_codes: frozenset[int] = DEFAULT_RETRY_CODES) -> DeliveryError | None:
    """None for 2xx; otherwise the error to raise: 5xx and ``retry_codes`` retryable, the rest final."""
    if 200 <= status < 300:
        return None
    retryable = status >= 500 or status in retry_codes
    reason = "server error" if status >= 500 else "rate limited" if status == 429 else "rejected"
    if 300 <= status < 400:
        reason = "unexpected redirect"
    return DeliveryError(reason, retryable=retryable, status=status, body=body[:MAX_BODY],
                         retry_after=retry_after if retryable else None)


async def post(client: httpx.AsyncClient, url: str, content: bytes, *, headers: Mapping[str, str],
               timeout: float, secrets: Iterable[str] = ()) -> httpx.Response:
    """POST ``content``; return the 2xx response or raise a redacted ``DeliveryError``."""
    secrets = list(secrets) + [url]
    try:
        resp = await client.post(url, content=content, headers=dict(headers), timeout=timeout)
    except httpx.TimeoutException as exc:
        raise DeliveryError(f"timeout ({type(exc).__name__})", retryable=True) from None
    except httpx.UnsupportedProtocol:
        raise DeliveryError("unsupported URL scheme", retryable=False) from None
    except httpx.TransportError as exc:
        raise DeliveryError(f"connection error ({type(exc).__name__})", retryable=True) from None
    except httpx.InvalidURL:
        raise DeliveryError("invalid URL", retryable=False) from None
    error = classify_status(resp.status_code, scrub(resp.text, secrets),
                            retry_after=parse_retry_after(resp.headers.get("Retry-After")))
    if error is not None:
        raise error
    return resp


def dumps(payload: Any) -> bytes:
    """Compact UTF-8 JSON (the exact bytes that are signed and sent)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def post_json(client: httpx.AsyncClient, sink: SinkConfig, payload: Any, *,
                    url: str | None = None, headers: Mapping[str, str] | None = None) -> httpx.Response:
    """POST a JSON payload to a sink with its timeout and secrets."""
    return await post(client, url or sink.url, dumps(payload),
                      headers={"Content-Type": "application/json", **(headers or {})},
                      timeout=sink.timeout, secrets=sink.secrets)


@dataclass(frozen=True)
class JsonPostNotifier:
    """What every chat/JSON notifier shares: its config, the one client, and one POST of its payload.
    Subclasses only build the payload (and, where the service needs it, the endpoint)."""

    config: SinkConfig
    client: httpx.AsyncClient

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def endpoint(self) -> str:
        return self.config.url

    def payload(self, alert: dict[str, Any], previous: dict[str, Any] | None = None) -> Any:
        raise NotImplementedError

    def options(self, *keys: str) -> dict[str, Any]:
        """The service's optional display fields (channel, username, …) that the sink config sets."""
        return {k: self.config.options[k] for k in keys if k in self.config.options}

    async def notify(self, alert: dict[str, Any], previous: dict[str, Any] | None = None) -> None:
        await post_json(self.client, self.config, self.payload(alert, previous), url=self.endpoint)
