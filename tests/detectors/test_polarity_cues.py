"""Polarity cues that read across a word: a negated 'stop' keeps the event asserted; a particle inside a
longer word is not a cue; surviving an attempt means the attack happened."""
from __future__ import annotations

import pytest

from detectors.types import VIOLENT_FAMILIES


def _violent(events):
    return [e for e in events if e.family in VIOLENT_FAMILIES]


@pytest.mark.parametrize("body, lang", [
    ("لم تتوقف القوات عن قصف الأحياء السكنية في حلب.", "ar"),
    ("The army did not stop shelling the eastern districts of Aleppo on Sunday.", "en"),
])
def test_a_negated_stop_keeps_the_event_asserted(extract, body, lang):
    events = _violent(extract(body, lang))
    assert events and all(e.polarity == "asserted" for e in events), [(e.type, e.polarity) for e in events]


@pytest.mark.parametrize("body, lang", [
    ("لم تقصف الطائرات أي موقع في المدينة.", "ar"),
    ("The jets did not strike any target in the city.", "en"),
])
def test_plain_negation_still_negates(extract, body, lang):
    events = _violent(extract(body, lang))
    assert events and all(e.polarity == "negated" for e in events)


def test_a_province_is_not_the_particle_any(extract):
    # ولاية = و + ل + اية would read as "any" (a hypothetical cue) if the particle took ب/ك/ل
    events = _violent(extract("قالت الشرطة في ولاية قندهار إن مسلحين خطفوا أربعة مهندسين أمس.", "ar"))
    assert events and events[0].polarity == "asserted"


@pytest.mark.parametrize("body, lang", [
    ("نجا قائد الشرطة من محاولة اغتيال بتفجير سيارة مفخخة في كركوك صباح أمس.", "ar"),
    ("The police chief survived an assassination attempt when a car bomb exploded in Kirkuk.", "en"),
])
def test_surviving_an_attempt_means_the_attack_happened(extract, body, lang):
    events = _violent(extract(body, lang))
    assert events and any(e.polarity == "asserted" for e in events), [(e.type, e.polarity) for e in events]


def test_a_foiled_attempt_stays_hypothetical(extract):
    events = _violent(extract("أحبطت الشرطة محاولة تفجير سيارة مفخخة في كركوك.", "ar"))
    assert all(e.polarity != "asserted" for e in events)


@pytest.mark.parametrize("body", [
    "وأحبطت القوات محاولتهم تفجير سيارة مفخخة عند الحاجز أمس.",
    "واعتقلت الشرطة ثلاثة مسلحين أثناء محاولتهم إطلاق قذائف هاون على البلدة فجر الجمعة.",
])
def test_an_attempt_with_a_pronoun_suffix_is_an_attempt(extract, body):
    # محاولتهم = محاولة + هم ("their attempt"): the attack it names did not happen
    events = _violent(extract(body, "ar"))
    assert events and not any(e.polarity == "asserted" for e in events), [(e.type, e.polarity) for e in events]
