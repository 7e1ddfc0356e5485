"""Realis classifier (detectors/nlp/realis.py): loading, orderings on held-out sentences, normaliser,
score_many == score, reproducible training.

The sentences below were written for these tests and are in no training file (a test checks that).
"""
from __future__ import annotations

import json
import sys
from itertools import product
from pathlib import Path

import pytest
import spacy

from detectors.nlp.realis import DEFAULT_MODEL_DIR, RealisClassifier

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import train_realis  # noqa: E402

# (reports a real new violent event, same topic but not a new event)
AR_PAIRS = [
    ("قتل أربعة جنود وأصيب سبعة آخرون عندما انفجرت عبوة ناسفة بآليتهم قرب مدينة تكريت صباح اليوم.",
     "قال قائد الشرطة إن العبوات الناسفة ما زالت تشكل أكبر خطر على الجنود في محيط تكريت."),
    ("شنت طائرات حربية غارات على بلدة خان شيخون أمس، ما أسفر عن مقتل تسعة مدنيين بينهم أطفال.",
     "نفت وزارة الدفاع الروسية أن تكون طائراتها قد شنت أي غارات على بلدة خان شيخون."),
    ("أطلق مسلحون النار على حافلة تقل عمالا في محافظة المنيا، فقتلوا ثلاثة منهم وجرحوا خمسة.",
     "توعد التنظيم في بيان بمهاجمة الحافلات التي تقل العمال إذا لم تتوقف الحملة الأمنية."),
    ("سقطت قذيفتان أطلقتا من الأراضي السورية في الجولان المحتل ظهر اليوم، وفق الجيش الإسرائيلي.",
     "يرى خبراء أن أي تصعيد في الجولان قد يجر المنطقة إلى حرب واسعة."),
    ("اختطف مسلحون مهندسين صينيين اثنين من موقع بناء في ولاية النيل الأزرق فجر الخميس.",
     "تطالب السفارة الصينية منذ أشهر بتعزيز الحماية للمهندسين العاملين في مواقع البناء."),
    ("قصفت المدفعية مواقع المسلحين في جبل الزاوية الليلة الماضية، وقال ناشطون إن منزلين دمرا.",
     "تعرضت قرى جبل الزاوية لقصف متكرر خلال سنوات الحرب الأولى، وهجرها معظم سكانها."),
]
EN_PAIRS = [
    ("A car bomb exploded outside a police station in Kirkuk on Tuesday, killing four officers and wounding nine.",
     "Police in Kirkuk said car bombs remained the biggest threat to the city's security."),
    ("Israeli aircraft struck a weapons depot near Quneitra overnight, Syrian state media reported.",
     "The Israeli army denied that its aircraft had carried out any strike near Quneitra."),
    ("Gunmen stormed a village in Plateau state on Sunday night and killed at least 18 people, police said.",
     "The governor of Plateau state warned that armed gangs could attack more villages during the harvest."),
    ("A mortar shell hit a school courtyard in Homs on Monday, wounding six children, the health ministry said.",
     "Mortars are cheap and easy to move, which makes them the weapon of choice for many armed groups in Syria."),
    ("Pirates boarded a bulk carrier off Nigeria on Thursday and kidnapped ten crew members, the owner said.",
     "Ship owners have asked for more naval patrols because of the growing risk of kidnapping off Nigeria."),
    ("Two rockets fired from Lebanon hit a house in Metula on Friday afternoon, causing damage but no injuries.",
     "Metula residents recalled the rocket barrages of the 2006 war as tension on the border grew."),
]


@pytest.fixture(scope="module")
def clf() -> RealisClassifier:
    return RealisClassifier.load()


def _ordered_fraction(pos: list[float], neg: list[float]) -> float:
    pairs = list(product(pos, neg))
    return sum(p > n for p, n in pairs) / len(pairs)


class TestLoad:
    def test_default_model_has_both_languages_and_thresholds(self, clf):
        """The shipped model loads from detectors/data/realis with ar and en and tuned thresholds."""
        assert set(clf.langs) == {"ar", "en"}
        for lang in ("ar", "en"):
            assert 0.0 < clf.threshold(lang) < 1.0

    def test_missing_model_folder_raises(self, tmp_path):
        """An empty folder is reported, not silently accepted."""
        with pytest.raises(FileNotFoundError):
            RealisClassifier.load(tmp_path)

    def test_unknown_language_raises(self, clf):
        """A language without a model is an error, not a silent 0."""
        with pytest.raises(ValueError):
            clf.score("Der Panzer schoss auf das Dorf.", "de")

    def test_model_is_small(self):
        """The shipped weights stay small enough for git."""
        size = sum(f.stat().st_size for f in DEFAULT_MODEL_DIR.rglob("*") if f.is_file())
        assert size < 20 * 1024 * 1024


