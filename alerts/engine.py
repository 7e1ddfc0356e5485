"""The alert engine: events → incidents → rules → Alerts, with state only in two mappings.

`incidents` holds incident dicts by id (detectors.incidents), `book` holds one entry per alert (per rule
and incident): what was last sent, and every article and event id so far. Both are plain dicts offline and
changelogged Faust tables in the stream; values are JSON-able and always reassigned, never mutated in
place. The stream and `newsmon backtest` run this same class.

An alert is sent once as `new`, then as `updated` (same id) only on a material change: more independent
sources among the articles that matched, more killed or injured, or a higher severity; and not sooner than
the rule's `realert` interval after the last one sent.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, MutableMapping

from alerts.build import alert_id, build_alert, rfc3339
from detectors import incidents as inc_mod
from detectors.incidents import FusionSettings, IncidentIndex
from detectors.rules.ruleset import Match, RuleSet
from detectors.scoring import SEVERITY_RANK
from detectors.types import Article, Event


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        ts = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)


class AlertEngine:
    def __init__(self, rules: RuleSet, incidents: MutableMapping[str, dict[str, Any]],
                 book: MutableMapping[str, dict[str, Any]], *, clock: Callable[[], datetime] | None = None,
                 lookback_days: int = 3, fusion: FusionSettings | None = None) -> None:
        self.rules = rules
        self.incidents = incidents
        self.book = book
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.lookback_days = lookback_days
        self.fusion = fusion or FusionSettings()
        self._watermark: str | None = None  # newest event day seen (in memory; rebuilt after a restart)
        self._pruned_for: str | None = None
        self._index: IncidentIndex | None = None  # derived from `incidents`; rebuilt when it may be stale

    def _fresh_index(self) -> IncidentIndex:
        """The candidate index, rebuilt when the mapping's size says someone else changed it (a restart,
        a rebalance that moved partitions) or after pruning."""
        if self._index is None or len(self._index.ids) != len(self.incidents):
            self._index = IncidentIndex.build(self.incidents)
        return self._index

    def set_rules(self, rules: RuleSet) -> None:
        """Hot reload: later events are matched against `rules`; incidents and the book are kept."""
        self.rules = rules

    def process(self, article: Article, events: list[Event], now: datetime | None = None,
                fingerprint: list[int] | None = None) -> list[dict[str, Any]]:
        """Fuse the article's events into their incidents, match the rules (each event against its incident
        as it stands once the whole article is in), and return the Alerts to send. `fingerprint` is the
        article text's `incidents.fingerprint` when the caller already has it (the worker computes it
        beside extraction)."""
        now = now or self.clock()
        if not events:
            fp: list[int] = []
        else:
            fp = fingerprint if fingerprint else inc_mod.fingerprint(article.text)
        best: dict[str, tuple[Match, Event, str]] = {}
        fired_events: dict[str, list[Event]] = {}
        # the whole article at once: its events at one place join the incident its strongest event joins
        placed = inc_mod.fuse_article(self.incidents, article, events, fp, self.fusion, self._fresh_index())
        for event, (incident, _why) in zip(events, placed):
            day = inc_mod.event_day(event, article)
            if self._watermark is None or day > self._watermark:
                self._watermark = day
            for m in self.rules.match(event, incident, article_text=article.text):
                aid = alert_id(m.rule_id, incident["id"])
                fired_events.setdefault(aid, []).append(event)
                old = best.get(aid)
                if old is None or (SEVERITY_RANK[m.severity], m.score) > (SEVERITY_RANK[old[0].severity],
                                                                           old[0].score):
                    best[aid] = (m, event, incident["id"])
        out = []
        for aid, (m, event, inc_id) in best.items():
            alert = self._book(aid, m, event, self.incidents[inc_id], article, fired_events[aid], now)
            if alert is not None:
                out.append(alert)
        self._maybe_prune()
        return out

    def _book(self, aid: str, m: Match, event: Event, incident: dict[str, Any], article: Article,
              events: list[Event], now: datetime) -> dict[str, Any] | None:
        stamp = rfc3339(now)
        prev = self.book.get(aid)
        entry: dict[str, Any] = dict(prev) if prev else {
            "id": aid, "rule_id": m.rule_id, "incident_id": incident["id"], "first_seen": stamp,
            "article_ids": [], "event_ids": [], "sent": None, "last_sent": None,
        }
        entry["article_ids"] = list(entry["article_ids"])
        entry["event_ids"] = list(entry["event_ids"])
        if article.id not in entry["article_ids"]:
            entry["article_ids"].append(article.id)
        for ev in events:
            if ev.id not in entry["event_ids"]:
                entry["event_ids"].append(ev.id)
        # the alert's toll: the highest any matching report gave (not the whole incident's)
        entry["killed"] = _num(entry.get("killed"), *(ev.killed for ev in events))
        entry["injured"] = _num(entry.get("injured"), *(ev.injured for ev in events))
        entry["last_seen"] = stamp
        entry["day"] = inc_mod.last_day(incident)
        sources = inc_mod.groups_of(incident, entry["article_ids"]) or 1
        state = {"sources": sources, "killed": entry["killed"], "injured": entry["injured"],
                 "severity": SEVERITY_RANK[m.severity]}
        sent = entry.get("sent")
        status: str | None = None
        if sent is None:
            status = "new"
        elif any(state[k] > (sent.get(k) or 0) for k in state):
            last = parse_time(entry.get("last_sent"))
            if last is None or (now - last).total_seconds() >= m.rule.realert_s:
                status = "updated"
        if status is not None:
            entry["sent"] = {k: max(state[k], (sent or {}).get(k) or 0) for k in state}
            entry["last_sent"] = stamp
        self.book[aid] = entry
        if status is None:
            return None
        return build_alert(m, event=event, incident=incident, article=article, status=status, entry=entry,
                           sources=sources)

    def _maybe_prune(self) -> None:
        """Lazily forget incidents (and their alerts' book entries) older than the lookback, once per day
        of event time."""
        if self._watermark is None or self._watermark == self._pruned_for:
            return
        self._pruned_for = self._watermark
        cutoff = (date.fromisoformat(self._watermark) - timedelta(days=self.lookback_days)).isoformat()
        gone = set(inc_mod.prune(self.incidents, cutoff))
        if gone:
            self._index = None
        for key, entry in list(self.book.items()):
            if entry.get("incident_id") in gone or str(entry.get("day") or "") < cutoff:
                del self.book[key]


def _num(*values: Any) -> int:
    nums = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    return max(nums) if nums else 0
