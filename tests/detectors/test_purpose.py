"""Arabic ل + an indefinite verbal noun names a purpose or a reference ("لمواجهة", "خطة لتفجير", "انتقاما
لتفجير"), not an attack that happened; after "تعرض" (came under, was subjected to) it is the attack itself.
English says the same with "to"/"plan to", which the hypothetical cues cover."""
from __future__ import annotations

import pytest

from detectors.types import VIOLENT_FAMILIES


def _asserted(events):
    return [e for e in events if e.family in VIOLENT_FAMILIES and e.polarity == "asserted"]


@pytest.mark.parametrize("body, lang", [
    ("وخصصت الوزارة مليار دولار لمواجهة تهديد القنابل البدائية.", "ar"),
    ("وكشفت الشرطة عن خطة لتفجير سيارة مفخخة في وسط العاصمة.", "ar"),
    ("واتهمت المحكمة الرجل بالتخطيط لاغتيال وزير الداخلية.", "ar"),
    ("Police uncovered a plan to bomb a bus station in the capital.", "en"),
    ("The court said the men had planned to assassinate the interior minister.", "en"),
])
def test_a_purpose_is_no_attack(extract, body, lang):
    assert not _asserted(extract(body, lang)), [(e.type, e.polarity) for e in extract(body, lang)]


@pytest.mark.parametrize("body, lang", [
    ("تعرضت البلدة لقصف إسرائيلي أمس.", "ar"),
    ("وتعرضت دورية للجيش لهجوم مسلح قرب الحدود أمس.", "ar"),
    ("تعرض قيادي في الحركة صباح الثلاثاء، للخطف على أيدي مسلحين في رام الله.", "ar"),
    ("وقال المعتقلون إنهم تعرضوا للتعذيب في السجن الشهر الماضي.", "ar"),
    ("The town came under Israeli shelling on Monday.", "en"),
])
def test_what_was_undergone_did_happen(extract, body, lang):
    assert _asserted(extract(body, lang)), [(e.type, e.polarity) for e in extract(body, lang)]
