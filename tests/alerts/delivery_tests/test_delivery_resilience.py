"""Delivery against real HTTP servers on 127.0.0.1 that fail on purpose."""
from __future__ import annotations

import asyncio
import time

from delivery_helpers import FAST_RETRY, Reply, make_alert

from alerts.delivery.notifiers.webhook import sign
from alerts.delivery.receiver import WebhookReceiver


class TestRetry:
    async def test_500s_then_success_is_delivered_once_recorded(self, server, dispatcher_for, harness, alert):
        """Two 500s then 200: three attempts, delivered, recorded, two retries counted, nothing dead."""
        srv, url = server(Reply(500, "boom"), Reply(503, "busy"), Reply(200))
        d = dispatcher_for([{"name": "hook", "type": "webhook", "url": url + "/hook"}], retry=FAST_RETRY)
        report = await d.deliver(alert)
        assert report.results["hook"].outcome == "delivered"
        assert report.results["hook"].attempts == 3
        assert len(srv.seen) == 3
        assert harness.dead == []
        assert harness.delivered["hook|" + alert["id"]]["attempts"] == 3
        assert harness.sample("newsmon_delivery_retries_total", sink="hook") == 2
        assert harness.sample("newsmon_webhook_deliveries_total", sink="hook", outcome="delivered") == 1

    async def test_429_retry_after_is_honoured(self, server, dispatcher_for, alert):
        """A 429 with Retry-After: 1 makes the next attempt wait at least a second (measured at the server)."""
        srv, url = server(Reply(429, "slow down", {"Retry-After": "1"}), Reply(200))
        d = dispatcher_for([{"name": "hook", "type": "webhook", "url": url}], retry=FAST_RETRY)
        report = await d.deliver(alert)
        assert report.results["hook"].outcome == "delivered"
        gap = srv.seen[1].at - srv.seen[0].at
        assert gap >= 0.95, gap
        assert gap < 1.8, gap

    async def test_retry_after_beyond_deadline_dead_letters_without_waiting(self, server, dispatcher_for,
                                                                             harness, alert):
        """A Retry-After longer than the remaining deadline gives up at once instead of sleeping past it."""
        srv, url = server(Reply(429, "later", {"Retry-After": "120"}))
        d = dispatcher_for([{"name": "hook", "type": "webhook", "url": url}], retry=FAST_RETRY)
        t0 = time.monotonic()
        report = await d.deliver(alert)
        assert time.monotonic() - t0 < 1.0
        assert report.results["hook"].outcome == "dead_lettered"
        assert harness.dead[0]["status"] == 429 and len(srv.seen) == 1

    async def test_refused_connection_is_retried_then_dead_lettered(self, closed_port_url, dispatcher_for,
                                                                     harness, alert):
        """Nothing listens: several attempts until the deadline, then a complete dead letter."""
        d = dispatcher_for([{"name": "gone", "type": "webhook", "url": closed_port_url}],
                           retry={"deadline": 0.6, "initial": 0.05, "max_delay": 0.1},
                           circuit={"failures": 100, "reset_after": 30})
        report = await d.deliver(alert)
        result = report.results["gone"]
        assert result.outcome == "dead_lettered"
        assert result.attempts >= 3
        assert result.status is None
        [letter] = harness.dead
        assert set(letter) == {"alert", "sink", "reason", "status", "response_body", "attempts", "failed_at"}
        assert letter["alert"] == alert and letter["sink"] == "gone"
        assert "connection error" in letter["reason"]
        assert letter["attempts"] == result.attempts
        assert "gone|" + alert["id"] not in harness.delivered
        assert harness.sample("newsmon_alerts_dlq_total", sink="gone") == 1

    async def test_response_slower_than_timeout_is_retried(self, server, dispatcher_for, alert):
        """A sink that answers after the timeout counts as a failed attempt; the next (fast) one succeeds."""
        srv, url = server(Reply(200, delay=1.0), Reply(200))
        d = dispatcher_for([{"name": "slow", "type": "webhook", "url": url, "timeout": 0.2}], retry=FAST_RETRY)
        t0 = time.monotonic()
        report = await d.deliver(alert)
        assert report.results["slow"].outcome == "delivered"
        assert report.results["slow"].attempts == 2
        assert time.monotonic() - t0 < 0.9  # did not wait for the slow answer

    async def test_always_slow_sink_is_dead_lettered_as_timeout(self, server, dispatcher_for, harness, alert):
        srv, url = server(Reply(200, delay=0.5))
        d = dispatcher_for([{"name": "slow", "type": "webhook", "url": url, "timeout": 0.1}],
                           retry={"deadline": 0.5, "initial": 0.05, "max_delay": 0.1})
        report = await d.deliver(alert)
        assert report.results["slow"].outcome == "dead_lettered"
        assert "timeout" in harness.dead[0]["reason"]

    async def test_permanent_400_is_not_retried_and_keeps_the_response(self, server, dispatcher_for,
                                                                        harness, alert):
        """A 400 is final: one attempt, dead-lettered with the sink's answer."""
        srv, url = server(Reply(400, "invalid_payload: missing text"))
        d = dispatcher_for([{"name": "hook", "type": "webhook", "url": url}], retry=FAST_RETRY)
        report = await d.deliver(alert)
        assert len(srv.seen) == 1
        assert report.results["hook"].outcome == "dead_lettered"
        assert report.results["hook"].status == 400
        assert harness.dead[0]["status"] == 400
        assert harness.dead[0]["response_body"] == "invalid_payload: missing text"
        assert harness.dead[0]["attempts"] == 1

    async def test_long_response_body_is_truncated_in_the_dead_letter(self, server, dispatcher_for, harness, alert):
        srv, url = server(Reply(422, "x" * 50_000))
        d = dispatcher_for([{"name": "hook", "type": "webhook", "url": url}], retry=FAST_RETRY)
        await d.deliver(alert)
        assert 0 < len(harness.dead[0]["response_body"]) <= 1024


