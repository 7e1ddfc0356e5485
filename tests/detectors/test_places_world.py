"""Places worldwide: country names (``places_countries.jsonl``), the hand-curated files of other parts of the
world (``places_<part>.jsonl``), and the place roles that keep a named country from being a wrong location:
the neighbour across a border, the owner in "Burundi's army", the base in "a Britain-based monitor"."""
from __future__ import annotations

import json
import re

import pytest

from detectors.nlp.lexicon import DATA_DIR, curated_files, normalizer, read_jsonl

GAZ = DATA_DIR / "gazetteer"
ISO3 = re.compile(r"^[A-Z]{3}$")


def _countries(events) -> set[str]:
    return {loc.country for e in events for loc in e.locations}


# ------------------------------------------------------------------------------------------ the data files
def test_curated_place_files_are_found_in_order():
    files = [p.name for p in curated_files(None, "places")]
    assert files[0] == "places.jsonl"
    assert "places_countries.jsonl" in files
    assert "places_geonames.jsonl" not in files  # generated, loaded last with only_new


@pytest.mark.parametrize("path", curated_files(None, "places")[1:], ids=lambda p: p.name)
def test_curated_place_file_entries_are_complete(path):
    for obj in read_jsonl(path):
        assert ISO3.match(obj["country"]), obj["id"]
        assert obj.get("source"), obj["id"]
        assert isinstance(obj.get("lat"), (int, float)) and isinstance(obj.get("lon"), (int, float)), obj["id"]
        assert -90 <= obj["lat"] <= 90 and -180 <= obj["lon"] <= 180, obj["id"]
        assert obj["names"].get("ar") or obj["names"].get("en"), obj["id"]


def test_place_ids_are_unique_across_curated_files():
    seen: dict[str, str] = {}
    for path in curated_files(None, "places"):
        for obj in read_jsonl(path):
            assert obj["id"] not in seen, (obj["id"], path.name, seen.get(obj["id"]))
            seen[obj["id"]] = path.name


def test_no_form_names_two_curated_places_of_different_countries():
    """Two hand-curated files must not give one form two countries: the matcher would keep both."""
    owner: dict[tuple[str, str], tuple[str, str]] = {}
    for path in curated_files(None, "places"):
        for obj in read_jsonl(path):
            if obj.get("requires"):
                continue  # context-bound on purpose (طرابلس: Libya or Lebanon)
            for lang in ("ar", "en"):
                fold = normalizer(lang).fold
                for form in obj["names"].get(lang, []):
                    key = (lang, " ".join(fold(form).split()))
                    prev = owner.setdefault(key, (obj["country"], obj["id"]))
                    assert prev[0] == obj["country"], (key, prev, obj["id"])


def test_ambiguous_country_names_only_qualified():
    """مالي is also "financial", بنين "sons"; "Georgia" is also a US state: only qualified forms."""
    forms = {lang: set() for lang in ("ar", "en")}
    for obj in read_jsonl(GAZ / "places_countries.jsonl"):
        for lang in forms:
            forms[lang] |= {normalizer(lang).fold(f) for f in obj["names"].get(lang, [])}
    assert not {"مالي", "بنين"} & forms["ar"]
    assert "georgia" not in forms["en"]
    assert normalizer("ar").fold("شمال مالي") in forms["ar"]


# ------------------------------------------------------------------------------------------ country names
@pytest.mark.parametrize("text,lang,country", [
    ("قتل ثمانية مدنيين في قصف جوي على قرية في ميانمار أمس.", "ar", "MMR"),
    ("قتل عشرة جنود في هجوم مسلح شمال بوركينا فاسو يوم الخميس.", "ar", "BFA"),
    ("قتل خمسة أشخاص في هجوم على مخيم للنازحين شرقي جمهورية الكونغو الديمقراطية.", "ar", "COD"),
    ("Gunmen killed nine people in an attack on a bar in Colombia on Saturday.", "en", "COL"),
    ("A roadside bomb killed four soldiers in northern Mali on Tuesday.", "en", "MLI"),
    ("Gunmen killed six police officers in an ambush in Mexico on Monday.", "en", "MEX"),
])
def test_a_country_name_places_an_event(extract, text, lang, country):
    events = extract(text, lang)
    assert country in _countries(events), [(e.type, e.locations) for e in events]


