"""`newsmon extract [FILE.jsonl | -]`: offline extraction, no Kafka.

One output line per article: ``{"article_id", "lang", "events": [Event, ...]}``. A bad input line is
reported on stderr with its line number and skipped; the exit code is 1 at the end if any line was bad.
Gzipped input (``*.gz``) is read directly. Progress goes to stderr every ``--progress`` articles.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path
from typing import IO, Iterator

from detectors.articles import ArticleRejected, decode_article


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="extract events from Article JSONL (offline)")
    p.add_argument("file", nargs="?", default="-", help="JSONL file of Articles (.gz ok), or - for stdin")
    p.add_argument("--batch", type=int, default=128, help="articles per nlp.pipe batch (default 128)")
    p.add_argument("--progress", type=int, default=1000, help="report progress every N articles (0: never)")
    p.set_defaults(func=run)


def _open(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def _batches(lines: IO[bytes], size: int, name: str, bad: list[int]) -> Iterator[list]:
    batch = []
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            batch.append(decode_article(raw.rstrip(b"\r\n")))
        except ArticleRejected as exc:
            bad.append(n)
            print(f"{name}:{n}: {exc}", file=sys.stderr)
            continue
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run(args: argparse.Namespace) -> int:
    if args.file != "-" and not Path(args.file).is_file():
        print(f"newsmon extract: {args.file}: no such file", file=sys.stderr)
        return 1
    if args.batch < 1:
        print("newsmon extract: --batch must be at least 1", file=sys.stderr)
        return 2
    from detectors.extract import Extractor

    extractor = Extractor.load()
    stream = _open(args.file)
    out = sys.stdout
    bad: list[int] = []
    done = n_events = 0
    t0 = time.perf_counter()
    next_report = args.progress
    try:
        for batch in _batches(stream, args.batch, args.file, bad):
            for article, events in zip(batch, extractor.extract_many(batch, batch_size=args.batch)):
                out.write(json.dumps({"article_id": article.id, "lang": article.lang,
                                      "events": [e.to_dict() for e in events]}, ensure_ascii=False))
                out.write("\n")
                n_events += len(events)
            done += len(batch)
            if args.progress and done >= next_report:
                rate = done / max(time.perf_counter() - t0, 1e-9)
                print(f"extract: {done} articles, {n_events} events, {rate:.0f} articles/s", file=sys.stderr)
                next_report += args.progress
    except BrokenPipeError:
        return 0
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    out.flush()
    if bad:
        print(f"newsmon extract: {done} article(s), {n_events} event(s); skipped {len(bad)} bad line(s)",
              file=sys.stderr)
        return 1
    return 0
