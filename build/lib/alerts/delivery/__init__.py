"""Alert delivery: route → silence → dedup → retry (circuit, rate limit) → record, to webhooks, chat
services and Alertmanager. Plain asyncio + httpx; nothing here knows Kafka or Faust.

Entry point: ``build_dispatcher(config_path, env, *, registry, delivered, on_dead_letter, transport=None)``
→ ``Dispatcher`` with ``async deliver(alert) -> DeliveryReport`` and ``async aclose()``.
"""
from .config import ConfigError, DeliveryConfig, SinkConfig, load_config
from .dispatcher import Dispatcher, build_dispatcher
from .notifiers.base import DeliveryError
from .silences import Silence, Silences
from .types import DeliveryReport, SinkResult, delivery_key

__all__ = ["ConfigError", "DeliveryConfig", "DeliveryError", "DeliveryReport", "Dispatcher", "Silence",
           "Silences", "SinkConfig", "SinkResult", "build_dispatcher", "delivery_key", "load_config"]
