"""`newsmon dlq replay`: dead letters re-sent to the sink that failed them, once."""
from __future__ import annotations

import json
import uuid

import pytest
from delivery_helpers import Reply, make_alert

from streams.cli import main
from streams.commands.dlq import replay


def letter(sink: str, **alert_over) -> dict:
    return {"alert": make_alert(**alert_over), "sink": sink, "reason": "server error (HTTP 503)", "status": 503,
            "response_body": "busy", "attempts": 4, "failed_at": "2026-11-25T10:00:00Z"}


class TestReplay:
    async def test_letters_go_only_to_their_own_sink(self, server, dispatcher_for, harness):
        a_srv, a_url = server(Reply(200))
        b_srv, b_url = server(Reply(200))
        d = dispatcher_for([{"name": "a", "type": "webhook", "url": a_url},
                            {"name": "b", "type": "webhook", "url": b_url}])
        counts = await replay([letter("a", id="x1"), letter("b", id="x2"), letter("gone", id="x3"), None], d)
        assert counts == {"delivered": 2, "unknown_sink": 1, "invalid": 1}
        assert [s.json["id"] for s in a_srv.seen] == ["x1"]
        assert [s.json["id"] for s in b_srv.seen] == ["x2"]

    async def test_sink_filter_skips_the_others(self, server, dispatcher_for):
        srv, url = server(Reply(200))
        d = dispatcher_for([{"name": "a", "type": "webhook", "url": url},
                            {"name": "b", "type": "webhook", "url": url}])
        counts = await replay([letter("a", id="x1"), letter("b", id="x2")], d, sink="b")
        assert counts == {"delivered": 1, "skipped": 1}
        assert [s.json["id"] for s in srv.seen] == ["x2"]

    async def test_failing_again_goes_back_to_the_dead_letter_handler(self, server, dispatcher_for, harness):
        srv, url = server(Reply(400, "still bad"))
        d = dispatcher_for([{"name": "a", "type": "webhook", "url": url}])
        counts = await replay([letter("a")], d)
        assert counts == {"dead_lettered": 1}
        assert harness.dead[0]["response_body"] == "still bad"

    async def test_replay_keeps_the_idempotency_key(self, server, dispatcher_for):
        srv, url = server(Reply(200))
        d = dispatcher_for([{"name": "a", "type": "webhook", "url": url}])
        await replay([letter("a", status="updated", article_ids=["1", "2", "3"])], d)
        assert srv.seen[0].headers["Idempotency-Key"] == "golan-cross-border-strike:inc-7:updated:3"


@pytest.mark.kafka
@pytest.mark.slow
def test_replay_from_kafka_once_per_group(kafka_bootstrap, server, tmp_path, capsys, monkeypatch):
    """Letters on the topic are re-sent, committed under `newsmon-dlq-replay`, and not re-sent by a
    second run; a letter that fails again lands back on the topic for the next replay."""
    from kafka import KafkaConsumer, KafkaProducer

    ok_srv, ok_url = server(Reply(200))
    bad_srv, bad_url = server(Reply(400, "nope"))
    config = tmp_path / "sinks.yaml"
    config.write_text(f"sinks:\n  - {{name: ok, type: webhook, url: '{ok_url}'}}\n"
                      f"  - {{name: bad, type: webhook, url: '{bad_url}'}}\n")
    monkeypatch.setenv("NEWSMON_SILENCES", str(tmp_path / "silences.json"))
    monkeypatch.delenv("NEWSMON_WEBHOOK_URL", raising=False)
    topic = f"alerts.dlq.test-{uuid.uuid4().hex[:8]}"
    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, value_serializer=lambda v: json.dumps(v).encode())
    for lt in (letter("ok", id="k1"), letter("ok", id="k2"), letter("bad", id="k3")):
        producer.send(topic, key=lt["alert"]["id"].encode(), value=lt).get(timeout=30)
    producer.close()

    argv = ["dlq", "replay", "--topic", topic, "--bootstrap", kafka_bootstrap, "--config", str(config)]
    assert main(argv) == 1  # one letter failed again
    out = capsys.readouterr().out
    assert "replayed 2 of 3" in out
    assert sorted(s.json["id"] for s in ok_srv.seen) == ["k1", "k2"]
    assert [s.json["id"] for s in bad_srv.seen] == ["k3"]

    assert main(argv) == 1  # only the re-queued failure is read again
    assert "replayed 0 of 1" in capsys.readouterr().out
    assert len(ok_srv.seen) == 2 and len(bad_srv.seen) == 2

    consumer = KafkaConsumer(topic, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest",
                             consumer_timeout_ms=5000, group_id=None)
    values = [json.loads(m.value) for m in consumer]
    consumer.close()
    assert [v["alert"]["id"] for v in values] == ["k1", "k2", "k3", "k3", "k3"]
    assert values[-1]["response_body"] == "nope"
