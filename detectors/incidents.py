"""Incident fusion: reports of one real-world happening, in any language and from any outlet, become one
incident; an incident counts its independent sources (wire copies and reprints count once).

State lives only in the mapping passed in (a plain dict offline, a changelogged Faust table in the stream),
as JSON-serialisable dicts. A value is never mutated in place: it is copied, changed and assigned back, so
a table records the change. Nothing here keeps state between calls.

An event joins an incident of *other* articles when all of these hold:
- the same fusion family (the violent families, interceptions and territory changing hands fuse together:
  a rocket fired and the strike answering it are one exchange; statements, protests and the rest stay apart
  by family);
- the same or an adjacent day (event date, else the article's publication day);
- a shared place: the same place name, a shared region, or two points within `fuse_km`; countries and
  macro-regions ("Syria", "southern Israel") are too coarse to count, and an event placed no better than
  that joins only an incident of its own article;
- compatible countries: when both name countries involved (origin, impact, actors, places), they share one.

Within one article (`fuse_article`) a news report narrates one incident per place, and the dates its events
get often disagree for no real reason: a weekday word resolved to the wrong week, "yesterday" against the
day of the attack, the day of a statement against the day of the strike. So the article's events are fused
strongest first (reported as news, asserted, matching an incident of another article, precisely placed,
confident), and a later event of the same article joins the incident an earlier one joined when it is of
the same fusion family, at a shared place (or placed no better than a country), with compatible countries,
and dated at most `same_article_day_slack` (7) days from the day that article's first event in the incident
has. Seven days is the widest a weekday or relative date ("Friday", "last Tuesday", "yesterday") can be
off (detectors.nlp.dates resolves them 0-7 days back from publication); dates further apart can only come
from explicit dates ("on 6 February", "in April") and are taken at their word as another incident. (An
Event does not say whether its date was explicit, so the distance stands in for that; two explicit dates
a few days apart in one article at one place are fused too.) An event the extractor marks `background` (recalled, not news) never joins the news
incident of its own article, nor a news event a background one (they may still fuse with other articles'
incidents by the rules above). A date more than a day outside the incident's days that joined only thanks
to its article does not stretch the incident's span (`day_min`..`day_max`), so one article's noisy dates
do not open a week-wide window in which other articles fuse; it is kept in `days` instead (every day an
event of the incident carries), and another article's event dated that very day still joins.
That keeps the result independent of which report arrives first: whichever of an article's dates is the
true one, a later report dated like it finds the incident.
"""
from __future__ import annotations

import hashlib
import heapq
import re
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable, MutableMapping

from detectors.geo import haversine_km, is_coarse
from detectors.rules.compiler import place_key
from detectors.rules.text import normalize
from detectors.types import VIOLENT_FAMILIES, Article, Event

_WORD = re.compile(r"\w+")
FP_SIZE = 48  # bottom-k sketch size of an article's text
MAX_PLACES = 24
MAX_DAYS = 16
CELL_DEG = 0.5  # index grid; a cell (≥ 40 km) is wider than fuse_km, so a point's 3×3 cells cover its radius


@dataclass(slots=True, frozen=True)
class FusionSettings:
    fuse_km: float = 30.0  # two places this close are "nearby"
    day_slack: int = 1  # same or adjacent day
    same_article_day_slack: int = 7  # one article's dates for one place disagree more (a weekday word resolved
    # to the wrong week, أمس vs the attack day); more than a week apart is an explicit date: another incident
    reprint_similarity: float = 0.6  # estimated Jaccard of word 5-shingles above which texts are copies


_CONFLICT_TYPES = frozenset({"disrupted_weapons_use", "non_violent_transfer_of_territory"})


def fusion_family(event: Event) -> str:
    """Violence, interceptions and territory changing hands are all one 'conflict' family for fusion."""
    if event.family in VIOLENT_FAMILIES or event.type in _CONFLICT_TYPES:
        return "conflict"
    return event.family


