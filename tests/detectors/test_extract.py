"""End-to-end extraction: contract shape, the seed story, and Golan cases written for these tests (not the
dev passages) in both languages: passive voice, attribution, Eastern digits, several events, negation,
background, direction-only mentions, other fronts, sirens, tourism and diplomacy."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from detectors.types import FAMILIES, TYPE_FAMILY, Article

from detectors.types import Event

ROOT = Path(__file__).resolve().parents[2]


from tests.detectors.golan_predicate import golan_strike  # noqa: E402


def fires(events: list[Event]) -> bool:
    return any(golan_strike(e) for e in events)


class TestContractShape:
    def test_event_fields(self, extract):
        events = extract("A mortar shell fired from Syria landed in the Golan Heights on Friday.", "en", id="a1")
        assert events
        text = "A mortar shell fired from Syria landed in the Golan Heights on Friday."
        for e in events:
            assert e.type in TYPE_FAMILY and TYPE_FAMILY[e.type] == e.family
            assert e.trigger.text == text[e.trigger.start:e.trigger.end]
            assert e.polarity in ("asserted", "negated", "hypothetical")
            assert 0.0 <= e.confidence <= 1.0
            assert e.id.startswith("a1:")
            d = e.to_dict()
            assert set(d) >= {"id", "article_id", "lang", "family", "type", "sentence", "trigger", "actors",
                              "locations", "origin_country", "impact_country", "cross_border", "date",
                              "polarity", "attributed_to", "killed", "injured", "confidence"}
            json.dumps(d)

    def test_offsets_are_into_article_text(self, extractor):
        art = Article(id="x", title="قصف إسرائيلي على القنيطرة", body="وقصفت طائراتٌ إسرائيلية مواقعَ للجيش السوري في القنيطرة أمس.",
                      lang="ar", published_at="2017-07-01T00:00:00Z")
        events = extractor(art)
        assert events
        for e in events:
            assert art.text[e.trigger.start:e.trigger.end] == e.trigger.text

    def test_ids_are_deterministic(self, extract):
        a = extract("Israeli jets struck Syrian army positions in Quneitra.", "en", id="same")
        b = extract("Israeli jets struck Syrian army positions in Quneitra.", "en", id="same")
        assert [e.id for e in a] == [e.id for e in b] and len({e.id for e in a}) == len(a)

    def test_metadata_copied(self, extractor):
        art = Article(id="m", title="", body="Israeli artillery shelled Quneitra on Monday.", lang="en",
                      source="AFP", url="http://x", published_at="2018-05-09T12:00:00Z")
        e = extractor(art)[0]
        assert (e.source, e.url, e.published_at, e.article_id) == ("AFP", "http://x", "2018-05-09T12:00:00Z", "m")

    def test_extract_many_matches_single(self, extractor):
        arts = [Article(id=f"b{i}", body=b, lang=l, published_at="2017-07-01T00:00:00Z") for i, (b, l) in enumerate([
            ("سقطت قذيفة هاون أطلقت من سوريا في الجولان المحتل.", "ar"),
            ("Hezbollah fired rockets at Kiryat Shmona.", "en"),
            ("The weather was fine in Tel Aviv.", "en")])]
        many = extractor.extract_many(arts)
        assert [[e.to_dict() for e in ev] for ev in many] == [[e.to_dict() for e in extractor(a)] for a in arts]

    def test_language_detected_when_missing(self, extractor):
        events = extractor(Article(id="nolang", body="قصفت المدفعية الإسرائيلية مواقع في القنيطرة."))
        assert events and events[0].lang == "ar"


@pytest.fixture(scope="module")
def events(extractor):
    """The seed story's events."""
    d = json.loads((ROOT / "seeds" / "000_3770fb1b1770be7d.jsonl").read_text(encoding="utf-8"))
    return extractor(Article.from_dict(d))


