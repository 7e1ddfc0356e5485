"""Extraction in worker processes, so spaCy's CPU time never blocks the asyncio loop (heartbeats, commits).

Each child process loads the Extractor once (initializer) and then handles whole batches of articles.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from detectors.incidents import fingerprint
from detectors.types import Article

_extractor: Any = None


def _load_extractor(niceness: int = 0) -> None:
    global _extractor
    if niceness > 0:
        # below the event loop: heartbeats, commits, fusion and delivery are short and latency-bound, and
        # must not queue behind CPU-bound extraction when the cores are busy
        os.nice(niceness)
    from detectors.extract import Extractor

    _extractor = Extractor.load()


def extract_batch(articles: list[dict[str, Any]]) -> list[tuple[list[dict[str, Any]], list[int]]]:
    """Runs in a child process: Article dicts in; per article, its Event dicts and the text fingerprint
    that incident fusion compares copies by (CPU work on the text, so it is done here too, off the
    event loop; empty when the article has no events, as fusion then has nothing to do)."""
    if _extractor is None:
        _load_extractor()
    parsed = [Article.from_dict(a) for a in articles]
    many = getattr(_extractor, "extract_many", None)
    results = many(parsed) if many else [_extractor(a) for a in parsed]
    return [([e.to_dict() for e in events], fingerprint(article.text) if events else [])
            for article, events in zip(parsed, results)]


class ExtractionPool:
    """`await pool.extract(articles)`; processes=0 runs in a thread (tests, tiny machines)."""

    def __init__(self, processes: int = 1, niceness: int = 0) -> None:
        self.processes = processes
        self.niceness = niceness
        self.restarts = 0
        self._executor = self._new_executor()

    def _new_executor(self) -> Executor:
        if self.processes > 0:
            # spawn, not fork: the parent runs an asyncio loop and Kafka client threads
            ctx = multiprocessing.get_context("spawn")
            return ProcessPoolExecutor(self.processes, mp_context=ctx, initializer=_load_extractor,
                                       initargs=(self.niceness,))
        return ThreadPoolExecutor(1, initializer=_load_extractor)

    async def warm_up(self) -> None:
        """Load the NLP models in every child before the first message arrives."""
        probe = {"id": "warm-up", "title": "warm up", "body": "", "lang": "en",
                 "published_at": "2020-01-01T00:00:00Z"}
        await asyncio.gather(*(self.extract([probe]) for _ in range(max(1, self.processes))))

    async def extract(self, articles: list[dict[str, Any]]) -> list[tuple[list[dict[str, Any]], list[int]]]:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, extract_batch, articles)
        except BrokenProcessPool:
            # a child died (OOM killer, segfault in a C extension): start fresh ones and let the caller retry
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = self._new_executor()
            self.restarts += 1
            raise

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
