"""Every notifier: one shared status-code table, each service's documented payload shape, no leaks."""
from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from delivery_helpers import Reply, make_alert
from structlog.testing import capture_logs

from alerts.delivery.build import NOTIFIERS, build_notifier
from alerts.delivery.config import SinkConfig
from alerts.delivery.message import PDI, RLI
from alerts.delivery.notifiers.base import DeliveryError
from alerts.delivery.notifiers.http import make_client

SECRET_URLS = {
    "webhook": "https://hooks.partner.example/in/9f8e7d6c5b4a?token=SUPERSECRETTOKEN1",
    "slack": "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    "discord": "https://discord.com/api/webhooks/123456789012345678/abcDEFghiJKLmnoPQRstu?wait=true",
    "mattermost": "https://chat.example.org/hooks/xx3fdzwcq7rbbd8jx5m96ipz1y",
    "teams": "https://prod-12.westeurope.logic.azure.com/workflows/abc123def456/triggers/manual/paths/invoke?sig=SIGSECRET987654",
    "alertmanager": "https://am.example.org/amtoken-42f1c0ffee",
}
SIGNING_SECRET = "whsec_do_not_leak_0123"

# status → retryable? (None = accepted). The same table is run against every notifier.
STATUS_TABLE = [
    (200, None), (201, None), (202, None), (204, None),
    (301, False), (400, False), (401, False), (403, False), (404, False), (410, False), (413, False),
    (422, False), (429, True), (500, True), (502, True), (503, True), (504, True),
]


def sink(kind: str, url: str | None = None, **kw: Any) -> SinkConfig:
    return SinkConfig(name=f"my-{kind}", type=kind, url=url or SECRET_URLS[kind],
                      secret=SIGNING_SECRET if kind == "webhook" else None, **kw)


