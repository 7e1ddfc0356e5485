"""The single place that turns delivery config into notifiers and the stage pipeline."""
from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

import httpx

from .config import DeliveryConfig, SinkConfig
from .metrics import DeliveryMetrics
from .notifiers.alertmanager import AlertmanagerNotifier
from .notifiers.base import Notifier
from .notifiers.discord import DiscordNotifier
from .notifiers.mattermost import MattermostNotifier
from .notifiers.slack import SlackNotifier
from .notifiers.teams import TeamsNotifier
from .notifiers.webhook import WebhookNotifier
from .pipeline import FanoutStage, MultiStage, Stage
from .stages import (CircuitBreaker, CircuitStage, DedupStage, NotifyStage, RateLimitStage, RecordStage,
                     RetryStage, RouteStage, SilenceStage, TokenBucket)
from .stages.record import DeadLetterHandler
from .stages.silence import Muter

NOTIFIERS: dict[str, Callable[[SinkConfig, httpx.AsyncClient], Notifier]] = {
    "webhook": WebhookNotifier, "slack": SlackNotifier, "discord": DiscordNotifier,
    "mattermost": MattermostNotifier, "teams": TeamsNotifier, "alertmanager": AlertmanagerNotifier,
}


def build_notifier(sink: SinkConfig, client: httpx.AsyncClient) -> Notifier:
    return NOTIFIERS[sink.type](sink, client)


def build_sink_stage(sink: SinkConfig, notifier: Notifier, config: DeliveryConfig, *,
                     delivered: MutableMapping[str, dict[str, Any]], on_dead_letter: DeadLetterHandler,
                     metrics: DeliveryMetrics) -> tuple[Stage, CircuitBreaker]:
    """dedup → retry(circuit(rate limit(notify))) → record, for one sink."""
    breaker = CircuitBreaker(sink.name, failures=config.circuit.failures,
                             reset_after=config.circuit.reset_after, on_change=metrics.set_circuit)
    bucket = TokenBucket(sink.rate_limit, sink.burst) if sink.rate_limit else None
    attempt = CircuitStage(RateLimitStage(NotifyStage(notifier), bucket), breaker)
    stage = MultiStage(DedupStage(delivered), RetryStage(attempt, config.retry, metrics=metrics),
                       RecordStage(delivered, on_dead_letter, metrics=metrics))
    return stage, breaker


def build_pipeline(config: DeliveryConfig, client: httpx.AsyncClient, *, muter: Muter | None,
                   delivered: MutableMapping[str, dict[str, Any]], on_dead_letter: DeadLetterHandler,
                   metrics: DeliveryMetrics) -> tuple[Stage, Mapping[str, Notifier], Mapping[str, CircuitBreaker]]:
    """route → silence → fanout over every sink's chain."""
    notifiers: dict[str, Notifier] = {}
    branches: dict[str, Stage] = {}
    breakers: dict[str, CircuitBreaker] = {}
    for sink in config.sinks:
        notifiers[sink.name] = build_notifier(sink, client)
        branches[sink.name], breakers[sink.name] = build_sink_stage(
            sink, notifiers[sink.name], config, delivered=delivered, on_dead_letter=on_dead_letter,
            metrics=metrics)
    routes = {s.name: s.match for s in config.sinks}
    return MultiStage(RouteStage(routes), SilenceStage(muter), FanoutStage(branches)), notifiers, breakers
