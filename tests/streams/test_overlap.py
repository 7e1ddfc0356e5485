"""OverlappedBatches: extraction overlaps consumption, results are published in order, nothing is acked
(published) before its extraction is done, and a publishing failure reaches the agent."""
from __future__ import annotations

import asyncio
import random

import pytest

from streams.overlap import OverlappedBatches


class SlowExtractor:
    """Stands in for the process pool: each batch takes a random time, so later batches can finish first."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.batches: list[list[int]] = []
        self.running = 0
        self.max_running = 0

    async def __call__(self, batch: list[int]) -> list[int]:
        self.batches.append(list(batch))
        self.running += 1
        self.max_running = max(self.max_running, self.running)
        try:
            await asyncio.sleep(self.rng.uniform(0.0, 0.01))
        finally:
            self.running -= 1
        return [x * 10 for x in batch]


async def test_published_in_consumption_order_with_results_matched() -> None:
    extract = SlowExtractor()
    published: list[tuple[int, int]] = []

    async def publish(batch: list[int], results: list[int]) -> None:
        await asyncio.sleep(0.001)
        published.extend(zip(batch, results))

    async with OverlappedBatches(extract, publish, slots=3, max_batch=5, max_pending=20) as ob:
        for i in range(200):
            await ob.put(i)
            if i % 17 == 0:
                await asyncio.sleep(0.002)  # let some batches start small
        await ob.drain()
    assert [x for x, _ in published] == list(range(200))
    assert all(r == x * 10 for x, r in published)
    assert max(len(b) for b in extract.batches) <= 5
    assert extract.max_running <= 3


async def test_extraction_overlaps_publishing() -> None:
    """While batch 1 is being published (slowly), batch 2 is already being extracted."""
    events: list[str] = []
    release = asyncio.Event()

    async def extract(batch: list[int]) -> list[int]:
        events.append(f"extract {batch}")
        return batch

    async def publish(batch: list[int], results: list[int]) -> None:
        events.append(f"publish start {batch}")
        if batch == [1]:
            await release.wait()
        events.append(f"publish end {batch}")

    async with OverlappedBatches(extract, publish, slots=2, max_batch=4, max_pending=8) as ob:
        await ob.put(1)
        await asyncio.sleep(0.01)
        await ob.put(2)
        await asyncio.sleep(0.01)
        assert "extract [2]" in events and "publish end [1]" not in events
        assert "publish start [2]" not in events  # in order: 2 waits for 1
        release.set()
        await ob.drain()
    assert events.index("publish end [1]") < events.index("publish start [2]")


class GatedExtractor:
    """Holds every batch until the gate opens; records the batch sizes."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.sizes: list[int] = []

    async def __call__(self, batch: list[int]) -> list[int]:
        self.sizes.append(len(batch))
        await self.gate.wait()
        return batch


async def discard(batch: list[int], results: list[int]) -> None:
    pass


async def test_batches_grow_under_load_and_a_lone_item_goes_at_once() -> None:
    extract = GatedExtractor()
    gate, sizes = extract.gate, extract.sizes
    async with OverlappedBatches(extract, discard, slots=1, max_batch=10, max_pending=40) as ob:
        await ob.put(0)
        await asyncio.sleep(0.01)
        assert sizes == [1]  # no window: the first article did not wait for company
        for i in range(1, 25):
            await ob.put(i)
        gate.set()
        await ob.drain()
    assert sizes == [1, 10, 10, 4]


async def test_put_waits_when_pending_is_full() -> None:
    extract = GatedExtractor()
    gate = extract.gate
    async with OverlappedBatches(extract, discard, slots=1, max_batch=2, max_pending=4) as ob:
        await ob.put(0)
        await asyncio.sleep(0.01)  # the running batch took it
        for i in range(1, 5):  # 4 pending
            await ob.put(i)
        blocked = asyncio.create_task(ob.put(99))
        await asyncio.sleep(0.02)
        assert not blocked.done()
        gate.set()
        await asyncio.wait_for(blocked, 1.0)
        await ob.drain()


async def test_publish_failure_stops_later_publishing_and_reaches_the_agent() -> None:
    published: list[int] = []

    async def extract(batch: list[int]) -> list[int]:
        return batch

    async def publish(batch: list[int], results: list[int]) -> None:
        if 3 in batch:
            raise ConnectionError("broker gone")
        published.extend(batch)

    with pytest.raises(RuntimeError, match="broker gone"):
        async with OverlappedBatches(extract, publish, slots=1, max_batch=1, max_pending=4) as ob:
            for i in range(10):
                await ob.put(i)
                await asyncio.sleep(0.001)
            await ob.drain()
    assert published == [0, 1, 2]  # nothing after the failed batch was published (so nothing acked)
