"""Write-through views of Faust tables for the plain-Python stages.

A Faust table writes its changelog only on `table[key] = value`; stages in `alerts/` and `detectors/` may
change a dict they read in place. `TrackedMapping` remembers every key read or written during one step and
`flush()` writes them back, so the changelog (and so a restarted worker) sees every change.
"""
from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any


class TrackedMapping(MutableMapping[str, Any]):
    def __init__(self, table: MutableMapping[str, Any]) -> None:
        self._table = table
        self._touched: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key in self._touched:
            return self._touched[key]
        value = self._table[key]
        self._touched[key] = value
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self._touched[key] = value

    def __delitem__(self, key: str) -> None:
        self._touched.pop(key, None)
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
        n = len(self._touched)
        for key, value in self._touched.items():
            self._table[key] = value
        self._touched.clear()
        return n
