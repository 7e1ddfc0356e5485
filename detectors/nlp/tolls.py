"""How many were killed and wounded: casualty counts of a clause.

A mixin of the assembler's per-sentence state (``detectors.nlp.assemble._Sentence``). A count is a number
(digits in any script, number words, Arabic duals) near a death or injury word; not an age, a duration, a
share or a sum (``unit``/``age`` cues); not a running total over a period (``cumulative``, "since July");
not across the other toll word or the missing; a dead-and-wounded pair shares one number that is neither.
"""
from __future__ import annotations

import re

__all__ = ["TollCounts", "to_int", "DIGIT_TRANS"]

# a count: not part of a word, a decimal, or a d/m/y or dashed date ("19/6/1436", "29-2-1436هـ" are Hijri
# dates, not 1436 dead; "10-15" is a range, not a count)
_DIGITS_RE = re.compile(r"(?<![\w./])(?<![0-9\u0660-\u0669\u06F0-\u06F9]-)"
                        r"[0-9\u0660-\u0669\u06F0-\u06F9][0-9\u0660-\u0669\u06F0-\u06F9,]*(?:\.[0-9]+)?"
                        r"(?![\w/])(?!-[0-9\u0660-\u0669\u06F0-\u06F9])")
DIGIT_TRANS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def to_int(s: str) -> int | None:
    """A number written in digits of any script, with thousands commas ("1,500", "١٥٠٠"), or None."""
    s = s.translate(DIGIT_TRANS).replace(",", "")
    try:
        return int(float(s))
    except ValueError:
        return None


class TollCounts:
    """Casualty logic over the sentence's matches (``self.a`` the assembler, ``self.cues``, ``self.nums``…)."""

    def _casualties(self, c0: int, c1: int) -> tuple[int | None, int | None]:
        if self._cumulative(c0, c1):
            return None, None  # a running total over a period is no incident's toll
        asm = self.a
        killed = injured = None
        numbers: list[tuple[int, int, int | None]] = []
        digit_spans: list[tuple[int, int]] = []
        for m in _DIGITS_RE.finditer(asm._t, c0, c1):
            digit_spans.append((m.start(), m.end()))
            v = to_int(m.group(0))
            if v is None or (1900 <= v <= 2100 and len(m.group(0)) == 4):
                continue
            numbers.append((m.start(), m.end(), v))
        words = sorted((n for n in self.nums if c0 <= n.start < c1), key=lambda n: n.start)
        i = 0
        while i < len(words):  # compound number words: خمسة عشر, خمسة وعشرون, twenty-five
            n = words[i]
            v, end = n.p["value"], n.end
            while i + 1 < len(words) and asm._words(end, words[i + 1].start) == 0 and v is not None \
                    and words[i + 1].p["value"] is not None:
                nv = words[i + 1].p["value"]
                v = v + nv if nv == 10 or (nv >= 20 and v < 10) else (v * nv if nv in (100, 1000) else v)
                end = words[i + 1].end
                i += 1
            numbers.append((n.start, end, v))
            i += 1
        # an age, a duration, a distance, a share or a sum is not a count: "a man aged 49", "49 عاما"
        units = [c for c in self.cues if c.p["cue"] == "unit" and c0 <= c.start < c1 + 20]
        ages = [c for c in self.cues if c.p["cue"] in ("age", "label") and c0 - 30 <= c.start < c1]
        numbers = [(s, e, v) for s, e, v in numbers
                   if not any(u.start >= e and asm._words(e, u.start) == 0 for u in units)
                   and not any(a.end <= s and asm._t[a.end:s].strip() in ("", "الـ", "ال", "the") for a in ages)]
        combined = self._combined_toll_cues(c0, c1, digit_spans)
        for c in self.cues:
            if not (c0 <= c.start < c1) or id(c) in combined:
                continue
            kind = c.p["cue"]
            if kind in ("killed", "injured"):
                best = None
                other = [o for o in self.cues if o.p["cue"] in ("killed", "injured", "missing") and o.p["cue"] != kind
                         and c0 <= o.start < c1]
                for s, e, v in numbers:
                    if any(e <= o.start and o.end <= c.start or c.end <= o.start and o.end <= s or
                           not self.ar and c.end <= s and e <= o.start and asm._words(e, o.start) <= 1
                           for o in other):
                        # "خمسة قتلوا وأصيب 11", "five killed and 11 wounded": 11 are the wounded (an English
                        # count comes before its participle; an Arabic one after its noun, "مقتل شخصين")
                        continue
                    # a number word on the cue itself counts too: the dual قتيلان is "two dead"
                    dist = asm._words(e, c.start) if e <= c.start else asm._words(c.end, s) if s >= c.end else 0
                    if dist <= 4 and (best is None or dist < best[0]):
                        best = (dist, v)
                if best is not None:
                    if kind == "killed" and killed is None:
                        killed = best[1]
                    elif kind == "injured" and injured is None:
                        injured = best[1]
        for c in self.cues:
            if self.s0 <= c.start < self.s1:
                if c.p["cue"] == "no_injury" and injured is None:
                    injured = 0
                elif c.p["cue"] == "no_casualty":
                    killed = 0 if killed is None else killed
                    injured = 0 if injured is None else injured
        return killed, injured

    def _cumulative(self, c0: int, c1: int) -> bool:
        """The clause counts over a period: "منذ بداية العام", "so far this year", or "since"/"منذ" followed
        by a month ("منذ 20 يوليو", "since July 20"); "منذ يومين" (two days ago) dates one incident."""
        if self.cues_of("cumulative", c0, c1):
            return True
        months = [d for d in self.dates if d.p.get("kind") == "month" and c0 <= d.start < c1]
        return any(d.start >= c.end and self.a._words(c.end, d.start) <= 1
                   for c in self.cues_of("since", c0, c1) for d in months)

    def _combined_toll_cues(self, c0: int, c1: int, digit_spans: list[tuple[int, int]]) -> set[int]:
        """Death and injury words joined by and/or ("مقتل وجرح 45", "وفاة وإصابة 20", "killed or wounded 45")
        share one number that counts both: it is neither the dead nor the wounded. ``digit_spans``: the
        clause's numbers written in digits, as ``_casualties`` found them."""
        tolls = sorted((c for c in self.cues if c.p["cue"] in ("killed", "injured") and c0 <= c.start < c1),
                       key=lambda c: c.start)
        asm = self.a
        counted = [(n.start, n.end) for n in self.nums]  # a dual counts itself: "قتيلان وجريحان"
        spans = counted + digit_spans
        out: set[int] = set()
        for a, b in zip(tolls, tolls[1:]):
            if any(s < c.end and c.start < e for s, e in counted for c in (a, b)):
                continue
            # one number beside the pair, on one side: "مقتل وجرح 45", "40 were killed or wounded"; not
            # "خمسة قتلوا وأصيب 11" (five dead, eleven wounded)
            after = any(s >= b.end and asm._words(b.end, s) <= 2 for s, e in spans)
            before = any(e <= a.start and asm._words(e, a.start) <= 3 for s, e in spans)
            if after == before:
                continue  # numbers on both sides are two tolls; on neither, nothing to share
            if a.p["cue"] != b.p["cue"] and asm._t[a.end:b.start].strip().lower() in ("", "و", "او", "أو", "and", "or"):
                out.update((id(a), id(b)))
        return out
