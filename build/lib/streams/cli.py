"""The `newsmon` command. Each subcommand lives in `streams/commands/<name>.py` and exposes
`register(subparsers)`; the parser is built from that list so a new command touches one file.

Exit codes (CONTRACT §1): 0 success, 1 bad input or failed check, 2 wrong usage.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

COMMANDS = ("worker", "produce", "demo", "extract", "backtest", "rules", "silence", "dlq", "broker")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsmon", description="Streaming news-event monitor")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"streams.commands.{name}")
        except ModuleNotFoundError as exc:  # a command still being built must not break the others
            if exc.name != f"streams.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
