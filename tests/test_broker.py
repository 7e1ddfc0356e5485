"""The bundled local Kafka broker (streams.broker): a real JVM broker, so marked `kafka`."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from streams.broker import LocalBroker, port_free

pytestmark = pytest.mark.kafka


@pytest.fixture(scope="module")
def broker() -> Iterator[LocalBroker]:
    with LocalBroker() as running:
        yield running


class TestLocalBroker:
    def test_ready_after_start(self, broker: LocalBroker) -> None:
        """start() returns only once the broker answers on 127.0.0.1 and records how long it took."""
        assert broker.running()
        assert broker.bootstrap == f"127.0.0.1:{broker.port}"
        assert broker.started_in is not None and broker.started_in > 0

    def test_produce_and_consume_one_message(self, broker: LocalBroker) -> None:
        """A message sent to an auto-created topic comes back to a consumer group."""
        topic = f"t-{uuid.uuid4().hex[:8]}"
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
        producer.send(topic, key=b"k", value=b"hello").get(timeout=30)
        producer.close()

        consumer = KafkaConsumer(topic, bootstrap_servers=broker.bootstrap, group_id="test-broker",
                                 auto_offset_reset="earliest", consumer_timeout_ms=30_000)
        try:
            message = next(iter(consumer))
        finally:
            consumer.close()
        assert (message.key, message.value) == (b"k", b"hello")

    def test_create_topic_with_four_partitions(self, broker: LocalBroker) -> None:
        """The admin client can create a multi-partition topic and list it back."""
        admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
        try:
            admin.create_topics([NewTopic("four-partitions", num_partitions=4, replication_factor=1)])
            assert "four-partitions" in admin.list_topics()
            (described,) = admin.describe_topics(["four-partitions"])
            assert len(described["partitions"]) == 4
        finally:
            admin.close()


def test_stop_ends_the_process_and_frees_the_port() -> None:
    """stop() leaves no JVM, no listener and no data dir behind."""
    broker = LocalBroker().start()
    pid, port, data_dir = broker.pid, broker.port, broker.data_dir
    assert pid is not None and data_dir is not None and data_dir.is_dir()

    broker.stop()

    assert not broker.running()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert port_free(port)
    assert not data_dir.exists()
