"""More Golan cases in both languages, phrased after real reporting patterns (not the dev passages):
Israeli fire on Quneitra positions, spillover landing in the Israeli-held Golan, interceptions, and the
hard negatives around them (monitoring, intra-Syrian fighting, other fronts, threats, denials, history,
construction, weather, direction-only mentions)."""
from __future__ import annotations

import pytest

from detectors.types import Article, Event


from tests.detectors.golan_predicate import golan_strike  # noqa: E402


POS = {
 "ar": [
  "أعلن الجيش الإسرائيلي أنه استهدف مدفعاً للجيش السوري في منطقة القنيطرة رداً على سقوط قذائف في الجولان.",
  "قالت مصادر محلية إن قذيفة دبابة إسرائيلية سقطت في بلدة جباتا الخشب بريف القنيطرة الشمالي صباح اليوم.",
  "أفاد المرصد السوري بأن طائرات إسرائيلية قصفت مواقع لقوات النظام في تل الحارة وريف القنيطرة.",
  "وقصف الجيش الإسرائيلي أمس مواقع للجيش السوري في القنيطرة بعد إصابة جندي إسرائيلي بنيران مصدرها سوريا.",
  "سقطت عدة قذائف صاروخية أطلقت من الأراضي السورية في مناطق مفتوحة في الجولان، ورد الجيش الإسرائيلي بقصف مصادر النيران.",
  "أصيب جنديان إسرائيليان بجروح طفيفة إثر انفجار عبوة ناسفة قرب السياج الحدودي مع سوريا في الجولان.",
  "وذكرت القناة 12 العبرية أن صفارات الإنذار دوت في الجولان قبل سقوط صاروخين أطلقا من سوريا في منطقة مفتوحة.",
  "شن الطيران الحربي الإسرائيلي فجر اليوم غارات على مواقع عسكرية في محافظة القنيطرة جنوب سوريا.",
  "أطلقت دبابة إسرائيلية قذيفة على موقع للجيش السوري في قرية الحميدية قرب خط وقف إطلاق النار.",
  "أعلنت تل أبيب أن دفاعاتها الجوية اعترضت طائرة مسيرة قادمة من سوريا فوق الجولان المحتل.",
  "ونقلت سانا عن مصدر عسكري قوله إن العدو الإسرائيلي قصف بالمدفعية أحد مواقعنا في ريف القنيطرة.",
  "أُطلقت قذيفتان من الأراضي السورية باتجاه الجولان وسقطتا في منطقة مفتوحة.",
  "استهدفت غارة إسرائيلية سيارة في بلدة حضر بريف القنيطرة.",
 ],
 "en": [
  "The IDF said it targeted a Syrian army cannon in Quneitra in response to shells that fell in the Golan.",
  "Israeli aircraft struck a Syrian army post near the ceasefire line on the Golan after a mortar round landed near Ein Zivan.",
  "An Israeli soldier was lightly wounded on Monday when shots fired from Syria hit his patrol on the Golan Heights.",
  "Israeli troops fired a Tamuz missile at a Syrian army position across the frontier after errant fire struck the Golan, the army said.",
  "Two rockets fired from Syria exploded in open fields in the Israeli-held Golan Heights on Saturday, the military said, adding that it had struck back.",
  "Syria said Israeli warplanes bombed a military post in Quneitra province on Wednesday, killing two soldiers.",
  "Iron Dome shot down a rocket fired from Syria over the northern Golan early on Thursday.",
  "An Israeli tank shelled a Syrian army outpost in the Golan demilitarised zone after stray fire hit an Israeli vehicle.",
  "Mortar bombs from the fighting in Syria slammed into the Golan Heights for the third time this week, the Israeli army said.",
  "IDF artillery hit a rocket launcher in southern Syria after it fired two rockets at the Israeli-controlled Golan.",
  "SANA quoted a military source as saying the Israeli enemy shelled one of our positions in Quneitra countryside.",
  "A mortar shell hit near a UN position in the buffer zone in the Golan, the Israeli military said.",
  "The Israeli military said tank fire hit a Syrian army post in Quneitra.",
  "Syrian positions in Quneitra were struck by Israeli tanks after the shelling.",
 ]}
