"""The delivery pipeline: one ``Stage`` interface and its composers (after Alertmanager's
``notify/notify.go``).

A stage takes the context and one alert and returns the (new) context and the alert to pass on, or
``None`` to stop the chain (silenced, duplicate, unrouted). Delivery works on one alert at a time because
the generic webhook's body is one contract Alert and the durable ``delivered`` record is per alert version
and sink.

    route → silence → fanout(per sink: dedup → retry(circuit(rate limit(notify))) → record)
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

from .types import Alert, Ctx


class Stage(Protocol):
    """One step of delivery. Must not mutate ``ctx`` or ``alert``; returns ``(ctx, alert | None)``."""

    async def exec(self, ctx: Ctx, alert: Alert) -> tuple[Ctx, Alert | None]: ...


class StageFunc:
    """Adapts a plain coroutine function to ``Stage`` (Alertmanager's ``StageFunc``); handy in tests."""

    def __init__(self, fn: Callable[[Ctx, Alert], Awaitable[tuple[Ctx, Alert | None]]]) -> None:
        self._fn = fn

    async def exec(self, ctx: Ctx, alert: Alert) -> tuple[Ctx, Alert | None]:
        return await self._fn(ctx, alert)


class MultiStage:
    """Runs stages in order; stops as soon as one returns no alert."""

    def __init__(self, *stages: Stage) -> None:
        self.stages = stages

    async def exec(self, ctx: Ctx, alert: Alert) -> tuple[Ctx, Alert | None]:
        current: Alert | None = alert
        for stage in self.stages:
            ctx, current = await stage.exec(ctx, current)  # type: ignore[arg-type]
            if current is None:
                break
        return ctx, current


class FanoutStage:
    """Runs one branch per sink concurrently, for the sinks the route stage chose (``ctx.sinks``; all
    branches when unset). Each branch gets ``ctx.evolve(sink=name)``; the finished branch contexts come
    back in ``ctx.branches``. A branch that raises does not stop the others; after all are done the
    error is re-raised (one error as is, several as an ``ExceptionGroup``), so the caller does not commit
    an alert whose dead letter could not be handed over."""

    def __init__(self, branches: Mapping[str, Stage]) -> None:
        self.branches = dict(branches)

    async def exec(self, ctx: Ctx, alert: Alert) -> tuple[Ctx, Alert | None]:
        names = [n for n in (ctx.sinks if ctx.sinks is not None else self.branches) if n in self.branches]
        results = await asyncio.gather(
            *(self.branches[n].exec(ctx.evolve(sink=n), alert) for n in names), return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        if errors:
            if len(errors) == 1:
                raise errors[0]
            raise BaseExceptionGroup("delivery branches failed", errors)
        done = tuple(c for c, _ in results)  # type: ignore[misc]
        return ctx.evolve(branches=done), alert
