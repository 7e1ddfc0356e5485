"""ExtractionPool recycling: after `recycle_after` articles the pool switches to fresh, warmed processes
without failing or pausing the extraction calls in flight."""
from __future__ import annotations

import asyncio
import os

from streams.pool import ExtractionPool

ARTICLE = {"id": "a1", "lang": "en", "title": "", "published_at": "2017-07-01T06:00:00Z",
           "body": "Israeli aircraft struck a Syrian army post in Quneitra after a mortar round landed in the Golan."}


async def _child_pid(pool: ExtractionPool) -> int:
    return await asyncio.get_running_loop().run_in_executor(pool._executor, os.getpid)


async def test_pool_switches_to_fresh_processes_and_keeps_extracting() -> None:
    pool = ExtractionPool(processes=1, recycle_after=3)
    try:
        await pool.warm_up()
        first = await _child_pid(pool)
        baseline = await pool.extract([ARTICLE])
        assert baseline[0][0], "the probe article should yield events"
        # crossing the threshold starts a recycle in the background; calls keep working meanwhile
        during = await asyncio.gather(*(pool.extract([ARTICLE, ARTICLE]) for _ in range(3)))
        await pool.wait_recycled()
        assert pool.recycles == 1 and pool.restarts == 0
        second = await _child_pid(pool)
        assert second != first
        after = await pool.extract([ARTICLE])
        strip = lambda res: [[{k: v for k, v in e.items() if k != "published_at"} for e in evs] for evs, _ in res]
        assert strip(after) == strip(baseline)
        assert all(strip(r)[0] == strip(baseline)[0] for r in during)
    finally:
        pool.shutdown()


async def test_no_recycle_when_disabled() -> None:
    pool = ExtractionPool(processes=0, recycle_after=0)  # thread mode: fast
    try:
        for _ in range(5):
            await pool.extract([ARTICLE])
        assert pool.recycles == 0
    finally:
        pool.shutdown()
