"""spaCy components of the extraction pipeline, registered as ``newsmon_<name>`` factories.

Pipeline per language (built by ``detectors.extract.build_pipeline``)::

    spacy.blank(lang) → newsmon_sentences → newsmon_normalizer → newsmon_gazetteer → newsmon_triggers
                      → newsmon_cues → newsmon_events

Each component is a small class: settings come from its config, data from ``detectors/data/`` through
``initialize(data_dir=...)``. Results live on ``doc._.newsmon`` (a dict: ``norm``, ``gaz``, ``trg``,
``cue``, ``frames``) and, for the matchers, as ``doc.spans["newsmon_<group>"]`` when ``write_spans``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from detectors.nlp.assemble import Assembler
from detectors.nlp.lexicon import add_entry_forms, curated_files, data_path, normalizer, read_jsonl
from detectors.nlp.normalize import NormText
from detectors.nlp.phrases import PhraseTable

__all__ = ["Match", "ensure_extensions"]


def ensure_extensions() -> None:
    if not Doc.has_extension("newsmon"):
        Doc.set_extension("newsmon", default=None)


def _state(doc: Doc) -> dict[str, Any]:
    st = doc._.newsmon
    if st is None:
        st = {}
        doc._.newsmon = st
    return st


def doc_text(doc: Doc) -> str:
    """The doc's text, built once: spaCy's ``Doc.text`` joins every token in Python on each access, which
    cost as much as the tokenizer when each component asked for it."""
    st = _state(doc)
    text = st.get("text")
    if text is None:
        text = st["text"] = doc.text
    return text


@dataclass(slots=True)
class Match:
    """A phrase match in original-text character offsets."""

    start: int
    end: int
    payloads: list[dict[str, Any]]
    prefix: str
    form: str  # the normalised matched form
    pstart: int = -1  # start including the proclitics ("وقصفت", "للسارين"): the whole token


# --------------------------------------------------------------------------------------------- sentences
_SENT_END = re.compile(r"[.!?؟…]+[\"'»”’)\]]*(?=\s)|\n")
_ABBREV = re.compile(r"(?:\b[A-Z][a-z]{0,3}|\b[A-Z](?:\.[A-Z])+|\b(?:vs|approx|etc|al))\.$")


class SentencesComponent:
    """Sentence boundaries from the raw text in one regex pass: after . ! ? ؟ … (and closing quotes) before
    whitespace, and at every line break; not after an abbreviation such as "Lt." or "U.S.". Stores
    ``(start_char, end_char)`` pairs in ``doc._.newsmon["sents"]`` and marks the first token of each
    sentence (``token.is_sent_start``), touching only those tokens: the stock sentencizer walks every token
    in Python and costs as much as the tokenizer."""

    def __init__(self, nlp: Language, name: str, set_sent_starts: bool) -> None:
        self.name = name
        self.set_sent_starts = set_sent_starts

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        sents = []
        start = 0
        for m in _SENT_END.finditer(text):
            end = m.end()
            if m.group(0) != "\n" and _ABBREV.search(text, max(start, m.start() - 6), m.start() + 1):
                continue
            if text[start:end].strip():
                sents.append((start, end))
            start = end
        if text[start:].strip():
            sents.append((start, len(text)))
        # trim leading whitespace so each sentence starts on its first character
        sents = [(s + (len(text[s:e]) - len(text[s:e].lstrip())), e) for s, e in sents]
        _state(doc)["sents"] = sents
        if self.set_sent_starts and len(doc):
            starts = {s for s, _ in sents}
            doc[0].is_sent_start = True
            for s in starts:
                span = doc.char_span(s, s + 1, alignment_mode="expand")
                if span is not None and span.start > 0:
                    doc[span.start].is_sent_start = True
        return doc


@Language.factory("newsmon_sentences", assigns=["doc._.newsmon", "token.is_sent_start"],
                  default_config={"set_sent_starts": True})
def make_sentences(nlp: Language, name: str, set_sent_starts: bool):
    ensure_extensions()
    return SentencesComponent(nlp, name, set_sent_starts)


# --------------------------------------------------------------------------------------------- normaliser
class NormalizerComponent:
    """Folds the doc text (offset map kept) and, optionally, writes the folded form to ``token.norm_``."""

    def __init__(self, nlp: Language, name: str, lang: str, set_token_norms: bool, data_dir: str) -> None:
        self.name = name
        self.lang = lang or nlp.lang
        self.set_token_norms = set_token_norms
        self.data_dir = data_dir
        self.norm = None

    def initialize(self, get_examples=None, *, nlp=None, data_dir: str | None = None) -> None:
        self.norm = normalizer(self.lang, data_dir or self.data_dir or None)

    def __call__(self, doc: Doc) -> Doc:
        if self.norm is None:
            self.initialize()
        nt: NormText = self.norm(doc_text(doc))
        _state(doc)["norm"] = nt
        if self.set_token_norms:
            fold = self.norm.fold
            for tok in doc:
                tok.norm_ = fold(tok.text)
        return doc


@Language.factory(
    "newsmon_normalizer",
    assigns=["doc._.newsmon", "token.norm"],
    default_config={"lang": "", "set_token_norms": False, "data_dir": ""},
)
def make_normalizer(nlp: Language, name: str, lang: str, set_token_norms: bool, data_dir: str):
    ensure_extensions()
    return NormalizerComponent(nlp, name, lang, set_token_norms, data_dir)


# --------------------------------------------------------------------------------------------- matchers
class _TableComponent:
    """Shared shape of the three matchers: build a PhraseTable from data files, match the folded text,
    store matches (original offsets) under ``doc._.newsmon[group]``."""

    group = ""
    prep_min_len = 0

    def __init__(self, nlp: Language, name: str, lang: str, write_spans: bool, data_dir: str) -> None:
        self.name = name
        self.lang = lang or nlp.lang
        self.write_spans = write_spans
        self.data_dir = data_dir
        self.table: PhraseTable | None = None

    def initialize(self, get_examples=None, *, nlp=None, data_dir: str | None = None) -> None:
        data_dir = data_dir or self.data_dir or None
        table = PhraseTable(self.lang, prep_min_len=self.prep_min_len)
        self.load(table, data_dir)
        table.compile()
        self.table = table

    def load(self, table: PhraseTable, data_dir: str | None) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _entries(self, data_dir: str | None, *parts: str):
        yield from self._read(data_path(data_dir, *parts))

    def _read(self, path: Path):
        for obj in read_jsonl(path):
            if obj.get("lang", self.lang) == self.lang:
                yield obj

    def __call__(self, doc: Doc) -> Doc:
        matches = self.match(doc)
        self.set_annotations(doc, matches)
        return doc

    def match(self, doc: Doc) -> list[Match]:
        if self.table is None:
            self.initialize()
        st = _state(doc)
        nt: NormText | None = st.get("norm")
        if nt is None:
            raise ValueError(f"{self.name}: run newsmon_normalizer first")
        out = []
        for h in self.table.find(nt.text):
            out.append(Match(nt.to_orig(h.start), nt.to_orig_end(h.end), h.payloads, h.prefix, h.form,
                             nt.to_orig(h.start - len(h.prefix))))
        return out

    def set_annotations(self, doc: Doc, matches: list[Match]) -> None:
        _state(doc)[self.group] = matches
        if self.write_spans:
            spans = []
            for m in matches:
                sp = doc.char_span(m.start, m.end, label=str(m.payloads[0].get("t", self.group)),
                                   alignment_mode="expand")
                if sp is not None:
                    spans.append(sp)
            doc.spans[f"newsmon_{self.group}"] = spans


class GazetteerComponent(_TableComponent):
    """Places (with regions from the GeoJSON polygons), actors and demonyms."""

    group = "gaz"

    def load(self, table: PhraseTable, data_dir: str | None) -> None:
        norm = normalizer(self.lang, data_dir)
        polygons = _load_regions(data_path(data_dir, "regions"))
        for path in curated_files(data_dir, "places"):  # places.jsonl, then places_<part>.jsonl
            for obj in self._read(path):
                add_entry_forms(table, norm, obj["names"].get(self.lang, []), self._place_payload(obj, polygons))
        for obj in self._entries(data_dir, "gazetteer", "actors.jsonl"):
            add_entry_forms(table, norm, obj["names"].get(self.lang, []), self._actor_payload(obj, norm))
        for path in curated_files(data_dir, "demonyms"):
            for obj in self._read(path):
                add_entry_forms(table, norm, obj["names"].get(self.lang, []), {"t": "dem", "country": obj["country"]})
        # GeoNames places (scripts/build_places.py), last: a form the hand-curated files already have
        # (a place, an actor, a demonym) keeps only its curated meaning. Generated places lie outside every
        # region polygon (the script leaves those out), so their regions stay empty.
        generated = data_path(data_dir, "gazetteer", "places_geonames.jsonl")
        if generated.is_file():
            for obj in self._entries(data_dir, "gazetteer", "places_geonames.jsonl"):
                add_entry_forms(table, norm, obj["names"].get(self.lang, []), self._place_payload(obj, polygons),
                                only_new=True)

    @staticmethod
    def _actor_payload(obj: dict, norm) -> dict:
        return {"t": "actor", "id": obj["id"], "country": obj.get("country"), "kind": obj.get("kind"),
                "origin": obj.get("origin", True), "generic": bool(obj.get("generic")),
                "armed": bool(obj.get("armed")),
                "not_after": frozenset(norm.fold(w) for w in obj.get("not_after", []))}

    @staticmethod
    def _place_payload(obj: dict, polygons: list) -> dict:
        regions = list(obj.get("regions", []))
        if "regions" not in obj and not obj.get("no_polygon") and obj.get("lat") is not None:
            regions = _regions_at(polygons, obj["lat"], obj["lon"])
        elif not obj.get("no_polygon") and obj.get("lat") is not None and obj.get("country") in ("ISR", "SYR"):
            regions = sorted(set(regions) | set(_regions_at(polygons, obj["lat"], obj["lon"])))
        return {"t": "place", "id": obj["id"], "country": obj.get("country"), "lat": obj.get("lat"),
                "lon": obj.get("lon"), "kind": obj.get("kind", "city"), "regions": regions,
                "requires": obj.get("requires")}


class TriggerComponent(_TableComponent):
    """Event trigger words and weapon words."""

    group = "trg"
    prep_min_len = 4  # short verb forms (حث, رد, دك, نفى) take no ب/ك/ل proclitic

    def load(self, table: PhraseTable, data_dir: str | None) -> None:
        norm = normalizer(self.lang, data_dir)
        for obj in self._entries(data_dir, "lexicon", "triggers.jsonl"):
            impf = set(obj.get("imperfect", []))
            for forms, is_impf in (([f for f in obj["forms"] if f not in impf], False), (sorted(impf), True)):
                payload = {"t": "trg", "class": obj["class"], "type": obj["type"],
                           "weight": obj.get("weight", 0.6), "impf": is_impf, "armed": bool(obj.get("armed")),
                           "needs_taker": bool(obj.get("needs_taker"))}
                add_entry_forms(table, norm, forms, payload, article=obj.get("article", False) and not is_impf,
                                suffixes=obj.get("suffixes", False))
        for obj in self._entries(data_dir, "lexicon", "weapons.jsonl"):
            payload = {"t": "wpn", "weapon": obj["weapon"], "modality": obj["modality"]}
            add_entry_forms(table, norm, obj["forms"], payload, article=obj.get("article", False))


class CueComponent(_TableComponent):
    """Polarity, attribution, direction, casualty and clause cues; date words; number words."""

    group = "cue"

    def load(self, table: PhraseTable, data_dir: str | None) -> None:
        norm = normalizer(self.lang, data_dir)
        for obj in self._entries(data_dir, "lexicon", "cues.jsonl"):
            add_entry_forms(table, norm, obj["forms"], {"t": "cue", "cue": obj["cue"]}, bare=obj.get("bare", False),
                            suffixes=obj.get("suffixes", False))
        for obj in self._entries(data_dir, "lexicon", "dates.jsonl"):
            add_entry_forms(table, norm, obj["forms"], {"t": "date", "kind": obj["kind"], "value": obj["value"]})
        for obj in self._entries(data_dir, "lexicon", "numbers.jsonl"):
            add_entry_forms(table, norm, obj["forms"], {"t": "num", "value": obj["value"]})


_MATCHER_CONFIG = {"lang": "", "write_spans": False, "data_dir": ""}


@Language.factory("newsmon_gazetteer", assigns=["doc._.newsmon", "doc.spans"], default_config=_MATCHER_CONFIG)
def make_gazetteer(nlp: Language, name: str, lang: str, write_spans: bool, data_dir: str):
    ensure_extensions()
    return GazetteerComponent(nlp, name, lang, write_spans, data_dir)


@Language.factory("newsmon_triggers", assigns=["doc._.newsmon", "doc.spans"], default_config=_MATCHER_CONFIG)
def make_triggers(nlp: Language, name: str, lang: str, write_spans: bool, data_dir: str):
    ensure_extensions()
    return TriggerComponent(nlp, name, lang, write_spans, data_dir)


@Language.factory("newsmon_cues", assigns=["doc._.newsmon", "doc.spans"], default_config=_MATCHER_CONFIG)
def make_cues(nlp: Language, name: str, lang: str, write_spans: bool, data_dir: str):
    ensure_extensions()
    return CueComponent(nlp, name, lang, write_spans, data_dir)


# --------------------------------------------------------------------------------------------- assembler
class EventsComponent:
    """Sentence/clause-level assembly of trigger, actors, places and cues into event frames
    (``doc._.newsmon["frames"]``); see ``detectors.nlp.assemble``."""

    def __init__(self, nlp: Language, name: str, lang: str, max_words_window: int, min_confidence: float,
                 write_spans: bool) -> None:
        self.name = name
        self.write_spans = write_spans
        self.lang = lang or nlp.lang
        self.assembler = Assembler(self.lang, window=max_words_window, min_confidence=min_confidence)

    def initialize(self, get_examples=None, *, nlp=None, data_dir: str | None = None) -> None:
        return None

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        trg = st.get("trg") or []
        if not trg:
            st["frames"] = []
            if self.write_spans:
                doc.spans["events"] = []
            return doc
        sents = st.get("sents")
        if sents is None:
            sents = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") \
                else [(0, len(doc_text(doc)))]
        frames = self.assembler(doc_text(doc), sents, st.get("gaz") or [], trg, st.get("cue") or [])
        st["frames"] = frames
        if self.write_spans:
            spans = []
            for f in frames:
                sp = doc.char_span(f["trigger"][0], f["trigger"][1], label=f["type"], alignment_mode="expand")
                if sp is not None:
                    spans.append(sp)
            doc.spans["events"] = spans
        return doc


@Language.factory(
    "newsmon_events",
    assigns=["doc._.newsmon"],
    requires=["doc._.newsmon"],
    default_config={"lang": "", "max_words_window": 6, "min_confidence": 0.0, "write_spans": True},
)
def make_events(nlp: Language, name: str, lang: str, max_words_window: int, min_confidence: float,
                write_spans: bool):
    ensure_extensions()
    return EventsComponent(nlp, name, lang, max_words_window, min_confidence, write_spans)


# --------------------------------------------------------------------------------------------- regions
def _load_regions(folder: Path) -> list[tuple[str, Any]]:
    from shapely.geometry import shape

    out = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.geojson")):
        with open(path, encoding="utf-8") as f:
            fc = json.load(f)
        for feat in fc.get("features", []):
            region = feat.get("properties", {}).get("region")
            if region:
                out.append((region, shape(feat["geometry"])))
    return out


def _regions_at(polygons: list[tuple[str, Any]], lat: float, lon: float) -> list[str]:
    from shapely.geometry import Point

    pt = Point(lon, lat)
    return sorted({region for region, poly in polygons if poly.contains(pt)})
