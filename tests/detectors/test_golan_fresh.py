"""The flagship rule on tests/data/golan_fresh.jsonl: 80 labelled passages (40 Arabic, 40 English) written
for this test without looking at the lexicons or gazetteers, phrased unlike the dev passages (passive voice,
attribution chains, Eastern Arabic digits and number words, spelling variants, headline style) with hard
negatives (denials, threats, hypotheticals, questions, anniversaries and recaps, diplomacy, tourism, weather,
farming, intra-Syrian fighting, Lebanon and Gaza, al-Jolani, Saham al-Jawlan, Golan as a surname, sports).
Each line's ``labels.notes`` says why it is positive or negative.

Same route as tests/rules/test_rules_dev_eval.py: the real extractor, the shipped rules in ``rules/`` and
``alerts.backtest.run`` in publication order. Then focused checks of the extraction patterns the fresh
cases exposed."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from alerts import backtest as bt
from detectors.rules import load_rules

REPO = Path(__file__).resolve().parents[2]
FRESH = REPO / "tests" / "data" / "golan_fresh.jsonl"
MIN_P, MIN_R = 0.95, 0.90


@pytest.fixture(scope="module")
def fresh():
    articles, bad = bt.read_articles(FRESH)
    assert not bad, bad
    return articles


def _figures(articles, events_of):
    result = bt.run(load_rules(REPO / "rules"), bt.publication_order(articles), events_of, io.StringIO())
    return bt.precision_recall(articles, result)


def test_fresh_cases_are_balanced(fresh) -> None:
    by_lang: dict[str, list[bool]] = {}
    for a in fresh:
        assert a.labels and "golan_alert" in a.labels and a.labels.get("notes"), a.id
        by_lang.setdefault(a.lang, []).append(bool(a.labels["golan_alert"]))
    assert set(by_lang) == {"ar", "en"}
    for lang, gold in by_lang.items():
        assert len(gold) >= 40, lang
        assert 0.4 <= sum(gold) / len(gold) <= 0.6, lang


@pytest.mark.slow
def test_fresh_cases_meet_the_goal(fresh, extractor) -> None:
    """P ≥ 0.95 and R ≥ 0.90 for golan-cross-border-strike in each language, through the real pipeline."""
    events = {a.id: evs for a, evs in zip(fresh, extractor.extract_many(fresh))}
    figs = _figures(fresh, lambda a: events[a.id])
    assert set(figs) == {"ar", "en"}
    for lang, f in figs.items():
        assert f["precision"] >= MIN_P and f["recall"] >= MIN_R, (lang, f)


def test_the_measure_can_fail(fresh) -> None:
    """Without events nothing alerts: recall 0, so the goal test above is not vacuous."""
    figs = _figures(fresh, lambda a: [])
    assert all(f["recall"] == 0.0 and f["tp"] == 0 for f in figs.values())


# ------------------------------------------------------------------------------ patterns the fresh cases exposed
def _golan_cross(events):
    return [e for e in events if e.cross_border and "golan_heights" in e.regions
            and {e.origin_country, e.impact_country} == {"ISR", "SYR"} and e.polarity == "asserted"]


@pytest.mark.parametrize("lang,text", [
    ("en", "A shell fired from the Syrian side of the Golan hit the Druze town of Majdal Shams on Saturday."),
    ("ar", "أُطلقت رصاصات من الجانب السوري على دورية إسرائيلية في الجولان."),
])
def test_origin_cue_running_into_the_place(extract, lang, text) -> None:
    """'from the Syrian side' / 'من الجانب' are matched as one origin cue that overlaps the place name after it:
    the place is still the origin, not where the fire landed."""
    hits = _golan_cross(extract(text, lang))
    assert hits and hits[0].origin_country == "SYR" and hits[0].impact_country == "ISR"
    assert all(loc.country != "SYR" for loc in hits[0].locations)


def test_launched_from_over_the_golan_is_the_origin(extract) -> None:
    events = extract("Syrian air defences intercepted Israeli missiles fired from over the occupied Golan at targets "
                     "south of Damascus early on Monday.", "en")
    assert events
    assert not any("golan_heights" in e.regions for e in events)


@pytest.mark.parametrize("lang,text", [
    ("ar", "توغلت قوة إسرائيلية في قرية جباتا الخشب بريف القنيطرة، وأطلقت النار على عدد من الأهالي."),
    ("en", "Israeli soldiers crossed into Quneitra province, and opened fire on shepherds."),
])
def test_opened_fire_names_its_weapon(extract, lang, text) -> None:
    hits = _golan_cross(extract(text, lang))
    assert hits and hits[0].origin_country == "ISR" and hits[0].impact_country == "SYR"


def test_ceasefire_is_still_no_fire(extract) -> None:
    assert extract("دخل اتفاق وقف إطلاق النار حيز التنفيذ في الجولان.", "ar") == []


def test_the_wounded_is_no_shooter(extract) -> None:
    """'أصيب مستوطن إسرائيلي بشظايا قذيفة سقطت…': the Israeli is the victim, the shell came from Syria."""
    hits = _golan_cross(extract("وأصيب مستوطن إسرائيلي بشظايا قذيفة سقطت في مستوطنة ألوني هباشان بالجولان.", "ar"))
    assert hits and hits[0].origin_country == "SYR" and hits[0].impact_country == "ISR"
    assert not any(a.role == "source" and a.country == "ISR" for a in hits[0].actors)


def test_stray_bullets_plural(extract) -> None:
    hits = _golan_cross(extract("قال متحدث عسكري إن رصاصات طائشة أصابت مركبة عسكرية في مرتفعات الجولان.", "ar"))
    assert hits and hits[0].impact_country == "ISR"
