"""Silence: stop an alert that a silence matches (or that the engine already marked ``silenced``)."""
from __future__ import annotations

from typing import Any, Protocol

import structlog

from ..types import Alert, Ctx

log = structlog.get_logger(__name__)


class Muter(Protocol):
    def match(self, alert: Alert) -> dict[str, Any] | None: ...


class SilenceStage:
    def __init__(self, muter: Muter | None) -> None:
        self.muter = muter

    async def exec(self, ctx: Ctx, alert: Alert) -> tuple[Ctx, Alert | None]:
        marked = alert.get("silenced")
        silence = marked if isinstance(marked, dict) else ({"id": None} if marked else None)
        if silence is None and self.muter is not None:
            silence = self.muter.match(alert)
        if silence is None:
            return ctx, alert
        log.info("alert_silenced", alert_id=alert.get("id"), silence_id=silence.get("id"),
                 sinks=list(ctx.sinks or ()))
        return ctx.evolve(outcome="silenced", silence=silence), None
