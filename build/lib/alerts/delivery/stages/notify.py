"""Notify: one attempt at one sink (the innermost stage; raises ``DeliveryError``).

An unexpected exception from a notifier (a bug building a payload) becomes a final ``DeliveryError``, so
the alert is dead-lettered for replay after a fix instead of crashing the delivery loop on every restart.
"""
from __future__ import annotations

import os
import traceback

import structlog

from ..notifiers.base import DeliveryError, Notifier
from ..types import Alert, Ctx

log = structlog.get_logger(__name__)


class NotifyStage:
    def __init__(self, notifier: Notifier) -> None:
        self.notifier = notifier

    async def exec(self, ctx: Ctx, alert: Alert) -> tuple[Ctx, Alert | None]:
        try:
            await self.notifier.notify(alert, ctx.previous)
        except DeliveryError:
            raise
        except Exception as exc:  # noqa: BLE001 - turned into a dead letter, never swallowed
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{os.path.basename(frame.filename)}:{frame.lineno}"
            # The message is left out: it could quote a URL; the type and place are enough to find the bug.
            log.error("notifier_failed", alert_id=alert.get("id"), sink=ctx.sink, error=type(exc).__name__,
                      where=where)
            raise DeliveryError(f"notifier failed ({type(exc).__name__} at {where})", retryable=False) from None
        return ctx, alert
