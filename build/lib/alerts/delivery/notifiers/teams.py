"""Microsoft Teams via a Workflows webhook: an Adaptive Card in a message envelope (as Alertmanager's
``msteamsv2`` builds it), not the retired O365 ``MessageCard``."""
from __future__ import annotations

from typing import Any

from ..message import build_message
from ..types import Alert
from .http import JsonPostNotifier

SEVERITY_STYLE = {"critical": "Attention", "high": "Attention", "medium": "Warning", "low": "Accent",
                  "info": "Default"}


class TeamsNotifier(JsonPostNotifier):
    def payload(self, alert: Alert, previous: dict[str, Any] | None = None) -> dict[str, Any]:
        msg = build_message(alert, previous)
        body: list[dict[str, Any]] = [
            {"type": "TextBlock", "text": msg.heading, "weight": "Bolder", "size": "Medium", "wrap": True,
             "color": SEVERITY_STYLE.get(msg.severity, "Default")},
        ]
        if msg.changes:
            body.append({"type": "TextBlock", "text": "What changed: " + "; ".join(msg.changes), "wrap": True})
        body.append({"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in msg.facts()]})
        if msg.sentence:
            body.append({"type": "TextBlock", "text": msg.sentence, "wrap": True, "isSubtle": True})
        if msg.sources:
            body.append({"type": "TextBlock", "wrap": True, "text": " · ".join(
                f"[{s.name}]({s.url})" if s.url else s.name for s in msg.sources)})
        card: dict[str, Any] = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                                "type": "AdaptiveCard", "version": "1.2", "body": body,
                                "msteams": {"width": "full"}}
        if msg.link:
            card["actions"] = [{"type": "Action.OpenUrl", "title": "Open article", "url": msg.link}]
        return {"type": "message", "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}]}
