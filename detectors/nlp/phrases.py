"""Clitic-aware phrase matching over normalised text.

spaCy's blank Arabic tokenizer leaves "وقصفت", "بالجولان", "للجيش" whole, so a token-aligned
PhraseMatcher misses them. A ``PhraseTable`` compiles all its (normalised) forms into one trie-shaped
regular expression, run by the C regex engine over the normalised text:

* a match must start and end on a word boundary (so "الجولاني", a nickname, is not "الجولان");
* in Arabic an optional proclitic run (و ف, then ب ك ل س) may precede the form, and ل+ال→لل is accepted
  for forms that start with ال; the clitics are reported but not part of the matched span;
* leftmost-longest: at one position the longest form wins, and matches do not overlap, so "سحم الجولان"
  (a town in Daraa) swallows the "الجولان" inside it when both are in the table.

Affix expansion is explicit and per entry (``expand_forms``): nouns may take the article, verbs pronoun
suffixes. Nothing here knows about events; the components in ``detectors.nlp.components`` use it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

__all__ = ["PhraseTable", "Hit", "trie_regex", "expand_forms"]


@dataclass(slots=True)
class Hit:
    start: int  # normalised offset of the form (after any proclitics)
    end: int
    form: str
    prefix: str  # proclitics matched before the form ('' if none)
    payloads: list[Any]


def _esc(ch: str) -> str:
    return " +" if ch == " " else re.escape(ch)


def trie_regex(words: Iterable[str]) -> str:
    """A regex alternation shaped like a trie: one pass, no backtracking over shared prefixes; at a given
    start the greedy optional groups try the longest form first."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end_here = "" in node
        keys = sorted(k for k in node if k)
        if not keys:
            return ""
        alts = [_esc(k) + build(node[k]) for k in keys]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end_here:
            body = "(?:" + body + ")?"
        return body

    return build(trie)


# Arabic pronoun suffixes a verb or noun trigger may carry (قصفها, مواقعهم, استهدفته)
_AR_SUFFIXES = ("ه", "ها", "هم", "هما", "هن", "نا", "وا", "ا")


def expand_forms(form: str, lang: str, *, article: bool = False, suffixes: bool = False) -> list[str]:
    """Surface variants of one normalised form. ``article``: also with the definite article (Arabic ال,
    nothing in English); ``suffixes``: Arabic pronoun suffixes. Clitics are handled by the matcher."""
    out = [form]
    if lang == "ar":
        if article and not form.startswith("ال"):
            out.append("ال" + form)
        if suffixes:
            base = [f for f in out]
            for f in base:
                stem = f[:-1] + "ت" if f.endswith("ه") else f  # ة (folded to ه) becomes ت before a suffix
                out.extend(stem + s for s in _AR_SUFFIXES)
    return out


class PhraseTable:
    """Forms → payloads, matched over normalised text with word boundaries and Arabic proclitics."""

    def __init__(self, lang: str, *, prep_min_len: int = 0) -> None:
        """``prep_min_len``: in Arabic, forms shorter than this (verbs like حث, رد, دك) may not take the
        prepositions ب ك ل, which attach to nouns: "بحث" is "discussed", not ب + "urged"."""
        self.lang = lang
        self.prep_min_len = prep_min_len
        self._forms: dict[str, list[Any]] = {}
        self._lam_only: set[str] = set()
        self._bare: set[str] = set()  # forms that take no ب/ك/ل proclitic (short particles)
        self._regex: re.Pattern[str] | None = None

    def __len__(self) -> int:
        return len(self._forms)

    def __contains__(self, form: str) -> bool:
        return form in self._forms

    def add(self, form: str, payload: Any, *, bare: bool = False) -> None:
        """Add one already-normalised form (spaces between words). ``bare``: in Arabic the form takes no
        ب/ك/ل proclitic, only و/ف (a particle like اي must not be found in ولاية as و+ل+اية)."""
        form = " ".join(form.split())
        if not form:
            return
        self._forms.setdefault(form, []).append(payload)
        if bare:
            self._bare.add(form)
        if self.lang == "ar" and form.startswith("ال") and len(form) > 3:
            lam = form[1:]  # ل + الجيش → للجيش: the form without its alef, valid only after ل
            if lam not in self._forms:
                self._lam_only.add(lam)
        self._regex = None

    def compile(self) -> None:
        words = set(self._forms) | self._lam_only
        body = trie_regex(sorted(words, key=len, reverse=True)) if words else "(?!)"
        if self.lang == "ar":
            pat = r"(?<!\w)(?P<p>[وف]?[بكلس]?)(?P<w>" + body + r")(?!\w)"
        else:
            pat = r"(?<!\w)(?P<p>)(?P<w>" + body + r")(?!\w)"
        self._regex = re.compile(pat)

    def find(self, text: str) -> list[Hit]:
        """Non-overlapping leftmost-longest matches in normalised ``text``."""
        if self._regex is None:
            self.compile()
        assert self._regex is not None
        hits: list[Hit] = []
        forms = self._forms
        for m in self._regex.finditer(text):
            w = m.group("w")
            prefix = m.group("p")
            payloads = forms.get(w)
            if payloads is None:
                w2 = " ".join(w.split())
                payloads = forms.get(w2)
                if payloads is None:
                    if w2 in self._lam_only and prefix.endswith("ل"):
                        payloads = forms.get("ا" + w2)
                    if payloads is None:
                        continue
            # the letters read as proclitics may begin a longer form ("كاوكا" is Cauca, not ك + "اوكا")
            k = next((k for k in range(len(prefix)) if prefix[k:] + w in forms), None)
            if k is not None:
                hits.append(Hit(m.start("w") - (len(prefix) - k), m.end("w"), prefix[k:] + w, prefix[:k],
                                forms[prefix[k:] + w]))
                continue
            if prefix and prefix[-1] in "بكل" and w in self._bare:
                continue
            if self.prep_min_len and prefix and prefix[-1] in "بكل" and len(w) < self.prep_min_len \
                    and not w.startswith("ال"):
                whole = forms.get(prefix[-1] + w)  # "بقصف" listed as a form of its own
                if whole is None:
                    continue
                hits.append(Hit(m.start("w") - 1, m.end("w"), prefix[-1] + w, prefix[:-1], whole))
                continue
            hits.append(Hit(m.start("w"), m.end("w"), w, prefix, payloads))
        return hits
