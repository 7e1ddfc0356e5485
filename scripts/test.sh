#!/usr/bin/env bash
# Runs the whole test suite. The tests start what they need themselves: a real Kafka broker (from the jars
# that scripts/setup.sh fetched), HTTP receivers on 127.0.0.1, and Alertmanager when it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest -q -rs "$@"
