"""Raw bytes → a checked `Article` (CONTRACT §2), or a rejection with a reason a person can act on.

The stream sends a rejected message to `articles.dlq` with this reason and the original bytes; the offline
commands print it with the line number.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any, Callable

from detectors.types import Article

DEFAULT_MAX_BYTES = 1_000_000  # a news article is a few KB; anything near a MB is a dump or an attack


class ArticleRejected(ValueError):
    """A message that cannot become an Article. `reason` is a short label (a metric label value)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def _detect_language(text: str) -> str:
    from detectors.language import detect_language  # imported lazily: the language model loads on first use

    return detect_language(text)


def decode_article(
    raw: bytes | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    detect_language: Callable[[str], str] = _detect_language,
) -> Article:
    """Decode one message; raises ArticleRejected with reason too_large | bad_encoding | bad_json |
    not_an_object | bad_field | empty."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    if len(data) > max_bytes:
        raise ArticleRejected("too_large", f"{len(data)} bytes, limit {max_bytes}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleRejected("bad_encoding", f"not UTF-8 at byte {exc.start}") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleRejected("bad_json", f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(obj, dict):
        raise ArticleRejected("not_an_object", f"expected a JSON object, got {type(obj).__name__}")
    return article_from_obj(obj, now=now, detect_language=detect_language)


def article_from_obj(
    obj: dict[str, Any],
    *,
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    detect_language: Callable[[str], str] = _detect_language,
) -> Article:
    for key in ("id", "url", "source", "lang", "title", "body", "published_at"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise ArticleRejected("bad_field", f"'{key}' must be a string, got {type(value).__name__}")
    labels = obj.get("labels")
    if labels is not None and not isinstance(labels, dict):
        raise ArticleRejected("bad_field", "'labels' must be an object")
    title = (obj.get("title") or "").strip()
    body = (obj.get("body") or "").strip()
    if not title and not body:
        raise ArticleRejected("empty", "both title and body are empty or missing")

    url = obj.get("url") or None
    article_id = obj.get("id") or (
        "url-" + hashlib.sha1(url.encode()).hexdigest()[:16] if url
        else "sha-" + hashlib.sha1(f"{title}\n{body}".encode()).hexdigest()[:16]
    )
    published = obj.get("published_at")
    published_at = normalise_timestamp(published) if published else None
    if published and published_at is None:
        raise ArticleRejected("bad_field", f"'published_at' is not an RFC 3339 time: {published[:40]!r}")
    article = Article(
        id=article_id, title=title, body=body, lang=(obj.get("lang") or "").lower() or None,
        source=obj.get("source") or None, url=url,
        published_at=published_at or now().isoformat(timespec="seconds").replace("+00:00", "Z"),
        labels=labels,
    )
    if not article.lang:
        article.lang = detect_language(article.text)
    return article


def normalise_timestamp(value: str) -> str | None:
    """RFC 3339 (or the corpora's zone-less ISO form, read as UTC) → 'YYYY-MM-DDTHH:MM:SSZ'-style string."""
    try:
        ts = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=timezone.utc)
    return ts.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
