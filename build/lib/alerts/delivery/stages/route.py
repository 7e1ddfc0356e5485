"""Route: choose the sinks an alert goes to from each sink's match (rules, severities, regions)."""
from __future__ import annotations

from collections.abc import Mapping

from ..config import SinkMatch
from ..types import Alert, Ctx


class RouteStage:
    def __init__(self, routes: Mapping[str, SinkMatch]) -> None:
        self.routes = dict(routes)

    async def exec(self, ctx: Ctx, alert: Alert) -> tuple[Ctx, Alert | None]:
        chosen = tuple(name for name, match in self.routes.items()
                       if (ctx.only is None or name in ctx.only) and match.matches(alert))
        if not chosen:
            return ctx.evolve(sinks=(), outcome="unrouted"), None
        return ctx.evolve(sinks=chosen), alert
