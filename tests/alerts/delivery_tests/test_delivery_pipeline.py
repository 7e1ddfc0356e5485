"""The stage composers and the real stages, driven with minimal fakes at the notifier seam."""
from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from delivery_helpers import make_alert
from prometheus_client import CollectorRegistry

from alerts.delivery import build_dispatcher
from alerts.delivery.config import RetryConfig
from alerts.delivery.notifiers.base import DeliveryError
from alerts.delivery.pipeline import FanoutStage, MultiStage, StageFunc
from alerts.delivery.stages import CircuitBreaker, RecordStage, RetryStage, TokenBucket
from alerts.delivery.stages.retry import backoff
from alerts.delivery.types import Ctx, delivery_key


def tag(name: str, stop: bool = False) -> StageFunc:
    async def fn(ctx: Ctx, alert: dict[str, Any]):
        out = {**alert, "trail": [*alert.get("trail", []), name]}
        return ctx, None if stop else out
    return StageFunc(fn)


class TestComposers:
    async def test_multistage_runs_in_order_and_stops_when_no_alert_remains(self):
        ctx, out = await MultiStage(tag("a"), tag("b", stop=True), tag("c")).exec(Ctx(), {"id": "x"})
        assert out is None
        ctx, out = await MultiStage(tag("a"), tag("b")).exec(Ctx(), {"id": "x"})
        assert out == {"id": "x", "trail": ["a", "b"]}

    async def test_fanout_runs_branches_concurrently_and_collects_contexts(self):
        async def slow(ctx: Ctx, alert: dict[str, Any]):
            await asyncio.sleep(0.2)
            return ctx.evolve(outcome="delivered"), alert
        fan = FanoutStage({"a": StageFunc(slow), "b": StageFunc(slow), "c": StageFunc(slow)})
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        ctx, _ = await fan.exec(Ctx(sinks=("a", "c")), {"id": "x"})
        assert loop.time() - t0 < 0.35
        assert [b.sink for b in ctx.branches] == ["a", "c"]

    async def test_fanout_finishes_every_branch_before_reraising(self):
        finished = []

        async def boom(ctx: Ctx, alert: dict[str, Any]):
            raise RuntimeError("kafka down")

        async def ok(ctx: Ctx, alert: dict[str, Any]):
            await asyncio.sleep(0.05)
            finished.append(ctx.sink)
            return ctx, alert
        with pytest.raises(RuntimeError, match="kafka down"):
            await FanoutStage({"bad": StageFunc(boom), "good": StageFunc(ok)}).exec(Ctx(), {"id": "x"})
        assert finished == ["good"]


class TestRetryStage:
    def test_backoff_grows_and_is_capped_with_jitter(self):
        policy = RetryConfig(initial=1, max_delay=8, multiplier=2)
        assert [backoff(n, policy, lambda: 0.0) for n in (1, 2, 3, 4, 5)] == [0.5, 1, 2, 4, 4]
        assert [backoff(n, policy, lambda: 1.0) for n in (1, 2, 3, 4, 5)] == [1, 2, 4, 8, 8]

    async def test_final_error_is_not_retried(self):
        calls = []

        async def fail(ctx: Ctx, alert: dict[str, Any]):
            calls.append(ctx.attempts)
            raise DeliveryError("rejected", retryable=False, status=403)
        ctx, _ = await RetryStage(StageFunc(fail), RetryConfig(initial=0.01)).exec(Ctx(sink="s"), {"id": "x"})
        assert calls == [1] and ctx.failure.status == 403 and ctx.attempts == 1

    async def test_stops_at_the_deadline(self):
        loop = asyncio.get_running_loop()

        async def fail(ctx: Ctx, alert: dict[str, Any]):
            raise DeliveryError("server error", retryable=True, status=503)
        t0 = loop.time()
        ctx, _ = await RetryStage(StageFunc(fail), RetryConfig(deadline=0.3, initial=0.02, max_delay=0.05)).exec(
            Ctx(sink="s"), {"id": "x"})
        assert 0.2 < loop.time() - t0 < 0.45
        assert ctx.attempts >= 4 and ctx.failure is not None


