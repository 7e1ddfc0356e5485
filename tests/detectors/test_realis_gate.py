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


class BySentence(FixedRealis):
    """Gives sentences containing a marker their own probability; every other sentence `p`."""

    def __init__(self, p: float, marked: dict[str, float], threshold: float = 0.4) -> None:
        super().__init__(p, threshold)
        self.marked = marked

    def score_many(self, sentences, lang):
        self.calls += 1
        return [next((v for k, v in self.marked.items() if k in s), self.p) for s in sentences]


class TestAnchoredElaboration:
    """A report's doubted sentences about violence are kept when another of its sentences reports a
    violent event the classifier trusts; alone, they are dropped."""

    LEAD = "Israeli jets bombed a weapons depot near Homs on Sunday, killing four fighters."
    DETAIL = "The Syrian army said the missiles also hit an air defence battery near Masyaf."

    def test_doubted_detail_alone_is_dropped(self, pipelines):
        events = run(pipelines, BySentence(0.1, {}), self.DETAIL)
        assert not any(e.family == "explosions_remote_violence" for e in events)

    def test_doubted_detail_next_to_a_trusted_report_is_kept(self, pipelines):
        realis = BySentence(0.1, {"weapons depot": 0.9})
        events = run(pipelines, realis, f"{self.LEAD} {self.DETAIL}")
        detail = [e for e in events if "Masyaf" in e.sentence and e.family == "explosions_remote_violence"]
        assert detail, [(e.type, e.sentence) for e in events]

    def test_no_anchor_when_every_sentence_is_doubted(self, pipelines):
        events = run(pipelines, BySentence(0.1, {}), f"{self.LEAD} {self.DETAIL}")
        assert not any(e.family == "explosions_remote_violence" for e in events)

