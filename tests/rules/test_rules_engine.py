"""AlertEngine: new → updated only on material change, stable ids, state only in the two mappings."""
from __future__ import annotations

import hashlib
import json
from typing import Any
from datetime import datetime, timedelta, timezone

import pytest

from alerts.engine import AlertEngine
from detectors.rules import load_rules, load_sources

from rulekit import DAMASCUS, GOLAN, GOLAN_AR, REPO, JsonTable, make_article, make_event

T0 = datetime(2017, 7, 1, 8, 0, tzinfo=timezone.utc)
ALERT_KEYS = {"id", "rule_id", "title", "severity", "status", "score", "score_breakdown", "incident_id",
              "article_ids", "event_ids", "sources", "first_seen", "last_seen", "summary", "explanation", "event"}


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return load_rules(REPO / "rules")


def golan(article_id: str, n: int = 1, **kw: Any):  # type: ignore[no-untyped-def]
    return make_event(f"{article_id}:{n}", article_id=article_id, **kw)


class TestLifecycle:
    def test_new_then_updated_on_more_sources(self, rules) -> None:  # type: ignore[no-untyped-def]
        """First report: new. Second outlet: updated, same id, both articles, two sources."""
        eng = AlertEngine(rules, {}, {})
        (a1,) = eng.process(make_article("a1", lang="ar", source="SANA", body="قذيفة على الجولان"),
                            [golan("a1", lang="ar", locations=[GOLAN_AR])], now=T0)
        assert a1["status"] == "new" and ALERT_KEYS <= set(a1)
        assert a1["id"] == hashlib.sha1(f"golan-cross-border-strike\x00{a1['incident_id']}".encode()).hexdigest()[:16]
        assert a1["lang"] == "ar" and a1["title"] == "هجوم عبر خط الجولان" and "الجولان" in a1["summary"]
        (a2,) = eng.process(make_article("a2", source="Reuters", body="Mortar hits the Golan, army responds."),
                            [golan("a2")], now=T0 + timedelta(hours=1))
        assert (a2["status"], a2["id"], a2["article_ids"]) == ("updated", a1["id"], ["a1", "a2"])
        assert a2["sources"] == ["SANA", "Reuters"] and a2["score_breakdown"]["sources"] == 2
        assert a2["first_seen"] == "2017-07-01T08:00:00Z" and a2["last_seen"] == "2017-07-01T09:00:00Z"
        assert a2["event"]["id"] == "a2:1" and "Golan" in a2["summary"]

    def test_no_update_without_material_change(self, rules) -> None:  # type: ignore[no-untyped-def]
        """A second story from the same outlet, or a lower toll, sends nothing; a higher toll does."""
        eng = AlertEngine(rules, {}, {})
        assert eng.process(make_article("a1"), [golan("a1", killed=2)], now=T0)[0]["status"] == "new"
        assert eng.process(make_article("a2", body="Another AFP story."), [golan("a2", killed=1)], now=T0) == []
        (up,) = eng.process(make_article("a3", body="AFP: toll rises."), [golan("a3", killed=3)], now=T0)
        assert up["status"] == "updated" and up["article_ids"] == ["a1", "a2", "a3"]
        assert "3 killed" in up["summary"]

    def test_higher_severity_is_material(self, rules) -> None:  # type: ignore[no-untyped-def]
        """The flagship rule escalates to critical once someone is killed: that is an update."""
        eng = AlertEngine(rules, {}, {})
        (a,) = eng.process(make_article("a1"), [golan("a1")], now=T0)
        (b,) = eng.process(make_article("a2", body="AFP update"), [golan("a2", killed=1)], now=T0)
        assert (a["severity"], b["severity"], b["status"]) == ("high", "critical", "updated")

    def test_two_events_of_one_article_make_one_alert(self, rules) -> None:  # type: ignore[no-untyped-def]
        """The rocket and the strike answering it in one article give one alert carrying both events."""
        eng = AlertEngine(rules, {}, {})
        alerts = eng.process(make_article("a1"), [
            golan("a1", 1), golan("a1", 2, type="air_drone_strike", origin="ISR", impact="SYR",
                                  trigger="struck", sentence="Israeli aircraft struck the Syrian position.")],
            now=T0)
        assert len(alerts) == 1 and alerts[0]["event_ids"] == ["a1:1", "a1:2"]

    def test_non_matching_events_raise_nothing(self, rules) -> None:  # type: ignore[no-untyped-def]
        """Damascus strikes, denials, background and threats are not Golan alerts."""
        eng = AlertEngine(rules, {}, {})
        evs = [golan("a1", 1, locations=[DAMASCUS], origin="ISR", impact="SYR"),
               golan("a1", 2, polarity="negated"), golan("a1", 3, background=True),
               golan("a1", 4, type="threaten"), golan("a1", 5, origin="LBN")]
        assert [a["rule_id"] for a in eng.process(make_article("a1"), evs, now=T0)] == ["strikes-on-damascus"]

    def test_realert_interval_holds_updates(self) -> None:
        """With realert 1h, a material change 10 minutes later waits; one 2 hours later is sent."""
        rs = load_sources([("t.yaml", "- rule: r\n  condition: {region: golan_heights}\n  threshold: 0\n"
                                      "  realert: 1h\n")])
        eng = AlertEngine(rs, {}, {})
        eng.process(make_article("a1", source="A"), [golan("a1")], now=T0)
        assert eng.process(make_article("a2", source="B", body="b"), [golan("a2")],
                           now=T0 + timedelta(minutes=10)) == []
        (up,) = eng.process(make_article("a3", source="C", body="c"), [golan("a3")], now=T0 + timedelta(hours=2))
        assert up["status"] == "updated" and up["article_ids"] == ["a1", "a2", "a3"]

    def test_set_rules_hot_reload(self, rules) -> None:  # type: ignore[no-untyped-def]
        """After set_rules, later events are matched against the new rules."""
        eng = AlertEngine(rules, {}, {})
        other = load_sources([("t.yaml", "- rule: dmz\n  condition: {location: Damascus}\n  threshold: 0\n")])
        eng.set_rules(other)
        (a,) = eng.process(make_article("a1"), [golan("a1", locations=[DAMASCUS])], now=T0)
        assert a["rule_id"] == "dmz"


