"""The flagship rule on passages written for these tests without looking at the lexicons or gazetteers:

- tests/data/golan_fresh.jsonl: 80 passages (40 Arabic, 40 English), phrased unlike the dev passages (passive
  voice, attribution chains, Eastern Arabic digits and number words, spelling variants, headline style) with
  hard negatives (denials, threats, hypotheticals, questions, anniversaries and recaps, diplomacy, tourism,
  weather, farming, intra-Syrian fighting, Lebanon and Gaza, al-Jolani, Saham al-Jawlan, Golan as a surname,
  sports);
- tests/data/golan_fresh2.jsonl: 60 more (30 + 30, 42% positive), written later by another writer the same
  blind way. On first run it scored ar P=0.83 R=0.83, en P=0.93 R=1.00; the five misses were language
  patterns, fixed in general form and tested below (the pluperfect recap, a year that dates a following
  "after" clause, fire "from positions in X", an origin the article states elsewhere, an incursion that fires
  on protesting villagers). It is a regression set now, no longer blind;
- tests/data/golan_fresh3.jsonl: 60 more (30 + 30, 45% positive) by a third writer, after those fixes, made
  hard on purpose (the key fact late, several incidents, Syrian and Israeli official wording, drills, old
  mines, denials, anniversaries). First run: recall 1.00 in both languages, precision ar 0.76, en 0.93; the
  five false alarms were a drill, years in Eastern Arabic digits, a denial with a long subject, an
  interception of rockets from Lebanon, and veterans recalling 1973 battles, fixed in general form below;
- tests/data/golan_fresh4.jsonl: 60 more (30 + 30, 43% positive) by a fourth writer after those fixes, in
  other styles (flashes, live blogs, Telegram networks, spokesmen, weekly roundups, analysis). First run:
  ar P=0.93 R=1.00, en P=1.00 R=0.77; the misses were a sirens-only false alarm ("تشخيص خاطئ"), a loitering
  munition, "the Syrian slopes of Mount Hermon", and an Israeli strike on a cell at the Golan fence;
- tests/data/golan_fresh5.jsonl: 50 more (25 + 25, 44% positive) by a fifth writer after those fixes. First
  run: ar P=1.00 R=0.91, en P=1.00 R=1.00, the first batch inside the target on first run. The one miss
  (g5-ar-024, spillover shells on Ein Zivan) took "the Syrian side" of the fighting, across the verb "fell",
  for where the shells fell; fixed below.

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
FRESH_FILES = {"golan_fresh.jsonl": 40, "golan_fresh2.jsonl": 30, "golan_fresh3.jsonl": 30,
               "golan_fresh4.jsonl": 30, "golan_fresh5.jsonl": 25}  # file → passages per language
MIN_P, MIN_R = 0.95, 0.90


@pytest.fixture(scope="module", params=sorted(FRESH_FILES))
def fresh_file(request):
    articles, bad = bt.read_articles(REPO / "tests" / "data" / request.param)
    assert not bad, bad
    return request.param, articles


@pytest.fixture(scope="module")
def fresh(fresh_file):
    return fresh_file[1]


def _figures(articles, events_of):
    result = bt.run(load_rules(REPO / "rules"), bt.publication_order(articles), events_of, io.StringIO())
    return bt.precision_recall(articles, result)


def test_fresh_cases_are_balanced(fresh_file) -> None:
    name, articles = fresh_file
    by_lang: dict[str, list[bool]] = {}
    for a in articles:
        assert a.labels and "golan_alert" in a.labels and a.labels.get("notes"), a.id
        by_lang.setdefault(a.lang, []).append(bool(a.labels["golan_alert"]))
    assert set(by_lang) == {"ar", "en"}
    for lang, gold in by_lang.items():
        assert len(gold) >= FRESH_FILES[name], lang
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


# ------------------------------------------------------------------------------ patterns of golan_fresh2.jsonl
def test_pluperfect_recap_is_background(extract) -> None:
    """'وكانت إسرائيل قد قصفت ...' is the wire's recap form: the new event is elsewhere."""
    events = extract("استهدفت غارات جوية فجر اليوم مطارا عسكريا في ريف حمص. وكانت إسرائيل قد قصفت موقعا "
                     "لقوات النظام قرب بلدة حضر بريف القنيطرة.", "ar", published_at="2021-10-13T08:00:00Z")
    golan = [e for e in events if "golan_heights" in e.regions]
    assert golan and all(e.background for e in golan)
    assert any(not e.background and e.type == "air_drone_strike" for e in events)


def test_a_year_dates_the_after_clause(extract) -> None:
    events = extract("In 2018 Israel hit Syrian positions on the Golan after rockets were fired at its forces there.",
                     "en", published_at="2024-09-09T08:00:00Z")
    fired = [e for e in events if e.trigger.text == "fired"]
    assert fired and fired[0].background


@pytest.mark.parametrize("lang,text", [
    ("en", "Shells fired from Syrian army positions in Quneitra landed in an open field in the Golan Heights on "
           "Monday."),
    ("ar", "سقطت قذائف مصدرها مواقع الجيش السوري في القنيطرة على أطراف مستوطنة في الجولان المحتل صباح اليوم."),
])
def test_fire_from_positions_in_a_place(extract, lang, text) -> None:
    """The place after 'from X positions in' is where the fire came from, and X is not what it hit."""
    hits = _golan_cross(extract(text, lang))
    assert hits and hits[0].origin_country == "SYR" and hits[0].impact_country == "ISR"
    assert not any(a.role == "target" and a.country == "SYR" for a in hits[0].actors)


