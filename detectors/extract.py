"""Text → contract Events (CONTRACT §3), Arabic and English.

    extractor = Extractor.load()          # explicit: builds one spaCy pipeline per language from data files
    events = extractor(article)           # list[Event]
    batches = extractor.extract_many(articles)

Nothing is loaded at import time. The pipelines are ``spacy.blank(lang)`` plus the ``newsmon_*``
components of ``detectors.nlp.components``; this module only picks the pipeline, runs it and turns the
frames into ``Event`` objects with ids, dates (resolved against ``published_at``) and article metadata.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable, Sequence

from detectors.types import VIOLENT_FAMILIES, Actor, Article, Event, Location, Trigger

__all__ = ["Extractor", "build_pipeline", "PIPELINE_LANGS"]

PIPELINE_LANGS = ("ar", "en")
RECALL_DAYS = 28  # an event dated this long before publication ("last month") is recalled (background), not news
_ARABIC_SCRIPT = {"ar", "fa", "ur", "arz"}
_COMPONENTS = ("newsmon_normalizer", "newsmon_gazetteer", "newsmon_triggers", "newsmon_cues", "newsmon_events")


def build_pipeline(lang: str, data_dir: str | None = None, *, sent_starts: bool = True):
    """A blank spaCy pipeline for ``lang`` with the newsmon components, initialised
    from ``data_dir`` (default: the package's ``detectors/data``). ``sent_starts=False`` skips marking
    sentence starts on tokens (``doc.sents``): the components read the character spans, and the marks
    cost a tenth of extraction."""
    import spacy

    import detectors.nlp.components  # noqa: F401  (registers the newsmon_* factories)

    nlp = spacy.blank(lang)
    nlp.add_pipe("newsmon_sentences", config={"set_sent_starts": sent_starts})
    for name in _COMPONENTS:
        nlp.add_pipe(name, config={"lang": lang})
    for name in _COMPONENTS:
        nlp.get_pipe(name).initialize(nlp=nlp, data_dir=data_dir)
    return nlp


class Extractor:
    """Holds one pipeline per language; call it on an Article."""

    def __init__(self, pipelines: dict, realis=None) -> None:
        self.pipelines = pipelines
        self.realis = realis

    @classmethod
    def load(cls, langs: Sequence[str] = PIPELINE_LANGS, data_dir: str | None = None,
             realis="shipped") -> Extractor:
        """Build the pipelines. ``realis``: the sentence classifier that says whether a sentence reports a
        real new violent event (``detectors.nlp.realis.RealisClassifier``); "shipped" loads the trained one in
        ``detectors/data/realis``, None turns the filter off (rules only)."""
        if realis == "shipped":
            from detectors.nlp.realis import RealisClassifier

            realis = RealisClassifier.load()
        return cls({lang: build_pipeline(lang, data_dir, sent_starts=False) for lang in langs}, realis=realis)

    # ------------------------------------------------------------------------------------------ API
    def lang_of(self, article: Article) -> str:
        lang = article.lang
        if not lang:
            from detectors.language import detect_language

            lang = detect_language(article.text)
        return lang

    def _pipeline_lang(self, lang: str) -> str:
        if lang in self.pipelines:
            return lang
        if lang in _ARABIC_SCRIPT and "ar" in self.pipelines:
            return "ar"
        return "en" if "en" in self.pipelines else next(iter(self.pipelines))

    def __call__(self, article: Article) -> list[Event]:
        lang = self.lang_of(article)
        nlp = self.pipelines[self._pipeline_lang(lang)]
        doc = nlp(_tokenized(nlp, article.text))
        return self._events(article, lang, doc, self._realis_batch([(lang, doc)])[0])

    def extract_many(self, articles: Iterable[Article], batch_size: int = 64) -> list[list[Event]]:
        """Extract from many articles; each language's texts go through ``nlp.pipe`` in batches, and the
        realis classifier scores all their candidate sentences in one call."""
        arts = list(articles)
        langs = [self.lang_of(a) for a in arts]
        out: list[list[Event]] = [[] for _ in arts]
        by_pipe: dict[str, list[int]] = {}
        for i, lang in enumerate(langs):
            by_pipe.setdefault(self._pipeline_lang(lang), []).append(i)
        for plang, idx in by_pipe.items():
            nlp = self.pipelines[plang]
            docs = list(nlp.pipe((_tokenized(nlp, arts[i].text) for i in idx), batch_size=batch_size))
            scores = self._realis_batch([(langs[i], doc) for i, doc in zip(idx, docs)])
            for i, doc, realis in zip(idx, docs, scores):
                out[i] = self._events(arts[i], langs[i], doc, realis)
        return out

    # ------------------------------------------------------------------------------------------ frames → Events
    def _events(self, article: Article, lang: str, doc, realis: dict[tuple[int, int], float]) -> list[Event]:
        from detectors.nlp.components import doc_text
        from detectors.nlp.dates import parse_published, resolve_date

        state = doc._.newsmon or {}
        frames = state.get("frames") or []
        if not frames:
            return []
        pub = parse_published(article.published_at)
        text = doc_text(doc)
        threshold = self.realis.threshold(lang) if self.realis is not None else 0.0

        def doubted(f: dict) -> bool:
            p_real = realis.get(tuple(f["sentence"])) if _realis_applies(f) else None
            return p_real is not None and p_real < threshold and not _structurally_sure(f)

        # an article that reports a violent event in a sentence the classifier trusts keeps the doubted
        # sentences about violence around it: in a report they elaborate the event (who said it, what was
        # hit), which the classifier, trained on lone sentences, reads as talk; without such an anchor the
        # doubted sentences are analysis, background or recaps and are dropped
        anchored = any(_realis_applies(f) and not doubted(f) for f in frames)
        # ...except a doubted sentence with a toll of its own: that is the war's running toll or an older
        # attack's ("the attack last month killed 38"), not this report's event
        events = []
        for f in frames:
            t0, t1 = f["trigger"]
            s0, s1 = f["sentence"]
            when = resolve_date(f["date"], pub)
            background = bool(f["background"])
            if pub is not None:
                if any(y < pub.year for y in f["years"]):
                    background = True
                if when is not None and (when.year != pub.year or (pub - when).days > RECALL_DAYS):
                    background = True  # dated in another year, or months before publication: a recap
            confidence = f["confidence"]
            polarity = f["polarity"]
            if doubted(f) and (not anchored or f["killed"] or f["injured"]):
                continue  # a violent word in a sentence that reports no new event (background, analysis…)
            events.append(Event(
                id=f"{article.id}:{t0}",
                article_id=article.id,
                lang=lang,
                family=f["family"],
                type=f["type"],
                sentence=text[s0:s1].strip(),
                trigger=Trigger(text=text[t0:t1], start=t0, end=t1),
                actors=[Actor(role=r, name=n, country=c, kind=k) for r, n, c, k in f["actors"]],
                locations=[Location(name=n, country=c, lat=la, lon=lo, regions=list(rg))
                           for n, c, la, lo, rg, _ in f["locations"]],
                origin_country=f["origin_country"],
                impact_country=f["impact_country"],
                cross_border=bool(f["cross_border"]),
                date=when.isoformat() if isinstance(when, date) else None,
                polarity=polarity,
                attributed_to=f["attributed_to"],
                killed=f["killed"],
                injured=f["injured"],
                confidence=confidence,
                source=article.source,
                url=article.url,
                published_at=article.published_at,
                background=background,
            ))
        return events

    def _realis_batch(self, docs: list[tuple[str, object]]) -> list[dict[tuple[int, int], float]]:
        """Realis probability of each sentence that holds a violent asserted frame, per doc; one classifier
        call per language for the whole batch. Rules find violent words with high recall; the classifier says
        whether the sentence reports a new event (Arabic ASSAULT gold standard, test split: F1 0.29 → 0.70)."""
        from detectors.nlp.components import doc_text

        out: list[dict[tuple[int, int], float]] = [{} for _ in docs]
        if self.realis is None:
            return out
        wanted: dict[str, list[tuple[int, tuple[int, int], str]]] = {}
        for k, (lang, doc) in enumerate(docs):
            if lang not in ("ar", "en"):
                continue
            frames = (doc._.newsmon or {}).get("frames") or []
            spans = sorted({tuple(f["sentence"]) for f in frames if _realis_applies(f)})
            text = doc_text(doc) if spans else ""
            for span in spans:
                wanted.setdefault(lang, []).append((k, span, text[span[0]:span[1]]))
        for lang, items in wanted.items():
            for (k, span, _), p in zip(items, self.realis.score_many([t for _, _, t in items], lang)):
                out[k][span] = p
        return out


def _tokenized(nlp, text: str):
    """The tokenized doc with its text already in the components' state (see `components.doc_text`): the
    tokenizer keeps every character, so the doc's text is the input text."""
    doc = nlp.make_doc(text)
    doc._.newsmon = {"text": text}
    return doc


# Territory changing hands is a battle outcome, not an attack: the classifier (trained on attack realis)
# has no say there.
_TERRITORY_TYPES = frozenset({"government_regains_territory", "non_state_actor_overtakes_territory"})


def _realis_applies(frame: dict) -> bool:
    return (frame["family"] in VIOLENT_FAMILIES and frame["type"] not in _TERRITORY_TYPES
            and frame["polarity"] == "asserted")


def _structurally_sure(frame: dict) -> bool:
    """Cross-border fire placed in a named watch region is kept on the rules' evidence even when the
    classifier doubts the sentence: it was trained on generic wire sentences, and attribution-heavy
    reports of border incidents ("a newspaper reported that tanks shelled…") score low there."""
    return bool(frame["cross_border"]) and any(loc[4] for loc in frame["locations"])
