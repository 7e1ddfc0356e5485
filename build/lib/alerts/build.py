"""Matches → contract Alert dicts (CONTRACT §4). One factory, used by the engine (stream and backtest)."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any, Mapping

from detectors.rules.ruleset import Match
from detectors.types import Article, Event


def alert_id(rule_id: str, incident_id: str) -> str:
    """Stable for one rule and one incident."""
    return hashlib.sha1(f"{rule_id}\x00{incident_id}".encode()).hexdigest()[:16]


def rfc3339(ts: datetime) -> str:
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=timezone.utc)
    return ts.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class _Missing(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def summary_text(match: Match, event: Event, incident: Mapping[str, Any], lang: str | None,
                 sources: int, killed: int | None = None, injured: int | None = None) -> str:
    """The rule's summary template, in the article's language, filled from the event and incident."""
    rule = match.rule
    named = [loc for loc in event.locations if loc.name]
    place = next((loc.name for loc in named if loc.regions), None) or next((loc.name for loc in named), None) \
        or event.impact_country or "—"
    killed = max([v for v in (event.killed, killed) if isinstance(v, int)], default=None)
    injured = max([v for v in (event.injured, injured) if isinstance(v, int)], default=None)
    if lang == "ar":
        parts = ([f"قتلى: {killed}"] if killed else []) + ([f"جرحى: {injured}"] if injured else [])
        casualties = ("، " + "، ".join(parts)) if parts else ""
    else:
        parts = ([f"{killed} killed"] if killed else []) + ([f"{injured} injured"] if injured else [])
        casualties = ("; " + ", ".join(parts)) if parts else ""
    values = _Missing(title=rule.title_for(lang), trigger=event.trigger.text, type=event.type, place=place,
                      date=event.date or incident.get("day_max") or "?", sources=sources,
                      killed=killed if killed is not None else "?",
                      injured=injured if injured is not None else "?", sentence=event.sentence,
                      casualties=casualties)
    return rule.summary_for(lang).format_map(values)


def build_alert(match: Match, *, event: Event, incident: Mapping[str, Any], article: Article,
                status: str, entry: Mapping[str, Any], sources: int) -> dict[str, Any]:
    """An Alert dict from a match, the event that made it, its incident and the alert's book entry
    (which holds first/last seen and every article and event id so far)."""
    arts = incident.get("articles") or {}
    outlets: list[str] = []
    urls: list[str] = []
    for aid in entry["article_ids"]:
        meta = arts.get(aid) or {}
        name = meta.get("source") or meta.get("outlet")
        if name and name not in outlets:
            outlets.append(name)
        if meta.get("url") and meta["url"] not in urls:
            urls.append(meta["url"])
    return {
        "id": entry["id"],
        "rule_id": match.rule_id,
        "title": match.rule.title_for(article.lang),
        "severity": match.severity,
        "status": status,
        "score": match.score,
        "score_breakdown": dict(match.score_breakdown),
        "incident_id": incident["id"],
        "article_ids": list(entry["article_ids"]),
        "event_ids": list(entry["event_ids"]),
        "sources": outlets,
        "urls": urls,
        "first_seen": entry["first_seen"],
        "last_seen": entry["last_seen"],
        "summary": summary_text(match, event, incident, article.lang, sources, entry.get("killed") or None,
                                entry.get("injured") or None),
        "explanation": list(match.explanation),
        "routes": list(match.routes),
        "lang": article.lang,
        "event": event.to_dict(),
    }
