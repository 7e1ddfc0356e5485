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

import structlog

from detectors.incidents import fingerprint
from detectors.types import Article

log = structlog.get_logger("newsmon.pool")

_PROBE = {"id": "warm-up", "title": "warm up", "body": "", "lang": "en", "published_at": "2020-01-01T00:00:00Z"}
_extractor: Any = None  # this process's Extractor, when it is an extraction process


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
    """`await pool.extract(articles)`; processes=0 runs in a thread (tests, tiny machines).

    `recycle_after`: spaCy keeps every new word it meets in its vocab, so an extraction process grows for
    as long as it runs (about +215 MB over the first 20,000 corpus articles, still +3 KB an article after
    that). After this many articles the pool starts fresh processes, waits until they have loaded the
    models, switches to them and lets the old ones finish what they hold: no pause in extraction. (spaCy's
    memory zones bound the vocab too, but made extraction about 1.9× slower here: inside a zone the
    tokenizer cache is not filled.) 0: never."""

    def __init__(self, processes: int = 1, niceness: int = 0, recycle_after: int = 0) -> None:
        self.processes = processes
        self.niceness = niceness
        self.recycle_after = recycle_after
        self.restarts = 0
        self.recycles = 0
        self._since_recycle = 0
        self._recycling: asyncio.Task[None] | None = None
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
        await self._warm(self._executor)

    async def _warm(self, executor: Executor) -> None:
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(executor, extract_batch, [_PROBE])
                               for _ in range(max(1, self.processes))))

    async def extract(self, articles: list[dict[str, Any]]) -> list[tuple[list[dict[str, Any]], list[int]]]:
        loop = asyncio.get_running_loop()
        try:
            results = await loop.run_in_executor(self._executor, extract_batch, articles)
        except BrokenProcessPool:
            # a child died (OOM killer, segfault in a C extension): start fresh ones and let the caller retry
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = self._new_executor()
            self.restarts += 1
            raise
        self._since_recycle += len(articles)
        if self.recycle_after and self._since_recycle >= self.recycle_after and self._recycling is None:
            self._recycling = asyncio.create_task(self._recycle(), name="extraction-pool-recycle")
        return results

    async def _recycle(self) -> None:
        fresh = self._new_executor()
        try:
            await self._warm(fresh)  # the old processes keep extracting meanwhile
        except Exception as exc:  # noqa: BLE001 - keep the old processes and try again later
            fresh.shutdown(wait=False, cancel_futures=True)
            self._since_recycle = 0
            log.warning("extraction_recycle_failed", error=f"{type(exc).__name__}: {exc}")
            return
        finally:
            self._recycling = None
        old, self._executor = self._executor, fresh
        self._since_recycle = 0
        self.recycles += 1
        old.shutdown(wait=False)  # work already queued there still runs to the end
        log.info("extraction_recycled", recycles=self.recycles, processes=self.processes)

    async def wait_recycled(self) -> None:
        """Wait for a recycle in progress (tests)."""
        if self._recycling is not None:
            await asyncio.shield(self._recycling)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
