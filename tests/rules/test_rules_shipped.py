"""The shipped rules: valid against their own JSON Schema, and the flagship rule's meaning (CONTRACT §6)
on hand-built events."""
from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
import yaml

from detectors.rules import check_rules, load_rules

from rulekit import DAMASCUS, GOLAN, GOLAN_AR, QUNEITRA, REPO, make_event

FLAGSHIP = "golan-cross-border-strike"
HERMON = dict(name="جبل الشيخ", country="ISR", lat=33.35, lon=35.8, regions=["golan_heights"])
SAHAM = dict(name="سحم الجولان", country="SYR", lat=32.78, lon=35.93, regions=[])
GALILEE = dict(name="Kiryat Shmona", country="ISR", lat=33.2, lon=35.57, regions=[])


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return load_rules(REPO / "rules")


def fires(rules, **kw: Any) -> bool:  # type: ignore[no-untyped-def]
    return any(m.rule_id == FLAGSHIP for m in rules.match(make_event(**kw), {"sources": 1}))


class TestSchema:
    @pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "rules").glob("*.yaml")))
    def test_shipped_files_validate_against_schema_json(self, name: str) -> None:
        """Each shipped file, as a whole document, is valid under rules/schema.json (what editors use)."""
        schema = json.loads((REPO / "rules" / "schema.json").read_text(encoding="utf-8"))
        doc = yaml.safe_load((REPO / "rules" / name).read_text(encoding="utf-8"))
        jsonschema.validate(doc, schema)

    def test_schema_rejects_a_bad_item(self) -> None:
        """The schema is not vacuous: a rule with a bad severity is invalid."""
        schema = json.loads((REPO / "rules" / "schema.json").read_text(encoding="utf-8"))
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate([{"rule": "x", "condition": "m", "severity": "urgent"}], schema)

    def test_check_has_no_errors(self) -> None:
        """`rules check rules/` finds no error (examples need the extractor and are checked when it exists)."""
        assert [str(e) for e in check_rules(REPO / "rules") if e.is_error] == []