class TestScores:
    @pytest.mark.parametrize("lang,pairs", [("ar", AR_PAIRS), ("en", EN_PAIRS)])
    def test_real_events_outscore_their_non_event_twins(self, clf, lang, pairs):
        """For each held-out pair, the report of a new attack scores higher than background/threat/denial."""
        for real, other in pairs:
            assert clf.score(real, lang) > clf.score(other, lang), (real, other)

    @pytest.mark.parametrize("lang,pairs", [("ar", AR_PAIRS), ("en", EN_PAIRS)])
    def test_real_events_rank_above_all_non_events(self, clf, lang, pairs):
        """Across pairs, almost every real-event sentence outranks every non-event sentence."""
        pos = clf.score_many([p for p, _ in pairs], lang)
        neg = clf.score_many([n for _, n in pairs], lang)
        assert _ordered_fraction(pos, neg) >= 0.9
        assert sum(p >= clf.threshold(lang) for p in pos) >= len(pos) - 1
        assert sum(n < clf.threshold(lang) for n in neg) >= len(neg) - 1

    def test_scores_are_probabilities(self, clf):
        for s in clf.score_many(["", "...", AR_PAIRS[0][0]], "ar"):
            assert 0.0 <= s <= 1.0

    @pytest.mark.parametrize("lang,pairs", [("ar", AR_PAIRS), ("en", EN_PAIRS)])
    def test_score_many_equals_score(self, clf, lang, pairs):
        """Batch scoring gives the same numbers as one-by-one scoring."""
        texts = [t for pair in pairs for t in pair]
        assert clf.score_many(texts, lang) == pytest.approx([clf.score(t, lang) for t in texts], abs=1e-6)

    def test_held_out_sentences_are_not_training_rows(self):
        """The sentences above are really held out."""
        data = DEFAULT_MODEL_DIR
        train = {json.loads(line)["text"].strip() for f in ("ar_written.jsonl", "en_written.jsonl", "ar_gsr_train.jsonl")
                 for line in (data / f).read_text(encoding="utf8").splitlines() if line.strip()}
        for pair in AR_PAIRS + EN_PAIRS:
            for text in pair:
                assert text not in train


class TestNormalizer:
    @pytest.fixture()
    def nlp(self):
        nlp = spacy.blank("ar")
        nlp.add_pipe("newsmon_realis_normalizer").initialize(tables=DEFAULT_MODEL_DIR / "norm_ar.json")
        return nlp

    def test_arabic_norms(self, nlp):
        """Diacritics and tatweel go, letters are unified, digits become ASCII, proclitics split off."""
        doc = nlp("وبالقصفِ أطلقــت ٣٥ قذيفة على مستشفى")
        assert [t.norm_ for t in doc] == ["و+ب+ال+قصف", "اطلقت", "35", "قذيفه", "علي", "مستشفي"]

    def test_short_words_keep_their_first_letter(self, nlp):
        """A proclitic is split off only when at least min_stem letters remain."""
        assert [t.norm_ for t in nlp("ولد بلد")] == ["ولد", "بلد"]

    def test_serialisation_round_trip(self, nlp, tmp_path):
        nlp.to_disk(tmp_path / "p")
        again = spacy.load(tmp_path / "p")
        assert [t.norm_ for t in again("وللجيش")] == ["و+ل+ال+جيش"]
        clone = spacy.blank("ar")
        clone.add_pipe("newsmon_realis_normalizer").from_bytes(nlp.get_pipe("newsmon_realis_normalizer").to_bytes())
        assert [t.norm_ for t in clone("وللجيش")] == ["و+ل+ال+جيش"]


class TestTraining:
    def _sample(self):
        records = train_realis.english_examples(corpus=None)
        pos = [r for r in records if r["label"] == 1][:25]
        neg = [r for r in records if r["label"] == 0][:25]
        return pos + neg

    def test_same_seed_same_model(self):
        """Training twice on the same tiny sample with the same seed gives identical weights."""
        sample = self._sample()
        a = train_realis.train_pipeline(sample, "en", seed=3, epochs=3)
        b = train_realis.train_pipeline(sample, "en", seed=3, epochs=3)
        assert a.get_pipe("textcat").to_bytes() == b.get_pipe("textcat").to_bytes()
        c = train_realis.train_pipeline(sample, "en", seed=4, epochs=3)
        assert a.get_pipe("textcat").to_bytes() != c.get_pipe("textcat").to_bytes()

    def test_training_learns_the_sample(self):
        """A model trained on the sample separates it (the loop really updates the weights)."""
        sample = self._sample()
        nlp = train_realis.train_pipeline(sample, "en", seed=0, epochs=5)
        scores = train_realis.predict(nlp, [r["text"] for r in sample])
        pos = [s for s, r in zip(scores, sample) if r["label"]]
        neg = [s for s, r in zip(scores, sample) if not r["label"]]
        assert _ordered_fraction(pos, neg) > 0.95

    def test_script_writes_a_loadable_model(self, tmp_path):
        """scripts/train_realis.py end to end in a temp dir; the result loads through RealisClassifier."""
        rc = train_realis.main(["--lang", "en", "--out", str(tmp_path), "--corpus-dir", "none",
                                "--folds", "0", "--epochs", "2", "--limit", "60"])
        assert rc == 0
        assert json.loads((tmp_path / "thresholds.json").read_text()) == {"en": 0.5}
        clf = RealisClassifier.load(tmp_path)
        assert clf.langs == ("en",)
        assert 0.0 <= clf.score(EN_PAIRS[0][0], "en") <= 1.0
