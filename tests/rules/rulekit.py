"""Helpers for the rules, incidents, engine and backtest tests: hand-built Events and rule files."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any, Iterator, MutableMapping

from detectors.types import TYPE_FAMILY, Actor, Article, Event, Location, Trigger

REPO = Path(__file__).resolve().parents[2]

GOLAN = dict(name="Golan Heights", country="ISR", lat=33.0, lon=35.76, regions=["golan_heights"])
GOLAN_AR = dict(name="هضبة الجولان", country="ISR", lat=33.01, lon=35.75, regions=["golan_heights"])
QUNEITRA = dict(name="القنيطرة", country="SYR", lat=33.125, lon=35.824, regions=["golan_heights"])
DAMASCUS = dict(name="Damascus", country="SYR", lat=33.513, lon=36.292, regions=[])
ALEPPO = dict(name="حلب", country="SYR", lat=36.2, lon=37.15, regions=["aleppo_governorate"])


def make_event(id: str = "e1", *, article_id: str = "a1", lang: str = "en",
               type: str = "shelling_artillery_missile_attack", sentence: str = "A mortar shell fired from "
               "Syria landed in the Golan Heights.", trigger: str = "mortar shell",
               locations: list[dict[str, Any]] | None = None, origin: str | None = "SYR",
               impact: str | None = "ISR", cross_border: bool = True, date: str = "2017-06-30",
               polarity: str = "asserted", background: bool = False, killed: int | None = None,
               injured: int | None = None, confidence: float = 0.8, actors: list[dict[str, Any]] | None = None,
               attributed_to: str | None = None) -> Event:
    start = max(0, sentence.find(trigger))
    return Event(
        id=id, article_id=article_id, lang=lang, family=TYPE_FAMILY[type], type=type, sentence=sentence,
        trigger=Trigger(trigger, start, start + len(trigger)),
        actors=[Actor(**a) for a in (actors or [])],
        locations=[Location(**loc) for loc in (locations if locations is not None else [GOLAN])],
        origin_country=origin, impact_country=impact, cross_border=cross_border, date=date,
        polarity=polarity, background=background, killed=killed, injured=injured, confidence=confidence,
        attributed_to=attributed_to,
    )


def make_article(id: str = "a1", *, lang: str = "en", source: str | None = "AFP", title: str = "",
                 body: str = "A mortar shell fired from Syria landed in the Golan Heights on Friday.",
                 published_at: str = "2017-07-01T08:00:00Z", url: str | None = None,
                 labels: dict[str, Any] | None = None) -> Article:
    return Article(id=id, title=title, body=body, lang=lang, source=source, url=url,
                   published_at=published_at, labels=labels)


def write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return p


class JsonTable(MutableMapping[str, Any]):
    """Stores values as JSON text, like a changelogged table: a value changed in place and not assigned
    back is lost, and anything not JSON-serialisable fails."""

    def __init__(self, data: dict[str, str] | None = None) -> None:
        self.data: dict[str, str] = dict(data or {})

    def __getitem__(self, key: str) -> Any:
        return json.loads(self.data[key])

    def __setitem__(self, key: str, value: Any) -> None:
        self.data[key] = json.dumps(value)

    def __delitem__(self, key: str) -> None:
        del self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.data))

    def __len__(self) -> int:
        return len(self.data)