class TestCircuitBreaker:
    def test_opens_after_n_unhealthy_failures_only(self):
        now = [0.0]
        b = CircuitBreaker("s", failures=2, reset_after=10, clock=lambda: now[0])
        b.failure(DeliveryError("rejected", retryable=False, status=400))
        b.failure(DeliveryError("rate limited", retryable=True, status=429))
        assert b.state == "closed"
        b.failure(DeliveryError("x", retryable=True, status=502))
        b.failure(DeliveryError("x", retryable=True))
        assert b.state == "open"
        with pytest.raises(DeliveryError, match="circuit open"):
            b.before()
        now[0] = 10.5
        b.before()  # the one trial
        assert b.state == "half_open"
        with pytest.raises(DeliveryError):
            b.before()  # a second caller during the trial fails fast
        b.failure(DeliveryError("x", retryable=True, status=500))
        assert b.state == "open"


class TestTokenBucket:
    async def test_spacing(self):
        bucket = TokenBucket(rate=10, burst=2)
        loop = asyncio.get_running_loop()
        stamps = []
        for _ in range(5):
            await bucket.acquire()
            stamps.append(loop.time())
        assert stamps[1] - stamps[0] < 0.03  # burst of 2
        gaps = [round(b - a, 4) for a, b in zip(stamps[1:], stamps[2:])]
        assert all(g >= 0.09 for g in gaps), gaps


class TestRecordStage:
    async def test_failure_is_dead_lettered_and_not_recorded(self):
        delivered: dict[str, Any] = {}
        dead: list[dict[str, Any]] = []
        err = DeliveryError("rejected", retryable=False, status=400, body="bad")
        ctx, _ = await RecordStage(delivered, dead.append).exec(
            Ctx(sink="s", key="k", attempts=1, failure=err), {"id": "k"})
        assert ctx.outcome == "dead_lettered" and delivered == {}
        assert dead[0]["reason"] == "rejected (HTTP 400)" and dead[0]["response_body"] == "bad"

    async def test_async_dead_letter_handler_failure_propagates(self):
        """If the DLQ cannot take the letter, deliver() raises so the stream does not commit the alert."""
        async def broken(letter: dict[str, Any]) -> None:
            raise ConnectionError("broker unavailable")
        with pytest.raises(ConnectionError):
            await RecordStage({}, broken).exec(
                Ctx(sink="s", key="k", failure=DeliveryError("x", retryable=True)), {"id": "k"})


def mock_dispatcher(handler, tmp_path, delivered, dead, config: str | None = None, env=None):
    path = None
    if config is not None:
        path = tmp_path / "sinks.yaml"
        path.write_text(config)
    env = {"NEWSMON_SILENCES": str(tmp_path / "silences.json"), **(env or {})}
    return build_dispatcher(str(path) if path else None, env, registry=CollectorRegistry(), delivered=delivered,
                            on_dead_letter=dead.append, transport=httpx.MockTransport(handler))


