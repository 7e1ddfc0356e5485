"""Rule files → raw items with positions (the first of three loader steps: reader → schema → compiler).

YAML is parsed with `yaml.compose` on the *safe* loader: nodes carry `start_mark.line/column` (0-based; we
add 1), and nothing in a rule file can construct Python objects or run code. Each top-level entry becomes a
`RawItem` whose `marks` map every path inside it (a tuple of keys and indexes) to its (line, col), so later
steps can report `file:line:col` for any value they reject.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from detectors.rules import errors as E
from detectors.rules.errors import RuleError

ITEM_KINDS = ("list", "macro", "rule", "place")

Path_ = tuple[Any, ...]


@dataclass(slots=True)
class RawItem:
    """One `- list:` / `- macro:` / `- rule:` / `- place:` entry as read, before validation."""

    kind: str
    name: str
    data: dict[str, Any]
    file: str
    line: int
    col: int
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list, repr=False)

    def where(self, path: Path_ = ()) -> tuple[int, int]:
        """(line, col) of the value at `path`, or of its nearest enclosing value that has one."""
        p = tuple(path)
        while p:
            if p in self.marks:
                return self.marks[p]
            p = p[:-1]
        return self.line, self.col

    def where_key(self, path: Path_) -> tuple[int, int]:
        """(line, col) of the mapping key that ends `path` (falls back to its value)."""
        return self.key_marks.get(tuple(path)) or self.where(path)

    def error(self, path: Path_, message: str, code: str = E.YAML_VALIDATE, *, level: E.Level = "error",
              at_key: bool = False) -> RuleError:
        line, col = self.where_key(path) if at_key else self.where(path)
        snippet = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        return RuleError(self.file, line, col, message, code, self.name, self.kind, level, snippet)


def collect_sources(path: str | Path) -> list[tuple[str, str]]:
    """The (file name, text) pairs of a rules path: one YAML file, or every *.yaml/*.yml in a folder, sorted
    by name (load order matters for overrides). Raises OSError when the path does not exist."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.suffix in (".yaml", ".yml") and f.is_file())
    elif p.exists():
        files = [p]
    else:
        raise FileNotFoundError(f"no such rules file or folder: {p}")
    return [(str(f), f.read_text(encoding="utf-8")) for f in files]


_constructor = yaml.constructor.SafeConstructor()
# libyaml's parser when PyYAML was built with it (10x faster on big rule sets); both are safe loaders and
# both give nodes with marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _to_python(node: yaml.Node) -> Any:
    return _constructor.construct_object(node, deep=True)


def _walk(node: yaml.Node, path: Path_, marks: dict[Path_, tuple[int, int]],
          key_marks: dict[Path_, tuple[int, int]], problems: list[tuple[Path_, int, int, str]]) -> None:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for knode, vnode in node.value:
            try:
                key = _to_python(knode)
            except yaml.YAMLError:
                continue
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                continue
            if key in seen:
                problems.append(((*path, key), knode.start_mark.line + 1, knode.start_mark.column + 1,
                                 f"duplicate key '{key}'"))
            seen.add(key)
            key_marks[(*path, key)] = (knode.start_mark.line + 1, knode.start_mark.column + 1)
            _walk(vnode, (*path, key), marks, key_marks, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _walk(child, (*path, i), marks, key_marks, problems)


def read_source(name: str, text: str) -> tuple[list[RawItem], list[RuleError]]:
    """Parse one file's text into items; YAML errors and malformed entries become RuleErrors."""
    items: list[RawItem] = []
    errs: list[RuleError] = []
    lines = text.splitlines()
    try:
        docs = list(yaml.compose_all(text, Loader=_LOADER))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        msg = " ".join(str(x) for x in (exc.context, exc.problem) if x) or "invalid YAML"
        snippet = lines[line - 1] if 0 < line <= len(lines) else None
        return [], [RuleError(name, line, col, f"YAML syntax error: {msg}", E.YAML_PARSE, snippet=snippet)]
    except yaml.YAMLError as exc:
        return [], [RuleError(name, 1, 1, f"YAML error: {exc}", E.YAML_PARSE)]
    for doc in docs:
        if doc is None:
            continue
        if not isinstance(doc, yaml.SequenceNode):
            line, col = doc.start_mark.line + 1, doc.start_mark.column + 1
            errs.append(RuleError(name, line, col, "a rules file is a list of items (- list:, - macro:, "
                                  "- rule:, - place:)", E.YAML_VALIDATE))
            continue
        for entry in doc.value:
            line, col = entry.start_mark.line + 1, entry.start_mark.column + 1
            if not isinstance(entry, yaml.MappingNode):
                errs.append(RuleError(name, line, col, "each item must be a mapping with one of the keys "
                                      + ", ".join(ITEM_KINDS), E.YAML_VALIDATE))
                continue
            marks: dict[Path_, tuple[int, int]] = {}
            key_marks: dict[Path_, tuple[int, int]] = {}
            problems: list[tuple[Path_, int, int, str]] = []
            _walk(entry, (), marks, key_marks, problems)
            try:
                data = _to_python(entry)
            except yaml.YAMLError as exc:
                errs.append(RuleError(name, line, col, f"cannot read item: {exc}", E.YAML_PARSE))
                continue
            kinds = [k for k in ITEM_KINDS if k in data]
            if len(kinds) != 1:
                what = "none" if not kinds else ", ".join(kinds)
                errs.append(RuleError(name, line, col, f"an item needs exactly one of the keys "
                                      f"{', '.join(ITEM_KINDS)} (found {what})", E.YAML_VALIDATE,
                                      snippet=lines[line - 1] if line <= len(lines) else None))
                continue
            kind = kinds[0]
            raw_name = data[kind]
            item = RawItem(kind, str(raw_name) if raw_name is not None else "", data, name, line, col,
                           marks, key_marks, lines)
            for path, pl, pc, msg in problems:
                errs.append(RuleError(name, pl, pc, msg, E.DUPLICATE_KEY, item.name, kind,
                                      snippet=lines[pl - 1] if pl <= len(lines) else None))
            items.append(item)
    return items, errs


def read_sources(sources: Iterable[tuple[str, str]]) -> tuple[list[RawItem], list[RuleError]]:
    items: list[RawItem] = []
    errs: list[RuleError] = []
    for name, text in sources:
        got, bad = read_source(name, text)
        items.extend(got)
        errs.extend(bad)
    return items, errs
