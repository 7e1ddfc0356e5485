"""A capture verb makes a territory event only when land changes hands: not control of a fire, of the
situation or of power, not freed hostages or a company taken over, and not the present-tense 'the areas
the group controls' (who holds a place, said in passing). Real captures in either tense stay events."""
from __future__ import annotations

import pytest

TERRITORY = {"government_regains_territory", "non_state_actor_overtakes_territory"}


def _territory(events):
    return [e for e in events if e.type in TERRITORY]


@pytest.mark.parametrize("body, lang", [
    ("وسيطرت قوات الدفاع المدني على الحريق بعد ساعات من اندلاعه.", "ar"),
    ("وأعلن الجيش أن قواته سيطرت على الأوضاع في المدينة بعد ليلة من الاشتباكات.", "ar"),
    ("حررت القوات الخاصة الرهائن من الطائرة المخطوفة في مطار عنتيبي.", "ar"),
    ("The firm took control of the company in a $2 billion deal on Monday.", "en"),
    ("Police said they had the situation under control after troops seized control of the situation at the port.", "en"),
    ("Army officers seized power in Niger on Wednesday.", "en"),
])
def test_a_capture_of_something_else_is_no_territory_event(extract, body, lang):
    assert not _territory(extract(body, lang)), [(e.type, e.trigger.text) for e in extract(body, lang)]


@pytest.mark.parametrize("body", [
    "قصفت الطائرات المناطق التي يسيطر عليها التنظيم في ريف حلب أمس.",
    "وتقع البلدة في المنطقة الذي تسيطر عليه الفصائل منذ عامين.",
])
def test_present_tense_control_in_a_relative_clause_is_a_state(extract, body):
    assert not _territory(extract(body, "ar"))


@pytest.mark.parametrize("body, lang", [
    ("سيطرت فصائل المعارضة على بلدة خان شيخون في ريف إدلب أمس بعد معارك عنيفة.", "ar"),
    ("الجيش السوري يسيطر على بلدة خان شيخون في ريف إدلب", "ar"),  # a headline's present tense
    ("Rebels seized the town of Khan Sheikhoun in Idlib province on Monday after heavy fighting.", "en"),
])
def test_a_real_capture_stays_a_territory_event(extract, body, lang):
    assert _territory(extract(body, lang))


@pytest.mark.parametrize("body, lang", [
    ("واستولى القراصنة على سفينة شحن قبالة السواحل الصومالية أمس.", "ar"),
    ("ودعا الخبراء الطلاب إلى تخصيص يوم لاستعادة النشاط بعد الامتحانات.", "ar"),
    ("Pirates seized a tanker off the Somali coast on Tuesday.", "en"),
    ("The team recaptured the lead in the second half on Sunday.", "en"),
    ("Rebels seized three aid trucks near the border on Monday.", "en"),
])
def test_a_capture_needs_a_place_for_object(extract, body, lang):
    assert not _territory(extract(body, lang))


@pytest.mark.parametrize("body, lang", [
    ("استعاد الجيش السيطرة على مدينة تدمر بعد معارك عنيفة مع التنظيم أمس.", "ar"),
    ("واقتحم المسلحون البلدة وسيطروا على مقر الشرطة فيها صباح أمس.", "ar"),
    ("The town of Khan Sheikhoun was captured by rebels on Monday after heavy fighting.", "en"),
])
def test_a_capture_of_a_place_is_a_territory_event(extract, body, lang):
    assert _territory(extract(body, lang))


@pytest.mark.parametrize("body, lang", [
    ("أعلنت الولايات المتحدة انسحابها من الاتفاق النووي مع إيران أمس.", "ar"),
    ("وانسحب المرشح من السباق الانتخابي في القاهرة أمس.", "ar"),
    ("Sumitomo has withdrawn its takeover offer for the Tokyo firm, the company said on Monday.", "en"),
    ("The United States withdrew from the agreement with Iran in Washington on Tuesday.", "en"),
])
def test_a_withdrawal_from_something_else_is_no_territory_change(extract, body, lang):
    assert not [e for e in extract(body, lang) if e.type == "non_violent_transfer_of_territory"]


@pytest.mark.parametrize("body, lang", [
    ("وانسحب تنظيم داعش من مدينة تدمر بعد معارك مع القوات الحكومية أمس.", "ar"),
    ("Islamic State fighters withdrew from the town of Palmyra on Sunday.", "en"),
])
def test_a_withdrawal_from_a_place_stays_a_territory_change(extract, body, lang):
    assert [e for e in extract(body, lang) if e.type == "non_violent_transfer_of_territory"]