class TestSeed:

    def test_golan_incident_fires(self, events):
        hits = [e for e in events if golan_strike(e)]
        assert hits
        pairs = {(e.origin_country, e.impact_country) for e in hits}
        assert ("SYR", "ISR") in pairs and ("ISR", "SYR") in pairs  # the rocket and the Israeli reply
        assert all(e.date in ("2017-06-30", "2017-07-01") for e in hits)

    def test_israeli_strike_on_syrian_position(self, events):
        strikes = [e for e in events if golan_strike(e) and e.origin_country == "ISR"]
        assert any(e.type == "air_drone_strike" for e in strikes)
        assert any(a.role == "target" and a.country == "SYR" for e in strikes for a in e.actors)

    def test_isis_withdrawal_is_territory_transfer(self, events):
        first = [e for e in events if e.trigger.text == "انسحب"][0]
        assert first.type == "non_violent_transfer_of_territory" and not golan_strike(first)
        assert first.date == "2017-06-30"

    def test_raqqa_fight_is_battle(self, events):
        raqqa = [e for e in events if any("الرقة" in l.name for l in e.locations) and e.family == "battles"]
        assert raqqa and not any(golan_strike(e) for e in raqqa)

    def test_reactions_are_statements(self, events):
        st = {(e.type, next((a.country for a in e.actors if a.role == "source"), None))
              for e in events if e.family == "statements"}
        assert any(c == "FRA" for _, c in st)
        assert any(t in ("deny", "accuse") for t, _ in st)

    def test_netanyahu_threat_is_hypothetical(self, events):
        threat = [e for e in events if "يهاجمنا" in e.sentence and e.family == "statements"]
        assert threat and threat[0].type == "threaten" and threat[0].polarity == "hypothetical"

    def test_only_golan_events_fire(self, events):
        for e in events:
            if golan_strike(e):
                assert "الجولان" in e.sentence or "موقعا للجيش السوري" in e.sentence


