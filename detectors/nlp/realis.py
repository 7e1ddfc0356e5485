"""Realis filter: does a sentence report a real, new violent event?

A sentence can name violence without reporting it: background ("since the 2006 war"), threats, denials,
analysis, weapons talk. The event assembler finds trigger words; this classifier scores how likely the
sentence around them reports an attack that happened (PLOVER ASSAULT "yes").

One small spaCy pipeline per language, trained from scratch offline by ``scripts/train_realis.py``:

* ``newsmon_realis_normalizer`` sets ``token.norm_``. Arabic: diacritics and tatweel removed, alef/ya/
  ta marbuta/hamza carriers unified, Eastern digits to ASCII, and proclitics split off with ``+``
  (``وبالقصف`` → ``و+ب+ال+قصف``). English: lower-cased. Its tables are data
  (``detectors/data/realis/norm_<lang>.json``), serialised with the pipeline.
* ``textcat`` with the ``newsmon.RealisBOW.v1`` architecture: a sparse linear model over hashed
  features from the norms (clitics and stems as units, their 1..n-grams, whole words, character
  n-grams of stems, digit shapes). Labels ``EVENT`` / ``OTHER``.

Usage::

    clf = RealisClassifier.load()          # explicit; nothing is loaded at import time
    clf.score("قصفت الطائرات بلدة ... أمس", "ar")     # -> probability in [0, 1]
    clf.score_many(sentences, "en")
    clf.threshold("ar")                    # decision threshold tuned on held-out training data
"""
from __future__ import annotations

import json
import re
from functools import partial
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy
import srsly
from spacy.attrs import NORM, ORTH
from spacy.language import Language
from spacy.ml.models.textcat import resize_and_set_ref
from spacy.strings import hash_string
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, resizable, softmax_activation, with_cpu
from thinc.layers.resizable import resize_linear_weighted

__all__ = ["RealisClassifier", "RealisNormalizer", "DEFAULT_MODEL_DIR", "EVENT_LABEL", "OTHER_LABEL"]

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "realis"
EVENT_LABEL = "EVENT"
OTHER_LABEL = "OTHER"
LANGS = ("ar", "en")
_NEG_VALUE = -5000.0
_DIGIT = re.compile(r"\d")


