"""Resolving the date spec of a frame against the article's publication date.

Specs come from ``detectors.nlp.assemble``: ``{"rel": -1}`` (أمس/yesterday), ``{"weekday": 4, "last": False}``
(الجمعة/Friday: the latest such day on or before publication; "last" Friday moves a week back when it is the
publication weekday), ``{"month": 4, "day": 4, "year": 2017}`` (explicit dates, Levantine or Egyptian month
names; a missing year is the latest one not after publication).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

__all__ = ["parse_published", "resolve_date"]


def parse_published(published_at: str | None) -> date | None:
    """RFC 3339 (or a bare date / naive timestamp, read as UTC) → date; None when absent or unreadable."""
    if not published_at:
        return None
    s = published_at.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        try:
            return date.fromisoformat(s[:10])
        except ValueError:
            return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc)
    return dt.date()


def resolve_date(spec: dict | None, pub: date | None) -> date | None:
    if pub is None:
        if spec and spec.get("year") and spec.get("month"):
            try:
                return date(spec["year"], spec["month"], spec.get("day") or 1)
            except ValueError:
                return None
        return None
    if not spec:
        return pub
    if "rel" in spec:
        return pub + timedelta(days=int(spec["rel"]))
    if "weekday" in spec:
        back = (pub.weekday() - int(spec["weekday"])) % 7
        if back == 0 and spec.get("last"):
            back = 7
        return pub - timedelta(days=back)
    if "month" in spec:
        month, day, year = int(spec["month"]), spec.get("day") or 1, spec.get("year")
        if year is None:
            year = pub.year if (month, day) <= (pub.month, pub.day) else pub.year - 1
        try:
            return date(int(year), month, int(day))
        except ValueError:
            return None
    return pub
