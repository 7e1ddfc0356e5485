"""The folder names tell the flow: only streams/ may touch Kafka/Faust; detectors/ stays plain Python."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package,forbidden", [
    ("detectors", {"faust", "aiokafka", "kafka", "httpx", "aiohttp", "streams", "alerts", "requests"}),
    ("alerts", {"faust", "aiokafka", "kafka", "streams"}),
])
def test_package_does_not_import(package: str, forbidden: set[str]) -> None:
    offenders = {}
    for path in (ROOT / package).rglob("*.py"):
        bad = imported_modules(path) & forbidden
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}, f"{package}/ must not import {sorted(forbidden)}"


def test_the_boundary_check_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("import faust\nfrom kafka.errors import KafkaError\nfrom . import sibling\n")
    assert imported_modules(sample) == {"faust", "kafka"}
