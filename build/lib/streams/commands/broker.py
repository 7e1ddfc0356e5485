"""`newsmon broker start|stop|status`: the bundled local Kafka broker, running in the background.

The broker outlives the command; its pid, ports and data dir are recorded in
`<cache>/run/broker.json` (cache: `$NEWSMON_KAFKA_CACHE`, else `<repo>/.cache/kafka`).
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from streams import broker


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "broker", help="start/stop/status of the bundled local Kafka broker",
        description="Run the bundled single-node Kafka (KRaft) broker in the background. "
                    "The first start fetches the Kafka jars with Maven (needs mvn and java).")
    actions = parser.add_subparsers(dest="broker_action", metavar="ACTION", required=True)

    start = actions.add_parser("start", help="start a background broker (port 9092 if free)")
    start.add_argument("--port", type=int, default=None,
                       help="listener port (default: 9092 if free, else any free port)")
    start.add_argument("--timeout", type=float, default=60.0,
                       help="seconds to wait for the broker to be ready (default 60)")
    start.set_defaults(func=_start)

    stop = actions.add_parser("stop", help="stop the background broker and delete its data")
    stop.add_argument("--keep", action="store_true", help="keep the data dir and broker.log")
    stop.set_defaults(func=_stop)

    status = actions.add_parser("status", help="print JSON; exit 0 when running, 1 when not")
    status.set_defaults(func=_status)


def _start(args: argparse.Namespace) -> int:
    try:
        state = broker.start_background(port=args.port, timeout=args.timeout)
    except broker.BrokerError as exc:
        print(f"newsmon broker: {exc}", file=sys.stderr)
        return 1
    if state["already_running"]:
        print(f"Kafka broker already running at {state['bootstrap']} (pid {state['pid']})")
        return 0
    if args.port is None and state["port"] != broker.BACKGROUND_PORT:
        print(f"port {broker.BACKGROUND_PORT} is busy; using {state['port']}", file=sys.stderr)
    print(f"Kafka {state['kafka_version']} broker running at {state['bootstrap']} "
          f"(pid {state['pid']}, started in {state['started_in']:.1f} s; log: {state['log']})")
    print(f"export KAFKA_BOOTSTRAP={state['bootstrap']}")
    return 0


def _stop(args: argparse.Namespace) -> int:
    state = broker.stop_background(keep=args.keep)
    if state.get("running"):
        print(f"stopped Kafka broker at {state['bootstrap']} (pid {state['pid']})")
    else:  # stopping nothing is not an error: scripts can call stop unconditionally
        print("no background Kafka broker was running")
    return 0


def _status(args: argparse.Namespace) -> int:
    state = broker.background_state()
    print(json.dumps(state, indent=2))
    return 0 if state["running"] else 1
