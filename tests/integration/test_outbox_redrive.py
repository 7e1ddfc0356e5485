"""The outbox re-drives alerts whose alerts-topic message the delivery agent never handles: here the
worker dies right after emitting, and its consumer offset on `alerts` is then moved past the alerts (as a
rebalance with a wrong commit would do). Only the outbox can still deliver them."""
from __future__ import annotations

import json
import signal
import time
import uuid
from datetime import datetime, timezone

import pytest

from tests.integration.helpers import RecordingReceiver, WorkerProcess, read_topic
from tests.integration.test_kill_restart import incident_articles

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def skip_alerts_topic(bootstrap: str, group: str, timeout: float = 120.0) -> None:
    """Commit the end of `alerts` for the worker's group, once the killed member has left it."""
    from kafka import KafkaConsumer, OffsetAndMetadata, TopicPartition
    from kafka.errors import KafkaError

    tp = TopicPartition("alerts", 0)
    deadline = time.time() + timeout
    while True:
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
        try:
            consumer.assign([tp])
            consumer.seek_to_end(tp)
            end = consumer.position(tp)
            consumer.commit({tp: OffsetAndMetadata(end, "", -1)})
            return
        except KafkaError:
            if time.time() > deadline:
                raise
            time.sleep(3)  # the group still has the killed member until its session times out
        finally:
            consumer.close()


def wait_inputs_committed(bootstrap: str, group: str, topics=("articles", "newsmon-extracted"),
                          timeout: float = 60.0) -> None:
    """Wait until the worker's group has committed its input topics up to their current ends: a worker
    killed before that commit re-reads its articles after the restart and emits the alerts afresh, and the
    outbox would then have nothing to re-drive."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    try:  # a consumer that never subscribes only reads the group's commits; it does not join the group
        tps = [TopicPartition(t, p) for t in topics for p in (consumer.partitions_for_topic(t) or ())]
        ends = consumer.end_offsets(tps)
        deadline = time.time() + timeout
        while True:
            behind = {tp: end for tp, end in ends.items() if end and (consumer.committed(tp) or 0) < end}
            if not behind:
                return
            assert time.time() < deadline, f"inputs not committed up to {behind}"
            time.sleep(0.5)
    finally:
        consumer.close()


def test_outbox_redrives_alerts_the_delivery_agent_never_saw(kafka_bootstrap, tmp_path):
    from kafka import KafkaProducer

    app_id = f"outbox-{uuid.uuid4().hex[:6]}"
    tag = uuid.uuid4().hex[:8]
    articles = incident_articles(3, tag, start=datetime(2016, 2, 1, 9, 0, tzinfo=timezone.utc))
    # a webhook that never answers in time: the delivery agent is stuck on its first alert, so the worker
    # dies with every alert emitted and none handled (a refused port would dead-letter them at once)
    stuck = RecordingReceiver(delay=300)
    first = WorkerProcess(kafka_bootstrap, tmp_path, app_id=app_id, env={"NEWSMON_WEBHOOK_URL": stuck.url}).start()
    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap)
    for a in articles:
        producer.send("articles", key=a["id"].encode(), value=json.dumps(a).encode())
    producer.flush()
    producer.close()
    def mine(records):
        return {json.loads(r.value)["id"] for r in records
                if json.loads(r.value)["article_ids"][0].startswith(tag)}

    emitted = mine(read_topic(kafka_bootstrap, "alerts", lambda rs: len(mine(rs)) >= len(articles), timeout=120))
    assert len(emitted) == len(articles), first.log_tail()
    wait_inputs_committed(kafka_bootstrap, app_id)
    time.sleep(2)  # let the outbox changelog reach the broker
    first.stop(signal.SIGKILL)
    stuck.close()

    skip_alerts_topic(kafka_bootstrap, app_id)
    receiver = RecordingReceiver()
    second = WorkerProcess(kafka_bootstrap, tmp_path, app_id=app_id, env={"NEWSMON_WEBHOOK_URL": receiver.url})
    try:
        second.start()
        deadline = time.time() + 120
        while time.time() < deadline:
            got = {json.loads(r["body"])["id"] for r in receiver.requests
                   if json.loads(r["body"])["article_ids"][0].startswith(tag)}
            if got >= emitted:
                break
            time.sleep(0.5)
        log = second.log_tail(400)
    finally:
        second.stop()
        receiver.close()
    assert got >= emitted, log
    assert "alert_redriven" in second.log_path.read_text(errors="replace"), log