def test_new_mexico_is_not_mexico(extract):
    events = extract("A gunman killed three people in New Mexico on Sunday.", "en")
    assert "MEX" not in _countries(events)


def test_niger_delta_is_nigeria(extract):
    events = extract("Gunmen attacked an oil facility in the Niger Delta on Friday, killing two guards.", "en")
    assert "NER" not in _countries(events)


# ------------------------------------------------------------------------------------------ place roles
@pytest.mark.parametrize("text,lang,where,neighbours", [
    ("قتل ١٢ مدنيا في قصف جوي على بلدة في ميانمار قرب الحدود مع الهند وبنغلاديش أمس.", "ar", "MMR",
     {"IND", "BGD"}),
    ("Jihadists killed eleven soldiers in an attack in northern Burkina Faso near the borders with Mali and "
     "Niger on Thursday.", "en", "BFA", {"MLI", "NER"}),
])
def test_the_neighbour_across_a_border_is_no_location(extract, text, lang, where, neighbours):
    countries = _countries(extract(text, lang))
    assert where in countries
    assert not countries & neighbours


def test_a_country_before_border_is_the_neighbour(extract):
    events = extract("Gunmen ambushed a patrol near Banibangou in the Tillaberi region, near the Mali border, "
                     "killing 12 soldiers.", "en")
    countries = _countries(events)
    assert "NER" in countries and "MLI" not in countries


def test_a_border_neighbour_alone_is_no_location_either(extract):
    events = extract("Gunmen killed five soldiers near the border with Niger on Thursday.", "en")
    assert "NER" not in _countries(events), [(e.type, e.locations) for e in events]


@pytest.mark.parametrize("text,owner", [
    ("Militants attacked the base on Monday; Burundi's army said 10 soldiers were killed.", "BDI"),
    ("A Britain-based monitor said gunmen opened fire on a bus near Homs, killing nine people.", "GBR"),
])
def test_an_owner_or_a_base_is_no_location(extract, text, owner):
    events = extract(text, "en")
    assert events, "the attack itself is still found"
    assert owner not in _countries(events), [(e.type, e.locations) for e in events]


def test_a_country_in_the_subject_is_not_what_was_captured(extract):
    events = extract("واستولت قوات صرب البوسنة على جيب في الجبال أمس.", "ar")
    assert not [e for e in events if e.type.endswith("territory")], [(e.type, e.locations) for e in events]


def test_a_country_right_after_the_verb_is_captured(extract):
    events = extract("سيطرت حركة طالبان على أفغانستان أمس بعد انسحاب القوات الأجنبية.", "ar")
    assert [e for e in events if e.type.endswith("territory")], [(e.type, e.locations) for e in events]


def test_country_file_has_a_line_per_country_at_most():
    seen = set()
    for line in open(GAZ / "places_countries.jsonl", encoding="utf-8"):
        obj = json.loads(line)
        if obj["kind"] == "country":
            assert obj["country"] not in seen
            seen.add(obj["country"])


@pytest.mark.parametrize("text", [
    "قتل ثلاثة أشخاص في هجوم لعب فيه المسلحون دورا كبيرا خلال فعالية ثقافية أمس.",  # دورا, فعالية
    "أصيب خمسة أشخاص بجروح في انفجار وقع بسرعة عالية قرب سوق شعبي أمس.",  # عالية
    "قتل أربعة جنود عندما شن مسلحون هجوما بريا على موقعهم أمس.",  # بريا: "by land", not Bria
])
def test_arabic_words_that_name_towns_elsewhere_are_no_places(extract, text):
    """Words the corpus uses as words (دورا a role, عالية high, بريا by land, جني jinn) are not the towns that
    share their letters; those towns keep only qualified forms ("مدينة بريا")."""
    events = extract(text, "ar")
    assert not [loc for e in events for loc in e.locations], [(e.type, e.locations) for e in events]


def test_a_qualified_form_still_names_the_town(extract):
    events = extract("قتل عشرة مدنيين في هجوم مسلح على مدينة بريا في جمهورية أفريقيا الوسطى أمس.", "ar")
    assert "CAF" in _countries(events)
