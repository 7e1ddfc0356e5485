"""The spaCy components one by one, in both languages."""
from __future__ import annotations

import json

import pytest
import spacy

import detectors.nlp.components  # noqa: F401  (registers the factories)
from detectors.extract import build_pipeline
from detectors.nlp.lexicon import DATA_DIR, LexiconError, read_jsonl


@pytest.fixture(scope="module")
def pipes():
    return {"ar": build_pipeline("ar"), "en": build_pipeline("en")}


def hits(doc, group, t=None):
    return [(doc.text[m.start:m.end], m.payloads[0]) for m in doc._.newsmon[group]
            if t is None or any(p["t"] == t for p in m.payloads)]


class TestPipeline:
    def test_component_order(self, pipes):
        for nlp in pipes.values():
            assert nlp.pipe_names == ["newsmon_sentences", "newsmon_normalizer", "newsmon_gazetteer",
                                      "newsmon_triggers", "newsmon_cues", "newsmon_events"]

    def test_factories_registered(self):
        for name in ("newsmon_normalizer", "newsmon_gazetteer", "newsmon_triggers", "newsmon_cues",
                     "newsmon_events"):
            assert spacy.Language.has_factory(name)

    def test_pipe_equals_call(self, pipes):
        texts = ["قصفت المدفعية الإسرائيلية القنيطرة.", "لا شيء هنا."]
        a = [d._.newsmon["frames"] for d in pipes["ar"].pipe(texts)]
        b = [pipes["ar"](t)._.newsmon["frames"] for t in texts]
        assert a == b


class TestSentences:
    def test_boundaries_en(self, pipes):
        doc = pipes["en"]("IDF Lt. Col. Jonathan Conricus told the AP. Israel responded!\nU.S. officials said so.")
        assert [doc.text[s:e] for s, e in doc._.newsmon["sents"]] == [
            "IDF Lt. Col. Jonathan Conricus told the AP.", "Israel responded!", "U.S. officials said so."]
        assert [s.text.strip() for s in doc.sents][0] == "IDF Lt. Col. Jonathan Conricus told the AP."

    def test_boundaries_ar(self, pipes):
        doc = pipes["ar"]("قال الجيش: سقط صاروخ. وردت إسرائيل؟ نعم «بقصف».\nفقرة")
        assert [doc.text[s:e].strip() for s, e in doc._.newsmon["sents"]] == [
            "قال الجيش: سقط صاروخ.", "وردت إسرائيل؟", "نعم «بقصف».", "فقرة"]


class TestNormalizerComponent:
    def test_token_norms_optional(self):
        nlp = spacy.blank("ar")
        nlp.add_pipe("newsmon_normalizer", config={"set_token_norms": True})
        doc = nlp("مُسَيَّرة أُطلقت")
        assert [t.norm_ for t in doc] == ["مسيره", "اطلقت"]
        assert doc._.newsmon["norm"].text == "مسيره اطلقت"

    def test_english_norm(self):
        nlp = spacy.blank("en")
        nlp.add_pipe("newsmon_normalizer")
        assert nlp("IDF’s Strike")._.newsmon["norm"].text == "idf's strike"


class TestGazetteer:
    def test_arabic_places_with_clitics(self, pipes):
        doc = pipes["ar"]("سقطت قذيفة بالجولان وأخرى في القنيطرة ولسورية")
        names = {h[1]["id"] for h in hits(doc, "gaz", "place")}
        assert {"golan", "quneitra", "syria"} <= names

    def test_regions_from_polygon_and_aliases(self, pipes):
        doc = pipes["en"]("Shells hit Quneitra, Majdal Shams, Damascus and Kiryat Shmona.")
        regions = {doc.text[m.start:m.end]: m.payloads[0]["regions"] for m in doc._.newsmon["gaz"]
                   if m.payloads[0]["t"] == "place"}
        assert "golan_heights" in regions["Quneitra"] and "golan_heights" in regions["Majdal Shams"]
        assert regions["Damascus"] == [] and regions["Kiryat Shmona"] == []

    def test_traps(self, pipes):
        ar = pipes["ar"]("قال أبو محمد الجولاني إن المعارك في سحم الجولان مستمرة")
        assert [h[1]["id"] for h in hits(ar, "gaz", "place")] == ["saham_al_jawlan"]
        assert hits(ar, "gaz", "place")[0][1]["regions"] == []
        en = pipes["en"]("Yair Golan spoke at Mount Meron")
        assert {h[1]["id"] for h in hits(en, "gaz", "place")} == {"yair_golan", "meron"}

    def test_spelling_variants(self, pipes):
        for text in ("Kuneitra", "Quneitra", "al-Quneitra"):
            assert hits(pipes["en"](f"fire in {text}"), "gaz", "place")[0][1]["id"] == "quneitra"
        for text in ("جبل الشيخ", "حرمون", "جبل حرمون"):
            assert hits(pipes["ar"](f"في {text}"), "gaz", "place")[0][1]["id"] == "hermon"

    def test_actors_and_demonyms(self, pipes):
        doc = pipes["ar"]("قصف جيش الاحتلال مواقع سورية وقوات إيرانية")
        actors = {h[1].get("id") or h[1]["t"]: h[1]["country"] for h in hits(doc, "gaz") if h[1]["t"] in ("actor", "dem")}
        assert actors["isr_military"] == "ISR" and "IRN" in actors.values()

    def test_spans_written_when_asked(self):
        nlp = spacy.blank("en")
        nlp.add_pipe("newsmon_normalizer")
        nlp.add_pipe("newsmon_gazetteer", config={"write_spans": True})
        doc = nlp("Rockets hit the Golan Heights")
        assert [s.text for s in doc.spans["newsmon_gaz"]] == ["Golan Heights"]