POSITIVE_AR = [
    "أعلن الجيش الإسرائيلي أن قذيفة هاون أطلقت من سوريا سقطت صباح اليوم في منطقة مفتوحة بشمال هضبة الجولان دون وقوع إصابات.",
    "قصفت دبابات إسرائيلية مساء أمس موقعا للجيش السوري في ريف القنيطرة ردا على سقوط قذيفتين في الجولان المحتل.",
    "وذكرت وكالة سانا أن طائرات الاحتلال استهدفت بصاروخين نقطة عسكرية في بلدة حضر بريف القنيطرة الشمالي فجر اليوم.",
    "اعترضت منظومة القبة الحديدية صاروخين أطلقا من الأراضي السورية باتجاه مرتفعات الجولان، وفق ما أعلن الجيش الإسرائيلي.",
    "سقط صاروخ أُطلق من سورية في مجدل شمس بالجولان المحتل، ما أدى إلى إصابة ٣ أشخاص بجروح.",
    "وقالت مصادر محلية إن مدفعية الاحتلال قصفت أطراف بلدة خان أرنبة في القنيطرة بعد ساعات من سقوط قذائف في الجولان.",
    "أسقطت الدفاعات الإسرائيلية طائرة مسيرة أطلقت من سوريا فوق هضبة الجولان يوم الأربعاء.",
    "أطلق الجيش الإسرائيلي النار على موقع للجيش السوري في منطقة جبل الشيخ بعد سقوط قذيفة في الجزء المحتل من الجولان.",
]
POSITIVE_EN = [
    "An errant mortar shell from the Syrian civil war landed in the northern Golan Heights on Sunday, causing no injuries, the IDF said.",
    "Israeli tanks fired at a Syrian army position in Quneitra after stray fire hit the Israeli-controlled Golan, the military said.",
    "The Israeli Air Force struck Syrian artillery positions near Khan Arnabeh in response to rockets fired at the Golan Heights.",
    "According to the army, two rockets launched from Syria were intercepted over the Golan Heights by Iron Dome on Thursday.",
    "A projectile fired from Syria exploded near Majdal Shams on Mount Hermon, and Israeli artillery hit back at the launch site.",
    "Syrian state media said Israeli artillery shelled the town of Hader in the Quneitra countryside late on Tuesday.",
    "Stray bullets from fighting across the ceasefire line in Syria hit an Israeli army jeep in the Golan Heights on Monday.",
    "Rockets were fired by Iranian forces in Syria at Israeli army positions on the Golan Heights overnight; no one was hurt.",
]
NEGATIVE_AR = [
    "وقال المرصد السوري إن أبو محمد الجولاني قائد هيئة تحرير الشام زار مدينة إدلب أمس.",
    "قتل سبعة مقاتلين في معارك بين النصرة ولواء شهداء اليرموك في بلدة سحم الجولان بريف درعا.",
    "وأطلقت الطائرات الإسرائيلية صواريخ من فوق الجولان المحتل على مواقع في ريف دمشق، وفق سانا.",
    "سقطت صواريخ أطلقت من جنوب لبنان في منطقة الجليل الأعلى دون إصابات.",
    "دوت صفارات الإنذار في مستوطنات الجولان دون أن يسجل سقوط أي قذائف.",
    "هدد نتنياهو بالرد بقوة على أي نيران تطلق من سوريا باتجاه الجولان.",
    "نفى الجيش الإسرائيلي أن يكون قد قصف مواقع في القنيطرة.",
    "يتوافد السياح على منتجع التزلج في جبل الشيخ مع تساقط الثلوج على الجولان.",
    "ويسيطر الجيش الإسرائيلي على معظم هضبة الجولان منذ حرب عام 1967.",
    "وبحث وزير الخارجية مع المبعوث الأممي الوضع في الجولان واتفاق فض الاشتباك.",
    "تبادلت فصائل المعارضة وقوات النظام القصف في ريف القنيطرة الشمالي أمس.",
    "شنت طائرات إسرائيلية غارات على مطار التيفور العسكري في ريف حمص الشرقي.",
]
NEGATIVE_EN = [
    "Abu Mohammad al-Julani, the leader of Nusra Front, appeared in a new video on Tuesday.",
    "Israeli missiles fired from the direction of the occupied Golan hit several points in the Damascus countryside, SANA said.",
    "Hezbollah fired a barrage of rockets from Lebanon at Mount Meron in the Upper Galilee on Tuesday.",
    "Rocket sirens sounded in the Golan Heights on Sunday, but no launch was identified and it was a false alarm.",
    "Netanyahu warned that Israel would respond forcefully to any fire from Syria toward the Golan.",
    "The IDF denied that its tanks had shelled Syrian positions in Quneitra.",
    "In 1973 Syrian tanks stormed the Golan Heights before Israeli forces held them off in the Valley of Tears.",
    "Skiers crowded the slopes of Mount Hermon as snow fell across the Golan Heights.",
    "The Security Council extended the mandate of UNDOF on the Golan for six months.",
    "Rebels and government forces clashed near Quneitra, killing 12 fighters.",
    "Israeli jets struck an Iranian weapons depot near Damascus airport overnight, Syrian state media said.",
    "Yair Golan, the opposition politician, criticised the government's budget on Sunday.",
]


@pytest.mark.parametrize("text", POSITIVE_AR)
def test_golan_positive_ar(extract, text):
    assert fires(extract(text, "ar")), text


@pytest.mark.parametrize("text", POSITIVE_EN)
def test_golan_positive_en(extract, text):
    assert fires(extract(text, "en")), text


@pytest.mark.parametrize("text", NEGATIVE_AR)
def test_golan_negative_ar(extract, text):
    assert not fires(extract(text, "ar")), text


@pytest.mark.parametrize("text", NEGATIVE_EN)
def test_golan_negative_en(extract, text):
    assert not fires(extract(text, "en")), text


