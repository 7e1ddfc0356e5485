"""Text matching for rule phrases: one normaliser for both sides, and phrase search with word boundaries.

Arabic is normalised as the extraction pipeline does (diacritics and tatweel stripped, أإآٱ→ا, ى→ي,
ة→ه, Arabic-Indic digits → ASCII); English is case-folded. The extraction helper's tables
(`detectors.nlp.normalize.Normalizer` over detectors/data/normalization.json) are used when importable, so
rule phrases and extracted text fold the same way; `_own_normalize_arabic` is the fallback.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_TABLE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                        **{chr(0x0660 + i): str(i) for i in range(10)},
                        **{chr(0x06F0 + i): str(i) for i in range(10)}})
_ARABIC = re.compile("[\u0600-\u06ff]")
# Arabic proclitics that may stand before a word: conjunctions و ف, prepositions ب ل ك, and the article.
_PROCLITICS = "(?:[وف]?[بلك]?(?:ال)?|[وف]?لل)"


def _own_normalize_arabic(text: str) -> str:
    return _DIACRITICS.sub("", text).translate(_TABLE)


def _pick_normalizer() -> Callable[[str], str]:
    """The extraction helper's Arabic folding (detectors/nlp/normalize.py with its table in
    detectors/data/normalization.json) when present, so rule phrases and extracted text fold alike;
    else our own equivalent."""
    try:
        import json
        from pathlib import Path

        from detectors.nlp.normalize import Normalizer

        table = json.loads((Path(__file__).resolve().parents[1] / "data" / "normalization.json")
                           .read_text(encoding="utf-8"))
        ar, en = Normalizer(table["ar"]), Normalizer(table["en"])
    except Exception:  # noqa: BLE001 - absent or changed: ours is equivalent for matching
        return _own_normalize_arabic

    def theirs(text: str) -> str:
        return ar.fold(en.fold(text))
    return theirs


normalize_arabic: Callable[[str], str] = _pick_normalizer()


def normalize(text: str) -> str:
    """Fold a text for matching: NFKC, Arabic normalisation, lower case, runs of space to one."""
    text = unicodedata.normalize("NFKC", text)
    text = normalize_arabic(text).casefold()
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A compiled search for one phrase. A phrase matches whole words; a trailing `*` lets its last word
    run on (`قصف*` matches قصفت, `strike*` strikes). Arabic phrases may carry proclitics: `الجولان` matches
    وبالجولان and للجولان, but not الجولاني."""
    norm = normalize(phrase).strip()
    open_end = norm.endswith("*")
    norm = norm.rstrip("*").strip()
    end = "" if open_end else r"(?!\w)"
    body = re.escape(norm).replace(r"\ ", r"\s+")
    if _ARABIC.search(norm):
        if norm.startswith("ال"):  # the article may fuse with ل (لل) or follow و ف ب ك
            rest = re.escape(norm[2:]).replace(r"\ ", r"\s+")
            return re.compile(rf"(?<!\w)(?:[وف]?[بك]?ال|[وف]?لل){rest}{end}")
        return re.compile(rf"(?<!\w){_PROCLITICS}{body}{end}")
    return re.compile(rf"(?<!\w){body}{end}")


def find_phrase(phrase: str, normalized_text: str) -> re.Match[str] | None:
    """Where `phrase` occurs in an already `normalize`d text, or None."""
    return phrase_pattern(phrase).search(normalized_text)
