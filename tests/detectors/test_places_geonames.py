"""The generated GeoNames gazetteer (``places_geonames.jsonl``, built by ``scripts/build_places.py``): places
outside the Levant get a location and a country; common words and hand-curated forms are never its places."""
from __future__ import annotations

import json

import pytest

from detectors.nlp.lexicon import DATA_DIR, curated_files, normalizer, read_jsonl

GAZ = DATA_DIR / "gazetteer"


def _generated() -> list[dict]:
    return list(read_jsonl(GAZ / "places_geonames.jsonl"))


def _fold(lang: str, s: str) -> str:
    return " ".join(normalizer(lang).fold(s).split())


def _place(events, country: str):
    return [loc for e in events for loc in e.locations if loc.country == country]


@pytest.mark.parametrize("text,lang,country,name", [
    ("انفجرت سيارة مفخخة في بعقوبة أمس", "ar", "IRQ", "بعقوبة"),  # hand-curated, still first
    ("انفجرت سيارة مفخخة في مدينة بيجي شمال العراق أمس", "ar", "IRQ", "بيجي"),
    ("انفجرت عبوة ناسفة في مدينة مايدوغوري أمس", "ar", "NGA", "مايدوغوري"),
    ("قتل ثلاثة جنود في هجوم مسلح على مدينة باماكو أمس", "ar", "MLI", "باماكو"),
    ("A suicide bomber struck in Peshawar on Monday", "en", "PAK", "Peshawar"),
    ("A car bomb exploded in Quetta on Sunday, killing five people", "en", "PAK", "Quetta"),
    ("Gunmen killed 12 villagers near Maiduguri on Tuesday", "en", "NGA", "Maiduguri"),
    ("Fighting near Bakhmut killed three soldiers on Friday", "en", "UKR", "Bakhmut"),
])
def test_generated_place_gives_location(extract, text, lang, country, name):
    events = extract(text, lang)
    locs = _place(events, country)
    assert locs, [(e.type, e.locations) for e in events]
    assert any(loc.name == name for loc in locs)
    assert all(loc.lat is not None and loc.lon is not None for loc in locs)


@pytest.mark.parametrize("text,lang", [
    ("انفجرت عبوة ناسفة قرب مبنى الجامعة في البلد أمس", "ar"),  # بلد, جامعه: words, not towns
    ("قتل خمسة أشخاص في هجوم على سوق المدينة دوما", "ar"),  # دوما "always" is stoplisted
    ("A bomb exploded at the salt market on Monday, killing three people", "en"),  # Salt (Jordan)
    ("Gunmen killed five people at a bar in the city on Monday", "en"),  # Bar (Ukraine), 3 letters
])
def test_stoplisted_word_is_no_place(extract, text, lang):
    events = extract(text, lang)
    assert events, "the sentence should still report an event"
    ids = [loc for e in events for loc in e.locations]
    assert ids == [], ids


def test_stoplist_forms_absent_from_generated_file():
    stop = {"ar": set(), "en": set()}
    for obj in read_jsonl(GAZ / "place_stopwords.jsonl"):
        for f in obj.get("forms", []):
            stop[obj["lang"]].add(_fold(obj["lang"], f))
    assert {"بلد", "هيت", "عمر", "السلام", "الجزيره"} <= stop["ar"]
    assert {"hit", "balad", "nice", "reading"} <= stop["en"]
    for o in _generated():
        for lang in ("ar", "en"):
            bad = set(o["names"][lang]) & stop[lang]
            assert not bad, (o["id"], bad)


def test_generated_entries_are_complete():
    entries = _generated()
    assert len(entries) > 1000
    ids = set()
    for o in entries:
        assert o["id"] not in ids
        ids.add(o["id"])
        assert o["source"].startswith("GeoNames ") and "CC BY 4.0" in o["source"]
        assert isinstance(o["country"], str) and len(o["country"]) == 3 and o["country"].isupper()
        assert -90 <= o["lat"] <= 90 and -180 <= o["lon"] <= 180
        assert o["kind"] == "city"
        assert o["names"]["ar"] or o["names"]["en"]
        for f in o["names"]["ar"]:  # stored folded and in Arabic letters only
            assert f == _fold("ar", f)
            assert not set(f) & set("پچژگکیۀٹڈڑںھېۍګښځڅډړږۇەڵ0123456789")
        for f in o["names"]["en"]:
            assert f == _fold("en", f)
    countries = {o["country"] for o in entries}
    assert {"IRQ", "AFG", "PAK", "YEM", "LBY", "SOM", "NGA", "SDN", "EGY", "TUR", "SAU", "DZA", "MLI"} <= countries