class TestFields:
    def test_passive_ar_origin_and_impact(self, extract):
        e = [e for e in extract("سقط صاروخ أُطلق من سورية في مرتفعات الجولان أمس.", "ar") if golan_strike(e)][0]
        assert (e.origin_country, e.impact_country, e.cross_border) == ("SYR", "ISR", True)
        assert e.date == "2017-06-30"

    def test_quneitra_is_syrian_side(self, extract):
        e = extract("Israeli artillery shelled Quneitra on Monday.", "en")[0]
        assert e.impact_country == "SYR" and e.origin_country == "ISR" and "golan_heights" in e.regions

    def test_eastern_digits_casualties(self, extract):
        e = extract("قتل ١٥ شخصا وأصيب ٧ آخرون في قصف مدفعي على درعا.", "ar")[0]
        assert (e.killed, e.injured) == (15, 7)

    def test_number_words_ar(self, extract):
        ev = [e for e in extract("أسفرت الغارات عن مقتل خمسة عشر مدنيا في إدلب.", "ar") if e.killed is not None]
        assert ev and ev[0].killed == 15

    def test_number_words_en(self, extract):
        ev = extract("An air strike on Idlib killed three civilians and wounded twelve.", "en")
        assert ev[0].killed == 3 and ev[0].injured == 12

    def test_dozens_is_unknown(self, extract):
        ev = extract("Dozens of people were killed in an air strike on Idlib.", "en")
        assert ev and ev[0].type == "air_drone_strike" and ev[0].killed is None

    def test_earthquake_deaths_are_no_event(self, extract):
        assert extract("The earthquake killed more than 50,000 people in Turkey and Syria.", "en") == []
        assert extract("أودى الزلزال بحياة أكثر من خمسين ألف شخص وقتل 6 آلاف في سوريا.", "ar") == []

    def test_no_injuries_is_zero(self, extract):
        e = extract("A mortar shell landed in an open area in the Golan; no injuries were reported.", "en")[0]
        assert e.injured == 0

    def test_negation_scope(self, extract):
        ev = extract("Israel did not respond to the mortar, but its jets struck a Syrian post later.", "en")
        strikes = [e for e in ev if e.trigger.text == "struck"]
        assert strikes and strikes[0].polarity == "asserted"

    def test_negated_ar(self, extract):
        ev = extract("لم تسقط أي قذيفة في الجولان المحتل الليلة الماضية.", "ar")
        assert all(e.polarity != "asserted" for e in ev if e.family == "explosions_remote_violence")

    def test_hypothetical_en(self, extract):
        ev = extract("Israel will strike Syrian positions if fire continues, the minister said.", "en")
        assert ev and all(e.polarity == "hypothetical" for e in ev)

    def test_attribution_ar(self, extract):
        e = extract("قال المرصد السوري لحقوق الإنسان إن طائرات حربية قصفت بلدة في ريف إدلب.", "ar")[0]
        assert e.attributed_to and "المرصد" in e.attributed_to

    def test_reported_subject_is_not_the_speaker(self, extract):
        e = [e for e in extract("وقالت إسرائيل إن حزب الله أطلق طائرة مسيرة من سوريا فوق الجولان.", "ar")
             if e.family == "explosions_remote_violence"][0]
        assert next(a.name for a in e.actors if a.role == "source") == "حزب الله"
        assert e.origin_country == "SYR" and e.attributed_to == "إسرائيل"

    def test_bare_from_is_origin_only_next_to_the_place(self, extract):
        ev = extract("وجاء القصف بعد أسبوع من إعلان إسرائيل إسقاط طائرة مسيرة فوق الجولان.", "ar")
        assert all(e.origin_country != "ISR" for e in ev if e.type == "disrupted_weapons_use")

    def test_attribution_en(self, extract):
        e = extract("According to SANA, Israeli warplanes bombed a position near Homs.", "en")[0]
        assert e.attributed_to and "SANA" in e.attributed_to

    def test_weekday_friday_ar(self, extract):
        e = extract("قصفت المدفعية الإسرائيلية يوم الجمعة موقعا في القنيطرة.", "ar")[0]
        assert e.date == "2017-06-30"

    def test_explicit_levantine_date(self, extract):
        ev = extract("وأكد التقرير استخدام غاز السارين في هجوم خان شيخون في 4 نيسان/أبريل 2017.", "ar")
        assert any(e.date == "2017-04-04" and e.type == "chemical_weapon" for e in ev)

    def test_background_year(self, extract):
        ev = extract("Syrian artillery shelled Israeli positions on the Golan in 1973.", "en")
        assert ev and all(e.background for e in ev if e.family == "explosions_remote_violence")

    def test_occupation_boilerplate_is_not_background(self, extract):
        for text, lang in (("A rocket fired from Syria hit the Golan Heights, which Israel has occupied since 1967.", "en"),
                           ("قصف جيش العدو الإسرائيلي بالمدفعية محيط بلدة جباتا الخشب، علما أن إسرائيل تحتل الجولان منذ عام 1967.", "ar")):
            assert fires(extract(text, lang)), text

    def test_months_old_event_is_background(self, extract):
        ev = extract("In January, an Israeli air strike on Quneitra killed six Hezbollah fighters.", "en",
                     published_at="2015-07-30T00:00:00Z")
        strikes = [e for e in ev if e.type == "air_drone_strike"]
        assert strikes and strikes[0].background and strikes[0].date == "2015-01-01"

    def test_history_is_background(self, extract):
        ev = extract("وفي عام 1973 قصفت المدفعية السورية مواقع إسرائيلية في الجولان.", "ar")
        assert ev and all(e.background for e in ev)

    def test_month_may_is_not_modal(self, extract):
        ev = extract("On May 10, Iranian forces fired 20 rockets at Israeli positions on the Golan Heights.", "en",
                     published_at="2018-05-11T00:00:00Z")
        hits = [e for e in ev if golan_strike(e)]
        assert hits and hits[0].date == "2018-05-10" and hits[0].impact_country == "ISR"

    def test_two_events_one_article(self, extract):
        ev = extract("Rockets from Gaza hit Ashkelon on Sunday. Later a rocket from Syria landed in the Golan Heights.", "en")
        places = {l.country for e in ev for l in e.locations}
        assert {"ISR"} <= places and sum(golan_strike(e) for e in ev) == 1

    def test_family_types(self, extract):
        cases = {
            "Israeli jets carried out an air strike on Homs.": "air_drone_strike",
            "A car bomb exploded in Damascus killing one person.": "remote_explosive_landmine_ied",
            "Iron Dome intercepted a rocket over Ashdod.": "disrupted_weapons_use",
            "Rebels clashed with government forces in Daraa.": "armed_clash",
            "ISIS withdrew from the town of Azaz.": "non_violent_transfer_of_territory",
            "France condemned the attack.": "condemn",
        }
        for text, etype in cases.items():
            assert etype in {e.type for e in extract(text, "en")}, text
        assert all(t in FAMILIES[TYPE_FAMILY[t]] for t in cases.values())


@pytest.mark.parametrize("lang,text,intercepts", [
    # "أسقطت" with no weapon and no shooter for subject: momentum dropped, nothing shot down (a corpus alert)
    ("ar", "وقال الخبير إن هجوم النظام باتجاه القنيطرة توقف، وإن الاندفاعة أسقطت لدى قوات النظام وحلفائه.", False),
    ("ar", "وقالت سانا إن الصواريخ أطلقت من فوق الجولان، وإن الدفاعات الجوية أسقطت معظمها.", True),
    ("en", "Fighters said they had repelled an army advance near the prison after heavy clashes.", False),
    ("en", "The army said its air defences shot down most of them.", True),
])
def test_interception_needs_a_weapon_or_its_shooter(extract, lang, text, intercepts) -> None:
    assert any(e.type == "disrupted_weapons_use" for e in extract(text, lang)) == intercepts
