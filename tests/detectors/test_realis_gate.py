"""The realis gate in Extractor: violent frames in sentences the classifier says report no new event are
dropped, with the exceptions the design names. The classifier is faked at its seam (score_many/threshold);
the pipeline and the gate are the real code."""
from __future__ import annotations

import pytest

from detectors.extract import Extractor
from detectors.types import Article


class FixedRealis:
    """A realis scorer that gives every sentence the same probability."""

    def __init__(self, p: float, threshold: float = 0.4) -> None:
        self.p, self._threshold, self.calls = p, threshold, 0

    def threshold(self, lang: str) -> float:
        return self._threshold

    def score_many(self, sentences, lang):
        self.calls += 1
        return [self.p for _ in sentences]


@pytest.fixture(scope="module")
def pipelines(rules_extractor):
    return rules_extractor.pipelines


def run(pipelines, realis, body, lang="en"):
    ex = Extractor(pipelines, realis=realis)
    return ex(Article(id="g", body=body, lang=lang, published_at="2019-03-04T10:00:00Z"))


class TestGate:
    STRIKE_EN = "Israeli jets bombed a weapons depot near Homs on Sunday, killing four fighters."
    STRIKE_AR = "قصفت طائرات إسرائيلية أمس مستودعا للأسلحة قرب حمص، ما أدى إلى مقتل أربعة مسلحين."

    @pytest.mark.parametrize("lang,body", [("en", STRIKE_EN), ("ar", STRIKE_AR)])
    def test_low_realis_drops_violent_events(self, pipelines, lang, body):
        kept = run(pipelines, FixedRealis(0.9), body, lang)
        assert any(e.family == "explosions_remote_violence" for e in kept)
        dropped = run(pipelines, FixedRealis(0.1), body, lang)
        assert not any(e.family == "explosions_remote_violence" for e in dropped)

    def test_statements_are_never_gated(self, pipelines):
        body = "France condemned the attack and Russia denied any role, the ministry said."
        assert [e.type for e in run(pipelines, FixedRealis(0.0), body) if e.family == "statements"] == \
            [e.type for e in run(pipelines, None, body) if e.family == "statements"]

    def test_cross_border_fire_in_a_watch_region_is_kept(self, pipelines):
        body = ("A mortar shell fired from Syria exploded in an open area of the Israeli-held Golan Heights on "
                "Monday, the Israeli army said.")
        events = run(pipelines, FixedRealis(0.0), body)
        assert any(e.cross_border and "golan_heights" in e.regions for e in events)

    def test_no_classifier_means_no_gate(self, pipelines):
        assert any(e.family == "explosions_remote_violence" for e in run(pipelines, None, self.STRIKE_EN))

    def test_one_classifier_call_per_article(self, pipelines):
        realis = FixedRealis(0.9)
        run(pipelines, realis, self.STRIKE_EN + " " + self.STRIKE_EN.replace("Homs", "Hama"))
        assert realis.calls == 1
