"""Every condition kind, lists, macros, exceptions and overrides, matched on hand-built events."""
from __future__ import annotations

import json
from typing import Any

import pytest

from detectors.rules import load_sources
from detectors.rules.ruleset import RuleSet
from detectors.types import Event

from rulekit import ALEPPO, DAMASCUS, GOLAN, QUNEITRA, make_event

HEADER = """
- list: golan_sides
  items: [ISR, SYR]
- place: quneitra
  lat: 33.125
  lon: 35.824
  names: [Quneitra, القنيطرة]
- macro: news
  condition: {polarity: asserted, background: false}
"""


def ruleset(condition: Any, extra: str = "", **rule: Any) -> RuleSet:
    body = {"rule": "r", "condition": condition, "threshold": 0, **rule}
    text = HEADER + extra + "\n- " + json.dumps(body, ensure_ascii=False) + "\n"
    return load_sources([("t.yaml", text)])


def held(condition: Any, event: Event, incident: dict[str, Any] | None = None, **kw: Any) -> list[str] | None:
    rs = ruleset(condition, **kw)
    ms = rs.match(event, incident or {"sources": 1})
    return ms[0].explanation if ms else None


CASES = [  # (condition, event kwargs that hold, event kwargs that do not)
    ({"family": "explosions_remote_violence"}, {}, {"type": "armed_clash"}),
    ({"type": ["air_drone_strike", "shelling_artillery_missile_attack"]}, {}, {"type": "armed_clash"}),
    ({"region": "golan_heights"}, {}, {"locations": [DAMASCUS]}),
    ({"location": "Quneitra"}, {"locations": [dict(QUNEITRA, name="Quneitra")]}, {}),
    ({"location": "قنيطرة"}, {"locations": [QUNEITRA]}, {"locations": [ALEPPO]}),
    ({"near": {"place": "quneitra", "km": 20}}, {}, {"locations": [DAMASCUS]}),
    ({"near": {"lat": 33.51, "lon": 36.29, "km": 5}}, {"locations": [DAMASCUS]}, {}),
    ({"near": {"place": "quneitra", "km": 1}}, {"locations": [dict(name="القنيطرة")]}, {}),
    ({"country": "ISR"}, {}, {"origin": "LBN", "impact": "LBN", "locations": [ALEPPO]}),
    ({"origin_country": "golan_sides"}, {}, {"origin": "LBN"}),
    ({"impact_country": ["ISR"]}, {}, {"impact": "SYR"}),
    ({"cross_border": True}, {}, {"cross_border": False}),
    ({"cross_border": False}, {"cross_border": False}, {}),
    ({"actor": {"country": "ISR", "role": "source"}},
     {"actors": [dict(role="source", name="Israeli army", country="ISR")]},
     {"actors": [dict(role="target", name="Israeli army", country="ISR")]}),
    ({"actor": {"name": "الجيش السوري"}},
     {"actors": [dict(role="source", name="للجيش السوري", country="SYR")]},
     {"actors": [dict(role="source", name="الجيش الاسرائيلي", country="ISR")]}),
    ({"actor": {"kind": "military"}},
     {"actors": [dict(role="source", name="IDF", country="ISR", kind="military")]},
     {"actors": [dict(role="source", name="IDF", country="ISR")]}),
    ({"polarity": ["negated", "hypothetical"]}, {"polarity": "negated"}, {}),
    ({"background": True}, {"background": True}, {}),
    ({"attributed": True}, {"attributed_to": "witnesses"}, {}),
    ({"phrase": "هاون"}, {"sentence": "سقطت قذيفةُ هاونٍ على الجولان", "trigger": "قذيفة"}, {}),
    ({"phrase": ["إسرائيل"]}, {"sentence": "قصفت اسرائيل موقعا", "trigger": "قصفت"}, {}),
    ({"phrase": "Golan"}, {}, {"sentence": "The Golani brigade moved.", "trigger": "moved"}),
    ({"min_killed": 10}, {"killed": 12}, {"killed": 9}),
    ({"min_injured": 2}, {"injured": 2}, {}),
    ({"min_confidence": 0.7}, {"confidence": 0.75}, {"confidence": 0.5}),
    ({"all": [{"type": "shelling_artillery_missile_attack"}, "news"]}, {}, {"polarity": "hypothetical"}),
    ({"any": [{"region": "golan_heights"}, {"location": "Damascus"}]}, {"locations": [DAMASCUS]},
     {"locations": [ALEPPO]}),
    ({"not": {"background": True}}, {}, {"background": True}),
    ({"macro": "news"}, {}, {"background": True}),
    ("news", {}, {"polarity": "negated"}),
    ({"type": "shelling_artillery_missile_attack", "region": "golan_heights"}, {}, {"locations": [DAMASCUS]}),
]


@pytest.mark.parametrize(("cond", "yes", "no"), CASES, ids=[json.dumps(c[0], ensure_ascii=False)[:40] for c in CASES])
def test_condition_kinds(cond: Any, yes: dict[str, Any], no: dict[str, Any]) -> None:
    """Each condition holds on one event and not on a variant of it."""
    assert held(cond, make_event(**yes)) is not None
    assert held(cond, make_event(**no)) is None


