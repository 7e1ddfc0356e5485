"""Actors and their roles (source = who attacked, target = who was attacked) with generic actor nouns
(gunmen, militants, bombers, police, people) and demonyms, in Arabic and English. Sentences written for
these tests."""
from __future__ import annotations

import pytest


def roles(events, role):
    return [(a.name, a.country) for e in events for a in e.actors if a.role == role]


def names(events, role):
    return [n for n, _ in roles(events, role)]


class TestArabic:
    def test_generic_force_takes_demonym_and_victims_are_targets(self, extract):
        ev = extract("قتلت قوات الأمن الأفغانية خمسة متمردين في غارة على قرية بولاية هلمند أمس.", "ar")
        assert ("قوات الأمن الأفغانية", "AFG") in roles(ev, "source")
        assert "متمردين" in names(ev, "target")
        assert "متمردين" not in names(ev, "source")

    def test_unidentified_gunmen_are_the_source(self, extract):
        ev = extract("اغتال مسلحون مجهولون قاضيا في مدينة الموصل امس.", "ar")
        assert roles(ev, "source") == [("مسلحون مجهولون", None)]

    def test_killed_police_are_targets_not_sources(self, extract):
        ev = extract("أعلنت الشرطة مقتل ثلاثة من عناصر الشرطة في هجوم انتحاري استهدف دورية للشرطة في كركوك امس.", "ar")
        assert "عناصر الشرطة" in names(ev, "target")
        assert not any("الشرطة" in n for n in names(ev, "source"))

    def test_suicide_bomber_source_people_target(self, extract):
        ev = extract("فجر انتحاري نفسه وسط سوق شعبي في بعقوبة امس مما أدى إلى مقتل تسعة أشخاص.", "ar")
        assert "انتحاري" in names(ev, "source")
        assert "أشخاص" in names(ev, "target")

    def test_suicide_attack_adjective_is_no_actor(self, extract):
        ev = extract("قتل ستة أشخاص في هجوم انتحاري بسيارة مفخخة في بغداد امس.", "ar")
        assert ev
        assert "انتحاري" not in names(ev, "source")
        assert "أشخاص" in names(ev, "target")

    def test_undergoer_is_target(self, extract):
        ev = extract("تعرضت القوات البريطانية لهجوم بالصواريخ في البصرة امس.", "ar")
        assert ("القوات البريطانية", "GBR") in roles(ev, "target")
        assert not roles(ev, "source")

    def test_gunmen_take_their_demonym(self, extract):
        ev = extract("هاجم مسلحون صوماليون قاعدة للقوات الإثيوبية في مقديشو امس.", "ar")
        assert ("مسلحون صوماليون", "SOM") in roles(ev, "source")
        assert ("القوات الإثيوبية", "ETH") in roles(ev, "target")

    def test_counted_nationals_before_passive_verb_are_targets(self, extract):
        ev = extract("وقال مصدر امني ان ثلاثة باكستانيين قتلوا في انفجار عبوة ناسفة في بيشاور امس.", "ar")
        assert ("باكستانيين", "PAK") in roles(ev, "target")
        assert "باكستانيين" not in names(ev, "source")


class TestEnglish:
    def test_demonym_before_generic_force(self, extract):
        ev = extract("Pakistani security forces killed six militants in a raid in North Waziristan on Tuesday.", "en")
        assert ("Pakistani security forces", "PAK") in roles(ev, "source")
        assert ("militants", None) in roles(ev, "target")

    def test_unknown_gunmen_and_judge(self, extract):
        ev = extract("Unknown gunmen shot dead a judge in Basra on Monday.", "en")
        assert roles(ev, "source") == [("Unknown gunmen", None)]
        assert "judge" in names(ev, "target")

    def test_passive_subject_is_target(self, extract):
        ev = extract("Two policemen were killed when a suicide bomber blew himself up near a checkpoint in Kabul "
                     "on Sunday.", "en")
        assert "policemen" in names(ev, "target")
        assert "policemen" not in names(ev, "source")
        assert "suicide bomber" in names(ev, "source")

    def test_somali_gunmen_attack_ethiopian_army(self, extract):
        ev = extract("Somali gunmen attacked an Ethiopian army base in Mogadishu on Friday.", "en")
        assert ("Somali gunmen", "SOM") in roles(ev, "source")
        assert ("Ethiopian army", "ETH") in roles(ev, "target")

    def test_people_are_never_the_default_source(self, extract):
        ev = extract("Civilians and people fled after militants fired rockets at the town of Bannu on Monday.", "en")
        assert "people" not in names(ev, "source")


class TestReporters:
    """A news agency or a monitor reports an attack: it is neither its doer nor its target."""

    @pytest.mark.parametrize("body, lang, agency", [
        ("انفجرت عبوة ناسفة قرب مكتب قناة الجزيرة في بغداد أمس.", "ar", "الجزيرة"),
        ("Two mortar shells landed in the Golan Heights on Monday, AP reported, quoting the Israeli military.",
         "en", "AP"),
        ("Reuters witnesses saw a car bomb explode near the market on Monday.", "en", "Reuters"),
    ])
    def test_an_agency_is_no_party(self, extract, body, lang, agency):
        ev = extract(body, lang)
        assert ev
        assert agency not in names(ev, "source") + names(ev, "target")
        assert agency in names(ev, "other")


class TestArmedGroupsWorldwide:
    @pytest.mark.parametrize("text,lang,group,country", [
        ("Fighters of the M23 rebel group attacked an army post near Goma on Sunday, killing four soldiers.",
         "en", "M23", "COD"),
        ("The Arakan Army shelled a police outpost in Rakhine state on Friday, killing three officers.",
         "en", "Arakan Army", "MMR"),
        ("هاجمت قوات الدعم السريع قرية في شمال دارفور أمس ما أسفر عن مقتل ١٥ مدنيا.", "ar", "قوات الدعم السريع",
         "SDN"),
        ("شن مسلحو جيش التحرير الوطني هجوما على قاعدة عسكرية في كولومبيا أمس وقتلوا جنديين.", "ar",
         "جيش التحرير الوطني", "COL"),
    ])
    def test_a_named_group_is_the_source_with_its_country(self, extract, text, lang, group, country):
        ev = extract(text, lang)
        # the name may take the generic noun in front ("مسلحو جيش التحرير الوطني")
        assert any(group in n and c == country for n, c in roles(ev, "source")), [(e.type, e.actors) for e in ev]

    def test_rebels_alone_have_no_country(self, extract):
        # rebels fight in Myanmar and Colombia too: the bare noun is nobody's in particular
        ev = extract("Rebels attacked a military convoy near Lashio on Monday, killing six soldiers.", "en")
        assert ("Rebels", None) in roles(ev, "source"), [(e.type, e.actors) for e in ev]
