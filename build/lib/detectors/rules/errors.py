"""Load errors and warnings of rule files, each pointing at a place in a file (Falco's rule_loader style).

Every problem found while reading, validating or compiling rules becomes a `RuleError`; the loader collects
them all instead of stopping at the first, and `load_rules` raises one `RuleLoadError` carrying the list.
Factored out of the loader modules so that each of them (and the CLI) can import it without a cycle.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning"]

# Codes, as in Falco's LOAD_ERR_* / LOAD_* names.
YAML_PARSE = "LOAD_ERR_YAML_PARSE"
YAML_VALIDATE = "LOAD_ERR_YAML_VALIDATE"
DUPLICATE_KEY = "LOAD_ERR_DUPLICATE_KEY"
DUPLICATE_ITEM = "LOAD_ERR_DUPLICATE_ITEM"
UNDEFINED = "LOAD_ERR_UNDEFINED"
COMPILE_CONDITION = "LOAD_ERR_COMPILE_CONDITION"
BAD_VALUE = "LOAD_ERR_VALUE"
IO = "LOAD_ERR_IO"
EXAMPLE_FAILED = "LOAD_ERR_EXAMPLE"
UNKNOWN_KEY = "LOAD_UNKNOWN_KEY"  # warning
UNUSED_MACRO = "LOAD_UNUSED_MACRO"  # warning
UNUSED_LIST = "LOAD_UNUSED_LIST"  # warning
UNKNOWN_REGION = "LOAD_UNKNOWN_REGION"  # warning
EXAMPLES_SKIPPED = "LOAD_EXAMPLES_SKIPPED"  # warning


@dataclass(slots=True)
class RuleError:
    """One problem in a rule file. `line` and `col` are 1-based; `item_type` is list|macro|rule|place|file
    and `rule_id` the name of that item (None when the problem is not inside an item)."""

    file: str
    line: int
    col: int
    message: str
    code: str = YAML_VALIDATE
    rule_id: str | None = None
    item_type: str | None = None
    level: Level = "error"
    snippet: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def item_name(self) -> str | None:
        return self.rule_id

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def __str__(self) -> str:
        where = f" (in {self.item_type} '{self.rule_id}')" if self.rule_id and self.item_type else ""
        prefix = "warning: " if self.level == "warning" else ""
        return f"{self.file}:{self.line}: {prefix}{self.message}{where}"

    def long(self) -> str:
        """`file:line:col: [CODE] message` plus the offending line, for a person at a terminal."""
        text = f"{self.file}:{self.line}:{self.col}: {self.level} [{self.code}] {self.message}"
        if self.rule_id:
            text += f" (in {self.item_type or 'item'} '{self.rule_id}')"
        if self.snippet:
            text += f"\n    {self.snippet}\n    {' ' * max(self.col - 1, 0)}^"
        return text

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "col": self.col, "message": self.message,
                "code": self.code, "rule_id": self.rule_id, "item_type": self.item_type, "level": self.level}


class RuleLoadError(Exception):
    """Rules that could not be loaded. `.errors` holds every error found (warnings are in `.warnings`)."""

    def __init__(self, errors: list[RuleError], warnings: list[RuleError] | None = None) -> None:
        self.errors = errors
        self.warnings = warnings or []
        head = "; ".join(str(e) for e in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        super().__init__(f"{len(errors)} rule error(s): {head}{more}")