# --------------------------------------------------------------------------------------------------
# Normaliser component
# --------------------------------------------------------------------------------------------------
class RealisNormalizer:
    """Writes a normalised, clitic-segmented form of each token to ``token.norm_``.

    The tables (``delete``, ``map``, ``lowercase``, ``proclitics``, ``min_stem``) come from a JSON file
    through :meth:`initialize` or :meth:`from_disk`; the component holds no language data itself.
    """

    def __init__(self, nlp: Language, name: str = "newsmon_realis_normalizer", *, cache_size: int = 200_000):
        self.name = name
        self.vocab = nlp.vocab
        self.cache_size = cache_size
        self.tables: dict[str, Any] = {}
        self._trans: dict[int, str | None] = {}
        self._prefixes: list[tuple[str, list[str]]] = []
        self._cache: dict[str, str] = {}
        self._hash_cache: dict[int, int] = {}

    # -- data ------------------------------------------------------------------------------------
    # No annotations on the arguments: spaCy validates initialize settings with a pydantic model built
    # from this signature, and postponed (string) annotations cannot be resolved there.
    def initialize(self, get_examples=None, *, nlp=None, tables=None) -> None:  # noqa: ANN001
        """Load the tables: a dict, or the path of a ``norm_<lang>.json`` file."""
        if tables is None:
            raise ValueError(f"{self.name}: initialize needs tables (a dict or the path of a norm_<lang>.json)")
        if isinstance(tables, (str, Path)):
            tables = json.loads(Path(tables).read_text(encoding="utf8"))
        self.set_tables(tables)

    def set_tables(self, tables: dict[str, Any]) -> None:
        self.tables = {k: v for k, v in tables.items() if not k.startswith("_")}
        trans: dict[int, str | None] = {ord(c): None for c in self.tables.get("delete", "")}
        trans.update({ord(k): v for k, v in self.tables.get("map", {}).items()})
        self._trans = trans
        procl = self.tables.get("proclitics", {})
        self._prefixes = sorted(((p, list(parts)) for p, parts in procl.items()), key=lambda x: -len(x[0]))
        self._cache = {}
        self._hash_cache = {}

    # -- work ------------------------------------------------------------------------------------
    def normalize(self, word: str) -> str:
        """The norm of one surface token (cached)."""
        norm = self._cache.get(word)
        if norm is None:
            norm = self._normalize(word)
            if len(self._cache) >= self.cache_size:
                self._cache.clear()
            self._cache[word] = norm
        return norm

    def _normalize(self, word: str) -> str:
        w = word.translate(self._trans)
        if self.tables.get("lowercase"):
            w = w.lower()
        if not w:
            return word
        min_stem = int(self.tables.get("min_stem", 3))
        for prefix, parts in self._prefixes:
            if w.startswith(prefix) and len(w) - len(prefix) >= min_stem and w[len(prefix)].isalpha():
                return "+".join([*parts, w[len(prefix):]])
        return w

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        # Array in, array out (no Token objects): ORTH hash -> NORM hash, cached per word type.
        strings = doc.vocab.strings
        cache = self._hash_cache
        orths = doc.to_array(ORTH)
        norms = numpy.empty_like(orths)
        for i, orth in enumerate(orths.tolist()):
            h = cache.get(orth)
            if h is None:
                h = strings.add(self.normalize(strings[orth]))
                if len(cache) >= self.cache_size:
                    cache.clear()
                cache[orth] = h
            norms[i] = h
        doc.from_array([NORM], norms.reshape(-1, 1))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    # -- serialisation ---------------------------------------------------------------------------
    def to_disk(self, path: str | Path, *, exclude: Sequence[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "tables.json", self.tables)

    def from_disk(self, path: str | Path, *, exclude: Sequence[str] = ()) -> RealisNormalizer:
        self.set_tables(srsly.read_json(Path(path) / "tables.json"))
        return self

    def to_bytes(self, *, exclude: Sequence[str] = ()) -> bytes:
        return srsly.json_dumps(self.tables).encode("utf8")

    def from_bytes(self, data: bytes, *, exclude: Sequence[str] = ()) -> RealisNormalizer:
        self.set_tables(srsly.json_loads(data.decode("utf8")))
        return self


@Language.factory("newsmon_realis_normalizer", assigns=["token.norm"], default_config={"cache_size": 200_000})
def make_realis_normalizer(nlp: Language, name: str, cache_size: int) -> RealisNormalizer:
    return RealisNormalizer(nlp, name, cache_size=cache_size)


# --------------------------------------------------------------------------------------------------
# Features and model architecture
# --------------------------------------------------------------------------------------------------
def _h(s: str) -> int:
    return int(hash_string(s))


def _shape(s: str) -> str:
    return _DIGIT.sub("0", s)


@registry.layers("newsmon.realis_features.v1")
def realis_features(ngram_size: int = 3, char_min: int = 3, char_max: int = 5, values: str = "count",
                    skip_gap: int = 0, cache_size: int = 200_000) -> Model:
    """Docs → (keys, counts, lengths) for a sparse linear layer.

    Per token norm ``p1+p2+stem``: each unit (clitic or stem) and the whole word; character n-grams of
    the stem with boundary marks; digits folded to ``0``. Across the doc: n-grams (2..ngram_size) of
    the unit sequence. Keys are stable 64-bit hashes (spaCy's murmurhash of the feature string).
    ``values``: "count" (as TextCatBOW), "binary", or "l2" (binary scaled to unit length per doc, so long
    sentences do not saturate the logit). ``skip_gap`` > 0 adds unit pairs 2..skip_gap+1 apart
    (e.g. ``كان … قد``).
    """
    if values not in ("count", "binary", "l2"):
        raise ValueError(f"values must be count, binary or l2, not {values!r}")
    # The per-norm feature cache lives in the closure, not in attrs: attrs are serialised with the model.
    return Model(
        "newsmon_realis_features",
        partial(_features_forward, cache={}),
        attrs={"ngram_size": ngram_size, "char_min": char_min, "char_max": char_max, "values": values,
               "skip_gap": skip_gap, "cache_size": cache_size},
    )


def _token_features(norm: str, char_min: int, char_max: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """(feature keys of the token, keys of its units for sequence n-grams)."""
    norm = _shape(norm.strip())
    if not norm:  # whitespace tokens carry no features
        return numpy.zeros((0,), dtype="uint64"), numpy.zeros((0,), dtype="uint64")
    units = norm.split("+") if "+" in norm and len(norm) > 1 else [norm]
    stem = units[-1]
    feats = ["w|" + "".join(units)]
    if len(units) > 1:
        feats.append("s|" + stem)
        feats.append("p|" + "+".join(units[:-1]))
    if len(stem) > 2 and stem.isalpha():
        marked = f"<{stem}>"
        for n in range(char_min, char_max + 1):
            feats.extend("c|" + marked[i:i + n] for i in range(len(marked) - n + 1))
    unit_keys = numpy.asarray([_h("u|" + u) for u in units], dtype="uint64")
    feat_keys = numpy.asarray([_h(f) for f in feats], dtype="uint64")
    return feat_keys, unit_keys


def _features_forward(model: Model, docs: list[Doc], is_train: bool, *,
                      cache: dict[int, tuple[numpy.ndarray, numpy.ndarray]]):
    attrs = model.attrs
    n_max, c_min, c_max, mode = attrs["ngram_size"], attrs["char_min"], attrs["char_max"], attrs["values"]
    skip_gap = attrs.get("skip_gap", 0)
    ops = model.ops
    batch_keys, batch_vals, lengths = [], [], []
    empty = numpy.zeros((0,), dtype="uint64")
    for doc in docs:
        feats, units = [], []
        strings = doc.vocab.strings
        for norm in doc.to_array(NORM).tolist() if len(doc) else ():
            entry = cache.get(norm)
            if entry is None:
                entry = _token_features(strings[norm], c_min, c_max)
                if len(cache) >= attrs["cache_size"]:
                    cache.clear()
                cache[norm] = entry
            if len(entry[1]):
                feats.append(entry[0])
                units.append(entry[1])
        seq = numpy.concatenate(units) if units else empty
        parts = [*feats, seq]
        for n in range(2, n_max + 1):
            if len(seq) >= n:
                parts.append(numpy.asarray(ops.ngrams(n, seq), dtype="uint64"))
        for gap in range(2, skip_gap + 2):
            if len(seq) > gap:  # ordered pair hash, salted by the gap so it differs from a bigram
                parts.append((seq[:-gap] * numpy.uint64(1000003)) ^ (seq[gap:] + numpy.uint64(gap)))
        keys = numpy.concatenate(parts) if parts else empty
        keys, vals = numpy.unique(keys, return_counts=True)
        if mode != "count":
            vals = numpy.ones_like(vals, dtype="f")
            if mode == "l2" and len(vals):
                vals /= numpy.sqrt(len(vals))
        batch_keys.append(keys)
        batch_vals.append(vals)
        lengths.append(len(keys))
    keys_arr = ops.asarray(numpy.concatenate(batch_keys) if batch_keys else empty)
    vals_arr = ops.asarray(numpy.concatenate(batch_vals).astype("f") if batch_vals else numpy.zeros((0,), "f"))
    lengths_arr = ops.asarray(numpy.asarray(lengths, dtype="int32"))

    def backprop(dY):
        return []

    return (keys_arr, vals_arr, lengths_arr), backprop


@registry.architectures("newsmon.RealisBOW.v1")
def build_realis_bow(exclusive_classes: bool, ngram_size: int = 3, char_min: int = 3, char_max: int = 5,
                     values: str = "count", skip_gap: int = 0, length: int = 262144,
                     nO: int | None = None) -> Model:
    """spaCy's TextCatBOW.v3 with our own features in place of ORTH n-grams."""
    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    fill_defaults = {"b": _NEG_VALUE, "W": 0}
    output_layer = softmax_activation() if exclusive_classes else Logistic()
    resizable_layer = resizable(sparse_linear, resize_layer=partial(resize_linear_weighted, fill_defaults=fill_defaults))
    features = realis_features(ngram_size=ngram_size, char_min=char_min, char_max=char_max, values=values,
                               skip_gap=skip_gap)
    model = chain(with_cpu(chain(features, resizable_layer), resizable_layer.ops), with_cpu(output_layer, output_layer.ops))
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model


# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------
class RealisClassifier:
    """Probability that a sentence reports a real, new violent event, for Arabic and English."""

    def __init__(self, pipelines: dict[str, Language], thresholds: dict[str, float] | None = None):
        self.pipelines = pipelines
        self.thresholds = dict(thresholds or {})

    @classmethod
    def load(cls, path: str | Path | None = None) -> RealisClassifier:
        """Load the per-language pipelines from ``path`` (default: the shipped model in
        ``detectors/data/realis/``): ``<path>/<lang>/`` are spaCy pipeline folders and
        ``<path>/thresholds.json`` holds the tuned decision thresholds."""
        import spacy

        root = Path(path) if path is not None else DEFAULT_MODEL_DIR
        pipelines = {}
        for lang in LANGS:
            if (root / lang / "config.cfg").exists():
                pipelines[lang] = spacy.load(root / lang)
        if not pipelines:
            raise FileNotFoundError(f"no realis model under {root} (expected {root}/ar/config.cfg or en/)")
        thresholds_file = root / "thresholds.json"
        thresholds = json.loads(thresholds_file.read_text()) if thresholds_file.exists() else {}
        return cls(pipelines, thresholds)

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(self.pipelines)

    def _nlp(self, lang: str) -> Language:
        key = (lang or "").lower().split("-")[0].split("_")[0]
        try:
            return self.pipelines[key]
        except KeyError:
            raise ValueError(f"realis: no model for language {lang!r} (have {sorted(self.pipelines)})") from None

    def threshold(self, lang: str) -> float:
        """Decision threshold for ``lang`` (0.5 when none was tuned)."""
        return float(self.thresholds.get(lang, 0.5))

    def score(self, sentence: str, lang: str) -> float:
        """Probability that ``sentence`` (in ``lang``, 'ar' or 'en') reports a real new violent event."""
        doc = self._nlp(lang)(sentence)
        return float(doc.cats.get(EVENT_LABEL, 0.0))

    def score_many(self, sentences: Iterable[str], lang: str, *, batch_size: int = 256) -> list[float]:
        """:meth:`score` for many sentences at once (``nlp.pipe``)."""
        nlp = self._nlp(lang)
        return [float(doc.cats.get(EVENT_LABEL, 0.0)) for doc in nlp.pipe(sentences, batch_size=batch_size)]

    def is_event(self, sentence: str, lang: str) -> bool:
        return self.score(sentence, lang) >= self.threshold(lang)
