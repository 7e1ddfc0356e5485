"""`newsmon produce FILE.jsonl [--rate N] [--topic articles]`: send Article lines to Kafka.

Each line is checked as the worker would check it; a bad line is reported with its line number and
skipped, never sent. Good lines are sent as they are (the original bytes), keyed by article id.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import IO

from detectors.articles import ArticleRejected, decode_article
from streams.settings import load_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("produce", help="send Article JSONL lines to Kafka")
    p.add_argument("file", help="JSONL file of Articles, or - for stdin")
    p.add_argument("--rate", type=float, default=0.0, help="articles per second (default: as fast as possible)")
    p.add_argument("--topic", default="articles")
    p.add_argument("--bootstrap", default=None, help="broker address (default: KAFKA_BOOTSTRAP)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    bootstrap = args.bootstrap or load_settings().kafka_bootstrap
    if args.rate < 0:
        print("newsmon produce: --rate must be positive", file=sys.stderr)
        return 2
    if args.file != "-" and not Path(args.file).is_file():
        print(f"newsmon produce: {args.file}: no such file", file=sys.stderr)
        return 1
    stream: IO[bytes] = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")
    try:
        sent, bad = produce_lines(stream, bootstrap=bootstrap, topic=args.topic, rate=args.rate,
                                  name=args.file)
    except ProduceError as exc:
        print(f"newsmon produce: {exc}", file=sys.stderr)
        return 1
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    print(f"sent {sent} article(s) to {args.topic} at {bootstrap}; skipped {bad} bad line(s)", file=sys.stderr)
    return 1 if bad else 0


class ProduceError(RuntimeError):
    pass


def produce_lines(lines: IO[bytes], *, bootstrap: str, topic: str, rate: float = 0.0,
                  name: str = "-") -> tuple[int, int]:
    from kafka import KafkaProducer
    from kafka.errors import KafkaError

    try:
        producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5,
                                 max_request_size=2_000_000, request_timeout_ms=15000)
    except KafkaError as exc:
        raise ProduceError(f"cannot reach Kafka at {bootstrap} ({type(exc).__name__}); start one with "
                           f"`newsmon broker start` or set KAFKA_BOOTSTRAP") from None
    sent = bad = 0
    interval = 1.0 / rate if rate > 0 else 0.0
    next_at = time.monotonic()
    try:
        for lineno, raw in enumerate(lines, 1):
            raw = raw.rstrip(b"\r\n")
            if not raw.strip():
                continue
            try:
                article = decode_article(raw, detect_language=lambda _text: "und")
            except ArticleRejected as exc:
                bad += 1
                print(f"{name}:{lineno}: skipped: {exc}", file=sys.stderr)
                continue
            if interval:
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                next_at = max(next_at + interval, time.monotonic() - 1.0)
            producer.send(topic, key=article.id.encode(), value=raw)
            sent += 1
        producer.flush(timeout=30)
    except KafkaError as exc:
        raise ProduceError(f"sending to {topic} at {bootstrap} failed: {type(exc).__name__}: {exc}") from None
    finally:
        producer.close(timeout=10)
    return sent, bad
