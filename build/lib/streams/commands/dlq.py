"""`newsmon dlq replay`: re-send dead letters from `alerts.dlq` through the Dispatcher.

Reads the topic from the beginning as consumer group `newsmon-dlq-replay` (so a record replayed once is
not replayed again), up to the end offsets seen at start (letters that fail again are appended to the
topic by the dispatcher and wait for the next replay). Each letter goes only to the sink that failed it
(`--sink NAME` replays only that sink's letters; the others, and letters for a sink no longer configured,
are put back on the topic for a later replay). The offset of a letter is committed only after it is
settled (delivered, handed back to the DLQ, or put back): at-least-once. Exit 1 when some failed again.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable
from typing import Any

DLQ_TOPIC = "alerts.dlq"
GROUP = "newsmon-dlq-replay"


async def replay_one(letter: dict[str, Any] | None, dispatcher: Any, *, sink: str | None = None) -> str:
    """Re-deliver one dead letter to the sink that failed it. Returns the outcome: delivered, duplicate,
    silenced, dead_lettered (handed back to the DLQ), or skipped / unknown_sink (left for a later
    replay) / invalid."""
    if not isinstance(letter, dict):
        return "invalid"
    target, alert = letter.get("sink"), letter.get("alert")
    if not isinstance(alert, dict) or not isinstance(target, str):
        return "invalid"
    if sink is not None and target != sink:
        return "skipped"
    if target not in dispatcher.sinks:
        return "unknown_sink"
    report = await dispatcher.deliver(alert, sinks=[target])
    result = report.results.get(target)
    return result.outcome if result else "unrouted"


async def replay(letters: Iterable[dict[str, Any] | None], dispatcher: Any, *,
                 sink: str | None = None) -> Counter[str]:
    """Re-deliver dead letters in order; counts by outcome."""
    counts: Counter[str] = Counter()
    for letter in letters:
        counts[await replay_one(letter, dispatcher, sink=sink)] += 1
    return counts


KEEP = ("skipped", "unknown_sink")  # put back on the topic so a later replay still finds them


def _kafka_letters(consumer: Any, topic: str) -> Iterable[tuple[Any, Any, dict[str, Any] | None]]:
    """Yield (partition, record, letter) from the committed position up to the end offsets at start."""
    from kafka import TopicPartition

    parts = consumer.partitions_for_topic(topic) or set()
    tps = [TopicPartition(topic, p) for p in sorted(parts)]
    if not tps:
        return
    consumer.assign(tps)
    for tp in tps:
        if consumer.committed(tp) is None:
            consumer.seek_to_beginning(tp)
    end = consumer.end_offsets(tps)
    pending = {tp for tp in tps if consumer.position(tp) < end[tp]}
    idle = 0
    while pending and idle < 20:
        batch = consumer.poll(timeout_ms=500)
        idle = 0 if batch else idle + 1
        for tp, records in batch.items():
            for rec in records:
                if rec.offset >= end[tp]:
                    pending.discard(tp)
                    break
                try:
                    letter = json.loads(rec.value)
                except (TypeError, ValueError):
                    letter = None
                yield tp, rec, letter if isinstance(letter, dict) else None
            if consumer.position(tp) >= end[tp]:
                pending.discard(tp)


def cmd_replay(args: argparse.Namespace) -> int:
    from kafka import KafkaConsumer, KafkaProducer
    from kafka.errors import KafkaError
    from kafka.structs import OffsetAndMetadata
    from prometheus_client import CollectorRegistry

    from alerts.delivery import ConfigError, build_dispatcher
    from streams.settings import load_settings

    settings = load_settings()
    bootstrap = args.bootstrap or settings.kafka_bootstrap
    env = dict(os.environ)
    if settings.webhook_url:
        env["NEWSMON_WEBHOOK_URL"] = settings.webhook_url
    if settings.webhook_secret:
        env["NEWSMON_WEBHOOK_SECRET"] = settings.webhook_secret
    try:
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=GROUP, enable_auto_commit=False,
                                 auto_offset_reset="earliest", client_id="newsmon-dlq-replay")
        producer = KafkaProducer(bootstrap_servers=bootstrap,
                                 value_serializer=lambda v: json.dumps(v, ensure_ascii=False).encode())
    except KafkaError as exc:
        print(f"newsmon dlq replay: cannot reach Kafka at {bootstrap}: {type(exc).__name__}", file=sys.stderr)
        return 1

    def dead_letter(letter: dict[str, Any]) -> None:
        key = str(letter.get("alert", {}).get("id", "")).encode()
        producer.send(args.topic, key=key, value=letter).get(timeout=30)

    async def run() -> Counter[str]:
        dispatcher = build_dispatcher(args.config or settings.sinks_config, env, registry=CollectorRegistry(),
                                      delivered={}, on_dead_letter=dead_letter)
        try:
            counts: Counter[str] = Counter()
            for tp, rec, letter in _kafka_letters(consumer, args.topic):
                outcome = await replay_one(letter, dispatcher, sink=args.sink)
                if outcome in KEEP:
                    producer.send(args.topic, key=rec.key, value=letter).get(timeout=30)
                counts[outcome] += 1
                consumer.commit({tp: OffsetAndMetadata(rec.offset + 1, "", -1)})
            return counts
        finally:
            await dispatcher.aclose()

    try:
        counts = asyncio.run(run())
    except ConfigError as exc:
        print(f"newsmon dlq replay: {exc}", file=sys.stderr)
        return 1
    finally:
        producer.flush(timeout=30)
        producer.close()
        consumer.close()
    total = sum(counts.values())
    detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing to replay"
    print(f"replayed {counts['delivered'] + counts['duplicate']} of {total} dead letter(s) ({detail})")
    return 0 if counts["dead_lettered"] == 0 and counts["unknown_sink"] == 0 else 1


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("dlq", help="dead-lettered alert deliveries")
    sub = p.add_subparsers(dest="dlq_command", metavar="ACTION", required=True)
    r = sub.add_parser("replay", help="re-send dead letters through the configured sinks")
    r.add_argument("--topic", default=DLQ_TOPIC, help=f"dead-letter topic (default {DLQ_TOPIC})")
    r.add_argument("--bootstrap", help="Kafka bootstrap servers (default $KAFKA_BOOTSTRAP)")
    r.add_argument("--sink", metavar="NAME", help="replay only the letters of this sink")
    r.add_argument("--config", help="sinks/routing YAML (default $NEWSMON_SINKS_CONFIG)")
    r.set_defaults(func=cmd_replay)
