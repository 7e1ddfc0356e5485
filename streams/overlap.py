"""Extraction that overlaps consumption, with acks only after the results are sent.

Faust's `take_events` waits out its whole window on every cycle and hands over the next batch only after
the current one is processed, so the extraction process idles while the event loop publishes results and
the event loop idles while the extraction process works. `OverlappedBatches` decouples the two:

- the agent `put`s decoded items as it consumes them (it waits when `max_pending` are queued: back-pressure,
  so faust pauses the partitions rather than buffering without bound);
- a batch starts as soon as an extraction slot is free, with whatever has queued up (up to `max_batch`):
  no fixed window, so a lone article at low load goes at once and batches grow by themselves under load;
- batches are published in the order they were consumed, and each item's `ack` runs only after its
  outputs are sent, so a crash re-delivers what was not finished (at least once; faust commits only the
  contiguous run of acked offsets).
"""
from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")


class OverlappedBatches(Generic[Item]):
    def __init__(self, extract: Callable[[list[Item]], Awaitable[Any]],
                 publish: Callable[[list[Item], Any], Awaitable[None]], *,
                 slots: int = 2, max_batch: int = 32, max_pending: int = 256) -> None:
        if slots < 1 or max_batch < 1 or max_pending < max_batch:
            raise ValueError("need slots ≥ 1, max_batch ≥ 1 and max_pending ≥ max_batch")
        self._extract = extract
        self._publish = publish
        self._slots = asyncio.Semaphore(slots)
        self._space = asyncio.Semaphore(max_pending)
        self._max_batch = max_batch
        self._pending: deque[Item] = deque()
        self._have_items = asyncio.Event()
        self._tail: asyncio.Future[None] | None = None  # done when the newest started batch is published
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: asyncio.Task[None] | None = None
        self.error: BaseException | None = None
        self.batches = 0

    async def __aenter__(self) -> OverlappedBatches[Item]:
        self._runner = asyncio.create_task(self._run(), name="overlapped-batches")
        return self

    async def __aexit__(self, *exc: Any) -> None:
        tasks = [t for t in (self._runner, *self._tasks) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def put(self, item: Item) -> None:
        """Queue one item; raises the error that stopped publishing, so the agent fails loudly."""
        self._raise_if_failed()
        await self._space.acquire()
        self._pending.append(item)
        self._have_items.set()

    async def drain(self) -> None:
        """Wait until everything put so far is published (tests, shutdown)."""
        while self._pending or self._tasks:
            self._raise_if_failed()
            waiters: list[Any] = list(self._tasks) or [asyncio.sleep(0.005)]
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        self._raise_if_failed()

    def _raise_if_failed(self) -> None:
        if self.error is not None:
            raise RuntimeError(f"publishing extraction results failed: {self.error!r}") from self.error

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._have_items.wait()
            await self._slots.acquire()
            batch = [self._pending.popleft() for _ in range(min(self._max_batch, len(self._pending)))]
            if not self._pending:
                self._have_items.clear()
            for _ in batch:
                self._space.release()
            done: asyncio.Future[None] = loop.create_future()
            previous, self._tail = self._tail, done
            task = asyncio.create_task(self._one(batch, previous, done))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            self.batches += 1

    async def _one(self, batch: list[Item], previous: asyncio.Future[None] | None,
                   done: asyncio.Future[None]) -> None:
        try:
            try:
                results = await self._extract(batch)
            finally:
                self._slots.release()
            if previous is not None:
                await previous  # publish in consumption order
            if self.error is None:
                await self._publish(batch, results)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # noqa: BLE001 - recorded; `put` re-raises it in the agent
            self.error = self.error or exc
        finally:
            if not done.done():
                done.set_result(None)
