"""Discord webhook: ``content`` + one embed, mentions disabled with ``allowed_mentions: {"parse": []}``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from ..config import SinkConfig
from ..message import SEVERITY_COLOR, build_message, render_text
from ..types import Alert
from .http import post_json

# Discord limits: content 2000, embed title 256, description 4096, field value 1024, 25 fields.


@dataclass(frozen=True)
class DiscordNotifier:
    config: SinkConfig
    client: httpx.AsyncClient

    @property
    def name(self) -> str:
        return self.config.name

    def payload(self, alert: Alert, previous: dict[str, Any] | None = None) -> dict[str, Any]:
        msg = build_message(alert, previous)
        description = render_text(msg).split("\n", 1)[-1]
        embed: dict[str, Any] = {
            "title": msg.heading[:256], "description": description[:4096],
            "color": SEVERITY_COLOR.get(msg.severity, 0),
            "fields": [{"name": k, "value": v[:1024], "inline": k not in ("What", "Who")}
                       for k, v in msg.facts()][:25],
        }
        if msg.link:
            embed["url"] = msg.link
        out: dict[str, Any] = {"content": msg.heading[:2000], "embeds": [embed],
                               "allowed_mentions": {"parse": []}}
        for key in ("username", "avatar_url"):
            if key in self.config.options:
                out[key] = self.config.options[key]
        return out

    async def notify(self, alert: Alert, previous: dict[str, Any] | None = None) -> None:
        await post_json(self.client, self.config, self.payload(alert, previous))
