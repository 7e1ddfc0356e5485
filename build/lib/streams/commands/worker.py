"""`newsmon worker`: every agent, plus the web server with /metrics and /health."""
from __future__ import annotations

import argparse
import sys

from streams.settings import SettingsError, load_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("worker", help="run the Faust worker (all agents, /metrics and /health)")
    p.add_argument("--loglevel", default=None, help="debug, info, warning (default: NEWSMON_LOG_LEVEL or info)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from streams.logs import configure_logging

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"newsmon worker: {exc}", file=sys.stderr)
        return 1
    level = args.loglevel or settings.log_level
    configure_logging(level)

    from detectors.rules import RuleLoadError

    try:
        from streams.app import create_app

        app, _runtime = create_app(settings)
    except RuleLoadError as exc:
        for err in exc.errors:
            print(str(err), file=sys.stderr)
        print(f"newsmon worker: the rules in {settings.rules_path} do not load; fix them "
              f"(newsmon rules check {settings.rules_path})", file=sys.stderr)
        return 1

    from faust.worker import Worker

    worker = Worker(app, loglevel=level, quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()  # runs until SIGTERM/SIGINT; exits the process itself
    return 0
