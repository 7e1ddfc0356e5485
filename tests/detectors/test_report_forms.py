"""Report forms that the third blind event set (``tests/data/events_fresh3.jsonl``) exposed, each fixed in
general form: the Arabic participle of manner that closes a report ("مديناً", "متهماً إياه"), the bare past
"دان", an Arabic capture whose subject stands between verb and object, a non-state group's assault with no
weapon named, and مسيرة read as a drone, not a march, in an article about drones. Sentences written for
these tests."""
from __future__ import annotations

import pytest


def types(events):
    return [e.type for e in events]


@pytest.mark.parametrize("text,etype", [
    ("وقال المتحدث إن الطائرة انطلقت من الأراضي التركية، مديناً ما وصفه بالعدوان المتواصل.", "condemn"),
    ("ودان المفوض السامي لحقوق الإنسان الهجوم في بيان أمس.", "condemn"),
    ("ونسب الرئيس الهجوم إلى الجماعة، متهماً إياها بتقويض محادثات السلام.", "accuse"),
    ("وأصدر الجيش بياناً، نافياً أي مسؤولية عن القصف.", "deny"),
])
def test_arabic_statement_forms(extract, text, etype):
    assert etype in types(extract(text, "ar"))


def test_arabic_capture_with_the_subject_between_verb_and_object(extract):
    events = extract("سيطر متمردو حركة إم 23 صباح الخميس على بلدة ساكي شمال غوما.", "ar")
    assert "non_state_actor_overtakes_territory" in types(events)


@pytest.mark.parametrize("text,lang", [
    ("Jihadist fighters attacked the town of Djibo on Sunday.", "en"),
    ("هاجم مسلحون مجهولون بلدة في ولاية زامفارا فجر الأحد.", "ar"),
])
def test_a_non_state_assault_without_a_weapon_is_a_clash(extract, text, lang):
    assert "armed_clash" in types(extract(text, lang))
    assert "shelling_artillery_missile_attack" not in types(extract(text, lang))


def test_a_state_attack_without_a_weapon_stays_a_strike(extract):
    events = extract("An Israeli attack on a position near Quneitra killed two fighters on Monday.", "en")
    assert "armed_clash" not in types(events)


def test_a_drone_is_no_march(extract):
    events = extract("وقال المتحدث إن المسيرة انطلقت من الأراضي التركية واستهدفت سيارة عسكرية.", "ar",
                     title="مقتل عنصرين بضربة طائرة مسيرة تركية")
    assert "peaceful_protest" not in types(events)
    assert "air_drone_strike" in types(events)


def test_a_march_is_still_a_march(extract):
    events = extract("خرجت مسيرة حاشدة في وسط المدينة احتجاجا على غلاء الأسعار أمس.", "ar")
    assert "peaceful_protest" in types(events)


@pytest.mark.parametrize("text,lang,origin,impact", [
    ("قتل ثلاثة أشخاص في قصف صاروخي على خاركيف، وأشار إلى أن الصواريخ أُطلقت من منطقة بيلغورود الروسية.", "ar",
     "RUS", "UKR"),
])
def test_from_a_place_noun_and_a_place_is_the_origin(extract, text, lang, origin, impact):
    """"أُطلقت من منطقة بيلغورود" (from the Belgorod region): a place noun between "from" and the place
    keeps it the origin (events_fresh4 e5-ar-011)."""
    hits = [e for e in extract(text, lang) if e.family == "explosions_remote_violence"]
    assert hits and hits[0].origin_country == origin and hits[0].impact_country == impact
    assert origin not in {loc.country for loc in hits[0].locations}
