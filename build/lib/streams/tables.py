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
        if value is None:  # Faust tables may hold None for deleted keys
            raise KeyError(key)
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
        seen = set()
        for key in list(self._table.keys()):
            if self._table.get(key) is not None or key in self._touched:
                seen.add(key)
                yield key
        for key in list(self._touched):
            if key not in seen:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, key: object) -> bool:
        return key in self._touched or (key in self._table and self._table.get(key) is not None)

    def flush(self) -> int:
        n = len(self._touched)
        for key, value in self._touched.items():
            self._table[key] = value
        self._touched.clear()
        return n
