"""Structural validation of rule items against the shipped JSON Schema (`rules/schema.json`).

The same schema serves editors (completion, inline checks) and the loader. Unknown keys become warnings
(`LOAD_UNKNOWN_KEY`), other schema failures errors; problems inside conditions are left to the compiler,
which can say more precisely what is wrong there. The schema's `default`s are the loader's defaults, so no
threshold or weight is written twice.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from detectors.rules import errors as E
from detectors.rules.errors import RuleError
from detectors.rules.reader import RawItem

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "rules" / "schema.json"
_CONDITION_KEYS = {"condition", "when"}


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    with open(SCHEMA_PATH, encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


@lru_cache(maxsize=8)
def _validator(kind: str) -> jsonschema.protocols.Validator:
    schema = load_schema()
    sub = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{kind}"}
    cls = jsonschema.validators.validator_for(schema)
    return cls(sub)


def rule_defaults() -> dict[str, Any]:
    """The `default` of every top-level rule property that has one."""
    props = load_schema()["$defs"]["rule"]["properties"]
    out = {k: v["default"] for k, v in props.items() if "default" in v}
    out["weights"] = props["score"]["properties"]["weights"]["default"]
    return out


def _in_condition(path: tuple[Any, ...]) -> bool:
    return any(isinstance(p, str) and p in _CONDITION_KEYS for p in path)


def validate_item(item: RawItem) -> list[RuleError]:
    """Schema errors and unknown-key warnings of one item, each located in its file."""
    problems: list[RuleError] = []
    for err in _validator(item.kind).iter_errors(_without_conditions(item.data)):
        path = tuple(err.absolute_path)
        if _in_condition(path):
            continue
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            known = set(err.schema.get("properties", {})) if isinstance(err.schema, dict) else set()
            for key in err.instance:
                if key not in known:
                    hint = _close(key, known)
                    problems.append(item.error((*path, key), f"unknown key '{key}'{hint}", E.UNKNOWN_KEY,
                                               level="warning", at_key=True))
            continue
        problems.append(item.error(path, _message(err, path), E.YAML_VALIDATE))
    return problems


def _without_conditions(data: Any) -> Any:
    """The item with every condition replaced by a placeholder macro name: conditions are the compiler's
    to check (more precisely, and without paying for the schema's recursive oneOf)."""
    if isinstance(data, dict):
        return {k: ("_" if k in _CONDITION_KEYS else _without_conditions(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [_without_conditions(v) for v in data]
    return data


def _message(err: jsonschema.ValidationError, path: tuple[Any, ...]) -> str:
    where = ".".join(str(p) for p in path)
    text = err.message
    if err.validator in ("oneOf", "anyOf"):
        text = f"{json.dumps(err.instance, ensure_ascii=False)[:60]} is not a valid value"
        desc = err.schema.get("description") if isinstance(err.schema, dict) else None
        if desc:
            text += f" ({desc})"
    return f"{where}: {text}" if where else text


def _close(key: str, known: set[str]) -> str:
    import difflib

    match = difflib.get_close_matches(key, sorted(known), n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""