class TestDispatcher:
    async def test_no_config_and_no_webhook_means_no_sinks(self, tmp_path):
        d = mock_dispatcher(lambda r: httpx.Response(200), tmp_path, {}, [])
        report = await d.deliver(make_alert())
        await d.aclose()
        assert report.results == {} and d.sinks == []

    async def test_routing_by_rule_severity_region(self, tmp_path):
        got: list[str] = []

        def handler(request: httpx.Request) -> httpx.Response:
            got.append(request.url.host)
            return httpx.Response(200)
        config = """
sinks:
  - {name: golan, type: mattermost, url: "https://golan.example/hooks/x", match: {regions: [golan_heights]}}
  - {name: crit, type: mattermost, url: "https://crit.example/hooks/x", match: {min_severity: critical}}
  - {name: other-rule, type: mattermost, url: "https://rule.example/hooks/x", match: {rules: [another]}}
"""
        d = mock_dispatcher(handler, tmp_path, {}, [], config)
        r1 = await d.deliver(make_alert())
        r2 = await d.deliver(make_alert(id="z", severity="critical", rule_id="another",
                                        event={"locations": [{"name": "Gaza", "regions": ["gaza"]}]}))
        await d.aclose()
        assert r1.outcomes() == {"golan": "delivered"}
        assert r2.outcomes() == {"crit": "delivered", "other-rule": "delivered"}
        assert sorted(got) == ["crit.example", "golan.example", "rule.example"]

    async def test_delivered_only_after_acceptance_and_previous_feeds_the_update(self, tmp_path):
        """The record holds nothing after a failure; after a success the next version's message says
        what changed relative to what this sink last accepted."""
        bodies: list[dict[str, Any]] = []
        answers = iter([400, 200, 200])

        def handler(request: httpx.Request) -> httpx.Response:
            import json
            bodies.append(json.loads(request.content))
            return httpx.Response(next(answers))
        delivered: dict[str, Any] = {}
        dead: list[dict[str, Any]] = []
        d = mock_dispatcher(handler, tmp_path, delivered, dead,
                            'sinks: [{name: mm, type: mattermost, url: "https://m.example/hooks/k"}]')
        first = make_alert(severity="medium")
        await d.deliver(first)
        assert delivered == {} and len(dead) == 1
        await d.deliver(first)
        assert f"mm|{delivery_key(first)}" in delivered
        update = make_alert(status="updated", severity="critical", article_ids=["art-1", "art-2", "art-3"])
        await d.deliver(update)
        await d.aclose()
        assert "severity raised: medium → critical" in bodies[-1]["text"]
        assert "+1 article(s), 3 in all" in bodies[-1]["text"]

    async def test_metrics_count_outcomes(self, tmp_path):
        registry = CollectorRegistry()
        d = build_dispatcher(None, {"NEWSMON_WEBHOOK_URL": "https://h.example/x", "NEWSMON_SILENCES":
                                    str(tmp_path / "s.json")}, registry=registry, delivered={},
                             on_dead_letter=lambda letter: None,
                             transport=httpx.MockTransport(lambda r: httpx.Response(200)))
        await d.deliver(make_alert())
        await d.deliver(make_alert())
        await d.aclose()
        get = registry.get_sample_value
        assert get("newsmon_webhook_deliveries_total", {"sink": "webhook", "outcome": "delivered"}) == 1
        assert get("newsmon_webhook_deliveries_total", {"sink": "webhook", "outcome": "duplicate"}) == 1
        assert get("newsmon_delivery_seconds_count", {"sink": "webhook"}) == 1
        assert get("newsmon_circuit_state", {"sink": "webhook"}) == 0

    def test_metrics_are_built_from_the_injected_registry_only(self):
        import prometheus_client

        import alerts.delivery.metrics  # noqa: F401  (import creates nothing)
        assert prometheus_client.REGISTRY.get_sample_value("newsmon_alerts_dlq_total", {"sink": "x"}) is None
        names = {m.name for m in prometheus_client.REGISTRY.collect()}
        assert not any(n.startswith("newsmon_delivery") or n.startswith("newsmon_webhook") for n in names)


async def test_a_crashing_notifier_dead_letters_instead_of_crashing_delivery(tmp_path):
    """A bug while building a payload becomes a final failure (dead letter), not an exception out of
    deliver() that would stop the stream on the same alert after every restart."""
    from structlog.testing import capture_logs
    delivered: dict[str, Any] = {}
    dead: list[dict[str, Any]] = []
    d = mock_dispatcher(lambda r: httpx.Response(200), tmp_path, delivered, dead,
                        'sinks: [{name: t, type: teams, url: "https://t.example/workflows/x"}]')
    with capture_logs() as logs:
        report = await d.deliver(make_alert(event="not-a-dict"))
    await d.aclose()
    assert report.results["t"].outcome == "dead_lettered" and report.results["t"].attempts == 1
    assert dead[0]["reason"].startswith("notifier failed (AttributeError at ")
    assert any(e["event"] == "notifier_failed" for e in logs)
