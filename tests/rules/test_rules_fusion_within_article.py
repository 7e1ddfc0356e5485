"""Fusion within one article: its events at one place are one incident despite noisy dates; background
events, far-apart places, explicit far dates and other articles on other days stay apart. Hand-built Events
stand in for the extractor."""
from __future__ import annotations

import json
from typing import Any, MutableMapping

import pytest

from alerts.engine import AlertEngine
from detectors.incidents import IncidentIndex, fingerprint, fuse_article
from detectors.rules import load_rules

from rulekit import ALEPPO, DAMASCUS, GOLAN, QUNEITRA, REPO, JsonTable, make_article, make_event

KHAN_SHAYKHUN = dict(name="خان شيخون", country="SYR", lat=35.44, lon=36.65, regions=[])


def _article(events, store: MutableMapping[str, Any], article=None, index=None):  # type: ignore[no-untyped-def]
    article = article or make_article(events[0].article_id)
    return fuse_article(store, article, events, fingerprint(article.text), index=index)


def _ev(id: str, article_id: str = "a", **kw: Any):  # type: ignore[no-untyped-def]
    return make_event(f"{article_id}:{id}", article_id=article_id, **kw)


class TestWithinArticle:
    def test_same_place_different_dates_are_one_incident(self) -> None:
        """"On Monday" resolved a week back (6 days) against an undated sentence: one incident, one id."""
        store: dict[str, Any] = {}
        placed = _article([_ev("1", date="2010-02-14", confidence=0.9),
                           _ev("2", date="2010-02-08", type="air_drone_strike", origin="ISR", impact="SYR",
                               locations=[QUNEITRA]),
                           _ev("3", date="2010-02-10", locations=[GOLAN])], store)
        assert len(store) == 1 and len({inc["id"] for inc, _ in placed}) == 1
        inc = next(iter(store.values()))
        assert sorted(inc["event_ids"]) == ["a:1", "a:2", "a:3"]
        # the strongest event's day; the noisy dates do not stretch the incident's window
        assert (inc["day_min"], inc["day_max"]) == ("2010-02-14", "2010-02-14")

    def test_placeless_chemical_reports_join_their_place(self) -> None:
        """The seed's Khan Shaykhun story: reports dated a day apart, some without a place, are one incident."""
        store: dict[str, Any] = {}
        kw = dict(type="chemical_weapon", origin=None, impact="SYR", cross_border=False)
        _article([_ev("1", date="2017-07-01", locations=[KHAN_SHAYKHUN], confidence=0.7, **kw),
                  _ev("2", date="2017-06-30", locations=[KHAN_SHAYKHUN], confidence=0.75, **kw),
                  _ev("3", date="2017-07-01", locations=[], confidence=0.85, **kw),
                  _ev("4", date="2017-06-26", locations=[KHAN_SHAYKHUN], **kw)], store)
        assert len(store) == 1

    def test_background_event_is_not_fused(self) -> None:
        """A recalled strike at the same place, even dated the same day, is not the article's news."""
        store: dict[str, Any] = {}
        placed = _article([_ev("1"), _ev("2", background=True)], store)
        assert len(store) == 2 and placed[0][0]["id"] != placed[1][0]["id"]
        bg = placed[1][0]
        assert bg["event_ids"] == ["a:2"]

    def test_explicit_dates_more_than_a_week_apart_are_separate(self) -> None:
        """"In April" against a strike in May (35 days): another incident, even at the same place."""
        store: dict[str, Any] = {}
        _article([_ev("1", date="2017-05-05"), _ev("2", date="2017-04-01", type="disrupted_weapons_use")], store)
        assert len(store) == 2

    def test_different_places_far_apart_are_separate(self) -> None:
        """The Golan and Damascus (60 km) or Aleppo in one article, on one day, are different incidents."""
        store: dict[str, Any] = {}
        placed = _article([_ev("1"),
                           _ev("2", type="air_drone_strike", origin="ISR", impact="SYR", locations=[DAMASCUS]),
                           _ev("3", type="armed_clash", origin=None, impact="SYR", locations=[ALEPPO])], store)
        assert len(store) == 3 and len({inc["id"] for inc, _ in placed}) == 3

    def test_other_articles_on_other_days_stay_apart(self) -> None:
        """Another article at the same place four days later is another incident; and an article's dates
        six days apart do not open the days between them to a third article, nor the day next to its loose
        date to a fourth (only a report dated that very day corroborates it)."""
        store: dict[str, Any] = {}
        _article([_ev("1", date="2017-06-30", confidence=0.9), _ev("2", date="2017-06-24")], store)
        _article([_ev("1", "b", date="2017-07-04")], store, make_article("b", source="BBC", body="other text"))
        _article([_ev("1", "c", date="2017-06-27")], store, make_article("c", source="SANA", body="third text"))
        _article([_ev("1", "d", date="2017-06-23")], store, make_article("d", source="AP", body="fourth text"))
        assert len(store) == 4

    def test_article_joins_the_incident_its_corroborated_event_matches(self) -> None:
        """A second report whose strongest event is dated a week off (a weekday word resolved to the wrong
        week) still joins the first report's incident through its event dated like it — all of it."""
        store: dict[str, Any] = {}
        _article([_ev("1", "x", date="2018-05-09")], store, make_article("x", source="Fox", body="first"))
        placed = _article([_ev("1", "y", date="2018-05-03", type="disrupted_weapons_use", confidence=0.95),
                           _ev("2", "y", date="2018-05-09", confidence=0.6)], store,
                          make_article("y", source="Times of Israel", body="second"))
        assert len(store) == 1 and {inc["id"] for inc, _ in placed} == set(store)
        assert next(iter(store.values()))["sources"] == 2

    def test_either_order_gives_one_incident(self) -> None:
        """The same two reports the other way round (the stream does not keep the order of articles
        published together): the first report's noisy date heads its incident, and the second, dated like
        its other event, still joins."""
        store: dict[str, Any] = {}
        _article([_ev("1", "y", date="2018-05-03", type="disrupted_weapons_use", confidence=0.95),
                  _ev("2", "y", date="2018-05-09", confidence=0.6)], store,
                 make_article("y", source="Times of Israel", body="second"))
        inc = next(iter(store.values()))
        assert (inc["day_min"], inc["day_max"], inc["days"]) == ("2018-05-03", "2018-05-03",
                                                                  ["2018-05-03", "2018-05-09"])
        _article([_ev("1", "x", date="2018-05-09")], store, make_article("x", source="Fox", body="first"))
        assert len(store) == 1 and next(iter(store.values()))["sources"] == 2

    def test_own_article_comes_before_another_articles_incident(self) -> None:
        """Events fused one at a time: an event of an article already in the store joins that article's
        incident (by region, five days off) rather than another article's (same place name, same day)."""
        store: dict[str, Any] = {}
        _article([_ev("1", "x", date="2017-06-30")], store, make_article("x", source="Fox", body="first"))
        (own, _), = _article([_ev("1", date="2017-06-25", locations=[QUNEITRA])], store)
        (got, why), = _article([_ev("2", date="2017-06-30")], store)
        assert got["id"] == own["id"] and why == "region golan_heights" and len(store) == 2

    def test_refusing_an_article_is_idempotent(self) -> None:
        """A redelivered article changes nothing."""
        store: dict[str, Any] = {}
        evs = [_ev("1"), _ev("2", date="2017-06-25"), _ev("3", background=True)]
        _article(evs, store)
        before = json.dumps(store, sort_keys=True)
        placed = _article(evs, store)
        assert json.dumps(store, sort_keys=True) == before
        assert all(why == "already fused" for _, why in placed)

    def test_values_are_reassigned_and_json_able(self) -> None:
        """Through a JSON-backed table (a changelogged one's semantics), with the index, the result is the
        same as with a plain dict."""
        arts = [[_ev("1"), _ev("2", date="2017-06-25"), _ev("3", background=True), _ev("4", locations=[])],
                [_ev("1", "b", date="2017-07-01"), _ev("2", "b", locations=[DAMASCUS], origin="ISR", impact="SYR")]]
        plain: dict[str, Any] = {}
        table = JsonTable()
        index = IncidentIndex()
        for evs in arts:
            art = make_article(evs[0].article_id, source=evs[0].article_id, body=f"text {evs[0].article_id}")
            _article(evs, plain, art)
            _article(evs, table, art, index=index)
        assert {k: table[k] for k in table} == plain and len(plain) == 3


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return load_rules(REPO / "rules")


