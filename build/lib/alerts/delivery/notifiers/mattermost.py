"""Mattermost incoming webhook: markdown ``text`` (sent as application/json)."""
from __future__ import annotations

from typing import Any

from ..message import build_message, render_text
from ..types import Alert
from .http import JsonPostNotifier


class MattermostNotifier(JsonPostNotifier):
    def payload(self, alert: Alert, previous: dict[str, Any] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"text": render_text(build_message(alert, previous))}
        out.update(self.options("channel", "username", "icon_url", "icon_emoji"))
        return out
