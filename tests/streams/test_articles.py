"""decode_article: every way a message can be bad gets a reason; good ones get id, lang and a time."""
import json
from datetime import datetime, timezone

import pytest

from detectors.articles import ArticleRejected, decode_article, normalise_timestamp

FIXED = lambda: datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)  # noqa: E731
LANG = lambda text: "xx"  # noqa: E731


def decode(obj, **kw):
    raw = obj if isinstance(obj, bytes) else json.dumps(obj, ensure_ascii=False).encode()
    return decode_article(raw, now=FIXED, detect_language=LANG, **kw)


class TestRejections:
    @pytest.mark.parametrize("raw,reason", [
        (b"\xff\xfe not utf8", "bad_encoding"),
        (b'{"title": "x"', "bad_json"),
        (b"[1, 2]", "not_an_object"),
        (b'{"title": "", "body": "  "}', "empty"),
        (b'{"title": 5}', "bad_field"),
        (b'{"title": "t", "published_at": "yesterday"}', "bad_field"),
        (b'{"title": "t", "labels": []}', "bad_field"),
    ])
    def test_reason(self, raw, reason):
        with pytest.raises(ArticleRejected) as exc:
            decode(raw)
        assert exc.value.reason == reason
        assert exc.value.detail

    def test_too_large(self):
        with pytest.raises(ArticleRejected) as exc:
            decode({"title": "x" * 2000}, max_bytes=1000)
        assert exc.value.reason == "too_large"


class TestAccepted:
    def test_id_from_url_then_hash(self):
        a = decode({"title": "t", "url": "https://e.com/1"})
        b = decode({"title": "t", "url": "https://e.com/1"})
        c = decode({"title": "t", "body": "b"})
        assert a.id == b.id and a.id.startswith("url-")
        assert c.id.startswith("sha-") and c.id != a.id
        assert decode({"id": "given", "title": "t"}).id == "given"

    def test_defaults(self):
        a = decode({"title": "العنوان", "body": "النص"})
        assert a.lang == "xx"
        assert a.published_at == "2024-05-01T12:00:00Z"
        assert decode({"title": "t", "lang": "AR"}).lang == "ar"

    def test_text_joins_title_and_body(self):
        a = decode({"title": "Headline", "body": "Body."})
        assert a.text.startswith("Headline") and a.text.endswith("Body.") and "\n" in a.text


class TestTimestamps:
    @pytest.mark.parametrize("value,expected", [
        ("2017-07-01T06:00:00Z", "2017-07-01T06:00:00Z"),
        ("2017-07-01T09:00:00+03:00", "2017-07-01T06:00:00Z"),
        ("2015-07-21 10:00:00", "2015-07-21T10:00:00Z"),
        ("2015-07-21", "2015-07-21T00:00:00Z"),
        ("not a date", None),
    ])
    def test_normalise(self, value, expected):
        assert normalise_timestamp(value) == expected