def event_day(event: Event, article: Article | None = None) -> str:
    for value in (event.date, event.published_at, article.published_at if article else None):
        if value and re.match(r"^\d{4}-\d{2}-\d{2}", value):
            return value[:10]
    return date.today().isoformat()


def _day(s: str) -> date:
    return date.fromisoformat(s[:10])


def fingerprint(text: str) -> list[int]:
    """A bottom-k MinHash sketch of the normalised text's word 5-shingles (JSON-able ints; CRC-32 keeps
    it the same in every process, unlike hash())."""
    words = _WORD.findall(text[:20000].casefold())  # copies are near-identical: no need to fold further
    if len(words) < 5:
        shingles = {" ".join(words)} if words else set()
    else:
        shingles = {" ".join(words[i:i + 5]) for i in range(len(words) - 4)}
    return heapq.nsmallest(FP_SIZE, {zlib.crc32(s.encode()) for s in shingles})


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two bottom-k sketches."""
    if not a or not b:
        return 0.0
    k = min(FP_SIZE, len(set(a) | set(b)))
    union_k = sorted(set(a) | set(b))[:k]
    both = set(a) & set(b)
    return sum(1 for h in union_k if h in both) / len(union_k)


def outlet_key(source: str | None, url: str | None) -> str | None:
    name = (source or "").strip().lower()
    if not name and url:
        m = re.match(r"^[a-z]+://([^/]+)", url.lower())
        name = m.group(1) if m else ""
    name = re.sub(r"^(www\d?|mail|m|amp|feeds)\.", "", name)
    return name or None


def involved_countries(event: Event) -> set[str]:
    out = {c for c in (event.origin_country, event.impact_country) if c}
    out.update(a.country for a in event.actors if a.country)
    out.update(loc.country for loc in event.locations if loc.country)
    return out


def fine_locations(event: Event) -> list[Any]:
    """The event's locations precise enough to fuse on: not a whole country or macro-region."""
    return [loc for loc in event.locations
            if (loc.name or loc.lat is not None) and not is_coarse(loc.name, loc.lat, loc.lon)]


