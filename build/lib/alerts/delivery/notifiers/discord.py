"""Discord webhook: ``content`` + one embed, mentions disabled with ``allowed_mentions: {"parse": []}``."""
from __future__ import annotations

from typing import Any

from ..message import SEVERITY_COLOR, build_message, render_text
from ..types import Alert
from .http import JsonPostNotifier

# Discord limits: content 2000, embed title 256, description 4096, field value 1024, 25 fields.


class DiscordNotifier(JsonPostNotifier):
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
        out.update(self.options("username", "avatar_url"))
        return out
