"""One code path: the labelled dev cases through the real stream give the same alerts as `newsmon backtest`."""
from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid

import pytest

from tests.conftest import SHARED
from tests.integration.helpers import ROOT, WorkerProcess, read_topic

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
DEV = SHARED / "eval" / "dev.jsonl"


@pytest.mark.skipif(not DEV.exists(), reason="../shared/eval/dev.jsonl is not beside the checkout")
def test_stream_and_backtest_agree(tmp_path):
    # A broker of its own: articles other tests left on the shared topics would be replayed first and move
    # the engine's event-time watermark, which a publication-order backtest never sees.
    from streams.broker import LocalBroker

    with LocalBroker() as broker:
        _compare(broker.bootstrap, tmp_path)


def _compare(kafka_bootstrap, tmp_path):
    tag = uuid.uuid4().hex[:6]
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:  # fresh ids so earlier tests' articles on the shared topic cannot mix in
        r["id"] = f"{tag}-{r['id']}"
    rows.sort(key=lambda r: r.get("published_at") or "")  # backtest replays in publication order
    corpus = tmp_path / "dev.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")

    offline = subprocess.run([sys.executable, "-m", "streams.cli", "backtest", "--rules", str(ROOT / "rules"),
                              "--input", str(corpus)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert offline.returncode == 0, offline.stderr
    expected = {(a["id"], a["status"], tuple(a["article_ids"])) for a in map(json.loads, offline.stdout.splitlines())}
    assert expected, "the dev cases must raise some alerts"

    worker = WorkerProcess(kafka_bootstrap, tmp_path, app_id=f"eq-{tag}").start()
    try:
        # One partition keeps publication order all the way to the engine; across partitions Kafka orders
        # nothing, and the engine (like any stream) sees articles in arrival order, not publication order.
        from kafka import KafkaProducer

        producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
        for r in rows:
            producer.send("articles", key=r["id"].encode(), value=json.dumps(r, ensure_ascii=False).encode(),
                          partition=0)
        producer.flush()
        producer.close()
        deadline = time.time() + 240
        while time.time() < deadline and worker.health()["counts"]["articles"] < len(rows):
            time.sleep(0.5)
        assert worker.health()["counts"]["articles"] >= len(rows), worker.log_tail()
        time.sleep(3)
        records = read_topic(kafka_bootstrap, "alerts", lambda rs: False, timeout=5)
    finally:
        worker.stop()
    streamed = {(a["id"], a["status"], tuple(a["article_ids"]))
                for a in (json.loads(r.value) for r in records) if a["article_ids"][0].startswith(tag)}
    assert streamed == expected