@pytest.mark.parametrize("kind", sorted(NOTIFIERS))
@pytest.mark.parametrize("status,retryable", STATUS_TABLE)
async def test_status_code_table(kind: str, status: int, retryable: bool | None) -> None:
    """2xx accepted; 5xx and 429 retryable; other codes final — identically for every service."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, text="answer", headers={"Retry-After": "7"} if status == 429 else {})

    async with make_client(httpx.MockTransport(handler)) as client:
        notifier = build_notifier(sink(kind), client)
        if retryable is None:
            await notifier.notify(make_alert())
        else:
            with pytest.raises(DeliveryError) as info:
                await notifier.notify(make_alert())
            assert info.value.retryable is retryable
            assert info.value.status == status
            assert info.value.retry_after == (7.0 if status == 429 else None)
    assert len(seen) == 1 and seen[0].method == "POST"


@pytest.mark.parametrize("kind", sorted(NOTIFIERS))
@pytest.mark.parametrize("exc,name", [(httpx.ConnectError("refused"), "connection error"),
                                      (httpx.ReadTimeout("slow"), "timeout"),
                                      (httpx.RemoteProtocolError("eof"), "connection error")])
async def test_transport_errors_are_retryable(kind: str, exc: Exception, name: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    async with make_client(httpx.MockTransport(handler)) as client:
        with pytest.raises(DeliveryError) as info:
            await build_notifier(sink(kind), client).notify(make_alert())
    assert info.value.retryable and info.value.status is None
    assert name in str(info.value)


@pytest.mark.parametrize("kind", sorted(NOTIFIERS))
async def test_no_secret_leaks_into_logs_errors_reports_or_dead_letters(kind: str, tmp_path) -> None:
    """A sink that refuses with its URL in the error, then echoes its URL in 500 bodies: neither the URL's token, nor the
    signing secret, appears in any log line, exception, report or dead letter."""
    from prometheus_client import CollectorRegistry

    from alerts.delivery.build import build_pipeline
    from alerts.delivery.config import CircuitConfig, DeliveryConfig, RetryConfig
    from alerts.delivery.dispatcher import Dispatcher
    from alerts.delivery.metrics import DeliveryMetrics

    url = SECRET_URLS[kind]
    echo_secret = sink(kind).secret or ""
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            raise httpx.ConnectError(f"cannot connect to {request.url}")
        return httpx.Response(500, text=f"error posting to {request.url} with {echo_secret}")

    config = DeliveryConfig(sinks=(sink(kind, rate_limit=None),),
                            retry=RetryConfig(deadline=0.3, initial=0.01, max_delay=0.02),
                            circuit=CircuitConfig(failures=100))
    dead: list[dict[str, Any]] = []
    metrics = DeliveryMetrics(CollectorRegistry())
    client = make_client(httpx.MockTransport(handler))
    stage, notifiers, breakers = build_pipeline(config, client, muter=None, delivered={},
                                                on_dead_letter=dead.append, metrics=metrics)
    d = Dispatcher(config, stage, client=client, metrics=metrics, notifiers=notifiers, breakers=breakers)
    with capture_logs() as logs:
        report = await d.deliver(make_alert())
        with pytest.raises(DeliveryError) as info:
            await notifiers[f"my-{kind}"].notify(make_alert())
    await d.aclose()
    assert report.results[f"my-{kind}"].outcome == "dead_lettered"
    letter = {k: v for k, v in dead[0].items() if k != "alert"}
    blob = json.dumps([logs, report.to_dict(), letter, str(info.value), repr(info.value),
                       repr(config)], default=str)
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    secrets = [url, SIGNING_SECRET, parts.path] + [seg for seg in parts.path.split("/") if len(seg) >= 6]
    if parts.query:
        secrets.append(parts.query.split("=", 1)[1])
    leaked = [s for s in secrets if s in blob]
    assert leaked == []
    assert any(e["event"] == "alert_dead_lettered" for e in logs)
    assert "<redacted>" in letter["response_body"]


class TestPayloads:
    """Each service's documented shape, as received by a real HTTP server."""

    async def deliver(self, kind: str, url: str, alert: dict[str, Any], **kw: Any) -> Any:
        async with make_client() as client:
            await build_notifier(sink(kind, url, **kw), client).notify(alert)

    async def test_generic_webhook_body_is_the_contract_alert(self, server, alert):
        srv, url = server(Reply(200))
        await self.deliver("webhook", url, alert)
        [req] = srv.seen
        assert req.json == alert
        assert req.headers["Content-Type"] == "application/json"
        assert req.headers["Idempotency-Key"] == alert["id"]
        assert req.headers["X-Newsmon-Signature"].startswith("sha256=")

    async def test_slack_text_and_blocks(self, server, alert):
        srv, url = server(Reply(200))
        await self.deliver("slack", url, make_alert(title="Strike <!channel> & more"))
        body = srv.seen[0].json
        assert isinstance(body["text"], str) and "HIGH" in body["text"]
        assert "<!channel>" not in json.dumps(body)
        assert "&amp;" in body["text"]
        assert [b["type"] for b in body["blocks"]] == ["header", "section"]
        assert body["blocks"][0]["text"]["type"] == "plain_text"
        section = body["blocks"][1]["text"]
        assert section["type"] == "mrkdwn"
        assert "<https://afp.example/1|AFP>" in section["text"]
        assert "Quneitra" in section["text"] and "2 independent" in section["text"]

    async def test_discord_content_embeds_and_no_mentions(self, server, alert):
        srv, url = server(Reply(204, ""))
        await self.deliver("discord", url, alert)
        body = srv.seen[0].json
        assert body["allowed_mentions"] == {"parse": []}
        assert 0 < len(body["content"]) <= 2000
        [embed] = body["embeds"]
        assert isinstance(embed["color"], int)
        assert embed["url"] == "https://afp.example/1"
        assert {"name", "value", "inline"} <= set(embed["fields"][0])
        assert {f["name"] for f in embed["fields"]} >= {"What", "Where", "Who", "Score", "Sources"}
        assert len(embed["title"]) <= 256 and len(embed["description"]) <= 4096

    async def test_mattermost_text(self, server, alert):
        srv, url = server(Reply(200))
        await self.deliver("mattermost", url, alert, options={"channel": "alerts"})
        req = srv.seen[0]
        assert req.headers["Content-Type"] == "application/json"
        body = req.json
        assert set(body) == {"text", "channel"}
        assert "**Where:**" in body["text"] and "[AFP](https://afp.example/1)" in body["text"]

    async def test_teams_workflows_adaptive_card_envelope(self, server, alert):
        srv, url = server(Reply(202))
        await self.deliver("teams", url, alert)
        body = srv.seen[0].json
        assert body["type"] == "message" and "@type" not in body  # not the retired MessageCard
        [att] = body["attachments"]
        assert att["contentType"] == "application/vnd.microsoft.card.adaptive"
        assert att["contentUrl"] is None
        card = att["content"]
        assert card["type"] == "AdaptiveCard" and card["version"] == "1.2"
        assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
        assert card["body"][0]["type"] == "TextBlock" and card["body"][0]["weight"] == "Bolder"
        facts = next(b for b in card["body"] if b["type"] == "FactSet")["facts"]
        assert {"title": "Where", "value": "Quneitra (golan heights) · cross-border"} in facts

    async def test_alertmanager_v2_list_of_alerts(self, server, alert):
        srv, url = server(Reply(200))
        await self.deliver("alertmanager", url, alert)
        req = srv.seen[0]
        assert req.path == "/api/v2/alerts"
        body = req.json
        assert isinstance(body, list) and len(body) == 1
        item = body[0]
        assert item["labels"] == {"alertname": "golan-cross-border-strike", "rule_id": "golan-cross-border-strike",
                                  "severity": "high", "incident_id": "inc-7", "region": "golan_heights"}
        assert all(isinstance(v, str) for v in item["annotations"].values())
        assert item["annotations"]["summary"] == alert["summary"]
        assert item["startsAt"] == alert["first_seen"]
        assert item["generatorURL"] == "https://afp.example/1"

    @pytest.mark.parametrize("kind", ["slack", "discord", "mattermost", "teams"])
    async def test_arabic_is_isolated_rtl_in_every_chat_payload(self, server, kind):
        srv, url = server(Reply(200))
        arabic = "غارة إسرائيلية على موقع في القنيطرة"
        alert = make_alert(title=arabic)
        alert["event"] = {**alert["event"], "sentence": arabic + ".", "lang": "ar"}
        await self.deliver(kind, url, alert)
        assert f"{RLI}{arabic}{PDI}" in json.dumps(srv.seen[0].json, ensure_ascii=False)