class TestIncidentConditions:
    def test_min_sources_reads_the_incident(self) -> None:
        """min_sources counts the incident's independent sources, not the event."""
        assert held({"min_sources": 2}, make_event(), {"sources": 1}) is None
        assert held({"min_sources": 2}, make_event(), {"sources": 2}) == ["2 independent source(s) (at least 2)"]

    def test_min_killed_is_the_events_own_figure(self) -> None:
        """min_killed reads the event's own toll; min_incident_killed the highest any report gave."""
        assert held({"min_killed": 10}, make_event(), {"sources": 1, "killed": 11}) is None
        assert held({"min_incident_killed": 10}, make_event(), {"sources": 1, "killed": 11}) == [
            "11 killed in the incident (at least 10)"]
        assert held({"min_incident_injured": 3}, make_event(injured=4), {"sources": 1}) == [
            "4 injured in the incident (at least 3)"]

    def test_article_phrase(self) -> None:
        """article_phrase searches the whole article, not only the event's sentence."""
        rs = ruleset({"article_phrase": "Hermon"})
        assert rs.match(make_event(), {}, article_text="Fire near Mount Hermon.")
        assert not rs.match(make_event(), {}, article_text="Fire near Meron.")


class TestExplanations:
    def test_explanation_names_conditions_and_quotes_text(self) -> None:
        """The explanation says which condition held on what text, in order."""
        ex = held({"all": [{"type": "shelling_artillery_missile_attack"}, {"region": "golan_heights"},
                           {"phrase": "هاون"}, {"not": {"background": True}}]},
                  make_event(sentence="سقطت قذيفة هاون على الجولان", trigger="قذيفة"))
        assert ex == ["type is shelling_artillery_missile_attack (trigger \"قذيفة\")",
                      "location \"Golan Heights\" is in region golan_heights",
                      "phrase \"هاون\" found in sentence: \"سقطت قذيفه هاون علي الجولان\"",
                      "not background is true"]


class TestListsMacrosExceptions:
    def test_list_in_list_and_append(self) -> None:
        """Lists may include lists; a later item with override append adds to a list."""
        extra = """
- list: strikes
  items: [air_drone_strike]
- list: kinetic
  items: [strikes, armed_clash]
- list: strikes
  items: [shelling_artillery_missile_attack]
  override: {items: append}
"""
        rs = ruleset({"type": "kinetic"}, extra=extra)
        for t in ("air_drone_strike", "armed_clash", "shelling_artillery_missile_attack"):
            assert rs.match(make_event(type=t), {})
        assert not rs.match(make_event(type="grenade"), {})

    def test_macro_reused_by_two_rules(self) -> None:
        """One macro serves several rules."""
        text = HEADER + """
- rule: a
  condition: {all: [news, {type: armed_clash}]}
  threshold: 0
- rule: b
  condition: {all: [news, {region: golan_heights}]}
  threshold: 0
"""
        rs = load_sources([("t.yaml", text)])
        assert [m.rule_id for m in rs.match(make_event(type="armed_clash"), {})] == ["a", "b"]
        assert [m.rule_id for m in rs.match(make_event(type="armed_clash", polarity="negated"), {})] == []

    def test_exception_suppresses_and_is_reported(self) -> None:
        """An exception that holds drops the match; near_misses says which exception."""
        rs = ruleset({"region": "golan_heights"},
                     exceptions=[{"name": "from_lebanon", "condition": {"origin_country": "LBN"}}])
        assert rs.match(make_event(), {})
        misses: list[Any] = []
        assert rs.match(make_event(origin="LBN"), {}, near_misses=misses) == []
        assert misses[0].reason.startswith("exception 'from_lebanon' holds: origin country is LBN")

    def test_override_appends_exceptions_and_disables(self) -> None:
        """A local file can append exceptions to a rule, or disable it."""
        base = HEADER + "\n- rule: r\n  condition: {region: golan_heights}\n  threshold: 0\n"
        local = """
- rule: r
  exceptions:
    - name: clashes
      condition: {type: armed_clash}
  override: {exceptions: append}
"""
        rs = load_sources([("a.yaml", base), ("b.yaml", local)])
        assert rs.match(make_event(), {}) and not rs.match(make_event(type="armed_clash"), {})
        off = "- rule: r\n  enabled: false\n  override: {enabled: replace}\n"
        assert len(load_sources([("a.yaml", base), ("b.yaml", off)])) == 0


class TestIndex:
    def test_candidates_skip_rules_that_cannot_match(self) -> None:
        """Rules filed under a location, region, country or type are not even tried on other events."""
        text = "\n".join(f"- rule: r{i}\n  condition: {{location: Town{i}}}\n  threshold: 0" for i in range(50))
        text += "\n- rule: golan\n  condition: {region: golan_heights}\n  threshold: 0"
        text += "\n- rule: anywhere\n  condition: {min_killed: 1}\n  threshold: 0"
        rs = load_sources([("t.yaml", text)])
        ev = make_event(locations=[dict(name="Town7", regions=[])])
        assert [r.id for r in rs.candidates(ev)] == ["r7", "anywhere"]
        assert [r.id for r in rs.candidates(make_event())] == ["golan", "anywhere"]
