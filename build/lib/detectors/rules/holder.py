"""Hot reload of rules: the rules in force change only to a set that loads without errors.

`reload_if_changed()` polls the rules path (file names, sizes and mtimes); `apply_document(name, text)`
layers a rules document that arrived another way (the compacted Kafka `rules` topic: the stream passes each
record's key and value; an empty value removes the document). A broken change is refused with its errors
and the previous rules stay in force. Listeners (e.g. `AlertEngine.set_rules`) hear of every accepted change.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from detectors.rules.errors import RuleError, RuleLoadError
from detectors.rules.loader import compile_sources
from detectors.rules.reader import collect_sources
from detectors.rules.ruleset import RuleSet
from detectors.rules import errors as E

Stamp = tuple[tuple[str, int, int], ...]


class RulesHolder:
    def __init__(self, path: str | Path, *, on_change: Callable[[RuleSet], None] | None = None) -> None:
        self.path = Path(path)
        self.documents: dict[str, str] = {}
        self.listeners: list[Callable[[RuleSet], None]] = [on_change] if on_change else []
        self.last_errors: list[RuleError] = []
        self._stamp = self._snapshot()
        ruleset, problems = self._compile(self.documents)
        if ruleset is None:
            raise RuleLoadError([p for p in problems if p.is_error], [p for p in problems if not p.is_error])
        self.rules: RuleSet = ruleset

    def _snapshot(self) -> Stamp:
        p = self.path
        files = sorted(f for f in p.iterdir() if f.suffix in (".yaml", ".yml")) if p.is_dir() else [p]
        out = []
        for f in files:
            try:
                st = f.stat()
            except OSError:
                continue
            out.append((str(f), st.st_mtime_ns, st.st_size))
        return tuple(out)

    def _compile(self, documents: dict[str, str]) -> tuple[RuleSet | None, list[RuleError]]:
        try:
            sources = collect_sources(self.path) if self.path.exists() else []
        except OSError as exc:
            return None, [RuleError(str(self.path), 0, 0, str(exc), E.IO)]
        sources += [(f"kafka:{name}", text) for name, text in sorted(documents.items())]
        if not sources:
            return None, [RuleError(str(self.path), 0, 0, "no rules files", E.IO)]
        return compile_sources(sources)

    def _swap(self, documents: dict[str, str]) -> list[RuleError]:
        ruleset, problems = self._compile(documents)
        errors = [p for p in problems if p.is_error]
        if ruleset is None:
            self.last_errors = errors
            return errors
        self.rules = ruleset
        self.documents = documents
        self.last_errors = []
        for listener in self.listeners:
            listener(ruleset)
        return []

    def reload_if_changed(self) -> list[RuleError] | None:
        """None when nothing changed; [] when the change was loaded; its errors when it was refused (the
        rules in force stay). A refused change is not retried until the files change again."""
        stamp = self._snapshot()
        if stamp == self._stamp:
            return None
        self._stamp = stamp
        return self._swap(dict(self.documents))

    def apply_document(self, name: str, yaml_text: str | None) -> list[RuleError]:
        """Add, replace or (with empty text) remove one named rules document; [] when accepted."""
        docs = dict(self.documents)
        if yaml_text is None or not yaml_text.strip():
            docs.pop(name, None)
        else:
            docs[name] = yaml_text
        return self._swap(docs)
