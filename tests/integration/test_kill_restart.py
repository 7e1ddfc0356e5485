"""At-least-once delivery across a crash: a worker SIGKILLed in the middle of webhook deliveries and
restarted delivers every alert; a duplicate only ever repeats the same idempotency key."""
from __future__ import annotations

import json
import signal
import time
import uuid
from collections import defaultdict
from datetime import datetime, timedelta, timezone

import pytest

from tests.integration.helpers import RecordingReceiver, WorkerProcess

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

PLACES = ["Quneitra", "Khan Arnabeh", "Majdal Shams", "Mount Hermon", "Ein al-Tineh"]


def incident_articles(n: int, tag: str, start: datetime = datetime(2019, 1, 7, 9, 0, tzinfo=timezone.utc)) -> list[dict]:
    """n separate incidents: each a Golan cross-border strike three weeks after the previous one. Tests that
    share a broker pass different `start`s, so their incidents never fuse with each other's."""
    out = []
    for i in range(n):
        when = start + timedelta(days=21 * i)
        place = PLACES[i % len(PLACES)]
        out.append({
            "id": f"{tag}-{i}", "lang": "en", "source": f"Wire{i}",
            "title": f"Israeli jets strike Syrian army position near {place} after rocket hits Golan",
            "body": (f"A rocket fired from Syria struck the Israeli-controlled Golan Heights on {when:%A}, and "
                     f"Israeli aircraft then struck a Syrian army position near {place} in response, the Israeli "
                     f"military said."),
            "published_at": when.isoformat().replace("+00:00", "Z"),
        })
    return out


def test_sigkill_mid_delivery_loses_nothing(kafka_bootstrap, tmp_path):
    from kafka import KafkaProducer

    receiver = RecordingReceiver(delay=0.4)
    app_id = f"kill-{uuid.uuid4().hex[:6]}"
    env = {"NEWSMON_WEBHOOK_URL": receiver.url, "NEWSMON_WEBHOOK_SECRET": "s3cret"}
    tag = uuid.uuid4().hex[:8]
    articles = incident_articles(12, tag)
    worker = WorkerProcess(kafka_bootstrap, tmp_path, app_id=app_id, env=env).start()
    try:
        producer = KafkaProducer(bootstrap_servers=kafka_bootstrap)
        for a in articles:
            producer.send("articles", key=a["id"].encode(), value=json.dumps(a).encode())
        producer.flush()
        producer.close()

        def mine():
            return [r for r in receiver.requests if json.loads(r["body"]).get("article_ids", [""])[0].startswith(tag)]

        deadline = time.time() + 120
        while time.time() < deadline and len(mine()) < 3:
            time.sleep(0.1)
        assert mine(), f"no delivery before the kill\n{worker.log_tail()}"
        delivered_before_kill = len(mine())
        worker.stop(signal.SIGKILL)

        worker = WorkerProcess(kafka_bootstrap, tmp_path, app_id=app_id, env=env).start()
        expected = len(articles)

        def alert_ids():
            return {json.loads(r["body"])["id"] for r in mine()}

        deadline = time.time() + 180
        while time.time() < deadline and len(alert_ids()) < expected:
            time.sleep(0.2)
    finally:
        worker.stop()
        receiver.close()

    requests = mine()
    by_alert: dict[str, set[str]] = defaultdict(set)
    for r in requests:
        by_alert[json.loads(r["body"])["id"]].add(r["headers"].get("idempotency-key", ""))
    duplicates = len(requests) - len(by_alert)
    print(f"kill-and-restart: alerts={expected} delivered={len(by_alert)} requests={len(requests)} "
          f"duplicates={duplicates} delivered_before_kill={delivered_before_kill}")
    assert len(by_alert) == expected, "an alert was lost across the crash"
    assert delivered_before_kill < expected, "the kill must land before every alert was delivered"
    for alert_id, keys in by_alert.items():
        assert len(keys) == 1 and "" not in keys, f"{alert_id}: re-deliveries must carry one idempotency key"