class TestTriggers:
    def test_arabic_verb_forms_and_clitics(self, pipes):
        doc = pipes["ar"]("وقصفت الطائرات مواقع واستهدفتها، فاعترضت الدفاعات صاروخين")
        classes = [h[1]["class"] for h in hits(doc, "trg", "trg")]
        assert classes.count("attack") == 2 and "intercept" in classes
        assert {h[1]["weapon"] for h in hits(doc, "trg", "wpn")} >= {"aircraft", "rocket"}

    def test_short_verbs_take_no_preposition(self, pipes):
        """"بحث" is "discussed", not ب + حث ("urged")."""
        doc = pipes["ar"]("وبحث الوزير الوضع")
        assert hits(doc, "trg", "trg") == []

    def test_imperfect_flag(self, pipes):
        doc = pipes["ar"]("تسقط القذائف وسقطت قذيفة")
        flags = [(t, p["impf"]) for t, p in hits(doc, "trg", "trg")]
        assert flags == [("تسقط", True), ("سقطت", False)]

    def test_english(self, pipes):
        doc = pipes["en"]("Iron Dome intercepted two rockets; artillery shelled the launchers.")
        assert [h[1]["class"] for h in hits(doc, "trg", "trg")] == ["intercept", "attack"]

    def test_non_event_phrases_shadow_triggers(self, pipes):
        doc = pipes["en"]("Workers went on strike and shares fell sharply.")
        assert {h[1]["class"] for h in hits(doc, "trg", "trg")} == {"none"}


class TestCues:
    def test_arabic_cues(self, pipes):
        doc = pipes["ar"]("قال الجيش إنه لم يسقط صاروخ أمس دون وقوع إصابات")
        cues = {h[1].get("cue") or h[1]["t"] for h in hits(doc, "cue")}
        assert {"speech", "neg", "no_injury", "date"} <= cues

    def test_english_cues(self, pipes):
        doc = pipes["en"]("According to SANA, rockets fired from Syria will not hit; no injuries.")
        cues = [h[1].get("cue") for h in hits(doc, "cue") if h[1]["t"] == "cue"]
        assert cues[:2] == ["speech", "origin"] and "hyp" in cues and "no_injury" in cues

    def test_number_words(self, pipes):
        doc = pipes["ar"]("قتل خمسة عشر وجرح ثلاثة")
        assert [h[1]["value"] for h in hits(doc, "cue", "num")] == [5, 10, 3]


class TestEventsComponent:
    def test_frames_ar_en(self, pipes):
        ar = pipes["ar"]("سقط صاروخ أطلق من سوريا في الجولان.")._.newsmon["frames"]
        en = pipes["en"]("A rocket fired from Syria fell in the Golan.")._.newsmon["frames"]
        for frames in (ar, en):
            assert len(frames) == 1
            f = frames[0]
            assert (f["origin_country"], f["impact_country"], f["cross_border"]) == ("SYR", "ISR", True)

    def test_event_spans(self, pipes):
        doc = pipes["ar"]("وقصفت المدفعية الإسرائيلية مواقع في القنيطرة.")
        assert [(s.text, s.label_) for s in doc.spans["events"]] == [("وقصفت", "shelling_artillery_missile_attack")]

    def test_no_trigger_no_frames(self, pipes):
        assert pipes["en"]("The weather in the Golan was sunny.")._.newsmon["frames"] == []


class TestData:
    def test_every_entry_has_source_or_reason(self):
        files = list(DATA_DIR.glob("gazetteer/*.jsonl")) + list(DATA_DIR.glob("lexicon/*.jsonl"))
        assert len(files) >= 7
        for path in files:
            assert sum(1 for _ in read_jsonl(path)) > 0

    def test_missing_reason_rejected(self, tmp_path):
        bad = tmp_path / "bad.jsonl"
        bad.write_text(json.dumps({"forms": ["x"]}) + "\n", encoding="utf-8")
        with pytest.raises(LexiconError, match="bad.jsonl:1"):
            list(read_jsonl(bad))

    def test_region_polygon_has_provenance(self):
        fc = json.loads((DATA_DIR / "regions" / "golan_heights.geojson").read_text(encoding="utf-8"))
        props = fc["features"][0]["properties"]
        assert props["region"] == "golan_heights" and props["source"] and props["reason"]
