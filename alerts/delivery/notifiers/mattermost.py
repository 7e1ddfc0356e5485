"""Mattermost incoming webhook: markdown ``text`` (sent as application/json)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from ..config import SinkConfig
from ..message import build_message, render_text
from ..types import Alert
from .http import post_json


@dataclass(frozen=True)
class MattermostNotifier:
    config: SinkConfig
    client: httpx.AsyncClient

    @property
    def name(self) -> str:
        return self.config.name

    def payload(self, alert: Alert, previous: dict[str, Any] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"text": render_text(build_message(alert, previous))}
        for key in ("channel", "username", "icon_url", "icon_emoji"):
            if key in self.config.options:
                out[key] = self.config.options[key]
        return out

    async def notify(self, alert: Alert, previous: dict[str, Any] | None = None) -> None:
        await post_json(self.client, self.config, self.payload(alert, previous))
