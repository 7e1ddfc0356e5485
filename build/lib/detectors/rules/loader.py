"""`load_rules` and `check_rules`: reader → schema → compiler, collecting every problem on the way."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from detectors.rules import errors as E
from detectors.rules.compiler import Compiler
from detectors.rules.errors import RuleError, RuleLoadError
from detectors.rules.reader import collect_sources, read_sources
from detectors.rules.ruleset import RuleSet
from detectors.rules.schema import validate_item


def known_regions() -> set[str] | None:
    """Region names the extraction helper can put on locations: those its gazetteer
    (detectors/data/gazetteer/places.jsonl) assigns and its region polygons (detectors/data/regions/*)
    are named by. None (regions unchecked) when neither is there."""
    import json

    data = Path(__file__).resolve().parents[1] / "data"
    names: set[str] = set()
    found = False
    try:
        places = data / "gazetteer" / "places.jsonl"
        if places.exists():
            found = True
            for line in places.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    names.update(json.loads(line).get("regions") or [])
        regions = data / "regions"
        if regions.is_dir():
            for f in regions.iterdir():
                if f.suffix in (".geojson", ".json"):
                    found = True
                    names.add(f.name.split(".")[0])
    except (OSError, ValueError, AttributeError):
        return None
    return names if found and names else None


def compile_sources(sources: Iterable[tuple[str, str]]) -> tuple[RuleSet | None, list[RuleError]]:
    """Compile (name, text) pairs; returns the RuleSet (None when there are errors) and all problems,
    errors first then warnings, each group in file/line order."""
    sources = list(sources)
    items, problems = read_sources(sources)
    for item in items:
        problems.extend(validate_item(item))
    comp = Compiler(items, known_regions())
    comp.collect()
    rules = comp.rules()
    comp.finish()
    problems.extend(comp.errors)
    problems.extend(comp.warnings)
    errors = _sorted([p for p in problems if p.is_error])
    warnings = _sorted([p for p in problems if not p.is_error])
    if not errors and not items:
        errors.append(RuleError(sources[0][0] if sources else "<rules>", 1, 1, "no rules found",
                                E.YAML_VALIDATE))
    if errors:
        return None, errors + warnings
    return RuleSet(rules, warnings, [name for name, _ in sources]), warnings


def _sorted(items: list[RuleError]) -> list[RuleError]:
    seen: set[tuple[str, int, int, str]] = set()
    out = []
    for e in sorted(items, key=lambda e: (e.file, e.line, e.col)):
        k = (e.file, e.line, e.col, e.message)
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out


def _sources_or_error(path: str | Path) -> list[tuple[str, str]]:
    try:
        sources = collect_sources(path)
    except OSError as exc:
        raise RuleLoadError([RuleError(str(path), 0, 0, str(exc), E.IO)]) from None
    if not sources:
        raise RuleLoadError([RuleError(str(path), 0, 0, "no .yaml or .yml files in this folder", E.IO)])
    return sources


def load_rules(path: str | Path) -> RuleSet:
    """Load a rules file or folder; raises RuleLoadError with every error found."""
    return load_sources(_sources_or_error(path))


def load_sources(sources: Iterable[tuple[str, str]]) -> RuleSet:
    ruleset, problems = compile_sources(sources)
    if ruleset is None:
        raise RuleLoadError([p for p in problems if p.is_error], [p for p in problems if not p.is_error])
    return ruleset


def check_rules(path: str | Path, *, run_examples: bool = True) -> list[RuleError]:
    """Every error and warning of a rules path; when the rules compile, also run their examples through
    the real extractor (a warning says so when it is not available)."""
    try:
        sources = _sources_or_error(path)
    except RuleLoadError as exc:
        return exc.errors
    ruleset, problems = compile_sources(sources)
    if ruleset is not None and run_examples:
        from detectors.rules.examples import check_examples

        problems = problems + check_examples(ruleset)
    return problems
