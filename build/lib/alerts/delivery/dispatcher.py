"""``Dispatcher``: the public entry point of delivery."""
from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Collection, Mapping, MutableMapping
from pathlib import Path
from typing import Any

import httpx
import structlog
from prometheus_client import CollectorRegistry

from .build import build_pipeline
from .config import DeliveryConfig, load_config
from .metrics import DeliveryMetrics
from .notifiers.base import Notifier
from .notifiers.http import make_client, redact_url
from .pipeline import Stage
from .silences import Silences
from .stages.circuit import CircuitBreaker
from .stages.record import DeadLetterHandler
from .stages.silence import Muter
from .types import Alert, Ctx, DeliveryReport, SinkResult, delivery_key

log = structlog.get_logger(__name__)


class Dispatcher:
    """Delivers contract Alerts to every sink that should get them, at least once per alert version.

    ``deliver`` returns after every routed sink has an outcome: delivered, duplicate (already accepted
    earlier, per ``delivered``), silenced, or dead-lettered (``on_dead_letter`` was called). Commit the
    alert's offset only after ``deliver`` returned; if it raises, do not commit."""

    def __init__(self, config: DeliveryConfig, stage: Stage, *, client: httpx.AsyncClient,
                 metrics: DeliveryMetrics, notifiers: Mapping[str, Notifier],
                 breakers: Mapping[str, CircuitBreaker], silences: Muter | None = None) -> None:
        self.config, self.stage, self.metrics = config, stage, metrics
        self.silences = silences  # ``silences.match(alert) -> dict | None``, for the engine side
        self.notifiers, self.breakers = dict(notifiers), dict(breakers)
        self._client = client

    @property
    def sinks(self) -> list[str]:
        return list(self.notifiers)

    async def deliver(self, alert: Alert, *, sinks: Collection[str] | None = None) -> DeliveryReport:
        """Deliver one alert. ``sinks`` restricts delivery to those sink names (used by DLQ replay)."""
        loop = asyncio.get_running_loop()
        ctx = Ctx(key=delivery_key(alert), deadline=loop.time() + self.config.retry.deadline,
                  only=frozenset(sinks) if sinks is not None else None, started=time.monotonic())
        done, _ = await self.stage.exec(ctx, alert)
        report = DeliveryReport(alert_id=str(alert.get("id", "")), key=ctx.key)
        if done.branches:
            for b in done.branches:
                assert b.sink is not None and b.outcome is not None
                err = b.failure if b.outcome == "dead_lettered" else None
                report.results[b.sink] = SinkResult(
                    sink=b.sink, outcome=b.outcome, attempts=b.attempts,
                    status=err.status if err else None, reason=str(err) if err else None)
        elif done.outcome == "silenced":
            sid = (done.silence or {}).get("id")
            for name in done.sinks or ():
                report.results[name] = SinkResult(sink=name, outcome="silenced", silence_id=sid)
        for name, result in report.results.items():
            self.metrics.deliveries.labels(sink=name, outcome=result.outcome).inc()
        if done.outcome == "unrouted":
            log.info("alert_unrouted", alert_id=alert.get("id"))
        return report

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> Dispatcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def build_dispatcher(config_path: str | None, env: Mapping[str, str], *, registry: CollectorRegistry,
                     delivered: MutableMapping[str, dict[str, Any]], on_dead_letter: DeadLetterHandler,
                     transport: httpx.AsyncBaseTransport | None = None,
                     silences: Muter | None = None) -> Dispatcher:
    """Build the dispatcher from the routing file (optional) and the environment.

    ``silences`` defaults to the JSON store at ``NEWSMON_SILENCES`` (or ``.newsmon/silences.json``)."""
    config = load_config(config_path, env)
    if silences is None:
        silences = Silences(Path(env.get("NEWSMON_SILENCES") or os.path.join(".newsmon", "silences.json")))
    metrics = DeliveryMetrics(registry)
    client = make_client(transport)
    stage, notifiers, breakers = build_pipeline(config, client, muter=silences, delivered=delivered,
                                                on_dead_letter=on_dead_letter, metrics=metrics)
    log.info("dispatcher_built", sinks=[{"name": s.name, "type": s.type, "url": redact_url(s.url),
                                         "signed": bool(s.secret)} for s in config.sinks])
    return Dispatcher(config, stage, client=client, metrics=metrics, notifiers=notifiers, breakers=breakers,
                      silences=silences)
