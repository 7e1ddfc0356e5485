"""`newsmon rules check PATH`: validate rule files (errors on stdout as `file:line: message`, all of them)."""
from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("rules", help="work with watch rules")
    sub = p.add_subparsers(dest="rules_command", metavar="SUBCOMMAND")
    c = sub.add_parser("check", help="validate rule files; exit 1 listing every error")
    c.add_argument("path", help="rules file or folder")
    c.add_argument("--no-examples", action="store_true", help="do not run the rules' examples")
    c.add_argument("-v", "--verbose", action="store_true", help="show codes, columns and the offending line")
    c.set_defaults(func=check)
    p.set_defaults(func=lambda args: (p.print_help(sys.stderr), 2)[1])


def check(args: argparse.Namespace) -> int:
    from detectors.rules import check_rules

    problems = check_rules(args.path, run_examples=not args.no_examples)
    errors = [p for p in problems if p.is_error]
    for p in problems:
        text = p.long() if args.verbose else str(p)
        print(text, file=sys.stdout if p.is_error else sys.stderr)
    if errors:
        print(f"{len(errors)} error(s)", file=sys.stderr)
        return 1
    return 0
