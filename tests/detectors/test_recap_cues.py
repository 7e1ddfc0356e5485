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


@pytest.mark.parametrize("lang,body", [
    ("ar", "1943 - الحرب العالمية الثانية: قوات الحلفاء تشن سلسلة غارات جوية على هامبورغ: ثلاثون ألف قتيل."),
    ("en", "1943 - World War Two: Allied bombers launch a series of air raids on Hamburg, killing 30,000 people."),
])
def test_an_entry_of_a_dated_list_is_background(extract, lang, body):
    # "on this day" columns: the year heading the line dates everything in it
    events = extract(body, lang, published_at="2015-07-27T17:00:00Z")
    assert events and all(e.background for e in events)


@pytest.mark.parametrize("lang,body", [
    ("ar", "2015 - قتل 20 شخصا في تفجير انتحاري استهدف سوقا في بغداد أمس."),
    ("en", "2015 - A suicide bomber killed 20 people at a market in Baghdad on Sunday."),
])
def test_a_list_entry_of_this_year_is_news(extract, lang, body):
    events = extract(body, lang, published_at="2015-07-27T17:00:00Z")
    assert events and not any(e.background for e in events)


@pytest.mark.parametrize("lang,body", [
    ("ar", "وقتل حينها 14 ضابط أمن حين اقتحم مسلحون عددا من المباني في المدينة."),
    ("en", "Fourteen officers were killed at the time in an attack on the police headquarters in the city."),
])
def test_at_the_time_recalls_an_older_event(extract, lang, body):
    events = extract(body, lang, published_at="2015-08-02T10:00:00Z")
    assert events and all(e.background for e in events)