class TestFlagshipMeaning:
    @pytest.mark.parametrize("kw", [
        dict(),  # errant Syrian fire landing on the Israeli-held Golan
        dict(type="air_drone_strike", origin="ISR", impact="SYR", locations=[QUNEITRA]),  # retaliation
        dict(type="disrupted_weapons_use", locations=[GOLAN_AR]),  # interception over the Golan
        dict(type="armed_clash", origin="ISR", impact="SYR", locations=[QUNEITRA]),  # incursion with fire
        dict(locations=[HERMON]),
        dict(locations=[dict(name="Quneitra", lat=33.12, lon=35.83)]),  # placed by coordinates only
        dict(attributed_to="witnesses"),  # hedged attribution still reports the event
    ], ids=["errant-fire", "retaliation", "interception", "incursion", "hermon", "coords", "attributed"])
    def test_positive(self, rules, kw: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
        assert fires(rules, **kw)

    @pytest.mark.parametrize("kw", [
        dict(type="air_drone_strike", origin="ISR", impact="SYR", locations=[DAMASCUS]),  # elsewhere in Syria
        dict(origin="LBN", impact="ISR", locations=[GALILEE]),  # Lebanon front
        dict(origin="LBN", impact="ISR"),  # fire from Lebanon even onto the Golan
        dict(background=True),  # history
        dict(polarity="hypothetical"),  # threats and intentions
        dict(polarity="negated"),  # denials
        dict(type="threaten"), dict(type="deny"), dict(type="agreement"),  # statements, diplomacy
        dict(origin="SYR", impact="SYR", cross_border=False, locations=[QUNEITRA]),  # Syrian-Syrian fighting
        dict(origin="SYR", impact="SYR", cross_border=False, locations=[SAHAM]),  # the Daraa namesake
        dict(locations=[SAHAM]),
    ], ids=["damascus", "lebanon-galilee", "lebanon-golan", "background", "threat", "denial", "threaten",
            "deny", "agreement", "intra-syrian", "saham", "saham-crossing"])
    def test_negative(self, rules, kw: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
        assert not fires(rules, **kw)

    def test_severity_and_explanation(self, rules) -> None:  # type: ignore[no-untyped-def]
        """High severity; the explanation names type, place, crossing and polarity."""
        (m,) = [m for m in rules.match(make_event(), {"sources": 1}) if m.rule_id == FLAGSHIP]
        assert m.severity == "high" and m.routes == ["default", "chat"]
        assert m.explanation[:3] == ["type is shelling_artillery_missile_attack (trigger \"mortar shell\")",
                                     "location \"Golan Heights\" is in region golan_heights",
                                     "crosses a border (SYR → ISR)"]


class TestOtherShippedRules:
    def test_mass_casualty_and_escalation(self, rules) -> None:  # type: ignore[no-untyped-def]
        """Ten killed anywhere is a mass-casualty alert; fifty makes it critical; quake tolls are excepted."""
        ev = make_event(type="suicide_bomb", killed=12, origin=None, impact="SYR", cross_border=False,
                        locations=[DAMASCUS], sentence="A suicide bomber killed 12 in Damascus.", trigger="bomber")
        got = {m.rule_id: m for m in rules.match(ev, {"sources": 1})}
        assert got["mass-casualty-event"].severity == "high"
        got = {m.rule_id: m for m in rules.match(ev, {"sources": 1, "killed": 60})}
        assert got["mass-casualty-event"].severity == "high"  # another report's toll is not this event's
        ev.killed = 60
        got = {m.rule_id: m for m in rules.match(ev, {"sources": 1})}
        assert got["mass-casualty-event"].severity == "critical"
        assert "mass-casualty-event" not in {m.rule_id for m in rules.match(make_event(), {"sources": 1, "killed": 60})}
        quake = make_event(type="attack", killed=40, sentence="The earthquake toll rose to 40.", trigger="toll")
        assert "mass-casualty-event" not in {m.rule_id for m in rules.match(quake, {"sources": 1})}

    def test_chemical_allegation(self, rules) -> None:  # type: ignore[no-untyped-def]
        """An accusation mentioning sarin in Syria fires; one about something else does not."""
        acc = make_event(type="accuse", origin="RUS", impact="SYR", cross_border=False,
                         locations=[dict(name="خان شيخون", country="SYR", lat=35.44, lon=36.65)],
                         sentence="شككت روسيا في تقرير منظمة حظر الأسلحة الكيميائية حول استخدام السارين",
                         trigger="شككت")
        assert "syria-chemical-weapons-allegation" in {m.rule_id for m in rules.match(acc, {"sources": 1})}
        other = make_event(type="accuse", origin="RUS", impact="SYR", cross_border=False, locations=[DAMASCUS],
                           sentence="Russia accused the West of meddling.", trigger="accused")
        assert "syria-chemical-weapons-allegation" not in {m.rule_id for m in rules.match(other, {"sources": 1})}

    def test_territory_change_in_aleppo_province(self, rules) -> None:  # type: ignore[no-untyped-def]
        """A withdrawal from villages south-east of Aleppo fires; one in Raqqa does not."""
        kw = dict(type="non_violent_transfer_of_territory", origin=None, impact="SYR", cross_border=False,
                  sentence="انسحب تنظيم داعش من 17 قرية في جنوب شرق حلب", trigger="انسحب")
        near = make_event(locations=[dict(name="جنوب شرق حلب", country="SYR", lat=35.9, lon=37.6)], **kw)
        raqqa = make_event(locations=[dict(name="الرقة", country="SYR", lat=35.95, lon=39.01)], **kw)
        assert "aleppo-province-territory-change" in {m.rule_id for m in rules.match(near, {"sources": 1})}
        assert "aleppo-province-territory-change" not in {m.rule_id for m in rules.match(raqqa, {"sources": 1})}
