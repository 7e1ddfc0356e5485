"""Write-through views of Faust tables for the plain-Python stages.

A Faust table writes its changelog on every `table[key] = value`. `TrackedMapping` batches a step's writes:
values read are cached for the step (so a value read, changed and assigned back is one object), and
`flush()` writes each key assigned during the step once, at its last value. Keys only read are not written:
fusion reads many candidate incidents per article and changes few, and writing every candidate back cost
more than the rest of the step. So a stage must assign what it changes (`incidents[id] = inc`); the
engine's tests run on a JSON-backed table where a change made in place and not assigned is lost.
"""
from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any


class TrackedMapping(MutableMapping[str, Any]):
    def __init__(self, table: MutableMapping[str, Any]) -> None:
        self._table = table
        self._touched: dict[str, Any] = {}  # read or assigned during this step
        self._dirty: set[str] = set()  # assigned during this step

    def __getitem__(self, key: str) -> Any:
        if key in self._touched:
            return self._touched[key]
        value = self._table[key]
        self._touched[key] = value
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self._touched[key] = value
        self._dirty.add(key)

    def __delitem__(self, key: str) -> None:
        self._touched.pop(key, None)
        self._dirty.discard(key)
        try:
            del self._table[key]
        except KeyError:
            pass

    def __iter__(self) -> Iterator[str]:
        yield from list(self._table.keys())
        yield from [key for key in self._touched if key not in self._table]

    def __len__(self) -> int:
        # O(1)-ish: called once per article by the engine to see whether its index is stale
        return len(self._table) + sum(1 for key in self._touched if key not in self._table)

    def __contains__(self, key: object) -> bool:
        return key in self._touched or key in self._table

    def flush(self) -> int:
        """Write the step's assignments to the table; returns how many keys were written."""
        for key in self._dirty:
            self._table[key] = self._touched[key]
        n = len(self._dirty)
        self._dirty.clear()
        self._touched.clear()
        return n
