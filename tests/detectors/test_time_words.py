"""Unvocalised Arabic writes 'dawn' (فَجْر) and 'detonated' (فجّر) alike: before a day word or inside a date
phrase ("فجر الجمعة", "فجر اليوم", "فجر امس") it is the time, and names no bombing."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("body, expected", [
    ("قصفت الطائرات البلدة فجر اليوم.", "air_drone_strike"),
    ("وأفاد المرصد بأن مسلحين هاجموا حاجزا للجيش فجر امس.", "armed_clash"),
    ("اشتبك مسلحون مع دورية للشرطة في الموصل فجر الجمعة.", "armed_clash"),
])
def test_dawn_is_no_detonation(extract, body, expected):
    events = extract(body, "ar")
    assert [e.type for e in events] == [expected], [(e.type, e.trigger.text) for e in events]
    assert all(e.trigger.text != "فجر" for e in events)


def test_the_verb_detonated_still_is_one(extract):
    events = extract("فجر انتحاري نفسه وسط سوق في بعقوبة أمس.", "ar")
    assert [e.type for e in events] == ["suicide_bomb"]


@pytest.mark.parametrize("body", [
    "توافد المصلون على المسجد منذ الفجر لأداء صلاة العيد.",
    "وبقي الناس في الشوارع حتى الفجر احتفالا بفوز المنتخب.",
])
def test_the_dawn_with_its_article_is_no_detonation(extract, body):
    # a verb takes no definite article: الفجر is always the dawn
    assert not [e for e in extract(body, "ar") if e.type == "remote_explosive_landmine_ied"]