async def test_startup_log_names_sinks_with_redacted_urls(tmp_path):
    from prometheus_client import CollectorRegistry

    from alerts.delivery import build_dispatcher
    path = tmp_path / "sinks.yaml"
    path.write_text("sinks:\n" + "".join(
        f"  - {{name: s-{k}, type: {k}, url: '${{URL_{k.upper()}}}'}}\n" for k in SECRET_URLS))
    env = {f"URL_{k.upper()}": u for k, u in SECRET_URLS.items()}
    env.update(NEWSMON_WEBHOOK_URL=SECRET_URLS["webhook"], NEWSMON_WEBHOOK_SECRET=SIGNING_SECRET,
               NEWSMON_SILENCES=str(tmp_path / "s.json"))
    with capture_logs() as logs:
        d = build_dispatcher(str(path), env, registry=CollectorRegistry(), delivered={}, on_dead_letter=print)
    await d.aclose()
    [built] = [e for e in logs if e["event"] == "dispatcher_built"]
    assert {s["url"] for s in built["sinks"]} >= {"https://hooks.slack.com/<redacted>", "https://discord.com/<redacted>"}
    blob = json.dumps(logs)
    for url in SECRET_URLS.values():
        from urllib.parse import urlsplit
        assert urlsplit(url).path not in blob
    assert SIGNING_SECRET not in blob
