"""The whole path on real parts: `newsmon produce` → real Kafka → `newsmon worker` → alerts topic and a
real HTTP webhook receiver; bad messages → articles.dlq; /metrics scraped over HTTP."""
from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
import time
import uuid

import pytest

from tests.integration.helpers import ROOT, RecordingReceiver, WorkerProcess, metric_value, read_topic

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
SEED = ROOT / "seeds" / "000_3770fb1b1770be7d.jsonl"
SECRET = "test-secret-" + uuid.uuid4().hex[:8]


@pytest.fixture(scope="module")
def receiver():
    r = RecordingReceiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def worker(kafka_bootstrap, receiver, tmp_path_factory):
    w = WorkerProcess(kafka_bootstrap, tmp_path_factory.mktemp("worker"), app_id=f"it-{uuid.uuid4().hex[:6]}",
                      env={"NEWSMON_WEBHOOK_URL": receiver.url, "NEWSMON_WEBHOOK_SECRET": SECRET})
    w.start()
    yield w
    w.stop()


def produce(bootstrap: str, path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "streams.cli", "produce", str(path), "--bootstrap", bootstrap],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_seed_yields_one_golan_alert_on_topic_and_webhook(kafka_bootstrap, worker, receiver):
    seed_id = json.loads(SEED.read_text(encoding="utf-8"))["id"]
    t0 = time.time()
    done = produce(kafka_bootstrap, SEED)
    assert done.returncode == 0, done.stderr

    def seed_alerts(records):
        return [a for a in (json.loads(r.value) for r in records)
                if seed_id in a.get("article_ids", []) and a["rule_id"] == "golan-cross-border-strike"]

    records = read_topic(kafka_bootstrap, "alerts", lambda rs: bool(seed_alerts(rs)), timeout=120)
    time.sleep(3)  # anything else the seed would raise has arrived by now
    records = read_topic(kafka_bootstrap, "alerts", lambda rs: False, timeout=3)
    alerts = seed_alerts(records)
    assert alerts, f"no golan alert for the seed on the alerts topic\n{worker.log_tail()}"
    assert len({a["id"] for a in alerts}) == 1, "the seed's Golan incident must be exactly one alert"
    # the rocket and the retaliatory strike, not the Raqqa battle, the sarin report or Netanyahu's threat
    sentences = " ".join(a["event"]["sentence"] for a in alerts)
    assert "الجولان" in sentences
    assert not any(w in sentences for w in ("السارين", "نتنياهو", "الصناعة"))
    alert = alerts[0]
    for key in ("id", "rule_id", "title", "severity", "status", "score", "score_breakdown", "incident_id",
                "article_ids", "event_ids", "sources", "first_seen", "last_seen", "summary", "explanation",
                "event"):
        assert key in alert, key
    assert "golan_heights" in {r for loc in alert["event"]["locations"] for r in loc["regions"]}

    deadline = time.time() + 60
    while time.time() < deadline and not any(a.get("id") == alert["id"] for a in receiver.alerts()):
        time.sleep(0.2)
    hits = [r for r in receiver.requests if json.loads(r["body"]).get("id") == alert["id"]]
    assert hits, "the webhook never received the alert"
    req = hits[0]
    ts = req["headers"]["x-newsmon-timestamp"]
    expected = hmac.new(SECRET.encode(), ts.encode() + b"." + req["body"], hashlib.sha256).hexdigest()
    assert req["headers"]["x-newsmon-signature"] == f"sha256={expected}"
    assert SECRET not in req["body"].decode()
    sent = read_topic(kafka_bootstrap, "articles", lambda rs: any(r.key == seed_id.encode() for r in rs))
    created = max(r.timestamp for r in sent if r.key == seed_id.encode()) / 1000  # producer's CreateTime
    print(f"seed latency: produce→webhook {req['at'] - created:.2f} s (command start→webhook {req['at'] - t0:.2f} s)")

    metrics = worker.metrics()
    assert metric_value(metrics, "newsmon_articles_total", lang="ar") >= 1
    assert metric_value(metrics, "newsmon_alerts_total", rule_id="golan-cross-border-strike") >= 1
    assert metric_value(metrics, "newsmon_processing_seconds_count") >= 1


def test_bad_message_goes_to_dlq_and_the_next_good_one_is_processed(kafka_bootstrap, worker, tmp_path):
    from kafka import KafkaProducer

    marker = uuid.uuid4().hex
    bad = b'{"title": "broken ' + marker.encode() + b'"'  # truncated JSON
    good = {"id": f"good-{marker}", "lang": "en", "title": "Mortar shell from Syria lands in the Golan Heights",
            "body": "A mortar shell fired from Syria exploded in an open area of the northern Golan Heights on "
                    "Monday, the Israeli army said.", "published_at": "2019-03-04T10:00:00Z"}
    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap)
    producer.send("articles", key=b"bad", value=bad)
    producer.send("articles", key=good["id"].encode(), value=json.dumps(good).encode())
    producer.flush()
    producer.close()

    dlq = read_topic(kafka_bootstrap, "articles.dlq", lambda rs: any(marker.encode() in r.value for r in rs))
    mine = [r for r in dlq if marker.encode() in r.value]
    assert mine and mine[0].value == bad, "the original bytes must land in articles.dlq"
    headers = dict(mine[0].headers)
    assert headers["newsmon-reason"] == b"bad_json"

    events = read_topic(kafka_bootstrap, "events",
                        lambda rs: any(json.loads(r.value)["article_id"] == good["id"] for r in rs))
    assert any(json.loads(r.value)["article_id"] == good["id"] for r in events), worker.log_tail()
    metrics = worker.metrics()
    assert metric_value(metrics, "newsmon_articles_rejected_total", reason="bad_json") >= 1
    assert metric_value(metrics, "newsmon_events_total") >= 1 or "newsmon_events_total{" in metrics


def test_health_reports_counts(worker):
    health = worker.health()
    assert health["status"] == "ok"
    assert health["rules_loaded"] >= 1
    assert health["counts"]["articles"] >= 1