def test_the_origin_the_article_states_wins(extract) -> None:
    """Fire into the Golan with no origin in its sentence is guessed to come from Syria, unless the article
    says where it came from."""
    text = ("أعلن حزب الله أن مجاهديه استهدفوا بالصواريخ ثكنة في كتسرين بالجولان المحتل. وقال الجيش الإسرائيلي "
            "إن الصواريخ أطلقت من جنوب لبنان.")
    events = [e for e in extract(text, "ar") if "golan_heights" in e.regions]
    assert events and all(e.origin_country == "LBN" for e in events)
    alone = [e for e in extract("سقطت صواريخ على ثكنة في كتسرين بالجولان المحتل.", "ar") if e.cross_border]
    assert alone and alone[0].origin_country == "SYR"


# ------------------------------------------------------------------------------ patterns of golan_fresh3.jsonl
def test_years_in_eastern_arabic_digits_make_background(extract) -> None:
    events = extract("ما زالت أطلال مدينة القنيطرة شاهدة على حربي ١٩٦٧ و١٩٧٣، حين تعرضت لقصف مدفعي كثيف قبل أن "
                     "تدمرها القوات الإسرائيلية عام ١٩٧٤.", "ar", published_at="2021-06-26T08:00:00Z")
    assert events and all(e.background for e in events if "golan_heights" in e.regions)


def test_a_denied_report_is_negated_however_long_the_subject(extract) -> None:
    events = extract("نفى الجيش الإسرائيلي، مساء الأربعاء، تقارير تداولتها مواقع التواصل الاجتماعي عن سقوط قذائف "
                     "مصدرها سوريا قرب بلدة عين قنية في الجولان.", "ar")
    assert not _golan_cross(events)


@pytest.mark.parametrize("lang,text,kinetic", [
    ("ar", "وسيسمع السكان دوي انفجارات ناجمة عن رماية بالذخيرة الحية في ميادين التدريب قرب القنيطرة.", False),
    ("en", "Residents will hear explosions from a live-fire exercise at firing ranges in the Golan Heights.", False),
    ("ar", "قصفت طائرات حربية معسكر تدريب لتنظيم داعش قرب الرقة أمس.", True),  # a training camp is a target
    ("en", "Israeli jets struck a base near Quneitra on Monday; the UN urged both sides to exercise restraint.", True),
])
def test_a_drill_attacks_nobody(extract, lang, text, kinetic) -> None:
    got = any(e.family == "explosions_remote_violence" for e in extract(text, lang))
    assert got == kinetic


def test_recalled_battles_are_background(extract) -> None:
    events = extract("Speakers recalled the battles near Buq'ata and the counterattack that pushed Syrian forces back "
                     "toward Quneitra.", "en")
    assert events and all(e.background for e in events)


# ------------------------------------------------------------------------------ patterns of golan_fresh4.jsonl
def test_sirens_after_a_misidentification_report_no_fire(extract) -> None:
    events = extract("دوت صفارات الإنذار في كتسرين ومستوطنات الجولان، قبل أن يعلن الجيش أنها انطلقت نتيجة «تشخيص "
                     "خاطئ» ولم يرصد أي إطلاق من الأراضي السورية.", "ar")
    assert not _golan_cross(events)


@pytest.mark.parametrize("lang,text", [
    ("en", "An Israeli loitering munition struck a motorbike on the outskirts of Kodana in the Quneitra countryside "
           "on Tuesday, wounding two men."),
    ("ar", "استهدفت ذخيرة متسكعة إسرائيلية دراجة نارية في أطراف بلدة كودنة بريف القنيطرة الجنوبي أمس."),
])
def test_a_loitering_munition_is_a_drone(extract, lang, text) -> None:
    hits = _golan_cross(extract(text, lang))
    assert hits and hits[0].type == "air_drone_strike" and hits[0].origin_country == "ISR"


def test_the_syrian_slopes_of_hermon_are_syria(extract) -> None:
    hits = _golan_cross(extract("Israeli artillery struck positions on the Syrian slopes of Mount Hermon overnight, "
                                "the military said.", "en"))
    assert hits and hits[0].origin_country == "ISR" and hits[0].impact_country == "SYR"


@pytest.mark.parametrize("lang,text,impact", [
    ("en", "An IDF aircraft struck a cell planting explosives along the security fence in the southern Golan "
           "Heights overnight, the military said.", "SYR"),
    ("ar", "أطلقت قوة من الجيش السوري النار على دورية إسرائيلية قرب السياج الأمني في الجولان.", "ISR"),
])
def test_fire_at_the_golan_line_lands_on_the_other_side(extract, lang, text, impact) -> None:
    hits = _golan_cross(extract(text, lang))
    assert hits and hits[0].impact_country == impact


def test_the_syrian_side_does_not_reach_across_a_verb(extract) -> None:
    """"shells fired during the fighting on the Syrian side fell near Ein Zivan": the Syrian side is where
    the fighting is; the shells fell on the Israeli-held side (golan_fresh5 g5-ar-024)."""
    hits = _golan_cross(extract("ذكر الجيش الإسرائيلي أن ثلاث قذائف أطلقت خلال المعارك في الجانب السوري سقطت قرب "
                                "مستوطنة عين زيفان في الجولان المحتل دون وقوع إصابات.", "ar"))
    assert hits and hits[0].impact_country == "ISR" and hits[0].origin_country == "SYR"
