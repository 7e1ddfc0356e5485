from datetime import date

from detectors.nlp.dates import parse_published, resolve_date

PUB = date(2017, 7, 1)  # a Saturday


class TestResolveDate:
    def test_relative(self):
        assert resolve_date({"rel": -1}, PUB) == date(2017, 6, 30)
        assert resolve_date({"rel": -2}, PUB) == date(2017, 6, 29)

    def test_weekday_is_latest_on_or_before(self):
        assert resolve_date({"weekday": 4, "last": False}, PUB) == date(2017, 6, 30)  # Friday
        assert resolve_date({"weekday": 5, "last": False}, PUB) == PUB  # same weekday: today
        assert resolve_date({"weekday": 5, "last": True}, PUB) == date(2017, 6, 24)

    def test_explicit_and_yearless_dates(self):
        assert resolve_date({"month": 4, "day": 4, "year": 2017}, PUB) == date(2017, 4, 4)
        assert resolve_date({"month": 12, "day": 9, "year": None}, PUB) == date(2016, 12, 9)

    def test_no_spec_is_publication_day(self):
        assert resolve_date(None, PUB) == PUB

    def test_parse_published(self):
        assert parse_published("2017-07-01T23:30:00-02:00") == date(2017, 7, 2)
        assert parse_published("2015-07-21 10:00:00") == date(2015, 7, 21)
        assert parse_published(None) is None