class TestCircuitBreaker:
    async def test_dead_sink_does_not_hold_up_a_healthy_one(self, closed_port_url, server, dispatcher_for,
                                                            harness):
        """After the dead sink's circuit opens, each following alert reaches the healthy sink promptly and
        the dead sink is not called again (its alerts are dead-lettered for replay)."""
        healthy, url = server(Reply(200))
        d = dispatcher_for(
            [{"name": "dead", "type": "webhook", "url": closed_port_url},
             {"name": "ok", "type": "webhook", "url": url}],
            retry={"deadline": 3, "initial": 0.05, "max_delay": 0.1},
            circuit={"failures": 3, "reset_after": 60})
        first = await d.deliver(make_alert(id="a0"))
        assert first.results["dead"].attempts == 3  # opened after 3 failures, long before the deadline
        assert d.breakers["dead"].state == "open"
        assert harness.sample("newsmon_circuit_state", sink="dead") == 2
        durations = []
        for i in range(1, 6):
            t0 = time.monotonic()
            report = await d.deliver(make_alert(id=f"a{i}"))
            durations.append(time.monotonic() - t0)
            assert report.results["ok"].outcome == "delivered"
            assert report.results["dead"].outcome == "dead_lettered"
            assert report.results["dead"].reason == "circuit open"
        assert max(durations) < 0.25, durations
        assert len(healthy.seen) == 6
        assert len(harness.dead) == 6

    async def test_half_open_trial_closes_the_circuit(self, server, dispatcher_for, harness):
        """Once reset_after has passed, one trial goes out; its success closes the circuit."""
        srv, url = server(Reply(500), Reply(500), Reply(200))
        d = dispatcher_for([{"name": "flaky", "type": "webhook", "url": url}],
                           retry={"deadline": 0.2, "initial": 0.05, "max_delay": 0.05},
                           circuit={"failures": 2, "reset_after": 0.3})
        r1 = await d.deliver(make_alert(id="b1"))
        assert r1.results["flaky"].outcome == "dead_lettered"
        assert d.breakers["flaky"].state == "open"
        await asyncio.sleep(0.35)
        r2 = await d.deliver(make_alert(id="b2"))
        assert r2.results["flaky"].outcome == "delivered"
        assert d.breakers["flaky"].state == "closed"
        assert harness.sample("newsmon_circuit_state", sink="flaky") == 0


class TestRateLimit:
    async def test_slack_paced_to_one_message_per_second(self, server, dispatcher_for):
        """Slack's default pacing (1/s, burst 1) spaces three alerts about a second apart."""
        srv, url = server(Reply(200))
        d = dispatcher_for([{"name": "slack", "type": "slack", "url": url + "/services/T0/B0/XYZ"}])
        for i in range(3):
            await d.deliver(make_alert(id=f"r{i}"))
        gaps = [b.at - a.at for a, b in zip(srv.seen, srv.seen[1:])]
        assert all(0.9 <= g < 1.5 for g in gaps), gaps

    async def test_configured_rate_applies_to_concurrent_deliveries(self, server, dispatcher_for):
        srv, url = server(Reply(200))
        d = dispatcher_for([{"name": "hook", "type": "webhook", "url": url, "rate_limit": 5, "burst": 1}])
        await asyncio.gather(*(d.deliver(make_alert(id=f"c{i}")) for i in range(4)))
        gaps = [b.at - a.at for a, b in zip(srv.seen, srv.seen[1:])]
        assert len(srv.seen) == 4
        assert all(g >= 0.17 for g in gaps), gaps