def _places(event: Event) -> list[dict[str, Any]]:
    return [{"name": loc.name, "key": place_key(loc.name or ""), "lat": loc.lat, "lon": loc.lon,
             "country": loc.country} for loc in fine_locations(event)]


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(lat // CELL_DEG), int(lon // CELL_DEG)


def _tokens(regions: Iterable[str], places: Iterable[tuple[str | None, float | None, float | None]],
            neighbours: bool) -> set[str]:
    out = {f"r:{r}" for r in regions}
    for key, lat, lon in places:
        if key:
            out.add(f"p:{key}")
        if lat is not None and lon is not None:
            i, j = _cell(lat, lon)
            span = (-1, 0, 1) if neighbours else (0,)
            out.update(f"c:{i + di}:{j + dj}" for di in span for dj in span)
    return out


class IncidentIndex:
    """Which stored incidents an event could join, by place token (region, place name, grid cell), by
    article and by event id. Derived from the incidents mapping and rebuilt from it whenever in doubt, so
    it holds no state of its own; stale entries are skipped when the mapping no longer has them."""

    def __init__(self) -> None:
        self.by_token: dict[str, set[str]] = {}
        self.by_article: dict[str, set[str]] = {}
        self.by_event: dict[str, str] = {}
        self.ids: set[str] = set()

    @classmethod
    def build(cls, incidents: MutableMapping[str, dict[str, Any]]) -> IncidentIndex:
        index = cls()
        for inc in list(incidents.values()):
            index.add(inc)
        return index

    def add(self, inc: dict[str, Any]) -> None:
        iid = inc["id"]
        self.ids.add(iid)
        places = [(p.get("key"), p.get("lat"), p.get("lon")) for p in inc.get("places") or []]
        for tok in _tokens(inc.get("regions") or [], places, neighbours=False):
            self.by_token.setdefault(tok, set()).add(iid)
        for aid in inc.get("articles") or {}:
            self.by_article.setdefault(aid, set()).add(iid)
        for eid in inc.get("event_ids") or []:
            self.by_event[eid] = iid

    def candidates(self, event: Event, article_id: str) -> set[str]:
        locs = fine_locations(event)
        toks = _tokens({r for loc in locs for r in loc.regions},
                       [(place_key(loc.name or ""), loc.lat, loc.lon) for loc in locs], neighbours=True)
        out = set(self.by_article.get(article_id, ()))
        for tok in toks:
            out.update(self.by_token.get(tok, ()))
        return out


def place_overlap(incident: dict[str, Any], event: Event, fuse_km: float) -> str | None:
    """Why the event is at the incident's place (a short reason), or None."""
    regions = set(incident.get("regions") or [])
    for loc in fine_locations(event):
        shared = regions.intersection(loc.regions)
        if shared:
            return f"region {sorted(shared)[0]}"
        k = place_key(loc.name or "")
        for p in incident.get("places") or []:
            if k and k == p.get("key"):
                return f"place {loc.name}"
            if loc.lat is not None and loc.lon is not None and p.get("lat") is not None \
                    and p.get("lon") is not None:
                d = haversine_km(loc.lat, loc.lon, p["lat"], p["lon"])
                if d <= fuse_km:
                    return f"{d:.0f} km from {p.get('name')}"
    return None


def compatible(incident: dict[str, Any], event: Event, day: str, article_id: str,
               settings: FusionSettings) -> str | None:
    """Why the event belongs to the incident, or None when it does not."""
    if incident.get("family") != fusion_family(event):
        return None
    ours = involved_countries(event)
    theirs = set(incident.get("countries") or [])
    if ours and theirs and not ours & theirs:
        return None
    meta = (incident.get("articles") or {}).get(article_id)
    if meta is not None:
        return _same_article(incident, meta, event, day, settings)
    if not near_days(incident, day, settings.day_slack):
        return None
    if not fine_locations(event):
        return None
    return place_overlap(incident, event, settings.fuse_km)


def near_days(incident: dict[str, Any], day: str, slack_days: int) -> bool:
    """The day is within `slack_days` of the incident's span, or is one of its events' days exactly (a day
    outside the span came from one article's loose dating: only a report dated the same corroborates it)."""
    d = _day(day)
    slack = timedelta(days=slack_days)
    if _day(incident["day_min"]) - slack <= d <= _day(incident["day_max"]) + slack:
        return True
    return day in (incident.get("days") or [])


def last_day(incident: dict[str, Any]) -> str:
    """The latest day the incident or any of its events has (for expiry)."""
    return max([str(incident.get("day_max") or "")] + [str(x) for x in incident.get("days") or []])


def _same_article(incident: dict[str, Any], meta: dict[str, Any], event: Event, day: str,
                  settings: FusionSettings) -> str | None:
    """The within-article rule: an incident that already holds events of the event's own article."""
    if bool(meta.get("bg", False)) != bool(event.background):
        return None  # a recalled event is not the news the article reports, nor the other way round
    first, last = (meta["day"], meta["day"]) if meta.get("day") else (incident["day_min"], incident["day_max"])
    slack = timedelta(days=settings.same_article_day_slack)
    d = _day(day)
    if d < _day(first) - slack or d > _day(last) + slack:
        return None
    if not fine_locations(event):
        return "same article"
    return place_overlap(incident, event, settings.fuse_km)


def new_incident(event: Event, day: str) -> dict[str, Any]:
    return {
        "id": "inc-" + hashlib.sha1(event.id.encode()).hexdigest()[:16],
        "family": fusion_family(event), "types": [], "day_min": day, "day_max": day, "days": [],
        "places": [], "regions": [], "countries": [], "articles": {}, "sources": 0, "outlets": [],
        "event_ids": [], "killed": None, "injured": None, "langs": [],
    }


def source_group(incident: dict[str, Any], article: Article, fp: list[int], settings: FusionSettings) -> str:
    """The independent-source group of an article within an incident: the group of an earlier article from
    the same outlet, or of a near-identical text (a wire copy or reprint), else a group of its own."""
    outlet = outlet_key(article.source, article.url)
    for aid, meta in (incident.get("articles") or {}).items():
        if aid == article.id:
            return str(meta["group"])
        if outlet and meta.get("outlet") == outlet:
            return str(meta["group"])
        if fp and similarity(fp, meta.get("fp") or []) >= settings.reprint_similarity:
            return str(meta["group"])
    return article.id


def add_event(incident: dict[str, Any], event: Event, article: Article, day: str, fp: list[int],
              settings: FusionSettings) -> dict[str, Any]:
    """A copy of the incident with the event (and its article) added."""
    inc: dict[str, Any] = {k: (list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v)
                           for k, v in incident.items()}
    if event.id in inc["event_ids"]:
        return inc
    slack = timedelta(days=settings.day_slack)
    if not inc["event_ids"] or _day(inc["day_min"]) - slack <= _day(day) <= _day(inc["day_max"]) + slack:
        inc["day_min"] = min(inc["day_min"], day)  # a date that joined only thanks to its article (noise,
        inc["day_max"] = max(inc["day_max"], day)  # mostly) does not stretch the window for other articles
    days = list(inc.get("days") or [])
    if day not in days and len(days) < MAX_DAYS:
        inc["days"] = sorted(days + [day])
    inc["event_ids"].append(event.id)
    if event.type not in inc["types"]:
        inc["types"].append(event.type)
    for p in _places(event):
        if len(inc["places"]) < MAX_PLACES and not any(q["key"] == p["key"] and q["lat"] == p["lat"]
                                                       for q in inc["places"]):
            inc["places"].append(p)
    for r in sorted(event.regions):
        if r not in inc["regions"]:
            inc["regions"].append(r)
    for c in sorted(involved_countries(event)):
        if c not in inc["countries"]:
            inc["countries"].append(c)
    for field_ in ("killed", "injured"):
        v = getattr(event, field_)
        if isinstance(v, int) and (inc[field_] is None or v > inc[field_]):
            inc[field_] = v
    if event.lang and event.lang not in inc["langs"]:
        inc["langs"].append(event.lang)
    if article.id not in inc["articles"]:
        group = source_group(inc, article, fp, settings)
        inc["articles"][article.id] = {"outlet": outlet_key(article.source, article.url),
                                       "source": article.source, "url": article.url, "lang": article.lang,
                                       "group": group, "fp": fp, "day": day, "bg": bool(event.background)}
        if article.source and article.source not in inc["outlets"]:
            inc["outlets"].append(article.source)
    inc["sources"] = len({m["group"] for m in inc["articles"].values()})
    return inc


def _pool(incidents: MutableMapping[str, dict[str, Any]], event: Event, article: Article,
          index: IncidentIndex | None) -> list[dict[str, Any]]:
    if index is not None:
        return [incidents[i] for i in sorted(index.candidates(event, article.id)) if i in incidents]
    return list(incidents.values())


def _best(pool: Iterable[dict[str, Any]], event: Event, day: str, article_id: str,
          settings: FusionSettings) -> tuple[str, dict[str, Any]] | None:
    """The incident the event joins, and why: an incident of its own article first (the article narrates
    one incident per place), then a shared place name, a shared region, a nearby point; ties by id, so the
    choice is the same in any order."""
    best: tuple[int, str, str, dict[str, Any]] | None = None
    for inc in pool:
        why = compatible(inc, event, day, article_id, settings)
        if why is None:
            continue
        rank = -1 if article_id in (inc.get("articles") or {}) else \
            0 if why.startswith("place") else 1 if why.startswith("region") else 2
        if best is None or (rank, inc["id"]) < (best[0], best[1]):
            best = (rank, inc["id"], why, inc)
    return None if best is None else (best[2], best[3])


def _already(incidents: MutableMapping[str, dict[str, Any]], event: Event,
             index: IncidentIndex | None) -> dict[str, Any] | None:
    if index is not None:
        known = index.by_event.get(event.id)
        return incidents[known] if known is not None and known in incidents else None
    return next((inc for inc in incidents.values() if event.id in (inc.get("event_ids") or [])), None)


def fuse(incidents: MutableMapping[str, dict[str, Any]], event: Event, article: Article, fp: list[int],
         settings: FusionSettings = FusionSettings(), index: IncidentIndex | None = None,
         ) -> tuple[dict[str, Any], str | None]:
    """Put `event` into its incident (found or new), store it back, and return (incident, why it joined —
    None for a new incident). With an `index` only the incidents it names are considered (and it is
    kept up to date); without one every stored incident is (fine for small stores). Events of an article
    already in the store follow the within-article rule; `fuse_article` puts a whole article's events in,
    strongest first."""
    known = _already(incidents, event, index)
    if known is not None:
        return known, "already fused"
    day = event_day(event, article)
    found = _best(_pool(incidents, event, article, index), event, day, article.id, settings)
    if found is None:
        inc, why = add_event(new_incident(event, day), event, article, day, fp, settings), None
    else:
        inc, why = add_event(found[1], event, article, day, fp, settings), found[0]
    incidents[inc["id"]] = inc
    if index is not None:
        index.add(inc)
    return inc, why


def strength(event: Event) -> tuple[int, int, int, float]:
    """Higher is stronger: reported as news, asserted, precisely placed, confident."""
    return (0 if event.background else 1, 1 if event.polarity == "asserted" else 0,
            1 if fine_locations(event) else 0, float(event.confidence or 0.0))


def fuse_article(incidents: MutableMapping[str, dict[str, Any]], article: Article, events: list[Event],
                 fp: list[int], settings: FusionSettings = FusionSettings(), index: IncidentIndex | None = None,
                 ) -> list[tuple[dict[str, Any], str | None]]:
    """Fuse one article's events; returns (incident as stored at the end, why) for each event, in the
    order given. Events reported as news and asserted go first; among them, first those that match an
    incident of another article (a report of the same day corroborates them), then the precisely placed,
    then the confident. So an article's events at one place join the incident its strongest event joins,
    and the rest follow by the within-article rule (see the module docstring)."""
    def key(i: int) -> tuple[Any, ...]:
        ev = events[i]
        bg, asserted, placed, conf = strength(ev)
        matched = _already(incidents, ev, index) is not None or _best(
            _pool(incidents, ev, article, index), ev, event_day(ev, article), article.id, settings) is not None
        return (-bg, -asserted, 0 if matched else 1, -placed, -conf, i)

    order = sorted(range(len(events)), key=key)
    got: dict[int, tuple[str, str | None]] = {}
    for i in order:
        inc, why = fuse(incidents, events[i], article, fp, settings, index)
        got[i] = (inc["id"], why)
    return [(incidents[got[i][0]], got[i][1]) for i in range(len(events))]


def prune(incidents: MutableMapping[str, dict[str, Any]], before_day: str) -> list[str]:
    """Drop incidents whose last day (span or any event's) is before `before_day`; returns their ids."""
    old = [k for k, inc in list(incidents.items()) if last_day(inc) < before_day]
    for k in old:
        del incidents[k]
    return old


def groups_of(incident: dict[str, Any], article_ids: Iterable[str]) -> int:
    """Independent sources among some of the incident's articles."""
    arts = incident.get("articles") or {}
    return len({arts[a]["group"] for a in article_ids if a in arts}) or 0
