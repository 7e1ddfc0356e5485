"""Agreement of extracted events with labelled events (the labelled lines of ``dev.jsonl`` and the test
sets): is the labelled event's family among the article's events, and is its location's country among
their locations. Plain data in, counts out; ``bench/dev_check.py`` prints them, the tests hold them to the
quality targets (family ≥ 85%, location country ≥ 90%)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from detectors.types import Event

# dev.jsonl's simplified vocabulary → contract family (and type where exact)
LABEL_TYPE: dict[str, tuple[str, str | None]] = {
    "air_strike": ("explosions_remote_violence", "air_drone_strike"),
    "shelling_missile": ("explosions_remote_violence", "shelling_artillery_missile_attack"),
    "armed_clash": ("battles", "armed_clash"),
    "territory_change": ("strategic_developments", "non_violent_transfer_of_territory"),
    "chemical_weapon": ("explosions_remote_violence", "chemical_weapon"),
    "explosion": ("explosions_remote_violence", "remote_explosive_landmine_ied"),
    "interception": ("strategic_developments", "disrupted_weapons_use"),
    "statement": ("statements", None),
}


def family_ok(label: dict, events: list[Event]) -> bool:
    """The labelled event's family is among the events (territory changing hands may be a battle outcome or
    a transfer: either territory type counts)."""
    fam, _ = LABEL_TYPE[label["type"]]
    if label["type"] == "territory_change":
        return any(e.type.endswith("territory") for e in events)
    return any(e.family == fam for e in events)


def location_ok(label: dict, events: list[Event]) -> bool:
    return any(loc.country == label["location_country"] for e in events for loc in e.locations)


@dataclass
class Agreement:
    """Per-language counts: labelled events of a known type, those whose family was found; labelled events
    with a location country, those whose country was found."""
    family_n: int = 0
    family_ok: int = 0
    location_n: int = 0
    location_ok: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def family(self) -> float:
        return self.family_ok / self.family_n if self.family_n else 0.0

    @property
    def location(self) -> float:
        return self.location_ok / self.location_n if self.location_n else 0.0


def agreement(labelled: Iterable[tuple[str, str, dict, list[Event]]]) -> dict[str, Agreement]:
    """``labelled``: (article id, language, labels, extracted events) per article → counts per language."""
    out: dict[str, Agreement] = {}
    for art_id, lang, labels, events in labelled:
        ag = out.setdefault(lang, Agreement())
        for lab in labels.get("events") or []:
            if lab.get("type") not in LABEL_TYPE:
                continue
            ag.family_n += 1
            if family_ok(lab, events):
                ag.family_ok += 1
            else:
                ag.misses.append(f"{art_id}: family {lab['type']} at {lab.get('location')}")
            if lab.get("location_country"):
                ag.location_n += 1
                if location_ok(lab, events):
                    ag.location_ok += 1
                else:
                    ag.misses.append(f"{art_id}: location {lab.get('location')} {lab['location_country']}")
    return out