def test_no_generated_form_equals_a_curated_form():
    curated = {"ar": set(), "en": set()}
    for path in [*curated_files(None, "places"), GAZ / "actors.jsonl", *curated_files(None, "demonyms")]:
        for o in read_jsonl(path):
            for lang in ("ar", "en"):
                curated[lang] |= {_fold(lang, f) for f in o["names"].get(lang, [])}
    for o in _generated():
        for lang in ("ar", "en"):
            clash = {_fold(lang, f) for f in o["names"][lang]} & curated[lang]
            assert not clash, (o["id"], clash)


def test_no_generated_form_names_two_places():
    seen: dict[tuple[str, str], str] = {}
    for o in _generated():
        for lang in ("ar", "en"):
            for f in o["names"][lang]:
                assert (lang, f) not in seen, (f, seen[(lang, f)], o["id"])
                seen[(lang, f)] = o["id"]


def test_month_and_weekday_names_are_no_places():
    forms = {"ar": set(), "en": set()}
    for o in read_jsonl(DATA_DIR / "lexicon" / "dates.jsonl"):
        forms[o["lang"]] |= {_fold(o["lang"], f) for f in o["forms"]}
    for o in _generated():
        for lang in ("ar", "en"):
            assert not set(o["names"][lang]) & forms[lang], o["id"]


def test_hand_curated_place_wins(extract):
    # Mosul is in places.jsonl (id "mosul"); GeoNames' Mosul is left out, so the curated entry answers
    events = extract("A car bomb exploded in Mosul on Monday, killing four people", "en")
    locs = _place(events, "IRQ")
    assert locs and locs[0].lat == pytest.approx(json.loads(next(
        line for line in open(GAZ / "places.jsonl", encoding="utf-8") if '"id": "mosul"' in line))["lat"])


# ------------------------------------------------------------------------------ hand-curated news spellings
@pytest.mark.parametrize("text,lang,country", [
    ("هاجم مسلحو طالبان نقاطا أمنية في ضواحي مدينة غزني ليل الجمعة، ما أسفر عن مقتل ١٤ شرطيا.", "ar", "AFG"),
    ("قصفت قوات الدعم السريع أحياء في مدينة الفاشر أمس، ما أدى إلى مقتل خمسة مدنيين.", "ar", "SDN"),
    ("سقطت قذائف قرب محطة زابوريجيا النووية يوم السبت.", "ar", "UKR"),
    ("A missile struck a port building in Sevastopol on Friday, killing two people.", "en", "UKR"),
])
def test_news_spelling_gives_location(extract, text, lang, country):
    """News spellings that GeoNames lacks (it has غزنه, news writes غزني) are in places.jsonl."""
    events = extract(text, lang)
    assert _place(events, country), [(e.type, [(l.name, l.country) for l in e.locations]) for e in events]


@pytest.mark.parametrize("text,country", [
    ("سقطت قذائف على حي أبو سليم في طرابلس مساء السبت، واتهمت حكومة الوفاق قوات حفتر الليبية بالقصف.", "LBY"),
    ("اندلعت اشتباكات في طرابلس بين مسلحين من باب التبانة وجبل محسن، وفق الجيش اللبناني.", "LBN"),
])
def test_tripoli_takes_the_country_the_article_names(extract, text, country):
    """طرابلس is a city in Libya and in Lebanon: the article's other names decide (``requires: {countries}``)."""
    locs = [loc for e in extract(text, "ar") for loc in e.locations if loc.name == "طرابلس"]
    assert locs and {loc.country for loc in locs} == {country}


def test_tripoli_alone_is_no_location(extract):
    events = extract("اندلعت اشتباكات عنيفة في طرابلس ليل الأحد أسفرت عن مقتل ثلاثة مسلحين.", "ar")
    assert events
    assert not [loc for e in events for loc in e.locations if loc.name == "طرابلس"]