class TestOneAlertPerIncident:
    def test_noisy_dates_in_one_article_raise_one_alert(self, rules) -> None:  # type: ignore[no-untyped-def]
        """The golan rule fires once for an article whose Golan events carry dates six days apart."""
        eng = AlertEngine(rules, {}, {})
        out = eng.process(make_article("a", published_at="2010-02-14T12:00:00Z"),
                          [_ev("1", date="2010-02-14"),
                           _ev("2", date="2010-02-08", type="air_drone_strike", origin="ISR", impact="SYR",
                               locations=[QUNEITRA], trigger="strike", sentence="An Israeli strike hit Quneitra.")])
        golan = [a for a in out if a["rule_id"] == "golan-cross-border-strike"]
        assert len(golan) == 1 and sorted(golan[0]["event_ids"]) == ["a:1", "a:2"]

    def test_second_report_updates_the_alert(self, rules) -> None:  # type: ignore[no-untyped-def]
        """A second outlet's report of the same day and place: the same alert id, status updated."""
        eng = AlertEngine(rules, {}, {})
        (first,) = eng.process(make_article("x", source="Fox", body="first"), [_ev("1", "x")])
        second = eng.process(make_article("y", source="Times of Israel", body="second"),
                             [_ev("1", "y", date="2017-06-24", type="disrupted_weapons_use", confidence=0.95),
                              _ev("2", "y")])
        golan = [a for a in second if a["rule_id"] == "golan-cross-border-strike"]
        assert [(a["id"], a["status"]) for a in golan] == [(first["id"], "updated")]
        assert golan[0]["article_ids"] == ["x", "y"]