class TestState:
    def test_state_round_trips_through_json(self, rules) -> None:  # type: ignore[no-untyped-def]
        """A restarted worker given the JSON of both mappings remembers incidents and sent alerts."""
        inc, book = JsonTable(), JsonTable()
        first = AlertEngine(rules, inc, book).process(make_article("a1", source="SANA"), [golan("a1")], now=T0)
        inc2, book2 = JsonTable(json.loads(json.dumps(inc.data))), JsonTable(json.loads(json.dumps(book.data)))
        again = AlertEngine(rules, inc2, book2)
        assert again.process(make_article("a1", source="SANA"), [golan("a1")], now=T0) == []  # redelivery
        (up,) = again.process(make_article("a2", source="BBC", body="x"), [golan("a2")], now=T0)
        assert (up["status"], up["id"], up["article_ids"]) == ("updated", first[0]["id"], ["a1", "a2"])

    def test_old_incidents_expire(self, rules) -> None:  # type: ignore[no-untyped-def]
        """Events four days later prune the old incident and its book entry; a late report of the old
        day then starts afresh."""
        inc: dict[str, Any] = {}
        book: dict[str, Any] = {}
        eng = AlertEngine(rules, inc, book, lookback_days=3)
        eng.process(make_article("a1"), [golan("a1", date="2017-06-30")], now=T0)
        assert len(inc) == 1 and len(book) == 1
        eng.process(make_article("a2", body="later"), [golan("a2", date="2017-07-04")], now=T0)
        assert len(inc) == 1 and len(book) == 1
        assert next(iter(inc.values()))["day_max"] == "2017-07-04"
