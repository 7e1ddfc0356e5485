"""`newsmon demo`: the main job in one command.

Uses the broker at KAFKA_BOOTSTRAP or starts the bundled local one; starts the worker and a local webhook
receiver; replays `seeds/`; shows each alert as it arrives, with the metrics address.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from streams.settings import REPO_ROOT, load_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="start broker (if needed), worker and a webhook receiver; replay seeds/")
    p.add_argument("--seeds", default=str(REPO_ROOT / "seeds"), help="folder of Article .jsonl files")
    p.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for the worker and alerts")
    p.add_argument("--settle", type=float, default=8.0, help="quiet seconds after the last alert before exiting")
    p.add_argument("--follow", action="store_true", help="keep running (Ctrl-C to stop) instead of exiting")
    p.set_defaults(func=run)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    seeds = sorted(Path(args.seeds).glob("*.jsonl"))
    if not seeds:
        _say(f"newsmon demo: no .jsonl files in {args.seeds}")
        return 1
    broker = None
    receiver = None
    worker: subprocess.Popen[bytes] | None = None
    external = os.environ.get("KAFKA_BOOTSTRAP")
    try:
        if external:
            bootstrap = external
            _say(f"== using the Kafka broker at {bootstrap} (KAFKA_BOOTSTRAP)")
        else:
            from streams.broker import LocalBroker

            _say("== starting the bundled Kafka broker (jars from Maven Central, cached in .cache/kafka)")
            broker = LocalBroker()
            broker.start()
            bootstrap = broker.bootstrap
            _say(f"   broker ready at {bootstrap} in {broker.started_in:.1f} s")

        from alerts.delivery.receiver import WebhookReceiver

        secret = secrets.token_hex(16)
        arrivals: list[tuple[float, dict[str, Any]]] = []

        def show(alert: dict[str, Any]) -> None:
            arrivals.append((time.time(), alert))
            ev = alert.get("event") or {}
            where = ", ".join(loc.get("name", "") for loc in ev.get("locations") or []) or "?"
            _say(f"\n>> ALERT [{alert.get('severity')}] {alert.get('rule_id')} ({alert.get('status')}) "
                 f"score={alert.get('score')}\n   {alert.get('title')}\n   where: {where}\n"
                 f"   summary: {alert.get('summary')}\n   sources: {', '.join(map(str, alert.get('sources') or []))}"
                 f"\n   articles: {', '.join(alert.get('article_ids') or [])}")

        receiver = WebhookReceiver(secret=secret, on_alert=show)
        hook_url = receiver.start()
        _say(f"== webhook receiver listening at {hook_url} (HMAC-signed deliveries are verified)")

        web_port = int(os.environ.get("NEWSMON_WEB_PORT") or _free_port())
        data_dir = REPO_ROOT / ".newsmon" / f"demo-{int(time.time())}"
        data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "KAFKA_BOOTSTRAP": bootstrap, "NEWSMON_WEBHOOK_URL": hook_url,
               "NEWSMON_WEBHOOK_SECRET": secret, "NEWSMON_WEB_PORT": str(web_port),
               "NEWSMON_DATA_DIR": str(data_dir),
               # a fresh consumer group and fresh tables, so a replay on a shared broker alerts again
               "NEWSMON_APP_ID": f"newsmon-demo-{secrets.token_hex(3)}" if external else "newsmon"}
        log_path = data_dir / "worker.log"
        _say(f"== starting the worker (log: {log_path})")
        with open(log_path, "wb") as log_file:
            worker = subprocess.Popen([sys.executable, "-m", "streams.cli", "worker"], env=env, cwd=REPO_ROOT,
                                      stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        metrics_url = f"http://127.0.0.1:{web_port}/metrics"
        if not _wait_health(web_port, worker, args.timeout):
            _say(f"newsmon demo: the worker did not become healthy; see {log_path}")
            return 1
        _say(f"   worker up: metrics at {metrics_url}, health at http://127.0.0.1:{web_port}/health")

        from streams.commands.produce import produce_lines

        t_produce = time.time()
        for path in seeds:
            with open(path, "rb") as fh:
                sent, bad = produce_lines(fh, bootstrap=bootstrap, topic="articles", name=str(path))
            _say(f"== replayed {path.name}: {sent} article(s)" + (f", {bad} bad line(s) skipped" if bad else ""))

        deadline = time.time() + args.timeout
        while time.time() < deadline:
            if worker.poll() is not None:
                _say(f"newsmon demo: the worker exited with {worker.returncode}; see {log_path}")
                return 1
            if arrivals and not args.follow and time.time() - arrivals[-1][0] > args.settle:
                break
            time.sleep(0.2)
        if args.follow:
            _say("== following; Ctrl-C to stop")
            while worker.poll() is None:
                time.sleep(0.5)
        if not arrivals:
            _say(f"newsmon demo: no alert reached the webhook within {args.timeout:.0f} s; see {log_path}")
            return 1
        first = arrivals[0][0] - t_produce
        _say(f"\n== {len(arrivals)} alert(s) at the webhook; first {first:.2f} s after produce. "
             f"Metrics: {metrics_url}")
        _say(_metrics_digest(metrics_url))
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        if receiver is not None:
            receiver.stop()
        if broker is not None:
            broker.stop()


def _wait_health(port: int, worker: subprocess.Popen[bytes], timeout: float) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if worker.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as resp:
                if resp.status == 200 and json.loads(resp.read()).get("status") == "ok":
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def _metrics_digest(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            text = resp.read().decode()
    except OSError as exc:
        return f"(metrics unavailable: {exc})"
    keep = ("newsmon_articles_total", "newsmon_events_total", "newsmon_alerts_total",
            "newsmon_webhook_deliveries_total", "newsmon_articles_rejected_total")
    return "\n".join("   " + line for line in text.splitlines() if line.startswith(keep))
