"""Sentence- and clause-level assembly of event frames from matches (no parser available offline).

Input: the original text, sentence boundaries, and the matches of the gazetteer (places, actors,
demonyms), trigger (event words, weapons) and cue (polarity, attribution, direction, dates, numbers)
components, all in original character offsets. Output: one frame (a plain dict) per event.

The reasoning, per sentence with a trigger:

* the sentence is cut into clauses at punctuation and clause words (after/بعد, while/فيما, ...); clauses
  without a trigger are glued to their neighbour, "in retaliation for / ردا على" clauses are kept apart;
* triggers of one clause make one event per kind (kinetic, clash, interception, territory, statement...);
  landing/firing words need a weapon in the clause, generic "hit/attack/استهدف" need a weapon or an armed
  actor;
* places after an origin cue (from/من/انطلاقا من) are the origin; the others are where it happened; a
  clause without a place borrows those of its sentence, then of the previous sentence;
* roles follow word order (Arabic VSO, English SVO) with target cues (على/at/on, positions/مواقع):
  ``detectors.nlp.roles``;
* polarity from negation, modal/future/conditional, attempt, purpose and threat cues before the trigger;
  background from habitual/history cues and explicit past years;
* killed and injured counts: ``detectors.nlp.tolls``.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

from detectors.nlp.lexicon import bare_word
from detectors.nlp.roles import AR_UNDERGO, AR_UNDERGO_NOUN, ARMED_KINDS, ActorRoles
from detectors.nlp.tolls import DIGIT_TRANS, TollCounts, to_int

__all__ = ["Assembler"]

KINETIC = frozenset({"air", "attack", "fire", "impact", "retaliate", "ied", "suicide", "chemical"})
NEEDS_WEAPON = frozenset({"impact"})
NEEDS_CONTEXT = frozenset({"attack", "fire", "retaliate"})
STATE_KINDS = frozenset({"military", "government", "country"})
ARMED_NON_STATE = frozenset({"armed_group", "unidentified"})
KIND_RANK = {"site": 0, "locality": 0, "city": 0, "admin": 1, "region": 2, "line": 3, "macro_region": 3,
             "country": 4, "sea": 5}
GOLAN = "golan_heights"
# countries whose border or front makes "the border strip/buffer zone/fence" mean something other than the Golan
_OTHER_FRONTS = frozenset({"LBN", "PSE", "TUR", "IRQ", "JOR", "EGY", "SAU", "YEM"})

_WS = str.maketrans({"\n": " ", "\t": " ", "\r": " ", "\u00a0": " "})
_PUNCT_RE = re.compile(r"[,;:،؛]|\s[-–—]\s")
_LIST_YEAR = re.compile(r"\s*(1[0-9]{3}|20[0-9]{2})\s*[-–—:]\s")
_YEAR_RE = re.compile(r"(?<![0-9])(19[0-9]{2}|20[0-9]{2})(?![0-9])")
_AR_IMPERFECT = ("ي", "ت", "ن")
# Arabic pluperfect, the wire's recap form: "وكانت إسرائيل قد قصفت ..." ("Israel had shelled ...")
_AR_PLUPERFECT = re.compile(r"(?:^|\s)[وف]?كان(?:ت|وا)?\s+(?:\S+\s+){0,5}قد\s+$")
_BORDER_AFTER = re.compile(r"[ -](?:border|frontier)s?\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s\s+")
_BASED = re.compile(r"-based\b", re.IGNORECASE)
_LIST_GLUE = frozenset({"and", "the", "و", "او", "or"})
_PARTITIVE = re.compile(r"(?:الجزء|جزء|القسم|الجانب|جانب|part|side|parts)\b[^,.،]{0,30}$", re.IGNORECASE)
# kinds of actors without a country of their own that take the country of a demonym next to them
# ("قوات الأمن الباكستانية", "Pakistani security forces", "مسلحون صوماليون")
DEM_TAKERS = frozenset({"military", "police", "armed_group", "unidentified", "people", "officials", "civilians",
                        "community"})


class _M:
    """A mention inside one sentence: offsets, the payload that matters, the matched form and prefix."""

    __slots__ = ("start", "end", "p", "form", "prefix", "pstart")

    def __init__(self, start: int, end: int, p: dict[str, Any], form: str, prefix: str, pstart: int = -1) -> None:
        self.start, self.end, self.p, self.form, self.prefix = start, end, p, form, prefix
        self.pstart = pstart if pstart >= 0 else start


class Assembler:
    def __init__(self, lang: str, *, window: int = 6, min_confidence: float = 0.0) -> None:
        self.lang = lang
        self.ar = lang == "ar"
        self.window = window
        self.min_confidence = min_confidence

    # ------------------------------------------------------------------------------------------ helpers
    def _words(self, a: int, b: int) -> int:
        """Words strictly between offsets a <= b (whitespace-separated chunks; 0 for adjacent words)."""
        if b <= a:
            return 0
        return max(0, len(self._ws[a:b].split()) if self._ws[a:b].strip() else 0)

    def _text(self, m: _M) -> str:
        return self._t[m.start:m.end]

    def _prev_word(self, pos: int) -> str:
        """The word before offset ``pos``, folded as the lexicon is (Arabic: clitics and article dropped)."""
        words = self._t[max(0, pos - 40):pos].split()
        return bare_word(words[-1], self.lang) if words else ""

    @staticmethod
    def _drones_are_no_marches(triggers: list[_M], weapons: list[_M], sents) -> list[_M]:
        """مسيرة is a march and, written without its shadda, a drone (مسيّرة). In an article that speaks of
        drones (a "طائرة مسيرة", or a مسيرة in a sentence with a strike or an interception) it is the drone."""
        drone = [w for w in weapons if w.p.get("weapon") == "drone"]
        if not drone:
            return triggers
        strikes = [t for t in triggers if t.p["class"] in KINETIC | {"intercept"}]
        def in_strike_sentence(w: _M) -> bool:
            return any(s0 <= w.start < s1 and any(s0 <= t.start < s1 for t in strikes) for s0, s1 in sents)
        if not any(" " in w.form or in_strike_sentence(w) for w in drone):
            return triggers
        # the protest word that is itself matched as the drone: the same letters, the other reading
        drone_spans = {(w.start, w.end) for w in drone}
        return [t for t in triggers if not (t.p["class"] == "protest" and (t.start, t.end) in drone_spans)]

    def _generic_actors(self, actors: list[_M], triggers: list[_M]) -> list[_M]:
        """Generic actor nouns: drop those that are an adjective of an event word ("هجوم انتحاري", "هجوما
        مسلحا": inside a longer trigger, or after a word of the entry's ``not_after``), and give an actor
        with no country of its own the country of a demonym right next to it ("قوات الأمن الباكستانية",
        "Pakistani security forces"); the demonym then is part of that actor, not one of its own."""
        out = []
        for a in actors:
            if a.p["t"] == "actor" and a.p.get("generic"):
                if any(t.start <= a.start and a.end <= t.end and (t.end - t.start) > (a.end - a.start)
                       for t in triggers):
                    continue
                na = a.p.get("not_after")
                if na and self._prev_word(a.start - len(a.prefix)) in na:
                    continue
            out.append(a)
        merged: list[_M] = []
        skip: set[int] = set()
        for i, a in enumerate(out):
            if id(a) in skip:
                continue
            if a.p["t"] == "actor" and a.p.get("country") is None and a.p.get("kind") in DEM_TAKERS:
                d = None
                if self.ar and i + 1 < len(out) and out[i + 1].p["t"] == "dem" \
                        and self._t[a.end:out[i + 1].start].strip() == "" and not out[i + 1].prefix:
                    d = out[i + 1]
                elif not self.ar and merged and merged[-1].p["t"] == "dem" \
                        and self._t[merged[-1].end:a.start].strip() == "":
                    d = merged.pop()
                if d is not None and d.p.get("country"):
                    skip.add(id(d))
                    p = dict(a.p, country=d.p["country"], dem=True)
                    if a.p.get("kind") in ("military", "armed_group", "unidentified"):
                        p["origin"] = True  # "قناص سوري", "Pakistani gunmen": they fire from their country
                    merged.append(_M(min(a.start, d.start), max(a.end, d.end), p, a.form,
                                     a.prefix if a.start < d.start else d.prefix,
                                     a.pstart if a.start < d.start else d.pstart))
                    continue
            if self.ar and merged and merged[-1].p["t"] == "actor" and merged[-1].p.get("generic") \
                    and a.p["t"] == "actor" and not a.p.get("generic") and not a.prefix \
                    and merged[-1].form.endswith(("ي", "و")) and self._t[merged[-1].end:a.start].strip() == "":
                g = merged.pop()  # construct state "مسلحي طالبان", "مسلحو حماس": the named group's men
                merged.append(_M(g.start, a.end, a.p, a.form, g.prefix, g.pstart))
                continue
            merged.append(a)
        return merged

    # ------------------------------------------------------------------------------------------ entry
    def __call__(self, text: str, sents: list[tuple[int, int]], gaz: list, trg: list, cue: list) -> list[dict]:
        self._t = text
        self._ws = text.translate(_WS)
        self._digits = text.translate(DIGIT_TRANS)  # "١٩٧٣" is a year too (one character for one: offsets hold)
        # split matches by payload type (a form may carry several payloads, e.g. Damascus place + actor)
        places, actors, triggers, weapons, cues, dates, nums = [], [], [], [], [], [], []
        for m in gaz:
            for p in m.payloads:
                t = p["t"]
                if t == "place":
                    places.append(_M(m.start, m.end, p, m.form, m.prefix))
                elif t in ("actor", "dem"):
                    actors.append(_M(m.start, m.end, p, m.form, m.prefix))
        for m in trg:
            for p in m.payloads:
                (triggers if p["t"] == "trg" else weapons).append(
                    _M(m.start, m.end, p, m.form, m.prefix, getattr(m, "pstart", -1)))
        for m in cue:
            for p in m.payloads:
                t = p["t"]
                if t == "cue" and m.form == "may" and re.search(r"\d\s*,?\s*$", text[max(0, m.start - 4):m.start]) \
                        or t == "cue" and m.form == "may" and re.match(r"\s*\d", text[m.end:m.end + 3]):
                    continue  # "May 10" is a month, not a modal
                if t == "cue":
                    cues.append(_M(m.start, m.end, p, m.form, m.prefix))
                elif t == "date":
                    dates.append(_M(m.start, m.end, p, m.form, m.prefix))
                else:
                    nums.append(_M(m.start, m.end, p, m.form, m.prefix))
        # a trigger inside a name is no trigger ("the Organisation for the Prohibition of Chemical Weapons")
        spans = sorted((m.start, m.end) for m in gaz if any(p["t"] in ("actor", "place") for p in m.payloads))
        if spans:
            starts = [s for s, _ in spans]
            def inside(m) -> bool:
                k = bisect_left(starts, m.start + 1) - 1
                return k >= 0 and spans[k][0] <= m.start and m.end <= spans[k][1] and \
                    (spans[k][1] - spans[k][0]) > (m.end - m.start)
            triggers = [m for m in triggers if not inside(m)]
        # "فجر الجمعة" is dawn on Friday, not "detonated": a trigger that is a time noun right before a day word,
        # or inside a date phrase ("فجر اليوم"), is no trigger
        time_nouns = {(c.start, c.end) for c in cues if c.p["cue"] == "time_noun"}
        if dates:
            triggers = [m for m in triggers if not any(
                d.start <= m.start and m.end <= d.end and d.end - d.start > m.end - m.start or
                (m.start, m.end) in time_nouns and d.start >= m.end and self._words(m.end, d.start) == 0
                for d in dates)]
        # a demonym right after a place name describes the place ("قرية الحضر السورية"), it is no actor
        place_ends = {m.end for m in places}
        actors = [a for a in actors if not (a.p["t"] == "dem" and any(
            text[e:a.start].strip() == "" for e in place_ends if a.start - 3 <= e <= a.start))]
        actors = self._generic_actors(actors, triggers)
        self._all_actors = actors
        # actors that are objects of an attack anywhere in the doc (never used to resolve "the army")
        obj_ends = sorted(c.end for c in cues if c.p["cue"] in ("target", "target_noun"))
        self._objects = set()
        noun_starts = sorted(c.start for c in cues if c.p["cue"] == "target_noun")
        for a in actors:
            k = bisect_left(obj_ends, a.start + 1) - 1
            if k >= 0 and self._words(obj_ends[k], a.start) <= 3:
                self._objects.add(id(a))
            elif not self.ar:  # "a Syrian military position"
                j = bisect_left(noun_starts, a.end)
                if j < len(noun_starts) and self._words(a.end, noun_starts[j]) <= 1:
                    self._objects.add(id(a))
        self._doc_golan = any(GOLAN in p.p["regions"] and not p.p.get("requires") for p in places)
        # the countries the article names (places, actors, demonyms): context for a name two countries share
        self._doc_countries = {m.p.get("country") for m in places if not m.p.get("requires")} | \
            {m.p.get("country") for m in actors}
        if self.ar:
            triggers = self._drones_are_no_marches(triggers, weapons, sents)
        frames: list[dict] = []
        prev_impacts: list[_M] = []
        t_starts = [m.start for m in triggers]
        for s0, s1 in sents:
            i0, i1 = bisect_left(t_starts, s0), bisect_left(t_starts, s1)
            sent_places = [m for m in places if s0 <= m.start < s1]
            if i0 == i1:
                if sent_places:
                    prev_impacts = []
                continue
            ctx = _Sentence(self, s0, s1, sent_places,
                            [m for m in actors if s0 <= m.start < s1], triggers[i0:i1],
                            [m for m in weapons if s0 <= m.start < s1], [m for m in cues if s0 <= m.start < s1],
                            [m for m in dates if s0 <= m.start < s1], [m for m in nums if s0 <= m.start < s1],
                            prev_impacts)
            sent_frames = ctx.assemble()
            frames.extend(f for f in sent_frames if f["confidence"] >= self.min_confidence)
            if ctx.impact_places and any(f["family"] in ("explosions_remote_violence",) or
                                         f["type"] == "disrupted_weapons_use" for f in sent_frames):
                prev_impacts = ctx.impact_places
            elif sent_places:
                prev_impacts = []
        return _stated_origin_wins(frames)


class _Sentence(ActorRoles, TollCounts):
    """Assembly state for one sentence."""

    def __init__(self, asm: Assembler, s0: int, s1: int, places, actors, triggers, weapons, cues, dates, nums,
                 prev_impacts) -> None:
        self.a = asm
        self.ar = asm.ar
        self.s0, self.s1 = s0, s1
        self.actors = actors
        self.triggers = triggers
        self.weapons = weapons
        self.cues = cues
        self.dates = dates
        self.nums = nums
        self.prev_impacts = prev_impacts
        self.text = asm._t[s0:s1]
        # context for the generic line words: what the rest of the sentence names (not those words themselves)
        named = [m for m in places if not m.p.get("requires")]
        self.countries = {m.p.get("country") for m in named} | {m.p.get("country") for m in actors}
        # the front a sentence is about: places and demonyms (Hezbollah or Iran also act inside Syria)
        self.front = {m.p.get("country") for m in named} | {m.p.get("country") for m in actors
                                                             if m.p["t"] == "dem" or m.p.get("dem")}
        self.places = [m for m in places if self._place_ok(m)]
        self.impact_places: list[_M] = []

    # ------------------------------------------------------------------------------------------ places
    def _place_ok(self, m: _M) -> bool:
        p = m.p
        if p.get("lat") is None:  # traps: persons, units named like places
            return False
        req = p.get("requires")
        if isinstance(req, dict):  # "طرابلس": Tripoli in Libya or in Lebanon, by what the article is about
            return bool(set(req.get("countries", ())) & self.a._doc_countries)
        if req:
            # another front named in the sentence (Lebanon, Gaza, Turkey's or Iraq's border with Syria ...)
            other_front = bool(self.front & _OTHER_FRONTS)
            if other_front:
                return False
            if req == "golan_context":  # the article names the Golan, or the sentence both sides of the line
                return self.a._doc_golan or {"ISR", "SYR"} <= self.countries
            if req == "syria_israel_context":
                return "SYR" in self.countries and ("ISR" in self.countries or self.a._doc_golan)
        return True

    def cues_of(self, kind: str, a: int, b: int) -> list[_M]:
        return [c for c in self.cues if c.p["cue"] == kind and a <= c.start < b]

    def _cue_before(self, kinds: tuple[str, ...], pos: int, lo: int, max_words: int) -> _M | None:
        best = None
        for c in self.cues:
            if c.p["cue"] in kinds and lo <= c.start and c.end <= pos and self.a._words(c.end, pos) <= max_words:
                if best is None or c.end > best.end:
                    best = c
        return best

    # ------------------------------------------------------------------------------------------ clauses
    def _clauses(self) -> list[list[Any]]:
        """[[start, end, kind, has_trigger], ...] covering the sentence; kind is how the clause starts:
        'start', 'soft' (punctuation), 'hard' (a clause word such as after/بعد) or 'ret' (in retaliation for)."""
        cuts: list[tuple[int, str]] = []
        for m in _PUNCT_RE.finditer(self.text):
            cuts.append((self.s0 + m.start(), "soft"))
        for c in self.cues:
            kind = c.p["cue"]
            if kind == "break":
                cuts.append((c.start, "hard"))
            elif kind == "retaliation":
                cuts.append((c.start, "ret"))
        cuts.sort()
        clauses: list[list[Any]] = []
        start, kind = self.s0, "start"
        for pos, k in cuts:
            if pos > start:
                clauses.append([start, pos, kind])
            start, kind = pos, k
        clauses.append([start, self.s1, kind])
        # glue trigger-less clauses to a neighbour (retaliation clauses stay apart)
        has_trg = [any(c[0] <= t.start < c[1] for t in self.triggers) for c in clauses]
        merged: list[list[Any]] = []
        for c, ht in zip(clauses, has_trg):
            if merged and c[2] != "ret" and (not ht or not merged[-1][3]) and merged[-1][2] != "ret":
                merged[-1][1] = c[1]
                merged[-1][3] = merged[-1][3] or ht
            else:
                merged.append([c[0], c[1], c[2], ht])
        return merged

    # ------------------------------------------------------------------------------------------ main
    def assemble(self) -> list[dict]:
        clauses = self._clauses()
        self.clauses = clauses
        self.ret_places = [p for c in clauses if c[2] == "ret" for p in self.places if c[0] <= p.start < c[1]]
        # place roles per clause
        self.place_role: dict[int, str] = {}
        for p in self.places:
            self.place_role[id(p)] = self._place_role(p, clauses)
        self.impact_places = [p for p in self.places if self.place_role[id(p)] == "impact"
                              and not any(c[2] == "ret" and c[0] <= p.start < c[1] for c in clauses)]
        frames: list[dict] = []
        for c0, c1, kind, _ in clauses:
            trig = [t for t in self.triggers if c0 <= t.start < c1]
            if not trig:
                continue
            frames.extend(self._clause_events(c0, c1, kind == "ret", trig))
        # one statement of a type per sentence
        out, seen = [], set()
        for f in frames:
            if f["family"] == "statements":
                key = f["type"]
                if key in seen:
                    continue
                seen.add(key)
            out.append(f)
        return out

    def _across_border(self, p: _M) -> bool:
        """The place is named as the neighbour across a border ("near the border with Mali and Niger",
        "قرب الحدود مع الهند وبنغلاديش"): a border_with cue, then only places and "and" up to it; or, in
        English, a country named before "border" ("near the Mali border")."""
        if not self.ar and p.p.get("kind") == "country" and _BORDER_AFTER.match(self.a._t, p.end):
            return True
        for c in self.cues:
            if c.p["cue"] != "border_with" or c.end > p.start or p.start - c.end > 120:
                continue
            between = self._gap(c.end, p.pstart, [(o.pstart, o.end) for o in self.places
                                                   if c.end <= o.pstart and o.end <= p.pstart])
            if all(w in _LIST_GLUE for w in between.replace("،", " ").replace(",", " ").split()):
                return True
        return False

    def _only_place_nouns(self, a: int, b: int) -> bool:
        """Between a and b nothing but place nouns and "the/of": "من منطقة بيلغورود", "from the town of"."""
        between = self._gap(a, b, [(c.start, c.end) for c in self.cues_of("territory_noun", a, b)])
        return all(w in ("the", "of") for w in between.lower().split())

    def _gap(self, a: int, b: int, spans: list[tuple[int, int]]) -> str:
        """The text between a and b with the text of the given spans blanked out."""
        text = self.a._t[a:b]
        for s, e in spans:
            text = text.replace(self.a._t[s:e], " ")
        return text

    def _names_an_owner(self, p: _M) -> bool:
        """The place names whose something is, not where: "Burundi's army", "Niger's defence ministry" (an
        actor after the possessive), "the Britain-based monitor"."""
        after = self.a._t[p.end:p.end + 12]
        if _BASED.match(after):
            return True
        m = _POSSESSIVE.match(after)
        return m is not None and any(
            a.p["t"] == "actor" and p.end + m.end() <= a.start and self.a._words(p.end + m.end(), a.start) <= 2
            for a in self.actors)

    def _place_role(self, p: _M, clauses) -> str:
        if self._across_border(p):
            return "border"  # the neighbour across the line is neither where it happened nor where it came from
        if not self.ar and self._names_an_owner(p):
            return "owner"
        clause = next((c for c in clauses if c[0] <= p.start < c[1]), None)
        lo = clause[0] if clause else self.s0
        if any(c.p["cue"] == "origin" and c.start < p.start < c.end for c in self.cues):
            # a longer origin cue runs into the place ("fired from the Syrian side of the Golan", "من الجانب
            # السوري"): the phrase matchers keep the longest form, so no cue ends before the place
            return "origin"
        c = self._cue_before(("origin", "near", "toward", "loc_prep"), p.start, lo, 3)
        if c is not None and c.p["cue"] == "origin" and c.form in ("من", "from") and (
                not self._only_place_nouns(c.end, p.pstart)
                or _PARTITIVE.search(self.a._t[max(lo, c.start - 40):c.start])):
            # bare من/from only right before the place ("بعد أسبوع من إعلان إسرائيل" is no origin), and not
            # as a partitive ("في الجزء السوري من هضبة الجولان", "the Syrian part of")
            c = None
        if c is not None and c.p["cue"] == "loc_prep":
            # "fired from army positions in Quneitra", "مصدرها مواقع الاحتلال في الجولان": the place of the
            # positions the fire came from (a position noun between, and nothing that starts another phrase)
            o = self._cue_before(("origin",), c.start, lo, 4)
            between = [x for x in self.cues if o is not None and o.end <= x.start and x.end <= c.start]
            if o is not None and any(x.p["cue"] == "target_noun" for x in between) and not any(
                    x.p["cue"] in ("target", "toward", "loc_prep", "near") for x in between) and not any(
                    o.end <= t.start < c.start for t in self.triggers):
                c = o
        if c is not None and c.p["cue"] == "origin":
            if any(o is not p and c.end <= o.start and o.end <= p.start for o in self.places):
                return "impact"  # "from Syria over the Golan": the cue belongs to Syria
            return "origin"
        return "impact"

    def _weapon_ok(self, t: _M, c0: int, c1: int, weapons: list[_M], actors: list[_M]) -> bool:
        cls = t.p["class"]
        if t.p.get("needs_taker") and self._cue_before(("taker",), t.start, c0, 5) is None:
            return False  # "الإفراج عن الرهائن", "the release of the hostages": nobody is taken here
        if cls in NEEDS_WEAPON:
            return any(w.p["modality"] in ("projectile", "air", "ied") for w in weapons)
        if cls in NEEDS_CONTEXT:
            if cls == "fire" and self.ar and self.a._t[t.end:t.end + 6].strip().startswith("سراح"):
                return False
            if t.p.get("armed") or weapons:  # "opened fire/أطلق النار" names the firearm itself
                return True
            if any(a.p.get("kind") in ARMED_KINDS and not a.p.get("generic") or a.p.get("armed")
                   for a in actors):
                return True
            if any(a.p["t"] == "dem" and (a.start >= t.end and self.a._words(t.end, a.start) == 0 if self.ar else
                                          a.end <= t.start and self.a._words(a.end, t.start) == 0) for a in actors):
                return True  # a state's shelling: "قصف إسرائيلي", "Israeli shelling"
            return bool(self.cues_of("target_noun", c0, c1))
        if cls == "intercept":  # "أسقط" also overthrows governments and drops momentum ("أسقطت لدى قوات")
            asm = self.a
            return any(w.p["modality"] in ("projectile", "air") for w in self.weapons) or any(
                a.p.get("kind") in ("military", "country") and (
                    a.end <= t.start and asm._words(a.end, t.start) <= 3 or
                    a.start >= t.end and asm._words(t.end, a.start) == 0)  # its subject: "الدفاعات أسقطت"
                for a in actors)
        if cls == "capture":
            return not self._not_territory(t, c1) and self._captures_a_place(t, c0, c1)
        if cls == "withdraw":
            return not self._not_territory(t, c1) and (bool(actors) or any(c0 <= p.start < c1 for p in self.places))
        return True

    def _purpose(self, t: _M) -> bool:
        """Arabic ل + an indefinite verbal noun names a purpose or a reference, not an attack that happened:
        "لمواجهة التهديد" (to counter the threat), "خطة لتفجير" (a plan to bomb), "انتقاما لضربة" (in revenge
        for a strike). After "تعرض" (came under) it is the attack itself: "تعرضت البلدة لقصف"."""
        if not self.ar or not t.prefix.endswith("ل") or t.form.startswith("ال"):
            return False  # "للتفجير" is ل + ال: a definite noun, read as usual
        start = t.start - len(t.prefix)
        lo = max([self.s0] + [o.end for o in self.triggers if o.end <= start and o is not t])
        before = [re.sub(r"[^\w]", "", w) for w in self.a._t[lo:start].split()[-12:]]
        # "تعرض قيادي في حماس ... الثلاثاء، للخطف": the subject may stand between the verb and ل
        return not any(AR_UNDERGO.fullmatch(w) or AR_UNDERGO_NOUN.fullmatch(w) for w in before)

    def _captures_a_place(self, t: _M, c0: int, c1: int) -> bool:
        """The capture verb has a place for object: a named place or a place noun shortly after it ("سيطرت
        على بلدة", "seized the town of"), or just before it ("the town was captured", "the base they took")."""
        asm = self.a
        near = [m for m in self.places if c0 <= m.start < c1] + self.cues_of("territory_noun", c0, c1)
        # Arabic puts the subject between verb and object ("سيطر متمردو حركة إم 23 الخميس على بلدة"); a
        # country is the object only right after the verb ("سيطرت على أفغانستان"): further on or before the
        # verb it belongs to the subject ("استولت قوات صرب البوسنة على جيب", "Myanmar's army took")
        reach = 7 if self.ar else 5

        def is_object(m: _M) -> bool:
            country = m.p.get("kind") == "country"
            if m.start >= t.end:
                return asm._words(t.end, m.start) <= (1 if country else reach)
            return m.end <= t.start and asm._words(m.end, t.start) <= 3 and not country

        return any(is_object(m) for m in near)

    def _not_territory(self, t: _M, c1: int) -> bool:
        """A capture verb about something other than land ("took control of the situation", "seized
        power", "freed the hostages"), or present-tense control that says who holds a place ("المناطق
        التي يسيطر عليها التنظيم", the areas the group controls), not that it was taken."""
        asm = self.a
        if any(c.start >= t.end and c.start < c1 and asm._words(t.end, c.start) <= 3
               for c in self.cues_of("not_territory", t.end, c1)):
            return True
        if self.ar and t.p.get("impf") and "س" not in t.prefix:
            if any(asm._words(c.end, t.start) <= 2 for c in self.cues_of("relative", self.s0, t.start)):
                return True
            if any(asm._words(t.end, c.start) == 0 for c in self.cues_of("pronoun_object", t.end, c1)):
                return True
        return False

    def _clause_events(self, c0: int, c1: int, is_ret: bool, trig: list[_M]) -> list[dict]:
        weapons = [w for w in self.weapons if c0 <= w.start < c1]
        actors = [a for a in self.actors if c0 <= a.start < c1]
        groups: dict[str, list[_M]] = {}
        no_cas = [c for c in self.cues if c.p["cue"] in ("no_injury", "no_casualty") and c0 <= c.start < c1]
        for t in trig:
            if not self._weapon_ok(t, c0, c1, weapons, actors):
                continue
            if t.p["class"] == "kill" and any(c.start <= t.start and t.end <= c.end for c in no_cas):
                continue  # "no Israeli casualties" names no killing
            cls = t.p["class"]
            if cls == "none":
                continue
            if cls in KINETIC and self.cues_of("exercise", self.s0, self.s1):
                continue  # live fire in a drill ("رماية بالذخيرة الحية في ميادين التدريب") attacks nobody
            if cls == "chemical":
                key = "chemical"  # a sarin report next to a shelling is two events
            elif cls in KINETIC:
                key = "kinetic"
            elif cls in ("withdraw", "capture"):
                key = "territory"
            elif cls == "statement":
                key = "statement:" + t.p["type"]
            elif cls in ("protest", "riot"):
                key = "protest"
            else:
                key = cls
            groups.setdefault(key, []).append(t)
        if "assault" in groups:
            if "kinetic" in groups or any(w.p["modality"] in ("projectile", "air") for w in weapons):
                groups.setdefault("kinetic", []).extend(groups.pop("assault"))
            elif "clash" in groups:
                groups["clash"].extend(groups.pop("assault"))
            else:
                groups["clash"] = groups.pop("assault")
        if "kill" in groups and (any(k in groups for k in ("kinetic", "chemical", "clash", "intercept", "abduct",
                                                           "protest"))
                                 or self.cues_of("natural", c0, c1)):
            groups.pop("kill")  # casualties of a named event, or of an earthquake/accident
        frames = []
        for key, ts in groups.items():
            f = self._event(key, ts, c0, c1, is_ret, weapons, actors)
            if f is not None:
                frames.append(f)
        return frames

    # ------------------------------------------------------------------------------------------ one event
    def _event(self, key: str, ts: list[_M], c0: int, c1: int, is_ret: bool, weapons, actors) -> dict | None:
        asm = self.a
        t = max(ts, key=lambda m: (m.p["weight"], -m.start))
        cls = t.p["class"]
        family, etype = self._classify(key, ts, weapons, actors)
        flags: list[str] = []
        conf = float(t.p["weight"])

        # ---- actors and roles
        roles = self._roles(t, c0, c1, actors)
        speaker = self._speaker(t)
        source = roles.get("source")
        if key == "territory" and source is not None and source.p.get("kind") in STATE_KINDS \
                and source.p.get("country"):
            etype = "government_regains_territory" if cls == "capture" else etype
            family = "battles" if cls == "capture" else family
        if cls == "capture" and etype == "non_state_actor_overtakes_territory":
            family = "battles"
        target = roles.get("target")
        if key == "kinetic" and source is not None and source.p.get("kind") in ("civilians", "community", "police") \
                and not source.p.get("armed") and not (target is not None and (
                    target.p.get("kind") in ARMED_KINDS or target.p.get("armed"))):
            # protesters or police firing (on people): unrest, not a military attack; police raiding
            # militants stay a fight
            unrest = any(m.p["class"] in ("protest", "riot") for m in self.triggers)
            family, etype = ("riots", "violent_demonstration") if unrest else ("violence_against_civilians", "attack")
        clause_kind = next((c[2] for c in self.clauses if c[0] == c0), "start")
        weapon_subject = any(w.end <= t.start and self.a._words(w.end, t.start) <= 2 and
                             w.p["modality"] in ("projectile", "ied") for w in weapons)  # "a mortar shell hit ..."
        if source is None and clause_kind in ("start", "soft") and speaker is not None and family != "battles" \
                and cls not in ("impact", "kill") \
                and (not weapon_subject or (roles.get("target") is not None and self._actor_country(roles["target"])
                                            not in (None, self._actor_country(speaker)))) \
                and speaker.p.get("kind") in ("military", "government", "country") \
                and family not in ("statements",):
            source = speaker
            flags.append("source_is_speaker")
        actor_out = []
        used = set()
        for role, m in (("source", source), ("target", roles.get("target"))):
            if m is not None and id(m) not in used:
                used.add(id(m))
                actor_out.append((role, m))
        for m in roles.get("other", []):
            if id(m) not in used:
                used.add(id(m))
                actor_out.append(("other", m))

        # ---- places
        skip = {(m.start, m.end) for m in (source, speaker) if m is not None}
        own = [p for p in self.places if c0 <= p.start < c1 and (p.start, p.end) not in skip]
        impacts = [p for p in own if self.place_role[id(p)] == "impact"]
        if any(p.start >= t.end for p in impacts):
            # "jets flying over the Golan struck depots near Homs": the place after the trigger is where it hit
            impacts = [p for p in impacts if p.start >= t.end]
        origins = [p for p in own if self.place_role[id(p)] == "origin"]
        inherited = ""
        violent = family in ("battles", "explosions_remote_violence", "violence_against_civilians") \
            or etype == "disrupted_weapons_use"
        if not impacts and family != "statements" and not is_ret:
            impacts = [p for p in self.impact_places]
            if impacts:
                inherited = "sentence"
            elif violent and family != "battles" and self.prev_impacts:
                impacts = [p for p in self.prev_impacts if self.place_role.get(id(p), "impact") == "impact"]
                inherited = "previous" if impacts else ""
        if inherited:
            flags.append("place_from_" + inherited)
            conf -= 0.1 if inherited == "sentence" else 0.15
        if violent and self.ret_places and not is_ret and \
                all(KIND_RANK.get(p.p["kind"], 2) >= 3 for p in impacts):
            golan_ret = [p for p in self.ret_places if GOLAN in p.p["regions"]]
            if golan_ret:
                impacts = impacts + golan_ret
                flags.append("retaliation_for_golan_incident")
        if impacts and not inherited:
            conf += 0.1

        # ---- countries
        side = {}
        for p in impacts + origins:
            c = self._cue_before(("side_syr",), p.start, self.s0, 4) if GOLAN in p.p["regions"] else None
            if c is not None and not any(c.end <= o.start < p.start for o in self.triggers):
                # "في الجانب السوري من الجولان"; not across a verb: "المعارك في الجانب السوري سقطت قرب عين زيفان"
                side[id(p)] = "SYR"
        def pc(p: _M) -> str | None:
            return side.get(id(p), p.p.get("country"))
        best = min(impacts, key=lambda p: (KIND_RANK.get(p.p["kind"], 2), p.start)) if impacts else None
        impact_country = pc(best) if best is not None else None
        if target is not None and target.p.get("country") and target.p.get("kind") in STATE_KINDS | {"dem"}:
            tcountry = target.p["country"]
            if best is None or inherited or KIND_RANK.get(best.p["kind"], 2) >= 2 and (
                    best.p["kind"] != "country" or tcountry == impact_country):
                impact_country = tcountry
        elif target is not None and target.p["t"] == "dem" and (
                best is None or inherited or KIND_RANK.get(best.p["kind"], 2) >= 2):
            impact_country = target.p["country"]
        if family == "battles":  # a fight: the two sides' countries, the place only as a fallback
            sides = [m for m in [target] + roles.get("other", []) if m is not None and m is not source
                     and m is not speaker and id(m) not in self._speaker_ids()
                     and m.p.get("kind") in ARMED_KINDS | {"government"} and self._actor_country(m)]
            if sides:
                impact_country = self._actor_country(sides[0])
        origin_country = pc(origins[0]) if origins and family != "battles" else None
        if origin_country is not None:
            flags.append("origin_stated")
        if origin_country is None and violent:
            if etype == "disrupted_weapons_use":
                if target is not None and target is not source and target is not speaker and \
                        target.p.get("origin", True) and target.p.get("country"):
                    origin_country = target.p["country"]  # who launched what was intercepted
            elif source is not None and source.p.get("origin", True):
                origin_country = self._actor_country(source)
            if origin_country is None and (source is None or etype == "disrupted_weapons_use"):
                # the projectile's origin given elsewhere in the sentence ("rockets from Syria ..., some of
                # which were intercepted over the Golan")
                sent_origins = [p for p in self.places if self.place_role[id(p)] == "origin"]
                if sent_origins:
                    origin_country = pc(sent_origins[0])
                    flags.append("origin_stated")
        if family == "battles" and origin_country is None:
            # a fight with no side named is local: it starts where it happens
            origin_country = (self._actor_country(source) if source is not None else None) or (
                pc(best) if best is not None else None)
        regions = {r for p in impacts for r in p.p["regions"]}
        if violent and origin_country is None and impact_country == "ISR" and GOLAN in regions \
                and (source is None or source.p.get("kind") in ARMED_KINDS) \
                and (cls in ("impact", "intercept") or any(w.p["modality"] in ("projectile", "air") for w in weapons)) \
                and (family == "explosions_remote_violence" or etype == "disrupted_weapons_use"):
            origin_country = "SYR"
            flags.append("origin_inferred_syria_side")
            conf -= 0.05
        if violent and origin_country in ("ISR", "SYR") and impact_country == origin_country and source is not None \
                and self._actor_country(source) == origin_country \
                and any(p.p.get("kind") == "line" and GOLAN in p.p["regions"] for p in impacts):
            # fire by one side's forces at the Golan line or fence ("an IDF aircraft struck a cell planting
            # explosives along the security fence") lands on the other side of it, or on people from there
            impact_country = "SYR" if origin_country == "ISR" else "ISR"
            flags.append("other_side_of_the_line")
        cross = bool(origin_country and impact_country and origin_country != impact_country)
        if key == "territory":
            cross = False  # taking or leaving ground is not fire across a line (a kinetic trigger makes its own event)

        # ---- polarity, background
        polarity = "asserted"
        lo = c0
        neg = self._cue_before(("neg",), t.start, lo, 3)
        if neg is not None and not any(c.p["cue"] == "cessation" and neg.end <= c.start < t.start for c in self.cues):
            polarity = "negated"  # but "did not stop shelling"/"لم يتوقف عن القصف" says it went on
        attempt = self._cue_before(("attempt",), t.start, lo, 4)
        if attempt is not None and self._cue_before(("survived",), attempt.start, lo, 3) is not None:
            attempt = None  # "survived an assassination attempt": the attack took place
        purpose = self._purpose(t)
        if polarity == "asserted":
            if self._cue_before(("hyp",), t.start, lo, 8) is not None or attempt is not None or purpose:
                polarity = "hypothetical"
            elif self.ar and "س" in t.prefix and (t.p.get("impf") or t.form.startswith(_AR_IMPERFECT)):
                polarity = "hypothetical"
            elif self.text.rstrip().endswith(("?", "؟")):
                polarity = "hypothetical"
            elif family != "statements":
                for st in self.triggers:
                    if st.p["class"] == "statement" and st.start < t.start:
                        if st.p["type"] == "threaten":
                            polarity = "hypothetical"
                        elif st.p["type"] == "deny" and (self.a._words(st.end, t.start) <= 8 or (
                                self.a._words(st.end, t.start) <= 14 and not any(
                                    c.p["cue"] in ("break", "retaliation") and st.end <= c.start < t.start
                                    for c in self.cues) and not any(
                                    st.end <= o.start < t.start and o.p["class"] != "statement"
                                    for o in self.triggers))):
                            # "نفى الجيش، مساء الأربعاء، تقارير تداولتها مواقع التواصل عن سقوط قذائف": the
                            # denied report, however long the denial's subject, when nothing else happens between
                            polarity = "negated"
        if polarity == "asserted" and family == "explosions_remote_violence" and \
                self.cues_of("no_impact", self.s0, self.s1) and (not own or cls in ("fire", "impact")):
            polarity = "negated"  # "sirens sounded after a launch from Syria; no impact was identified"
        if family == "statements" and etype == "threaten" and polarity == "asserted":
            polarity = "hypothetical"
        if polarity == "hypothetical" and family in ("battles", "explosions_remote_violence") and \
                speaker is not None and attempt is None and not purpose:
            family, etype = "statements", "threaten"
            flags.append("threat_of_force")
        background = bool(self.cues_of("habitual", c0, c1)) or bool(self.cues_of("history", c0, c1)) \
            or (self.ar and _AR_PLUPERFECT.search(asm._t[max(self.s0, t.pstart - 80):t.pstart]) is not None)
        years = self._years(t, c0, c1)
        if self.ar and t.p.get("impf") and "س" not in t.prefix and not self._date_in(c0, c1) \
                and family != "statements":
            conf -= 0.2  # present tense with no date: habitual ("rockets fall there after clashes")
            flags.append("imperfect_undated")
        if self.cues_of("hedge", self.s0, self.s1):
            conf -= 0.1
            flags.append("hedged")

        # ---- date, casualties, attribution
        date = self._date(t, c0, c1)
        if date:
            conf += 0.05
        killed = injured = None
        if violent or family == "riots":
            killed, injured = self._casualties(c0, c1)
        if source is not None:
            conf += 0.05

        conf = max(0.05, min(0.95, conf))
        return {
            "family": family, "type": etype,
            "trigger": (t.pstart, t.end), "sentence": (self.s0, self.s1),
            "actors": [(role, self._name(m), self._actor_country(m), m.p.get("kind") or
                        ("demonym" if m.p["t"] == "dem" else None)) for role, m in actor_out],
            "locations": [(self._name(p), pc(p), p.p["lat"], p.p["lon"], list(p.p["regions"]), p.p["id"])
                          for p in _dedupe(impacts)],
            "origin_country": origin_country, "impact_country": impact_country, "cross_border": cross,
            "date": date, "years": years, "polarity": polarity, "background": background,
            "attributed_to": self._name(speaker) if speaker is not None else self._speaker_text(t),
            "killed": killed, "injured": injured, "confidence": round(conf, 3), "flags": flags,
        }

    # ------------------------------------------------------------------------------------------ parts
    def _classify(self, key: str, ts: list[_M], weapons: list[_M], actors) -> tuple[str, str]:
        classes = {t.p["class"] for t in ts}
        if key == "chemical":
            return "explosions_remote_violence", "chemical_weapon"
        if key == "kinetic":
            if "suicide" in classes:
                return "explosions_remote_violence", "suicide_bomb"
            if "chemical" in classes:
                return "explosions_remote_violence", "chemical_weapon"
            air = "air" in classes or any(w.p["modality"] == "air" for w in weapons)
            if "ied" in classes and not air:
                return "explosions_remote_violence", "remote_explosive_landmine_ied"
            if air and not (classes <= {"impact", "fire"} and any(w.p["modality"] == "projectile" for w in weapons)):
                return "explosions_remote_violence", "air_drone_strike"
            if any(w.p["modality"] == "ied" for w in weapons) and not any(
                    w.p["modality"] == "projectile" for w in weapons):
                return "explosions_remote_violence", "remote_explosive_landmine_ied"
            if classes <= {"attack"} and not weapons and any(
                    a.p.get("kind") in ARMED_NON_STATE for a in actors) and not any(
                    a.p.get("kind") in STATE_KINDS or a.p["t"] == "dem" for a in actors):
                # "JNIM fighters attacked Barsalogho": a non-state group's assault with no weapon named is
                # fought on the ground, not shelled from afar (its killings of civilians are 'attack' events);
                # a state's "attack" stays a strike
                return "battles", "armed_clash"
            return "explosions_remote_violence", "shelling_artillery_missile_attack"
        t = ts[0]
        etype = t.p["type"]
        if key == "protest" and "riot" in classes:
            etype = "violent_demonstration"
        if key == "clash":
            return "battles", "armed_clash"
        if key == "territory":
            etype = "non_state_actor_overtakes_territory" if "capture" in classes else "non_violent_transfer_of_territory"
        from detectors.types import TYPE_FAMILY

        return TYPE_FAMILY.get(etype, "strategic_developments"), etype

    def _years(self, t: _M, c0: int, c1: int) -> list[int]:
        """Explicit years that date the event itself: not 'since 1967' (a duration), not when the clause has
        its own day-level date, and only near the trigger (boilerplate like 'which Israel seized in 1967')."""
        if any(c0 <= d.start < c1 and d.p["kind"] in ("rel", "weekday") for d in self.dates):
            return []
        out = self._inherited_years(c0) + self._years_near(c0, c1, [t])
        # an entry of a dated list ("1943 - الحرب العالمية الثانية: ...", "On this day") is dated by its head
        head = _LIST_YEAR.match(self.a._digits, self.s0)
        if head is not None:
            out.append(int(head.group(1)))
        return out

    def _inherited_years(self, c0: int) -> list[int]:
        """A clause opened by a clause word ("in 2018 it hit X after rockets were fired at it") happened when
        the clause it hangs on did, unless it names a date of its own: the years next to that clause's
        triggers."""
        k = next((i for i, c in enumerate(self.clauses) if c[0] == c0), 0)
        if k == 0 or self.clauses[k][2] != "hard" or self._date_in(c0, self.clauses[k][1]):
            return []
        p0, p1 = self.clauses[k - 1][0], self.clauses[k - 1][1]
        return self._years_near(p0, p1, [t for t in self.triggers if p0 <= t.start < p1])

    def _years_near(self, lo: int, hi: int, anchors: list[_M]) -> list[int]:
        """Years in [lo, hi) within 6 words of one of the anchor triggers, except a duration ("since 1967")."""
        out = []
        for m in _YEAR_RE.finditer(self.a._digits, lo, hi):
            before = self.a._t[max(lo, m.start() - 12):m.start()].lower()
            if re.search(r"(since|منذ)\s*(عام|the)?\s*$", before):
                continue
            if any((self.a._words(t.end, m.start()) if m.start() >= t.end else self.a._words(m.end(), t.start)) <= 6
                   for t in anchors):
                out.append(int(m.group(1)))
        return out

    def _date_in(self, c0: int, c1: int) -> bool:
        return any(c0 <= d.start < c1 and d.p["kind"] != "modifier" for d in self.dates)

    def _date(self, t: _M, c0: int, c1: int) -> dict | None:
        cand = [d for d in self.dates if c0 <= d.start < c1] or list(self.dates)
        cand = [d for d in cand if d.p["kind"] != "modifier" and not (d.p["kind"] == "month" and any(
            o.p["kind"] == "month" and o.end <= d.start and self.a._words(o.end, d.start) <= 1 and o is not d
            for o in self.dates))]
        if not cand:
            return None
        d = min(cand, key=lambda d: abs(d.start - t.start))
        kind, value = d.p["kind"], d.p["value"]
        asm = self.a
        if kind == "rel":
            return {"rel": value}
        if kind == "weekday":
            last = any(m.p["kind"] == "modifier" and (
                (m.start >= d.end and asm._words(d.end, m.start) == 0) or
                (m.end <= d.start and asm._words(m.end, d.start) == 0)) for m in self.dates)
            return {"weekday": value, "last": last}
        if kind == "month":
            before = asm._t[max(self.s0, d.start - 12):d.start]
            after = asm._t[d.end:min(self.s1, d.end + 24)]
            day = None
            m = re.search(r"([0-9\u0660-\u0669]{1,2})\s*(?:من\s*)?$", before)
            if m:
                day = to_int(m.group(1))
            else:
                m = re.match(r"\s*([0-9\u0660-\u0669]{1,2})(?![0-9\u0660-\u0669])", after)
                if m:
                    day = to_int(m.group(1))
            ym = _YEAR_RE.search(after.translate(DIGIT_TRANS))
            year = int(ym.group(1)) if ym else None
            if d.form in ("may", "march", "اب") and day is None and year is None:
                return None
            return {"month": value, "day": day, "year": year}
        return None


def _stated_origin_wins(frames: list[dict]) -> list[dict]:
    """Fire into the Golan with no origin named is guessed to come from Syria; when the article says where
    fire into Israel came from ("the rockets were launched from southern Lebanon"), that wins."""
    stated = {f["origin_country"] for f in frames if "origin_stated" in f["flags"] and f["impact_country"] == "ISR"}
    if len(stated) != 1 or "SYR" in stated:
        return frames
    origin = next(iter(stated))
    for f in frames:
        if "origin_inferred_syria_side" in f["flags"]:
            f["origin_country"] = origin
            f["cross_border"] = origin != f["impact_country"]
            f["flags"].append("origin_from_article")
    return frames


def _dedupe(places: list[_M]) -> list[_M]:
    seen, out = set(), []
    for p in places:
        if p.p["id"] not in seen:
            seen.add(p.p["id"])
            out.append(p)
    return out
