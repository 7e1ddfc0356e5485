"""The contract's shapes (../shared/CONTRACT.md §2–4) as plain dataclasses.

Every stage passes these between each other; they turn into the contract's JSON with ``to_dict`` and come
back with ``from_dict``.  Nothing here knows about Kafka, HTTP or spaCy.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

Polarity = Literal["asserted", "negated", "hypothetical"]
Role = Literal["source", "target", "other"]
Severity = Literal["info", "low", "medium", "high", "critical"]

# family -> its types, as in the contract (ACLED event types and sub-event types, plus statements).
FAMILIES: dict[str, tuple[str, ...]] = {
    "battles": ("armed_clash", "government_regains_territory", "non_state_actor_overtakes_territory"),
    "explosions_remote_violence": (
        "air_drone_strike", "shelling_artillery_missile_attack", "chemical_weapon",
        "remote_explosive_landmine_ied", "suicide_bomb", "grenade",
    ),
    "violence_against_civilians": ("attack", "abduction_forced_disappearance", "sexual_violence"),
    "protests": ("peaceful_protest", "protest_with_intervention", "excessive_force_against_protesters"),
    "riots": ("violent_demonstration", "mob_violence"),
    "strategic_developments": (
        "agreement", "arrests", "change_to_group_activity", "disrupted_weapons_use",
        "headquarters_or_base_established", "looting_property_destruction",
        "non_violent_transfer_of_territory", "other",
    ),
    "statements": ("threaten", "accuse", "deny", "condemn", "demand", "appeal"),
}
TYPE_FAMILY: dict[str, str] = {t: fam for fam, types in FAMILIES.items() for t in types}
VIOLENT_FAMILIES = frozenset({"battles", "explosions_remote_violence", "violence_against_civilians"})


@dataclass(slots=True)
class Article:
    """An input article after decoding (CONTRACT §2). ``id``, ``lang`` and ``published_at`` are always
    filled once the article has passed ``detectors.articles.decode_article``."""

    id: str
    title: str = ""
    body: str = ""
    lang: str | None = None
    source: str | None = None
    url: str | None = None
    published_at: str | None = None  # RFC 3339
    labels: dict[str, Any] | None = None

    @property
    def text(self) -> str:
        """Title and body as one text; the title ends with a full stop so it is a sentence of its own."""
        if self.title and self.body:
            return f"{self.title}.\n{self.body}" if not self.title.rstrip().endswith((".", "!", "?", "؟")) \
                else f"{self.title}\n{self.body}"
        return self.title or self.body

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        return cls(**{f.name: d.get(f.name) for f in fields(cls) if f.name in d})


@dataclass(slots=True)
class Trigger:
    text: str
    start: int  # character offsets into the article text (Article.text)
    end: int


@dataclass(slots=True)
class Actor:
    role: Role
    name: str
    country: str | None = None  # ISO 3166-1 alpha-3
    kind: str | None = None  # optional addition: military, government, armed_group, ...


@dataclass(slots=True)
class Location:
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    regions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Event:
    """One extracted event (CONTRACT §3). Fields after ``confidence`` are optional additions."""

    id: str
    article_id: str
    lang: str
    family: str
    type: str
    sentence: str
    trigger: Trigger
    actors: list[Actor] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    origin_country: str | None = None
    impact_country: str | None = None
    cross_border: bool = False
    date: str | None = None  # YYYY-MM-DD
    polarity: Polarity = "asserted"
    attributed_to: str | None = None
    killed: int | None = None
    injured: int | None = None
    confidence: float = 0.5
    # additions (allowed by the contract: new optional fields)
    source: str | None = None  # the article's outlet, carried for corroboration
    url: str | None = None
    published_at: str | None = None
    background: bool = False  # recalled from the past rather than reported as news

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        d = dict(d)
        d["trigger"] = Trigger(**d["trigger"])
        d["actors"] = [Actor(**a) for a in d.get("actors") or []]
        d["locations"] = [Location(**loc) for loc in d.get("locations") or []]
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})

    @property
    def regions(self) -> set[str]:
        return {r for loc in self.locations for r in loc.regions}
