"""`newsmon silence add|list|expire`: mute a rule, a region or an incident for a while.

Silences live in the JSON file at NEWSMON_SILENCES (default .newsmon/silences.json); a running worker
re-reads it when it changes. Silenced alerts are still published (marked), but nothing goes to chat.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from alerts.delivery.silences import DEFAULT_PATH, Silences, parse_duration


def _store(args: argparse.Namespace) -> Silences:
    return Silences(Path(args.file or os.environ.get("NEWSMON_SILENCES") or DEFAULT_PATH))


def _describe(s: Any) -> str:
    matchers = " ".join(f"{k}={v}" for k, v in s.matchers.items())
    comment = f"  # {s.comment}" if s.comment else ""
    return f"{s.id}  {matchers}  {s.starts_at} → {s.ends_at}{comment}"


def cmd_add(args: argparse.Namespace) -> int:
    if not (args.rule or args.region or args.incident):
        print("newsmon silence add: give at least one of --rule, --region, --incident", file=sys.stderr)
        return 2
    try:
        duration = parse_duration(args.duration)
    except ValueError as exc:
        print(f"newsmon silence add: --for: {exc}", file=sys.stderr)
        return 2
    s = _store(args).add(duration=duration, rule_id=args.rule, region=args.region, incident_id=args.incident,
                         comment=args.comment or "")
    print(_describe(s))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    items = _store(args).all(include_expired=args.all)
    if args.json:
        print(json.dumps([s.to_dict() for s in items], ensure_ascii=False, indent=2))
    elif not items:
        print("no active silences" if not args.all else "no silences")
    for s in items if not args.json else ():
        print(_describe(s))
    return 0


def cmd_expire(args: argparse.Namespace) -> int:
    try:
        s = _store(args).expire(args.id)
    except KeyError:
        print(f"newsmon silence expire: no single silence matches {args.id!r}", file=sys.stderr)
        return 1
    print(f"expired {_describe(s)}")
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("silence", help="mute alerts for a rule, region or incident until a time")
    p.add_argument("--file", help="silences file (default: $NEWSMON_SILENCES or .newsmon/silences.json)")
    sub = p.add_subparsers(dest="silence_command", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="add a silence (all given matchers must match)")
    add.add_argument("--rule", metavar="ID", help="rule id")
    add.add_argument("--region", metavar="NAME", help="region name, e.g. golan_heights")
    add.add_argument("--incident", metavar="ID", help="incident id")
    add.add_argument("--for", dest="duration", required=True, metavar="DURATION", help="e.g. 30m, 2h, 1d")
    add.add_argument("--comment", help="why")
    add.set_defaults(func=cmd_add)

    ls = sub.add_parser("list", help="list active silences")
    ls.add_argument("--all", action="store_true", help="include expired ones")
    ls.add_argument("--json", action="store_true", help="JSON output")
    ls.set_defaults(func=cmd_list)

    ex = sub.add_parser("expire", help="end a silence now")
    ex.add_argument("id", help="silence id (or a unique prefix)")
    ex.set_defaults(func=cmd_expire)