class TestSigningAndIdempotency:
    async def test_receiver_accepts_a_correct_signature(self, harness, alert, tmp_path):
        from prometheus_client import CollectorRegistry

        from alerts.delivery import build_dispatcher
        seen = []
        with WebhookReceiver(secret="hunter2-signing-key", on_alert=seen.append) as rx:
            d = build_dispatcher(None, {"NEWSMON_WEBHOOK_URL": rx.url, "NEWSMON_WEBHOOK_SECRET": "hunter2-signing-key",
                                        "NEWSMON_SILENCES": str(tmp_path / "s.json")},
                                 registry=CollectorRegistry(), delivered={}, on_dead_letter=harness.dead.append)
            report = await d.deliver(alert)
            await d.aclose()
        assert report.results["webhook"].outcome == "delivered"
        assert rx.received == [alert] and seen == [alert]
        assert rx.rejected == []

    async def test_receiver_rejects_a_wrong_secret_and_the_alert_is_dead_lettered(self, harness, alert, tmp_path):
        from prometheus_client import CollectorRegistry

        from alerts.delivery import build_dispatcher
        with WebhookReceiver(secret="the-right-one") as rx:
            d = build_dispatcher(None, {"NEWSMON_WEBHOOK_URL": rx.url, "NEWSMON_WEBHOOK_SECRET": "a-wrong-one",
                                        "NEWSMON_SILENCES": str(tmp_path / "s.json")},
                                 registry=CollectorRegistry(), delivered={}, on_dead_letter=harness.dead.append)
            report = await d.deliver(alert)
            await d.aclose()
        assert rx.received == [] and len(rx.rejected) == 1
        assert report.results["webhook"].outcome == "dead_lettered"
        assert report.results["webhook"].status == 401

    def test_receiver_rejects_a_stale_timestamp(self):
        body = b'{"id": "x"}'
        old = str(int(time.time()) - 3600)
        import httpx
        with WebhookReceiver(secret="k") as rx:
            r = httpx.post(rx.url, content=body, headers={"X-Newsmon-Timestamp": old,
                                                          "X-Newsmon-Signature": sign("k", old, body)})
        assert r.status_code == 401 and rx.received == []

    async def test_signature_covers_timestamp_and_exact_body(self, server, dispatcher_for, alert):
        srv, url = server(Reply(200))
        d = dispatcher_for([{"name": "hook", "type": "webhook", "url": url, "secret": "${HOOK_SECRET}"}],
                           env={"HOOK_SECRET": "k3y"})
        await d.deliver(alert)
        [req] = srv.seen
        ts = req.headers["X-Newsmon-Timestamp"]
        assert req.headers["X-Newsmon-Signature"] == sign("k3y", ts, req.body)
        assert req.json == alert

    async def test_idempotency_key_is_stable_across_redeliveries(self, server, dispatcher_for, harness, alert):
        """A crash between the sink's 2xx and the record re-sends the same version: same key. A new
        version of an updated alert gets a different key."""
        srv, url = server(Reply(200))
        d = dispatcher_for([{"name": "hook", "type": "webhook", "url": url}])
        updated = make_alert(status="updated", article_ids=["art-1", "art-2", "art-3"])
        await d.deliver(updated)
        harness.delivered.clear()  # the durable record was lost: at-least-once re-sends
        await d.deliver(updated)
        newer = make_alert(status="updated", article_ids=["art-1", "art-2", "art-3", "art-4"])
        await d.deliver(newer)
        await d.deliver(alert)
        keys = [s.headers["Idempotency-Key"] for s in srv.seen]
        assert keys[0] == keys[1] == f"{alert['id']}:updated:3"
        assert keys[2] == f"{alert['id']}:updated:4"
        assert keys[3] == alert["id"]

    async def test_recorded_version_is_skipped_per_sink(self, server, dispatcher_for, harness, alert):
        """The dedup stage skips a sink that already accepted this version, and only that sink."""
        a_srv, a_url = server(Reply(200))
        b_srv, b_url = server(Reply(200))
        d = dispatcher_for([{"name": "a", "type": "webhook", "url": a_url},
                            {"name": "b", "type": "webhook", "url": b_url}])
        harness.delivered["a|" + alert["id"]] = {"at": "earlier"}
        report = await d.deliver(alert)
        assert report.outcomes() == {"a": "duplicate", "b": "delivered"}
        assert len(a_srv.seen) == 0 and len(b_srv.seen) == 1
        again = await d.deliver(alert)
        assert again.outcomes() == {"a": "duplicate", "b": "duplicate"}
        assert len(b_srv.seen) == 1


def test_receiver_echo_prints_each_alert(capsys):
    import httpx
    with WebhookReceiver(echo=True) as rx:
        httpx.post(rx.url, json=make_alert())
        assert rx.wait_for(1, timeout=5)
    assert "🟠 HIGH · Drone strike on a Syrian position near Quneitra — Quneitra" in capsys.readouterr().out
