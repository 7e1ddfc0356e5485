"""Shapes shared by every delivery stage: the context a stage passes on, outcomes, the report.

Factored out of ``pipeline.py`` so stages, notifiers and the dispatcher can import them without loops.
Nothing here does I/O.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .notifiers.base import DeliveryError

Alert = dict[str, Any]
"""A contract Alert (CONTRACT §4) as a JSON-able dict."""

Outcome = Literal["delivered", "duplicate", "silenced", "dead_lettered", "unrouted"]
OUTCOMES: tuple[str, ...] = ("delivered", "duplicate", "silenced", "dead_lettered", "unrouted")


def alert_version(alert: Alert) -> int:
    """The version of an alert: an explicit ``version`` when the engine sets one, else the number of
    articles behind it (an ``updated`` alert carries every article id so far, so the count only grows)."""
    v = alert.get("version")
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    return len(alert.get("article_ids") or ()) or 1


def delivery_key(alert: Alert) -> str:
    """The idempotency key of one alert version: the alert id for ``new``; id + status + version for
    ``updated``. Re-deliveries of the same version carry the same key; a new version gets a new one."""
    alert_id = str(alert.get("id", ""))
    if alert.get("status", "new") == "new":
        return alert_id
    return f"{alert_id}:{alert.get('status')}:{alert_version(alert)}"


@dataclass(frozen=True, slots=True)
class Ctx:
    """What one delivery of one alert knows so far. Stages never mutate it: they return
    ``ctx.evolve(...)``. ``FanoutStage`` gives each sink branch its own copy (``sink`` set) and collects
    the finished branches in ``branches``."""

    key: str = ""
    deadline: float | None = None  # event-loop time after which no new attempt starts
    sinks: tuple[str, ...] | None = None  # chosen by the route stage; None = not routed yet
    only: frozenset[str] | None = None  # restrict routing to these sinks (DLQ replay)
    sink: str | None = None
    started: float = 0.0
    outcome: Outcome | None = None
    attempts: int = 0
    failure: DeliveryError | None = None
    silence: dict[str, Any] | None = None
    previous: dict[str, Any] | None = None  # summary of the last version this sink accepted
    branches: tuple[Ctx, ...] = ()

    def evolve(self, **changes: Any) -> Ctx:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, slots=True)
class SinkResult:
    """The outcome for one sink. ``reason`` and ``response_body`` are already redacted."""

    sink: str
    outcome: Outcome
    attempts: int = 0
    status: int | None = None
    reason: str | None = None
    silence_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What ``Dispatcher.deliver`` did with one alert, per sink."""

    alert_id: str
    key: str
    results: dict[str, SinkResult] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing was dead-lettered."""
        return all(r.outcome != "dead_lettered" for r in self.results.values())

    def outcomes(self) -> dict[str, str]:
        return {name: r.outcome for name, r in self.results.items()}

    def to_dict(self) -> dict[str, Any]:
        return {"alert_id": self.alert_id, "key": self.key,
                "results": {name: r.to_dict() for name, r in self.results.items()}}
