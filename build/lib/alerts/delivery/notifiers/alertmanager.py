"""Prometheus Alertmanager: ``POST {url}/api/v2/alerts`` with a list of one postable alert.

Labels (identity, for grouping and silencing there): ``alertname`` (= rule id), ``rule_id``, ``severity``,
``incident_id``, ``region`` (first region, when known). Annotations carry the human text.
"""
from __future__ import annotations

from typing import Any

from ..config import alert_regions
from ..message import build_message, render_text
from ..types import Alert
from .http import JsonPostNotifier

API_PATH = "/api/v2/alerts"


class AlertmanagerNotifier(JsonPostNotifier):
    @property
    def endpoint(self) -> str:
        base = self.config.url.rstrip("/")
        return base if base.endswith(API_PATH) else base + API_PATH

    def payload(self, alert: Alert, previous: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        msg = build_message(alert, previous)
        regions = sorted(alert_regions(alert))
        labels = {"alertname": msg.rule_id or "newsmon", "rule_id": msg.rule_id, "severity": msg.severity,
                  "incident_id": str(alert.get("incident_id") or ""), "region": regions[0] if regions else ""}
        annotations = {"title": msg.title, "summary": msg.summary or msg.title,
                       "description": render_text(msg), "alert_id": msg.alert_id,
                       "sources": ", ".join(s.url or s.name for s in msg.sources),
                       "score": "" if msg.score is None else f"{msg.score:.2f}"}
        item: dict[str, Any] = {"labels": {k: v for k, v in labels.items() if v},
                                "annotations": {k: v for k, v in annotations.items() if v}}
        if alert.get("first_seen"):
            item["startsAt"] = alert["first_seen"]
        if msg.link:
            item["generatorURL"] = msg.link
        return [item]
