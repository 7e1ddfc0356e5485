"""Who did it and to whom: actor roles (source, target) in a sentence, and who reported it.

A mixin of the assembler's per-sentence state (``detectors.nlp.assemble._Sentence``): roles follow word
order (Arabic VSO, English SVO) and cues — target cues (على/at/on, positions/مواقع), agent cues (by/على يد),
victims of death words, passive subjects and the subject of تعرض ("came under attack"); news agencies and
monitors are never a party; generic nouns that name victims (people, officials) are never the default doer.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detectors.nlp.assemble import _M

__all__ = ["ActorRoles", "ARMED_KINDS", "AR_UNDERGO", "AR_UNDERGO_NOUN"]

ARMED_KINDS = frozenset({"military", "armed_group"})
_AR_THAT = re.compile(r"(?<!\w)(?:ب|و)?[اأإ]ن(?:ه|ها|هم)?(?!\w)")
# generic kinds that name victims, never the doer of an attack unless an agent cue says so ("by/على يد")
NON_AGENT_KINDS = frozenset({"people", "officials"})
# news agencies and monitors report an attack; they neither carry it out nor suffer it
REPORTER_KINDS = frozenset({"media", "monitor"})
# Arabic active verb forms of killing/wounding: their subject may follow them (VSO), so the actor after
# them is only a victim when it is counted or a victim noun ("قتل 18 شخصا", "قتلت القوات 11 مسلحا")
_AR_ACTIVE_KILL = frozenset({"قتل", "قتلت", "قتلوا", "جرح", "اصاب", "اصابت", "اغتال", "اغتالت", "اغتالوا"})
_NUM_BEFORE = re.compile(r"(?:[0-9\u0660-\u0669]+|[^\W\d]+)\s+(?:(?:من|of)\s+)?(?:ال|the\s+)?$")
_PASSIVE_EN = re.compile(r"\b(?:was|were|been|being|is|are|got)\b")
# "تعرضت القوات لهجوم" (came under attack): the subject of these verbs is what was attacked
AR_UNDERGO = re.compile(r"(?<!\w)(?:و|ف)?(?:قد\s+)?(?:[يت]?تعرض|تعرض)(?:ت|وا|تا|ا|ون|ان)?(?!\w)")
# the verbal noun too ("تعرضهم للتعذيب", "بعد تعرضها لقصف"): what follows ل was undergone
AR_UNDERGO_NOUN = re.compile(r"(?<!\w)(?:و|ف)?(?:ب|ل|لل|ال)?تعرض(?:ه|ها|هم|هما)?(?!\w)")


class ActorRoles:
    """Role logic over the sentence's matches (``self.a`` the assembler, ``self.cues``, ``self.actors``…)."""

    def _counted(self, a: _M) -> bool:
        """A number right before the actor ("ستة متشددين", "اربعة من عناصر الشرطة", "five of the soldiers")."""
        if any(n.start < a.end and a.start < n.end for n in self.nums):
            return True  # a dual noun counts itself: "جنديان", "شخصين"
        lo = max(self.s0, a.start - len(a.prefix) - 30)
        pos = a.start - len(a.prefix)
        if _NUM_BEFORE.search(self.a._t[lo:pos]) is None:
            return False
        if any(n.end <= pos and self.a._words(n.end, pos) <= 1 for n in self.nums):
            return True
        return bool(re.search(r"[0-9\u0660-\u0669]+\s+(?:(?:من|of)\s+)?(?:the\s+)?$", self.a._t[lo:pos]))

    def _victim(self, a: _M, c0: int, actors: list[_M]) -> bool:
        """The actor is what a death/injury word is about: "مقتل أربعة من عناصر الشرطة", "قتل 18 شخصا",
        "قتلت القوات الأمريكية 11 مسلحا", "killing two soldiers". An Arabic active verb (قتل، اغتال) may be
        followed by its subject, so after it only a counted or victim-kind actor is the victim."""
        asm = self.a
        c = None
        for cu in self.cues:
            if cu.p["cue"] in ("killed", "injured", "victim") and c0 <= cu.start and cu.end <= a.start \
                    and asm._words(cu.end, a.start) <= 6 and (c is None or cu.end > c.end):
                c = cu
        if c is None:
            return False
        if asm._words(c.end, a.start) > 3 and not any(
                o is not a and c.end <= o.start and o.end <= a.start for o in actors):
            return False  # further than three words only past the verb's subject
        counted = self._counted(a)
        between = [o for o in actors if o is not a and c.end <= o.start and o.end <= a.start]
        if between:  # "قتلت القوات الأمريكية 11 مسلحا": the actor in between is the subject
            return counted
        if self.ar:
            if c.form in _AR_ACTIVE_KILL:
                return counted or a.p.get("kind") in NON_AGENT_KINDS
            return True
        return c.p["cue"] == "victim" or counted or a.p.get("kind") in NON_AGENT_KINDS

    def _undergoer(self, a: _M, actors: list[_M]) -> bool:
        """Arabic: the actor before "قتلوا/أصيب" with no object after the verb was killed/wounded ("ثلاثة
        عراقيين قتلوا", "جنديا عراقيا قتل"), and the subject of "تعرض" (came under attack) was attacked."""
        if not self.ar:
            return False
        asm = self.a
        rest = asm._t[a.end:min(self.s1, a.end + 40)]
        if AR_UNDERGO.match(rest.lstrip()):
            return True
        head = asm._t[max(self.s0, a.start - len(a.prefix) - 16):a.start - len(a.prefix)].split()
        if head and AR_UNDERGO.fullmatch(head[-1]):
            return True  # VSO: "تعرضت القوات البريطانية لهجوم"
        for c in self.cues:
            if c.p["cue"] in ("killed", "injured") and c.start >= a.end and asm._words(a.end, c.start) <= 1:
                if any(o.start >= c.end and asm._words(c.end, o.start) <= 3 and not any(
                        c2.p["cue"] in ("killed", "injured", "victim", "break") and c.end <= c2.start < o.start
                        for c2 in self.cues) for o in actors):
                    return False  # "قواته قتلت مسلحا": active, with its object
                return True
        return False

    def _roles(self, t: _M, c0: int, c1: int, actors: list[_M]) -> dict[str, Any]:
        asm = self.a
        targets, agents, others = set(), set(), []
        speakers = self._speaker_ids()
        # news agencies and monitors are named as reporters ("reported by AP", "on Monday, AP said"): never a
        # party; an attack on a newsroom loses its target here, which is rarer than a misread byline
        reporters = {id(a) for a in actors if a.p.get("kind") in REPORTER_KINDS}
        for a in actors:
            if id(a) in reporters:
                continue
            c = self._cue_before(("target", "target_noun", "agent", "toward", "victim"), a.start, c0, 3)
            if c is not None and c.p["cue"] == "target_noun" and self._cue_before(("origin",), c.start, c0, 0):
                c = None  # "مصدرها مواقع الجيش", "from army positions": where the fire came from
            if c is not None and c.p["cue"] in ("target_noun", "victim") or (
                    c is not None and c.p["cue"] in ("target", "toward") and c.start >= t.start):
                targets.add(id(a))  # "at/on/على X" marks a target only after the trigger ("On May 10, X fired")
            elif c is not None and c.p["cue"] == "agent":
                agents.add(id(a))
            elif self._victim(a, c0, actors) or self._undergoer(a, actors):
                targets.add(id(a))
            elif not self.ar:
                nxt = [cu for cu in self.cues if cu.p["cue"] == "target_noun" and a.end <= cu.start
                       and asm._words(a.end, cu.start) <= 1
                       and not any(a.end <= x.start < cu.start for x in self.triggers)]  # not "X struck positions"
                if nxt and self._cue_before(("origin",), a.start, c0, 1) is None:  # not "from army positions"
                    targets.add(id(a))
                elif a.end <= t.start and asm._words(a.end, t.start) <= 3 and \
                        _PASSIVE_EN.search(asm._t[a.end:t.start].lower()):
                    targets.add(id(a))  # "two policemen were killed": the subject of a passive
            if id(a) not in targets and id(a) not in agents and self.ar and a.start >= t.end \
                    and not self._is_origin_place(a) and a.p["t"] != "dem":  # "غارة إسرائيلية": the doer
                # "سيارة مفخخة استهدفت دورية للشرطة": a weapon is the subject of the verb, the actor its object
                for t2 in self.triggers:
                    if t2.end <= a.start and asm._words(t2.end, a.start) == 0 and c0 <= t2.start and \
                            not any(t2.end <= o.start and o.end <= a.start for o in actors) and any(
                                w.end <= t2.start and asm._words(w.end, t2.start) <= 1
                                for w in self.weapons + [x for x in self.triggers if x is not t2]):
                        targets.add(id(a))
                        break
        source = next((a for a in actors if id(a) in agents and a.start >= t.end and not any(
            o is not t and t.end <= o.start < a.start and o.p["class"] != "none" for o in self.triggers)), None)
        cand = [a for a in actors if id(a) not in targets and id(a) not in speakers and id(a) not in agents
                and not self._is_origin_place(a) and a.p.get("kind") not in NON_AGENT_KINDS and id(a) not in reporters]
        if source is None:
            # the trigger word names its doer: "فجر انتحاري نفسه", "a suicide bomber blew himself up"
            same = [a for a in cand if a.start < t.end and t.start < a.end]
            after = [a for a in cand if a.start >= t.end and asm._words(t.end, a.start) <= asm.window]
            before = [a for a in cand if a.end <= t.start]
            if same:
                source = same[0]
            elif self.ar:
                if before and t.form.endswith("وا") and asm._words(before[-1].end, t.start) <= 3 or \
                        before and asm._words(before[-1].end, t.start) == 0 and (
                            before[-1].p.get("kind") in ARMED_KINDS | {"unidentified"}):
                    # a plural verb follows its subject ("مسلحين مجهولين اغتالوا"), and so does a verb right
                    # after an armed actor ("أن مهاجما انتحاريا فجر نفسه")
                    source = before[-1]
                elif before and after and self._counted(after[0]) and asm._words(before[-1].end, t.start) <= 3:
                    source = before[-1]  # "وكانت حركة طالبان قد خطفت 23 من الكوريين": the counted are objects
                else:
                    source = after[0] if after else (before[-1] if before else None)
            else:
                source = before[-1] if before else None
        clause_kind = next((c[2] for c in self.clauses if c[0] == c0), "start")
        if source is None and clause_kind in ("start", "soft"):
            # the subject may sit before the clause ("X said ..., and it struck ...")
            before = [a for a in self.actors if a.end <= c0 and id(a) not in speakers and id(a) not in targets
                      and a.p.get("kind") in ARMED_KINDS | {"government"}
                      and not any(c[2] == "ret" and c[0] <= a.start < c[1] for c in self.clauses)]
            if before and asm._words(before[-1].end, t.start) <= 12:
                source = before[-1]
        target = next((a for a in actors if id(a) in targets), None)
        if target is None and self.ar and source is not None:
            # VSO: "استهدف قناص سوري دورية إسرائيلية" — the next actor of another country is the object; an
            # actor without a country (gunmen, police, people) is the object when it is another actor
            sc = self._actor_country(source)
            after = [a for a in actors if a.start >= source.end and a is not source and a.start >= t.end
                     and id(a) not in speakers and id(a) not in reporters and not self._is_origin_place(a)
                     and asm._words(t.end, a.start) <= asm.window + 2
                     and (self._actor_country(a) and self._actor_country(a) != sc
                          or (self._actor_country(a) is None or sc is None) and a.p.get("id") != source.p.get("id")
                          and (a.p.get("generic") or source.p.get("generic")))]
            target = after[0] if after else None
        if target is None and not self.ar:
            after = [a for a in actors if a.start >= t.end and a is not source and id(a) not in speakers
                     and id(a) not in reporters and (self._cue_before(("origin", "loc_prep", "near"), a.start, c0, 2) is None)]
            target = after[0] if after else None
        for a in actors:
            if a is not source and a is not target:
                others.append(a)
        return {"source": source, "target": target, "other": others}

    def _is_origin_place(self, a: _M) -> bool:
        """An actor mention that is also a place introduced as the origin ("أطلقها من سوريا")."""
        return any(p.start == a.start and p.end == a.end and self.place_role.get(id(p)) == "origin"
                   for p in self.places)

    def _speaker_ids(self) -> set[int]:
        ids = set()
        for c in self.cues:
            if c.p["cue"] != "speech":
                continue
            m = self._speaker_for(c)
            if m is not None:
                ids.add(id(m))
        return ids

    def _speaker_for(self, c: _M) -> _M | None:
        asm = self.a
        after = [a for a in self.actors if a.start >= c.end and asm._words(c.end, a.start) <= 3]
        if self.ar:
            # "قال المرصد" names the speaker; in "قالت إن حزب الله ..." the actor after إن is the reported subject
            after = [a for a in after if not _AR_THAT.search(asm._t[c.end:a.start])]
            return after[0] if after else None
        form = c.form
        if form in ("according to", "quoting", "citing", "told"):
            return after[0] if after and form != "told" else (
                [a for a in self.actors if a.end <= c.start and asm._words(a.end, c.start) <= 4] or [None])[-1]
        before = [a for a in self.actors if a.end <= c.start and asm._words(a.end, c.start) <= 4]
        if before:
            return before[-1]
        return after[0] if after and asm._words(c.end, after[0].start) <= 1 else None

    def _speaker(self, t: _M) -> _M | None:
        """The reporting source of the trigger's sentence: the speech cue nearest before the trigger (else
        the first after it) and its actor."""
        speech = [c for c in self.cues if c.p["cue"] == "speech"]
        if not speech:
            return None
        before = [c for c in speech if c.end <= t.start]
        order = list(reversed(before)) + [c for c in speech if c.start >= t.end]
        for c in order:
            m = self._speaker_for(c)
            if m is not None:
                return m
        return None

    def _speaker_text(self, t: _M) -> str | None:
        """Fallback attribution when no known actor follows the cue: the next words after 'according to'/
        'وفق'/'بحسب'."""
        for c in self.cues:
            if c.p["cue"] == "speech" and c.end <= t.start and c.form in (
                    "according to", "وفق", "بحسب", "حسب", "نقلا عن", "وفقا ل", "quoting", "citing"):
                rest = self.a._t[c.end:c.end + 60]
                words = re.split(r"[,.;:،؛\"«»()]", rest, maxsplit=1)[0].split()[:3]
                if words:
                    return " ".join(words)
        return None

    def _actor_country(self, m: _M) -> str | None:
        country = m.p.get("country")
        if country or m.p.get("id") != "army_generic":
            return country
        for a in reversed(self.a._all_actors):  # the last army/government named before it, not as a target
            if a.end <= m.start and a.p.get("country") and a.p.get("kind") in ("military", "government") \
                    and id(a) not in self.a._objects:
                return a.p["country"]
        return None

    def _name(self, m: _M) -> str:
        text = self.a._t[m.start:m.end]
        if self.ar and m.prefix.endswith("ل") and m.form.startswith("ل") and text.startswith("ل"):
            return "ال" + text[1:]  # ل + الجيش is written للجيش: give the name back its article
        return text
