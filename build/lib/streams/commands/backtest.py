"""`newsmon backtest --rules PATH --input FILE.jsonl [--diff OLD_RULES]` (offline, no Kafka)."""
from __future__ import annotations

import argparse
import sys

from detectors.rules import RuleLoadError, load_rules


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("backtest", help="run extraction, incident fusion and rules over a JSONL corpus",
                              description="Alert lines on stdout, a summary on stderr.")
    p.add_argument("--rules", required=True, help="rules file or folder")
    p.add_argument("--input", required=True, help="Article JSONL file")
    p.add_argument("--diff", metavar="OLD_RULES", help="also run these rules and list alerts added/removed")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from alerts import backtest as bt

    try:
        rules = load_rules(args.rules)
        old = load_rules(args.diff) if args.diff else None
    except RuleLoadError as exc:
        for e in exc.errors:
            print(str(e), file=sys.stderr)
        return 1
    try:
        return bt.backtest(rules, args.input, out=sys.stdout, err=sys.stderr, old_rules=old)
    except OSError as exc:
        print(f"newsmon backtest: {exc}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(f"newsmon backtest: the extractor is not available: {exc}", file=sys.stderr)
        return 1
