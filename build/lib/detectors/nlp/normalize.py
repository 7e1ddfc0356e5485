"""Text normalisation with an offset map back to the original text.

Arabic: diacritics, tatweel and bidi marks deleted; أإآٱ→ا, ى→ي, ة→ه, ؤئ→ء, Eastern digits→ASCII, Arabic
punctuation→ASCII. English: lower case, typographic quotes folded. The tables live in
``detectors/data/normalization.json``. One-to-one replacements keep positions; deletions are recorded so
that a span of the normalised text maps back to exact character offsets of the original.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

__all__ = ["Normalizer", "NormText"]


@dataclass(slots=True)
class NormText:
    """Normalised text plus the map back to the original. ``starts``/``origins`` are parallel lists: the
    kept segment beginning at normalised index starts[i] begins at original index origins[i]."""

    text: str
    starts: list[int] | None = None
    origins: list[int] | None = None

    def to_orig(self, i: int) -> int:
        """Original offset of normalised offset ``i`` (a start offset)."""
        if self.starts is None:
            return i
        k = bisect_right(self.starts, i) - 1
        return self.origins[k] + (i - self.starts[k])

    def to_orig_end(self, j: int) -> int:
        """Original offset just after the character at normalised ``j - 1`` (an end offset)."""
        if j <= 0:
            return 0
        return self.to_orig(j - 1) + 1


class Normalizer:
    """Folds one language's text; built from the ``normalization.json`` table of that language."""

    def __init__(self, table: dict) -> None:
        self.trans = str.maketrans(table.get("map", {}))
        self.delete_re = re.compile(table["delete"]) if table.get("delete") else None
        self.lower = bool(table.get("lower", True))

    def fold(self, text: str) -> str:
        """Normalised form of a lexicon entry (no offsets needed)."""
        return self(text).text

    def __call__(self, text: str) -> NormText:
        t = text.translate(self.trans)
        if self.lower:
            low = t.lower()
            if len(low) != len(t):  # e.g. 'İ' lowers to two code points: fold char by char instead
                low = "".join(c if len(c.lower()) != 1 else c.lower() for c in t)
            t = low
        if self.delete_re is None or self.delete_re.search(t) is None:
            return NormText(t)
        pieces: list[str] = []
        starts: list[int] = []
        origins: list[int] = []
        pos = n = 0
        for m in self.delete_re.finditer(t):
            s, e = m.span()
            if s > pos:
                starts.append(n)
                origins.append(pos)
                pieces.append(t[pos:s])
                n += s - pos
            pos = e
        if pos < len(t) or not starts:
            starts.append(n)
            origins.append(pos)
            pieces.append(t[pos:])
        return NormText("".join(pieces), starts, origins)
