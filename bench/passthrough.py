"""The transport's limit: a raw aiokafka consume → produce loop over the same messages on the same broker.

The messages are produced first to a fresh input topic (same partition count as `articles`), then one
consumer reads them from the beginning and sends every one on to a fresh output topic (acks=all, linger
5 ms, up to 100 records per poll: the worker's settings), without waiting for each ack (up to 1,000 in
flight) and committing offsets every 2.8 s, as the worker does.
The figure is messages/s from the first record read to the last ack: what the worker's Kafka plumbing
(aiokafka, same client library) could move if decode, extraction and fusion cost nothing.
"""
from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any


def create_topics(bootstrap: str, names: list[str], partitions: int) -> None:
    from kafka.admin import KafkaAdminClient, NewTopic
    from kafka.errors import TopicAlreadyExistsError

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="newsmon-bench")
    try:
        admin.create_topics([NewTopic(n, num_partitions=partitions, replication_factor=1) for n in names])
    except TopicAlreadyExistsError:
        pass
    finally:
        admin.close()


def delete_topics(bootstrap: str, names: list[str]) -> None:
    from kafka.admin import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="newsmon-bench")
    try:
        admin.delete_topics(names)
    except Exception:  # noqa: BLE001 - best effort clean-up of our own bench-* topics
        pass
    finally:
        admin.close()


def produce_all(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]]) -> float:
    """Send every (key, value) and wait for the acks; returns messages/s of the producer."""
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5, batch_size=256 * 1024,
                             max_request_size=2_000_000)
    t0 = time.perf_counter()
    try:
        for key, value in messages:
            producer.send(topic, key=key, value=value)
        producer.flush(timeout=120)
    finally:
        producer.close(timeout=10)
    return len(messages) / max(1e-9, time.perf_counter() - t0)


async def _consume_produce(bootstrap: str, src: str, dst: str, n: int, timeout: float) -> dict[str, Any]:
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    consumer = AIOKafkaConsumer(src, bootstrap_servers=bootstrap, group_id=f"bench-pt-{uuid.uuid4().hex[:8]}",
                                auto_offset_reset="earliest", enable_auto_commit=False, max_poll_records=100,
                                fetch_max_bytes=52_428_800, max_partition_fetch_bytes=1_048_576)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5,
                                max_request_size=2_000_000)
    await consumer.start()
    await producer.start()
    moved = 0
    t_first: float | None = None
    deadline = time.monotonic() + timeout
    pending: list[Any] = []
    last_commit = time.monotonic()
    try:
        while moved + len(pending) < n and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500, max_records=100)
            for records in batches.values():
                for rec in records:
                    if t_first is None:
                        t_first = time.perf_counter()
                    pending.append(await producer.send(dst, value=rec.value, key=rec.key))
            # like the worker: sends are not awaited one by one; offsets are committed now and then
            if len(pending) >= 1000:
                await asyncio.gather(*pending)
                moved, pending = moved + len(pending), []
            if time.monotonic() - last_commit >= 2.8:  # faust's default commit interval
                await consumer.commit()
                last_commit = time.monotonic()
        await asyncio.gather(*pending)
        moved += len(pending)
        t_last = time.perf_counter()
        await consumer.commit()
    finally:
        await producer.stop()
        await consumer.stop()
    seconds = t_last - (t_first or t_last)
    return {"moved": moved, "seconds": round(seconds, 3),
            "msgs_per_s": round(moved / seconds, 1) if seconds > 0 and moved else 0.0}


def run(bootstrap: str, messages: list[tuple[bytes, bytes]], *, partitions: int = 4,
        timeout: float = 300.0) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:8]
    src, dst = f"bench-pt-in-{tag}", f"bench-pt-out-{tag}"
    create_topics(bootstrap, [src, dst], partitions)
    try:
        produce_rate = produce_all(bootstrap, src, messages)
        res = asyncio.run(_consume_produce(bootstrap, src, dst, len(messages), timeout))
    finally:
        delete_topics(bootstrap, [src, dst])
    res.update({"messages": len(messages), "partitions": partitions,
                "bytes_total": sum(len(v) for _, v in messages),
                "producer_msgs_per_s": round(produce_rate, 1)})
    if res["moved"] < len(messages):
        res["error"] = f"only {res['moved']} of {len(messages)} messages moved in {timeout:.0f}s"
    return res
