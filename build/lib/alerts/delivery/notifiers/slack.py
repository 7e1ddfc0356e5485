"""Slack incoming webhook: ``text`` (the notification fallback) plus ``blocks``."""
from __future__ import annotations

from typing import Any

from ..message import build_message, render_text, slack_escape
from ..types import Alert
from .http import JsonPostNotifier

MAX_SECTION = 3000  # characters of a section block's text


class SlackNotifier(JsonPostNotifier):
    def payload(self, alert: Alert, previous: dict[str, Any] | None = None) -> dict[str, Any]:
        msg = build_message(alert, previous)
        body = render_text(msg, "slack")
        blocks: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text", "text": msg.heading[:150], "emoji": True}},
            {"type": "section", "text": {"type": "mrkdwn", "text": body.split("\n", 1)[-1][:MAX_SECTION]}},
        ]
        out: dict[str, Any] = {"text": slack_escape(msg.heading), "blocks": blocks,
                               "unfurl_links": False, "unfurl_media": False}
        out.update(self.options("channel", "username", "icon_emoji", "icon_url"))
        return out
