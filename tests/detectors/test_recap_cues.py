"""Recap formulas ("this comes a week after…") mark the recalled event as background, in both languages,
and leave the news event of the sentence before them alone."""
import pytest


@pytest.mark.parametrize("lang,news,recap", [
    ("ar", "قصفت طائرات إسرائيلية أمس موقعا للجيش السوري في القنيطرة.",
     "ويأتي ذلك بعد نحو أسبوع من إعلان إسرائيل إسقاط طائرة مسيرة فوق الجولان."),
    ("en", "Israeli jets struck a Syrian army post in Quneitra on Monday.",
     "This comes a week after Israel shot down a drone over the Golan Heights."),
])
def test_recap_is_background_news_is_not(extract, lang, news, recap):
    events = extract(f"{news} {recap}", lang, published_at="2019-03-05T10:00:00Z")
    cut = len(news)
    before = [e for e in events if e.trigger.start < cut]
    after = [e for e in events if e.trigger.start > cut]
    assert before and not any(e.background for e in before)
    assert after and all(e.background for e in after)
