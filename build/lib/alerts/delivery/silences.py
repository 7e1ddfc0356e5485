"""Silences as operators know them from Alertmanager: mute a rule, a region or an incident until a time.

Stored in a JSON file (default ``.newsmon/silences.json``, or ``NEWSMON_SILENCES``) that the CLI writes and
running workers re-read when it changes. A silence has one or more matchers, all of which must match:
``rule_id``, ``region`` (any of the alert's regions) and ``incident_id``. Silenced alerts are still
published (marked); nothing goes to chat.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import structlog

from .config import alert_regions
from .types import Alert

log = structlog.get_logger(__name__)

DEFAULT_PATH = ".newsmon/silences.json"
MATCHERS = ("rule_id", "region", "incident_id")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)([smhdw])")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """``90s``, ``30m``, ``2h``, ``1d``, ``1h30m`` → timedelta; ValueError otherwise."""
    text = text.strip().lower()
    if not text or _DURATION.sub("", text):
        raise ValueError(f"invalid duration {text!r} (use e.g. 30m, 2h, 1d, 1h30m)")
    seconds = sum(float(n) * _UNIT[u] for n, u in _DURATION.findall(text))
    if seconds <= 0:
        raise ValueError("duration must be positive")
    return timedelta(seconds=seconds)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse(t: str) -> datetime:
    return datetime.fromisoformat(t.replace("Z", "+00:00"))


@dataclass(frozen=True, slots=True)
class Silence:
    id: str
    matchers: dict[str, str]
    starts_at: str
    ends_at: str
    comment: str = ""
    created_by: str = ""

    def active(self, now: datetime) -> bool:
        return _parse(self.starts_at) <= now < _parse(self.ends_at)

    def matches(self, alert: Alert) -> bool:
        for key, value in self.matchers.items():
            if key == "region":
                if value not in alert_regions(alert):
                    return False
            elif str(alert.get(key, "")) != value:
                return False
        return bool(self.matchers)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Silences:
    """The silence store. ``match(alert)`` is what the engine and the silence stage call."""

    path: Path
    clock: Callable[[], datetime] = field(default=_now, repr=False)
    _cache: list[Silence] = field(default_factory=list, repr=False)
    _stamp: tuple[int, int] | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Silences:
        env = os.environ if env is None else env
        return cls(Path(env.get("NEWSMON_SILENCES") or DEFAULT_PATH))

    # -- reading -----------------------------------------------------------------------------------
    def _load(self) -> list[Silence]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            self._cache, self._stamp = [], None
            return []
        stamp = (st.st_mtime_ns, st.st_size)
        if stamp != self._stamp:
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8") or "[]")
                items = raw.get("silences", []) if isinstance(raw, dict) else raw
                loaded = [Silence(**item) for item in items]
                for s in loaded:
                    _parse(s.starts_at), _parse(s.ends_at)
            except (OSError, ValueError, TypeError, AttributeError) as exc:
                # A half-edited file must not stop delivery: keep the silences we had.
                log.warning("silences_unreadable", path=str(self.path), error=type(exc).__name__)
                return list(self._cache)
            self._cache, self._stamp = loaded, stamp
        return list(self._cache)

    def all(self, *, include_expired: bool = False) -> list[Silence]:
        now = self.clock()
        return [s for s in self._load() if include_expired or _parse(s.ends_at) > now]

    def match(self, alert: Alert) -> dict[str, Any] | None:
        """The first active silence that matches the alert (as a JSON-able dict), else None."""
        now = self.clock()
        for s in self._load():
            if s.active(now) and s.matches(alert):
                return s.to_dict()
        return None

    # -- writing -----------------------------------------------------------------------------------
    def _save(self, silences: list[Silence]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".silences.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"silences": [s.to_dict() for s in silences]}, fh, ensure_ascii=False, indent=2)
        os.replace(tmp, self.path)
        self._stamp = None

    def add(self, *, duration: timedelta, rule_id: str | None = None, region: str | None = None,
            incident_id: str | None = None, comment: str = "", created_by: str = "") -> Silence:
        matchers = {k: v for k, v in (("rule_id", rule_id), ("region", region),
                                      ("incident_id", incident_id)) if v}
        if not matchers:
            raise ValueError("a silence needs at least one of rule, region, incident")
        now = self.clock()
        silence = Silence(id=uuid.uuid4().hex[:12], matchers=matchers, starts_at=_iso(now),
                          ends_at=_iso(now + duration), comment=comment,
                          created_by=created_by or os.environ.get("USER", ""))
        self._save(self._load() + [silence])
        return silence

    def expire(self, silence_id: str) -> Silence:
        """End a silence now; KeyError when no silence has that id (or a unique prefix of it)."""
        items = self._load()
        hits = [i for i, s in enumerate(items) if s.id == silence_id or s.id.startswith(silence_id)]
        if len(hits) != 1:
            raise KeyError(silence_id)
        old = items[hits[0]]
        now = self.clock()
        ended = Silence(**{**old.to_dict(), "ends_at": _iso(min(now, _parse(old.ends_at)))})
        items[hits[0]] = ended
        self._save(items)
        return ended
