"""Raw rule items → compiled predicates (the third loader step: reader → schema → compiler).

Lists are expanded wherever a value names one; macros are compiled once and reused; every condition becomes
a `Cond`: a description, a test returning the explanation lines when it holds (None when it does not), and
the index keys that any event it can hold for must carry (so the RuleSet can skip rules cheaply).

Condition language (one mapping = all of its keys hold; `all`/`any`/`not` combine; a bare string or
`macro: name` uses a macro). Leaves: family, type, region, location, near, country, origin_country,
impact_country, cross_border, actor, polarity, background, attributed, phrase, article_phrase,
min_killed, min_injured (the event's own figures), min_incident_killed, min_incident_injured (the highest
figure any report of the incident gave), min_sources, min_confidence.
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from detectors.geo import haversine_km
from detectors.rules import errors as E
from detectors.rules.errors import RuleError
from detectors.rules.reader import RawItem
from detectors.rules.schema import rule_defaults
from detectors.rules.text import find_phrase, normalize
from detectors.types import FAMILIES, TYPE_FAMILY, Event

Path_ = tuple[Any, ...]
Test = Callable[["MatchCtx"], "list[str] | None"]
Key = tuple[str, str]

POLARITIES = ("asserted", "negated", "hypothetical")
ROLES = ("source", "target", "other")
SEVERITIES = ("info", "low", "medium", "high", "critical")
_ISO3 = re.compile(r"^[A-Z]{3}$")
# Index facets, most selective first: a rule is filed under the most selective facet its condition requires.
FACET_RANK = {"loc": 0, "region": 1, "impact": 2, "origin": 2, "country": 3, "type": 4}


@lru_cache(maxsize=65536)
def place_key(name: str) -> str:
    """A place name folded for comparison: normalised, without a leading Arabic article."""
    n = normalize(name).strip()
    return n[2:] if n.startswith("ال") and len(n) > 4 else n


class MatchCtx:
    """One event in its incident, as conditions see it; normalised texts are computed once, on demand."""

    __slots__ = ("event", "incident", "article_text", "_sentence", "_article")

    def __init__(self, event: Event, incident: Mapping[str, Any] | None = None,
                 article_text: str | None = None) -> None:
        self.event = event
        self.incident: Mapping[str, Any] = incident or {}
        self.article_text = article_text
        self._sentence: str | None = None
        self._article: str | None = None

    @property
    def norm_sentence(self) -> str:
        if self._sentence is None:
            self._sentence = normalize(self.event.sentence or "")
        return self._sentence

    @property
    def norm_article(self) -> str:
        if self._article is None:
            self._article = normalize(self.article_text or self.event.sentence or "")
        return self._article


def event_keys(event: Event) -> set[Key]:
    """The index keys an event carries (see FACET_RANK)."""
    keys: set[Key] = {("type", event.type)}
    for loc in event.locations:
        if loc.name:
            keys.add(("loc", place_key(loc.name)))
        for r in loc.regions:
            keys.add(("region", r))
        if loc.country:
            keys.add(("country", loc.country))
    if event.origin_country:
        keys.add(("origin", event.origin_country))
        keys.add(("country", event.origin_country))
    if event.impact_country:
        keys.add(("impact", event.impact_country))
        keys.add(("country", event.impact_country))
    return keys


@dataclass(slots=True)
class Cond:
    desc: str
    test: Test
    keys: frozenset[Key] | None = None  # an event must carry one of these for the condition to hold
    rank: int = 99

    def __call__(self, ctx: MatchCtx) -> list[str] | None:
        return self.test(ctx)


TRUE = Cond("always", lambda ctx: [])


@dataclass(slots=True)
class Rule:
    id: str
    title: dict[str, str]
    desc: str
    condition: Cond
    exceptions: list[tuple[str, Cond]]
    escalate: list[tuple[Cond, str]]
    severity: str
    threshold: float
    weights: dict[str, float]
    routes: list[str]
    realert_s: float
    summary: dict[str, str]
    enabled: bool = True
    tags: list[str] = field(default_factory=list)
    examples: dict[str, list[Any]] = field(default_factory=dict)
    example_marks: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)
    file: str = ""
    line: int = 0

    def title_for(self, lang: str | None) -> str:
        return self.title.get(lang or "") or self.title.get("default") or self.title.get("en") \
            or next(iter(self.title.values()), self.id)

    def summary_for(self, lang: str | None) -> str:
        return self.summary.get(lang or "") or self.summary.get("default") or self.summary.get("en") \
            or next(iter(self.summary.values()), "{title}")


def parse_duration(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([smhd])\s*", str(value))
    if not m:
        raise ValueError(f"not a duration: {value!r}")
    return float(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def _hint(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, sorted(set(choices)), n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _as_i18n(value: Any, fallback: dict[str, str]) -> dict[str, str]:
    if value is None:
        return dict(fallback)
    if isinstance(value, str):
        return {"default": value}
    return {str(k): str(v) for k, v in value.items()}


class Compiler:
    """Collects lists, macros and places, then compiles rules; every problem lands in `errors`/`warnings`."""

    def __init__(self, items: list[RawItem], known_regions: set[str] | None = None) -> None:
        self.items = items
        self.errors: list[RuleError] = []
        self.warnings: list[RuleError] = []
        self.known_regions = known_regions
        self.lists: dict[str, list[str]] = {}
        self.list_items: dict[str, RawItem] = {}
        self.macros: dict[str, RawItem] = {}
        self.places: dict[str, tuple[float, float, set[str]]] = {}
        self.used_lists: set[str] = set()
        self.used_macros: set[str] = set()
        self._macro_cache: dict[str, Cond] = {}
        self._macro_stack: list[str] = []
        self.defaults = rule_defaults()

    # ---- problems -------------------------------------------------------------------------------------
    def _err(self, item: RawItem, path: Path_, msg: str, code: str = E.COMPILE_CONDITION, *,
             at_key: bool = False) -> None:
        self.errors.append(item.error(path, msg, code, at_key=at_key))

    def _warn(self, item: RawItem, path: Path_, msg: str, code: str) -> None:
        self.warnings.append(item.error(path, msg, code, level="warning"))

    # ---- collection -----------------------------------------------------------------------------------
    def collect(self) -> None:
        raw_lists: dict[str, list[Any]] = {}
        for item in self.items:
            if item.kind == "list":
                values = item.data.get("items") or []
                mode = (item.data.get("override") or {}).get("items")
                if item.name in raw_lists:
                    if mode == "append":
                        raw_lists[item.name] = raw_lists[item.name] + list(values)
                    elif mode == "replace":
                        raw_lists[item.name] = list(values)
                    else:
                        first = self.list_items[item.name]
                        self._err(item, (), f"list '{item.name}' is already defined at {first.file}:"
                                  f"{first.line}; use override: {{items: append}} or replace", E.DUPLICATE_ITEM)
                    continue
                if mode:
                    self._err(item, ("override",), f"override of list '{item.name}', which is not defined "
                              "earlier", E.UNDEFINED)
                raw_lists[item.name] = list(values)
                self.list_items[item.name] = item
            elif item.kind == "macro":
                if item.name in self.macros:
                    first = self.macros[item.name]
                    self._err(item, (), f"macro '{item.name}' is already defined at {first.file}:{first.line}",
                              E.DUPLICATE_ITEM)
                    continue
                self.macros[item.name] = item
            elif item.kind == "place":
                lat, lon = item.data.get("lat"), item.data.get("lon")
                if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
                    names = {place_key(n) for n in item.data.get("names") or [] if isinstance(n, str)}
                    names.add(place_key(item.name.replace("_", " ")))
                    self.places[item.name] = (float(lat), float(lon), names)
        # expand lists inside lists (Falco allows it), detecting cycles
        def expand(name: str, stack: tuple[str, ...]) -> list[str]:
            out: list[str] = []
            for v in raw_lists[name]:
                sv = str(v)
                if sv in raw_lists and sv != name:
                    if sv in stack:
                        self._err(self.list_items[name], ("items",), f"list '{name}' includes itself "
                                  f"through '{sv}'", E.COMPILE_CONDITION)
                        continue
                    self.used_lists.add(sv)
                    out.extend(expand(sv, (*stack, sv)))
                else:
                    out.append(sv)
            return out
        for name in raw_lists:
            self.lists[name] = expand(name, (name,))

    # ---- values ---------------------------------------------------------------------------------------
    def values(self, item: RawItem, path: Path_, raw: Any, kind: str | None = None) -> list[str]:
        raw_list = raw if isinstance(raw, list) else [raw]
        out: list[str] = []
        for i, v in enumerate(raw_list):
            if not isinstance(v, (str, int, float)) or isinstance(v, bool):
                self._err(item, (*path, i) if isinstance(raw, list) else path,
                          f"expected a text value, got {type(v).__name__}", E.BAD_VALUE)
                continue
            sv = str(v)
            if sv in self.lists:
                self.used_lists.add(sv)
                out.extend(self.lists[sv])
            else:
                out.append(sv)
        if kind:
            bad_path = path
            for v in out:
                problem = self._check_value(kind, v)
                if problem:
                    self._err(item, bad_path, problem, E.BAD_VALUE)
        if not out and not any(isinstance(v, str) and v in self.lists for v in raw_list):
            self._err(item, path, "no values given", E.BAD_VALUE)
        return out

    def _check_value(self, kind: str, v: str) -> str | None:
        if kind == "type" and v not in TYPE_FAMILY:
            return f"unknown event type '{v}'{_hint(v, list(TYPE_FAMILY) + list(self.lists))}"
        if kind == "family" and v not in FAMILIES:
            return f"unknown event family '{v}'{_hint(v, list(FAMILIES) + list(self.lists))}"
        if kind == "country" and not _ISO3.match(v):
            return f"'{v}' is not an ISO 3166-1 alpha-3 country code (e.g. SYR, ISR){_hint(v, self.lists)}"
        if kind == "polarity" and v not in POLARITIES:
            return f"unknown polarity '{v}' (one of {', '.join(POLARITIES)})"
        if kind == "role" and v not in ROLES:
            return f"unknown actor role '{v}' (one of {', '.join(ROLES)})"
        return None

    # ---- conditions -----------------------------------------------------------------------------------
    def condition(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        if isinstance(raw, str):
            return self.macro_ref(item, path, raw)
        if isinstance(raw, list):
            self._err(item, path, "a condition is a mapping (use all: [...] or any: [...] for a list)")
            return TRUE
        if not isinstance(raw, dict) or not raw:
            self._err(item, path, "a condition must be a macro name or a non-empty mapping")
            return TRUE
        parts: list[Cond] = []
        for key, value in raw.items():
            builder = getattr(self, f"c_{key}", None) if isinstance(key, str) else None
            if builder is None:
                self._err(item, (*path, key), f"unknown condition '{key}'{_hint(str(key), _LEAVES)}",
                          at_key=True)
                continue
            parts.append(builder(item, (*path, key), value))
        if len(parts) == 1:
            return parts[0]
        return self._all(parts)

    def macro_ref(self, item: RawItem, path: Path_, name: str) -> Cond:
        if name not in self.macros:
            what = " (that is a list: use it as a value, e.g. type: " + name + ")" if name in self.lists else ""
            self._err(item, path, f"undefined macro '{name}'{what or _hint(name, self.macros)}", E.UNDEFINED)
            return TRUE
        self.used_macros.add(name)
        return self.compile_macro(name, from_item=item, from_path=path)

    def compile_macro(self, name: str, from_item: RawItem | None = None, from_path: Path_ = ()) -> Cond:
        if name in self._macro_cache:
            return self._macro_cache[name]
        if name in self._macro_stack:
            chain = " → ".join([*self._macro_stack[self._macro_stack.index(name):], name])
            if from_item is not None:
                self._err(from_item, from_path, f"macro '{name}' uses itself: {chain}")
            return TRUE
        self._macro_stack.append(name)
        item = self.macros[name]
        inner = self.condition(item, ("condition",), item.data.get("condition"))
        self._macro_stack.pop()
        cond = Cond(name, inner.test, inner.keys, inner.rank)
        self._macro_cache[name] = cond
        return cond

    def _all(self, parts: list[Cond]) -> Cond:
        tests = [p.test for p in parts]

        def test(ctx: MatchCtx) -> list[str] | None:
            out: list[str] = []
            for t in tests:
                got = t(ctx)
                if got is None:
                    return None
                out.extend(got)
            return out
        best = min((p for p in parts if p.keys is not None), key=lambda p: p.rank, default=None)
        return Cond("all(" + ", ".join(p.desc for p in parts) + ")", test,
                    best.keys if best else None, best.rank if best else 99)

    def c_all(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        if not isinstance(raw, list) or not raw:
            self._err(item, path, "all: needs a non-empty list of conditions")
            return TRUE
        return self._all([self.condition(item, (*path, i), sub) for i, sub in enumerate(raw)])

    def c_any(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        if not isinstance(raw, list) or not raw:
            self._err(item, path, "any: needs a non-empty list of conditions")
            return TRUE
        parts = [self.condition(item, (*path, i), sub) for i, sub in enumerate(raw)]
        tests = [p.test for p in parts]

        def test(ctx: MatchCtx) -> list[str] | None:
            for t in tests:
                got = t(ctx)
                if got is not None:
                    return got
            return None
        keys: frozenset[Key] | None = None
        if all(p.keys is not None for p in parts):
            keys = frozenset().union(*(p.keys for p in parts if p.keys is not None))
        return Cond("any(" + ", ".join(p.desc for p in parts) + ")", test, keys,
                    max(p.rank for p in parts) if keys is not None else 99)

    def c_not(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        inner = self.condition(item, path, raw)
        itest = inner.test
        desc = f"not {inner.desc}"

        def test(ctx: MatchCtx) -> list[str] | None:
            return [desc] if itest(ctx) is None else None
        return Cond(desc, test)

    def c_macro(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        if not isinstance(raw, str):
            self._err(item, path, "macro: takes a macro name")
            return TRUE
        return self.macro_ref(item, path, raw)

    # leaves on the event's classification
    def c_family(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        fams = set(self.values(item, path, raw, "family"))
        desc = f"family in [{', '.join(sorted(fams))}]"

        def test(ctx: MatchCtx) -> list[str] | None:
            e = ctx.event
            return [f"family is {e.family} (trigger \"{e.trigger.text}\")"] if e.family in fams else None
        keys = frozenset(("type", t) for f in fams for t in FAMILIES.get(f, ()))
        return Cond(desc, test, keys, FACET_RANK["type"])

    def c_type(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        types = set(self.values(item, path, raw, "type"))
        desc = f"type in [{', '.join(sorted(types))}]"

        def test(ctx: MatchCtx) -> list[str] | None:
            e = ctx.event
            return [f"type is {e.type} (trigger \"{e.trigger.text}\")"] if e.type in types else None
        return Cond(desc, test, frozenset(("type", t) for t in types), FACET_RANK["type"])

    def c_polarity(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        pols = set(self.values(item, path, raw, "polarity"))

        def test(ctx: MatchCtx) -> list[str] | None:
            return [f"polarity is {ctx.event.polarity}"] if ctx.event.polarity in pols else None
        return Cond(f"polarity in [{', '.join(sorted(pols))}]", test)

    def _bool(self, item: RawItem, path: Path_, raw: Any) -> bool:
        if not isinstance(raw, bool):
            self._err(item, path, f"expected true or false, got {raw!r}", E.BAD_VALUE)
            return True
        return raw

    def c_background(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        want = self._bool(item, path, raw)

        def test(ctx: MatchCtx) -> list[str] | None:
            bg = bool(ctx.event.background)
            return [("reported as background" if bg else "reported as news")] if bg == want else None
        return Cond(f"background is {str(want).lower()}", test)

    def c_attributed(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        want = self._bool(item, path, raw)

        def test(ctx: MatchCtx) -> list[str] | None:
            who = ctx.event.attributed_to
            if bool(who) != want:
                return None
            return [f"attributed to {who}"] if who else ["not attributed to anyone"]
        return Cond(f"attributed is {str(want).lower()}", test)

    def c_cross_border(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        want = self._bool(item, path, raw)

        def test(ctx: MatchCtx) -> list[str] | None:
            e = ctx.event
            if bool(e.cross_border) != want:
                return None
            if want:
                return [f"crosses a border ({e.origin_country or '?'} → {e.impact_country or '?'})"]
            return ["does not cross a border"]
        return Cond(f"cross_border is {str(want).lower()}", test)

    # leaves on places
    def c_region(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        regions = set(self.values(item, path, raw))
        if self.known_regions is not None:
            for r in sorted(regions - self.known_regions):
                self._warn(item, path, f"region '{r}' is not a known region{_hint(r, self.known_regions)}",
                           E.UNKNOWN_REGION)

        def test(ctx: MatchCtx) -> list[str] | None:
            for loc in ctx.event.locations:
                hit = regions.intersection(loc.regions)
                if hit:
                    return [f"location \"{loc.name}\" is in region {sorted(hit)[0]}"]
            return None
        return Cond(f"region in [{', '.join(sorted(regions))}]", test,
                    frozenset(("region", r) for r in regions), FACET_RANK["region"])

    def c_location(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        names = self.values(item, path, raw)
        wanted = {place_key(n): n for n in names}

        def test(ctx: MatchCtx) -> list[str] | None:
            for loc in ctx.event.locations:
                k = place_key(loc.name or "")
                if k in wanted:
                    return [f"location \"{loc.name}\" is {wanted[k]}"]
            return None
        return Cond(f"location in [{', '.join(names)}]", test,
                    frozenset(("loc", k) for k in wanted), FACET_RANK["loc"])

    def c_near(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        if not isinstance(raw, dict):
            self._err(item, path, "near: takes {place: NAME, km: N} or {lat: .., lon: .., km: N}")
            return TRUE
        km = raw.get("km")
        if not isinstance(km, (int, float)) or isinstance(km, bool) or km <= 0:
            self._err(item, (*path, "km"), "near: needs km, a positive number", E.BAD_VALUE)
            return TRUE
        names: set[str] = set()
        if "place" in raw:
            pname = raw["place"]
            if pname not in self.places:
                self._err(item, (*path, "place"), f"undefined place '{pname}'{_hint(str(pname), self.places)}"
                          " (define it with - place:)", E.UNDEFINED)
                return TRUE
            lat, lon, names = self.places[pname]
            label = str(pname)
        elif isinstance(raw.get("lat"), (int, float)) and isinstance(raw.get("lon"), (int, float)):
            lat, lon, label = float(raw["lat"]), float(raw["lon"]), f"{raw['lat']},{raw['lon']}"
        else:
            self._err(item, path, "near: needs place: NAME or both lat: and lon:")
            return TRUE
        radius = float(km)

        def test(ctx: MatchCtx) -> list[str] | None:
            for loc in ctx.event.locations:
                if loc.lat is not None and loc.lon is not None:
                    d = haversine_km(lat, lon, loc.lat, loc.lon)
                    if d <= radius:
                        return [f"location \"{loc.name}\" is {d:.0f} km from {label} (within {radius:g} km)"]
                elif loc.name and place_key(loc.name) in names:
                    return [f"location \"{loc.name}\" is {label}"]
            return None
        return Cond(f"within {radius:g} km of {label}", test)

    def _country_leaf(self, item: RawItem, path: Path_, raw: Any, facet: str, field_: str | None) -> Cond:
        codes = set(self.values(item, path, raw, "country"))
        label = field_ or "country"

        def test(ctx: MatchCtx) -> list[str] | None:
            e = ctx.event
            if field_ is not None:
                v = getattr(e, field_)
                return [f"{field_.replace('_', ' ')} is {v}"] if v in codes else None
            for v, what in ((e.impact_country, "impact country"), (e.origin_country, "origin country")):
                if v in codes:
                    return [f"{what} is {v}"]
            for loc in e.locations:
                if loc.country in codes:
                    return [f"location \"{loc.name}\" is in {loc.country}"]
            return None
        return Cond(f"{label} in [{', '.join(sorted(codes))}]", test,
                    frozenset((facet, c) for c in codes), FACET_RANK[facet])

    def c_country(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        return self._country_leaf(item, path, raw, "country", None)

    def c_origin_country(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        return self._country_leaf(item, path, raw, "origin", "origin_country")

    def c_impact_country(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        return self._country_leaf(item, path, raw, "impact", "impact_country")

    # leaves on actors and text
    def c_actor(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        if not isinstance(raw, dict) or not raw:
            self._err(item, path, "actor: takes a mapping of name, country, kind, role")
            return TRUE
        want: dict[str, set[str]] = {}
        for key, value in raw.items():
            if key not in ("name", "country", "kind", "role"):
                self._err(item, (*path, key), f"unknown actor field '{key}'{_hint(str(key), ['name', 'country', 'kind', 'role'])}",
                          at_key=True)
                continue
            kind = {"country": "country", "role": "role"}.get(key)
            vals = self.values(item, (*path, key), value, kind)
            want[key] = {normalize(v) for v in vals} if key == "name" else set(vals)
        desc = "actor " + ", ".join(f"{k} in [{', '.join(sorted(v))}]" for k, v in want.items())

        def test(ctx: MatchCtx) -> list[str] | None:
            for a in ctx.event.actors:
                if "role" in want and a.role not in want["role"]:
                    continue
                if "country" in want and a.country not in want["country"]:
                    continue
                if "kind" in want and a.kind not in want["kind"]:
                    continue
                if "name" in want:
                    nm = normalize(a.name or "")
                    if not any(nm == w or find_phrase(w, nm) for w in want["name"]):
                        continue
                return [f"actor \"{a.name}\" ({a.country or '?'}, {a.role}) matches {desc[6:]}"]
            return None
        return Cond(desc, test)

    def _phrase_leaf(self, item: RawItem, path: Path_, raw: Any, where: str) -> Cond:
        phrases = self.values(item, path, raw)
        for i, p in enumerate(phrases):
            if not p.strip().strip("*"):
                self._err(item, path, f"empty phrase at position {i + 1}", E.BAD_VALUE)

        def test(ctx: MatchCtx) -> list[str] | None:
            text = ctx.norm_sentence if where == "sentence" else ctx.norm_article
            for p in phrases:
                m = find_phrase(p, text)
                if m:
                    lo, hi = max(0, m.start() - 40), min(len(text), m.end() + 40)
                    quote = ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")
                    return [f"phrase \"{p}\" found in {where}: \"{quote}\""]
            return None
        return Cond(f"{where} has one of [{', '.join(phrases)}]", test)

    def c_phrase(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        return self._phrase_leaf(item, path, raw, "sentence")

    def c_article_phrase(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        return self._phrase_leaf(item, path, raw, "article")

    # leaves on numbers (event and incident)
    def _min(self, item: RawItem, path: Path_, raw: Any, what: str,
             get: Callable[[MatchCtx], float | None], fmt: str) -> Cond:
        if not isinstance(raw, (int, float)) or isinstance(raw, bool) or raw < 0:
            self._err(item, path, f"expected a non-negative number, got {raw!r}", E.BAD_VALUE)
            return TRUE
        limit = raw

        def test(ctx: MatchCtx) -> list[str] | None:
            v = get(ctx)
            return [fmt.format(v=v, limit=limit)] if v is not None and v >= limit else None
        return Cond(f"{what} ≥ {limit}", test)

    def c_min_killed(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        return self._min(item, path, raw, "killed", lambda c: c.event.killed, "{v} killed (at least {limit})")

    def c_min_injured(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        return self._min(item, path, raw, "injured", lambda c: c.event.injured, "{v} injured (at least {limit})")

    def c_min_incident_killed(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        return self._min(item, path, raw, "incident killed",
                         lambda c: _most(c.event.killed, c.incident.get("killed")),
                         "{v} killed in the incident (at least {limit})")

    def c_min_incident_injured(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        return self._min(item, path, raw, "incident injured",
                         lambda c: _most(c.event.injured, c.incident.get("injured")),
                         "{v} injured in the incident (at least {limit})")

    def c_min_sources(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        return self._min(item, path, raw, "sources", lambda c: int(c.incident.get("sources") or 1),
                         "{v} independent source(s) (at least {limit})")

    def c_min_confidence(self, item: RawItem, path: Path_, raw: Any) -> Cond:
        return self._min(item, path, raw, "confidence", lambda c: c.event.confidence,
                         "confidence {v:.2f} (at least {limit})")

    # ---- rules ----------------------------------------------------------------------------------------
    def rules(self) -> list[Rule]:
        merged: dict[str, list[RawItem]] = {}
        order: list[str] = []
        for item in self.items:
            if item.kind != "rule":
                continue
            if "override" in item.data:
                if item.name not in merged:
                    self._err(item, ("override",), f"override of rule '{item.name}', which is not defined "
                              "earlier (load order is file name order)", E.UNDEFINED)
                    continue
                merged[item.name].append(item)
                continue
            if item.name in merged:
                first = merged[item.name][0]
                self._err(item, (), f"rule '{item.name}' is already defined at {first.file}:{first.line}; "
                          "use override: to change it", E.DUPLICATE_ITEM)
                continue
            merged[item.name] = [item]
            order.append(item.name)
        out = [self.rule(merged[name]) for name in order]
        return [r for r in out if r is not None]

    def rule(self, parts: list[RawItem]) -> Rule | None:
        base = parts[0]
        d = dict(base.data)
        defaults = self.defaults
        if "condition" not in d:
            self._err(base, (), f"rule '{base.name}' has no condition", E.YAML_VALIDATE)
            return None
        cond = self.condition(base, ("condition",), d["condition"])
        excs = [(str(x.get("name", f"exception_{i + 1}")),
                 self.condition(base, ("exceptions", i, "condition"), x.get("condition")))
                for i, x in enumerate(d.get("exceptions") or []) if isinstance(x, dict)]
        esc = [(self.condition(base, ("escalate", i, "when"), x.get("when")), str(x.get("severity")))
               for i, x in enumerate(d.get("escalate") or []) if isinstance(x, dict)
               and x.get("severity") in SEVERITIES]
        fields = {k: d.get(k) for k in ("enabled", "severity", "threshold", "routes")}
        for over in parts[1:]:
            od, modes = over.data, over.data.get("override") or {}
            for key, mode in modes.items():
                if key not in od:
                    self._err(over, ("override", key), f"override of '{key}' but the item has no '{key}'",
                              E.YAML_VALIDATE)
                    continue
                if key == "exceptions":
                    new = [(str(x.get("name")), self.condition(over, ("exceptions", i, "condition"),
                                                               x.get("condition")))
                           for i, x in enumerate(od.get("exceptions") or []) if isinstance(x, dict)]
                    excs = excs + new if mode == "append" else new
                elif key == "condition":
                    newc = self.condition(over, ("condition",), od["condition"])
                    cond = self._all([cond, newc]) if mode == "append" else newc
                elif key == "routes" and mode == "append":
                    fields["routes"] = list(fields.get("routes") or defaults["routes"]) + list(od["routes"])
                else:
                    fields[key] = od[key]
        try:
            realert = parse_duration(d.get("realert", defaults["realert"]))
        except ValueError as exc:
            self._err(base, ("realert",), str(exc), E.BAD_VALUE)
            realert = 0.0
        weights = dict(defaults["weights"])
        weights.update(((d.get("score") or {}).get("weights") or {}))
        severity = fields.get("severity") or defaults["severity"]
        if severity not in SEVERITIES:
            severity = defaults["severity"]  # the schema step has reported it
        threshold = fields.get("threshold")
        if not isinstance(threshold, (int, float)) or isinstance(threshold, bool):
            threshold = defaults["threshold"]
        return Rule(
            id=base.name, title=_as_i18n(d.get("title"), {"default": base.name}), desc=str(d.get("desc") or ""),
            condition=cond, exceptions=excs, escalate=esc, severity=str(severity), threshold=float(threshold),
            weights={k: float(v) for k, v in weights.items()},
            routes=[str(r) for r in (fields.get("routes") or defaults["routes"])], realert_s=realert,
            summary=_as_i18n(d.get("summary"), defaults["summary"]),
            enabled=fields.get("enabled") is not False, tags=list(d.get("tags") or []),
            examples=dict(d.get("examples") or {}), file=base.file, line=base.line,
            example_marks={(k, i): base.where(("examples", k, i)) for k in ("match", "no_match")
                           for i in range(len((d.get("examples") or {}).get(k) or []))},
        )

    def finish(self) -> None:
        """Compile unused macros too (their errors count) and warn about them and unused lists."""
        for name, item in self.macros.items():
            if name not in self.used_macros:
                self.compile_macro(name)
                self._warn(item, (), f"macro '{name}' is not used by any rule", E.UNUSED_MACRO)
        for name, item in self.list_items.items():
            if name not in self.used_lists:
                self._warn(item, (), f"list '{name}' is not used", E.UNUSED_LIST)


def _most(*values: Any) -> int | None:
    nums = [int(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return max(nums) if nums else None


_LEAVES = sorted(name[2:] for name in dir(Compiler) if name.startswith("c_"))
