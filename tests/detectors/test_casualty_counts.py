"""Casualty counts: Arabic dual nouns count as two, and a date's parts are never a toll."""
from __future__ import annotations

import pytest


def _toll(events, attr):
    vals = [getattr(e, attr) for e in events if getattr(e, attr) is not None]
    return vals[0] if vals else None


@pytest.mark.parametrize("body, killed, injured", [
    ("قتل جنديان إسرائيليان في قصف على موقع عسكري في الجولان.", 2, None),
    ("أسفرت الغارة عن مقتل شخصين وإصابة ثلاثة آخرين في إدلب.", 2, 3),
    ("سقط قتيلان وجريحان في انفجار عبوة ناسفة في درعا.", 2, 2),
    ("أصيب طفلان بجروح في قصف مدفعي على بلدة في ريف حماة.", None, 2),
])
def test_arabic_dual_nouns_count_as_two(extract, body, killed, injured):
    events = extract(body, "ar")
    assert events, body
    assert _toll(events, "killed") == killed
    assert _toll(events, "injured") == injured


def test_a_plural_that_looks_like_a_dual_is_not_counted(extract):
    # مدنيين is also the plural "civilians": no number can be read from it
    events = extract("قتل مدنيين في قصف على إدلب.", "ar")
    assert _toll(events, "killed") is None


def test_parts_of_a_date_are_not_a_toll(extract):
    body = "حادث إطلاق النار على دورية الأمن شرق مدينة الرياض بتاريخ 19/6/1436 واستشهاد قائدها."
    assert _toll(extract(body, "ar"), "killed") is None
    body_en = "Gunmen opened fire on a patrol on 21/7/2015, killing 4 policemen."
    assert _toll(extract(body_en, "en"), "killed") == 4


@pytest.mark.parametrize("body, lang", [
    ("Gunmen killed a man aged 49 and his granddaughter in an attack on a village near Donetsk.", "en"),
    ("US actor Ossie Davis has been found dead at the age of 87.", "en"),
    ("قتل رجل يبلغ من العمر 49 عاما في هجوم للانفصاليين على حي سكني في دونيتسك.", "ar"),
    ("أدى هجوم بالزجاجات الحارقة إلى وفاة الرضيع علي (18 شهرًا) على الفور.", "ar"),
])
def test_an_age_or_a_duration_is_not_a_toll(extract, body, lang):
    # "a man" may count as one; the age must not be read as the toll
    assert _toll(extract(body, lang), "killed") in (None, 1, 2)


def test_a_toll_beside_a_unit_elsewhere_still_counts(extract):
    events = extract("A car bomb killed 12 people in a market 20 km south of Baghdad.", "en")
    assert _toll(events, "killed") == 12


@pytest.mark.parametrize("body, lang", [
    ("وقتل مسلحو الحزب 21 على الأقل من أفراد قوات الأمن منذ 20 يوليو.", "ar"),
    ("وارتفع عدد قتلى الغارات إلى 300 شخص منذ بداية العام.", "ar"),
    ("Assassins have killed 52 policemen and soldiers in the capital this year.", "en"),
    ("Rebels have killed 40 soldiers since July 20, the army said.", "en"),
    ("مقتل 365 طفلا خلال الأحداث.", "ar"),
    ("قال الناطق إن 25 جنديا قتلوا وأصيب 35 آخرون في شهر يوليو وحده.", "ar"),
    ("More than 300 soldiers were killed during the war, the ministry said.", "en"),
])
def test_a_running_total_is_no_incident_toll(extract, body, lang):
    events = extract(body, lang)
    assert events, body
    assert _toll(events, "killed") is None


@pytest.mark.parametrize("body, lang", [
    ("أعلن الجيش مقتل وجرح 45 من جنوده بتفجير سيارة مفخخة قرب الفلوجة أمس.", "ar"),
    ("At least 40 people were killed or wounded when a car bomb exploded in the market on Monday.", "en"),
    ("مقتل وإصابة 120 في انفجار سيارة مفخخة في بغداد أمس.", "ar"),
    ("Iran said over 2,600 Iraqis had been killed or wounded in the fighting yesterday.", "en"),
])
def test_dead_and_wounded_counted_together_are_neither(extract, body, lang):
    events = extract(body, lang)
    assert events, body
    assert _toll(events, "killed") is None and _toll(events, "injured") is None


@pytest.mark.parametrize("body, lang, killed, injured", [
    ("قتل 12 شخصا في هجوم انتحاري استهدف سوقا في بغداد منذ يومين.", "ar", 12, None),  # منذ يومين: two days ago
    ("قتل 15 شخصا وأصيب 66 آخرون في هجوم انتحاري جنوب كركوك أمس.", "ar", 15, 66),
    ("A car bomb killed 14 people and wounded 30 in the capital on Monday.", "en", 14, 30),
    ("أفادت مصادر أمنية بأن خمسة مدنيين على الأقل قتلوا وأصيب 11 بجروح في قصف على المخيسة أمس.", "ar", 5, 11),
    ("وقالت مصادر إن 40 شخصا على الأقل قتلوا وأصيب 72 حينما انفجرت سيارة ملغومة في بعقوبة.", "ar", 40, 72),
    ("Five soldiers were killed and 11 wounded when a roadside bomb hit their convoy on Monday.", "en", 5, 11),
    ("وقال مسؤول إن خمسة جنود قتلوا وفقد 15 آخرون عندما هاجم مسلحون نقطة التفتيش أمس.", "ar", 5, None),
    ("Five soldiers were killed and 15 are missing after gunmen attacked the checkpoint on Monday.", "en", 5, None),
])
def test_one_incident_keeps_its_toll(extract, body, lang, killed, injured):
    events = extract(body, lang)
    assert _toll(events, "killed") == killed
    assert _toll(events, "injured") == injured


@pytest.mark.parametrize("body, lang", [
    ("مقتل المطلوب الرابع بقائمة الـ 36 للمملكة في غارة أمريكية على سوريا.", "ar"),  # a list's size
    ("والثانية قتلت الجندي رائد المطيري بتاريخ 29-2-1436هـ.", "ar"),  # a dashed Hijri date
    ("قتل قائد الفرقة 11 في قصف على مقره قرب حماة أمس.", "ar"),  # a division's number
    ("Gunmen killed the commander of Brigade 12 in an ambush near Deir ez-Zor on Monday.", "en"),
])
def test_a_number_that_names_something_is_no_toll(extract, body, lang):
    events = extract(body, lang)
    assert events, body
    assert _toll(events, "killed") is None


@pytest.mark.parametrize("body, lang", [
    ("The fires which began on May 6 have killed 191 people.", "en"),
    ("17 killed after a Soviet dam collapses.", "en"),
    ("لقي 40 شخصا حتفهم في تدافع خلال مهرجان ديني أمس.", "ar"),
])
def test_a_disaster_toll_is_no_violent_event(extract, body, lang):
    assert not any(e.killed for e in extract(body, lang) if e.family == "violence_against_civilians")