NEG = {
 "ar": [
  "زار رئيس الوزراء الإسرائيلي الجولان المحتل وتعهد بعدم الانسحاب منه أبداً.",
  "قال الجيش الإسرائيلي إنه يراقب عن كثب المعارك الدائرة في القنيطرة قرب الحدود.",
  "اشتبكت فصائل المعارضة مع قوات النظام في مدينة البعث بريف القنيطرة وسط قصف مدفعي متبادل.",
  "غارات إسرائيلية على مطار المزة العسكري في دمشق فجر اليوم.",
  "أطلق حزب الله صواريخ من جنوب لبنان على مزارع شبعا المحتلة.",
  "وصل وفد من قوة أندوف إلى معبر القنيطرة لتفقد الأوضاع.",
  "ارتفعت درجات الحرارة في الجولان وسط تحذيرات من حرائق الغابات.",
  "حذر وزير الدفاع الإسرائيلي من أن إسرائيل ستضرب أي موقع تطلق منه النيران من سوريا نحو الجولان.",
  "في عام 1974 وقعت سوريا وإسرائيل اتفاق فض الاشتباك في الجولان.",
  "نفت دمشق أن تكون قواتها قد أطلقت أي قذائف باتجاه الجولان المحتل.",
  "أقامت إسرائيل جداراً جديداً على طول خط وقف إطلاق النار في الجولان.",
  "دوت صفارات الإنذار في الجولان إثر إطلاق صاروخ من سوريا، ولم يرصد سقوط أي قذيفة.",
  "وفي العام الماضي سقطت قذيفة هاون أطلقت من سوريا في الجولان.",
  "قُتل ثلاثة عناصر من قوات النظام في كمين نصبه مسلحون في ريف درعا الغربي.",
  "وذكرت صحيفة إسرائيلية أن مقاتلين من المعارضة هاجموا بلدة حضر في الجزء السوري من هضبة الجولان.",
  "ويخشى الحزب من تكرار تعرض مقاتليه لغارات إسرائيلية في الجولان على غرار ما حدث في القنيطرة.",
  "ردت المدفعية السعودية على قذائف حوثية سقطت على الشريط الحدودي دون وقوع إصابات.",
  "أطلقت فصائل في قطاع غزة صاروخين ليلاً. وقالت مصادر في جيش الاحتلال إن أحد الصواريخ سقط في الجانب الإسرائيلي من الشريط الحدودي.",
 ],
 "en": [
  "Netanyahu toured the Golan Heights and vowed Israel would never withdraw from it.",
  "The Israeli army said it was closely monitoring the fighting in Quneitra near the border.",
  "Rebels clashed with regime forces in Baath City in Quneitra province amid mutual shelling.",
  "Israeli air strikes hit Mezzeh military airport in Damascus early on Monday.",
  "Hezbollah fired rockets from southern Lebanon at the Shebaa Farms.",
  "A UNDOF delegation visited the Quneitra crossing to inspect the area.",
  "Temperatures rose across the Golan amid warnings of wildfires.",
  "Israel's defence minister warned that Israel would hit any position that fires toward the Golan.",
  "In 1974 Syria and Israel signed a disengagement agreement on the Golan.",
  "Damascus denied that its forces had fired any shells toward the occupied Golan.",
  "Israel built a new fence along the ceasefire line in the Golan.",
  "Sirens sounded in the Golan Heights after a rocket launch from Syria was identified; no impacts were reported.",
  "Last year a mortar shell fired from Syria hit a house in Majdal Shams.",
  "No rocket fell in the Golan, contrary to earlier reports.",
  "Three regime soldiers were killed in an ambush by gunmen in western Daraa countryside.",
  "Israeli jets flying over the Golan struck Hezbollah weapons depots near Homs.",
  "The Israeli army said it was closely monitoring the fighting in Quneitra near the border, the army said.",
  "A drone launched from Syria was shot down by an Israeli fighter jet over the Sea of Galilee.",
 ]}


def _events(extractor, text, lang):
    return extractor(Article(id="c", body=text, lang=lang, published_at="2017-07-01T00:00:00Z"))


@pytest.mark.parametrize("lang,text", [(l, t) for l in ("ar", "en") for t in POS[l]])
def test_positive(extractor, lang, text):
    assert any(golan_strike(e) for e in _events(extractor, text, lang)), text


@pytest.mark.parametrize("lang,text", [(l, t) for l in ("ar", "en") for t in NEG[l]])
def test_negative(extractor, lang, text):
    assert not any(golan_strike(e) for e in _events(extractor, text, lang)), text


def test_positive_direction_pairs(extractor):
    """Each positive case crosses the line one way or the other: Syria→Israeli-held Golan or Israel→Syrian side."""
    for lang in ("ar", "en"):
        for text in POS[lang]:
            hits = [e for e in _events(extractor, text, lang) if golan_strike(e)]
            assert any({e.origin_country, e.impact_country} <= {"ISR", "SYR", None} for e in hits), text
