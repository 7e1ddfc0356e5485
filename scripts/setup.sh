#!/usr/bin/env bash
# One-time set-up on a fresh machine (Python 3.11+, Java 17 and Maven present; no Docker):
# a virtual environment in .venv with the project and its test tools, and the pinned Kafka jars in .cache/.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
  for py in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$py" ] || continue
    command -v "$py" >/dev/null 2>&1 || continue
    if "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  echo "newsmon setup: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

if [ ! -x .venv/bin/python ]; then
  py=$(pick_python)
  echo "== creating .venv with $py" >&2
  "$py" -m venv .venv
fi
stamp=.venv/.newsmon-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "== installing newsmon and its dependencies into .venv" >&2
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  touch "$stamp"
fi

for tool in java mvn; do
  command -v "$tool" >/dev/null 2>&1 || { echo "newsmon setup: '$tool' not found; install Java 17 and Maven (the local Kafka broker is built from Maven Central jars)" >&2; exit 1; }
done
echo "== Kafka jars (fetched once from Maven Central into .cache/kafka)" >&2
.venv/bin/python -c "from streams.broker import ensure_jars; print(ensure_jars())" >&2
