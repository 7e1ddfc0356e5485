"""Loading the data files under ``detectors/data/`` into matchable tables.

Every JSONL entry must say where it comes from or why it is there (``source`` or ``reason``); loading
fails loudly otherwise, so the data stays reviewable. Forms are normalised with the same tables as the
text, so the files may be written in natural spelling (أ/ا, ة/ه, ى/ي all meet).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from detectors.nlp.normalize import Normalizer
from detectors.nlp.phrases import PhraseTable, expand_forms

__all__ = ["DATA_DIR", "read_jsonl", "normalizer", "data_path", "bare_word", "LexiconError"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class LexiconError(ValueError):
    """A data file that cannot be used; the message names file and line."""


def data_path(data_dir: str | Path | None, *parts: str) -> Path:
    base = Path(data_dir) if data_dir else DATA_DIR
    return base.joinpath(*parts)


def curated_files(data_dir: str | Path | None, stem: str) -> list[Path]:
    """The hand-curated files of one kind in ``gazetteer/``: ``<stem>.jsonl`` first, then every
    ``<stem>_<part>.jsonl`` (places of one part of the world, say) in name order; ``places_geonames.jsonl``
    is generated, not curated, and is left out."""
    folder = data_path(data_dir, "gazetteer")
    parts = sorted(p for p in folder.glob(f"{stem}_*.jsonl") if p.name != "places_geonames.jsonl")
    return [folder / f"{stem}.jsonl", *parts]


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LexiconError(f"{path}:{n}: {exc.msg}") from None
            if not (obj.get("source") or obj.get("reason")):
                raise LexiconError(f"{path}:{n}: entry has neither 'source' nor 'reason'")
            yield obj


@lru_cache(maxsize=8)
def _normalizers(data_dir: str) -> dict[str, Normalizer]:
    with open(data_path(data_dir or None, "normalization.json"), encoding="utf-8") as f:
        tables = json.load(f)
    return {lang: Normalizer(tab) for lang, tab in tables.items() if not lang.startswith("_")}


def normalizer(lang: str, data_dir: str | Path | None = None) -> Normalizer:
    tabs = _normalizers(str(data_dir or ""))
    return tabs.get(lang) or tabs["en"]


_AR_PROCLITICS = re.compile(r"^(?:و|ف)?(?:ب|ل|ك)?(?:ال|لل)?")


def bare_word(word: str, lang: str) -> str:
    """One word folded as the lexicon is, punctuation dropped; in Arabic also its proclitics and article
    ("وبالجيش" → "جيش"), unless fewer than three letters would be left ("بوتو" stays whole)."""
    w = re.sub(r"[^\w]", "", word)
    if lang != "ar":
        return w.lower()
    w = normalizer("ar").fold(w)
    stem = _AR_PROCLITICS.sub("", w)
    return stem if len(stem) >= 3 else w


def add_entry_forms(table: PhraseTable, norm: Normalizer, forms: list[str], payload: Any, *,
                    article: bool = False, suffixes: bool = False, bare: bool = False,
                    only_new: bool = False) -> None:
    """Normalise and expand each form of one entry and add it with ``payload`` (``bare``: see
    ``PhraseTable.add``; ``only_new``: skip forms the table already has, for a source that yields to the
    ones loaded before it)."""
    seen: set[str] = set()
    for form in forms:
        folded = " ".join(norm.fold(form).split())
        if only_new and folded in table:
            continue
        for variant in expand_forms(folded, table.lang, article=article, suffixes=suffixes):
            if variant not in seen:
                seen.add(variant)
                table.add(variant, payload, bare=bare)
