"""Latency from produce to the `alerts` topic and to a webhook, at fixed offered loads.

One worker (fresh app id, fresh broker unless `--bootstrap`) with NEWSMON_WEBHOOK_URL pointing at a small
HTTP server on 127.0.0.1 started here. For each offered load (10, 50, 200 articles/s) the harness sends
corpus articles on a fixed schedule for D seconds, with a Golan strike story (bench/corpus.py
`alert_articles`: its own id and date, so its own incident and its own alert) in place of every k-th
article — about 2 to 4 alert articles per second. Per alert article:

  to topic   = arrival of the first alert carrying its id on `alerts` (a consumer in this process) − send time
  to webhook = arrival of the first webhook POST carrying its id − send time

and p50/p95/p99 over the alert articles of that load. Each load runs alone: the next starts when the
worker has processed everything and every expected alert has come (or 60 s have passed).

Before the loads a calibration pass sends one story of each template; only templates that raise an alert
on this build are used (the others are listed in the result), so a template the extractor does not yet
understand shows up as such and not as a missing-alert latency.
"""
from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import corpus
import e2e

LOADS = (10, 50, 200)


class Receiver:
    """Records the arrival time and body of every POST; answers 200 at once."""

    def __init__(self) -> None:
        self.hits: list[tuple[float, bytes]] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hits.append((time.time(), body))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class AlertWatcher:
    """Reads `alerts` from the beginning in a thread; records (arrival time, alert, record timestamp)."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.seen: list[tuple[float, dict[str, Any], float]] = []
        self._stop = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> AlertWatcher:
        self.thread.start()
        return self

    def _run(self) -> None:
        from kafka import KafkaConsumer

        try:
            consumer = KafkaConsumer("alerts", bootstrap_servers=self.bootstrap, auto_offset_reset="earliest",
                                     enable_auto_commit=False, group_id=None, fetch_max_wait_ms=20)
            try:
                while not self._stop.is_set():
                    for records in consumer.poll(timeout_ms=100).values():
                        now = time.time()
                        for r in records:
                            with contextlib.suppress(ValueError):
                                self.seen.append((now, json.loads(r.value), r.timestamp / 1000.0))
            finally:
                consumer.close()
        except BaseException as exc:  # noqa: BLE001
            self.error = exc

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(10)


def _first_by_article(items: Iterator[tuple[float, dict[str, Any]]], wanted: set[str]) -> dict[str, float]:
    first: dict[str, float] = {}
    for at, alert in items:
        for aid in alert.get("article_ids") or []:
            if aid in wanted and (aid not in first or at < first[aid]):
                first[aid] = at
    return first


def topic_arrivals(watcher: AlertWatcher, wanted: set[str]) -> dict[str, float]:
    return _first_by_article(((at, a) for at, a, _ in list(watcher.seen)), wanted)


def webhook_arrivals(receiver: Receiver, wanted: set[str]) -> dict[str, float]:
    def items() -> Iterator[tuple[float, dict[str, Any]]]:
        for at, body in list(receiver.hits):
            with contextlib.suppress(ValueError):
                obj = json.loads(body)
                if isinstance(obj, dict):
                    yield at, obj

    return _first_by_article(items(), wanted)


def worker_log_times(log_path: Any, wanted: set[str]) -> tuple[dict[str, float], dict[str, float]]:
    """From the worker's JSON log lines: when each wanted article was extracted (`article_processed`) and
    when its first alert was emitted (`alert_emitted`), as epoch seconds. Splits the latency by stage."""
    from datetime import datetime

    processed: dict[str, float] = {}
    emitted: dict[str, float] = {}
    try:
        lines = open(log_path, encoding="utf-8", errors="replace").read().splitlines()
    except OSError:
        return processed, emitted
    for line in lines:
        if not line.startswith("{") or ('"article_processed"' not in line and '"alert_emitted"' not in line):
            continue
        try:
            rec = json.loads(line)
            at = datetime.fromisoformat(rec["timestamp"].replace("Z", "+00:00")).timestamp()
        except (ValueError, KeyError, TypeError):
            continue
        if rec.get("event") == "article_processed" and rec.get("article_id") in wanted:
            processed.setdefault(rec["article_id"], at)
        elif rec.get("event") == "alert_emitted":
            for aid in rec.get("article_ids") or []:
                if aid in wanted:
                    emitted.setdefault(aid, at)
    return processed, emitted


def percentiles(values: list[float]) -> dict[str, float | int | None]:
    """Nearest-rank p50/p95/p99 and max, in milliseconds."""
    if not values:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    vs = sorted(values)

    def rank(p: float) -> float:
        k = max(0, min(len(vs) - 1, int(-(-p * len(vs) // 100)) - 1))
        return round(vs[k] * 1000, 1)

    return {"n": len(vs), "p50_ms": rank(50), "p95_ms": rank(95), "p99_ms": rank(99),
            "max_ms": round(vs[-1] * 1000, 1)}


def paced_send(bootstrap: str, schedule: list[tuple[bytes, bytes]], rate: float,
               sent_at: dict[str, float]) -> dict[str, float]:
    """Send on a fixed schedule (message i at t0 + i/rate); record the send time of every key."""
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0, max_request_size=2_000_000)
    late = 0.0
    try:
        t0 = time.time() + 0.05
        for i, (key, value) in enumerate(schedule):
            due = t0 + i / rate
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            else:
                late = max(late, -delay)
            sent_at[key.decode()] = time.time()
            producer.send("articles", key=key, value=value)
        producer.flush(60)
        t_end = time.time()
    finally:
        producer.close(10)
    return {"send_seconds": round(t_end - t0, 2), "achieved_rate": round(len(schedule) / max(1e-9, t_end - t0), 1),
            "max_send_lag_ms": round(late * 1000, 1)}


def _wait(pred: Any, timeout: float, step: float = 0.2) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(step)
    return bool(pred())


def calibrate(bootstrap: str, ws: list[e2e.BenchWorker], watcher: AlertWatcher, run_id: str
              ) -> tuple[list[int], list[int]]:
    """Which alert templates (corpus.alert_article) raise an alert on this build."""
    arts = corpus.alert_articles(corpus.ALERT_TEMPLATES, run_id=run_id)  # stories 0 .. ALERT_TEMPLATES-1
    producer = e2e.make_producer(bootstrap)
    try:
        for a in arts:
            producer.send("articles", key=a["id"].encode(), value=corpus.encode(a))
        producer.flush(30)
    finally:
        producer.close(5)
    wanted = {a["id"] for a in arts}
    _wait(lambda: len(topic_arrivals(watcher, wanted)) == len(wanted), 60.0)
    got = topic_arrivals(watcher, wanted)
    good = [i for i, a in enumerate(arts) if a["id"] in got]
    bad = [i for i, a in enumerate(arts) if a["id"] not in got]
    return good, bad


def build_schedule(rate: int, seconds: float, run_id: str, templates: list[int], first: int,
                   background: list[dict[str, Any]]) -> tuple[list[tuple[bytes, bytes]], list[str]]:
    """rate·seconds messages: corpus articles (fresh ids) with an alert story as every k-th one."""
    n = max(1, int(rate * seconds))
    every = max(5, round(rate / 4))  # ≈ 4 alert articles/s, at most 1 in 5
    alerts = corpus.alert_articles(n // every, run_id=run_id, templates=templates, first=first)
    schedule: list[tuple[bytes, bytes]] = []
    alert_ids: list[str] = []
    suffix = f"@{run_id}-{rate}"
    for i in range(n):
        if i % every == every - 1 and len(alert_ids) < len(alerts):
            a = alerts[len(alert_ids)]
            alert_ids.append(a["id"])
        else:
            a = dict(background[i % len(background)])
            a["id"] = f"{a['id']}{suffix}-{i}"
        schedule.append((a["id"].encode(), corpus.encode(a)))
    return schedule, alert_ids


def run(brokers: e2e.Brokers, *, loads: tuple[int, ...] = LOADS, seconds: float = 30.0,
        max_articles: int = 3000, keep_logs: Any = None,
        drain_timeout: float = 60.0) -> dict[str, Any]:
    """`seconds` per load, shortened for a load whose rate × seconds would exceed `max_articles`."""
    run_id = uuid.uuid4().hex[:6]
    # a different slice of the corpus for each load: the same text sent twice would join one incident
    per_load = [max(1, int(rate * min(seconds, max_articles / rate))) for rate in loads]
    background_all = corpus.load(sum(per_load))
    slices = []
    at = 0
    for n in per_load:
        slices.append(background_all[at:at + n])
        at += n
    out: dict[str, Any] = {"seconds_per_load": {str(r): min(seconds, max_articles / r) for r in loads},
                           "loads": {}}
    receiver = Receiver()
    try:
        with brokers.fresh() as (bootstrap, _pid):
            env = {"NEWSMON_WEBHOOK_URL": receiver.url}
            with e2e.workers(bootstrap, 1, env=env, keep_logs=keep_logs, tag="latency") as ws:
                out["ready"] = e2e.wait_ready(bootstrap, ws)
                watcher = AlertWatcher(bootstrap).start()
                try:
                    good, bad = calibrate(bootstrap, ws, watcher, run_id)
                    out["alert_templates_used"], out["alert_templates_silent"] = good, bad
                    if not good:
                        out["error"] = "no alert template raised an alert on this build (see calibration)"
                        return out
                    first = corpus.ALERT_TEMPLATES  # story numbers (and so dates) never repeat in a run
                    for rate, background in zip(loads, slices):
                        secs = min(seconds, max_articles / rate)
                        res = _one_load(bootstrap, ws, watcher, receiver, rate, secs, run_id, good, first,
                                        background, drain_timeout)
                        out["loads"][str(rate)] = res
                        first += res["alert_articles"]
                finally:
                    watcher.stop()
                    if watcher.error:
                        out["watcher_error"] = repr(watcher.error)
    finally:
        receiver.close()
    return out


def _one_load(bootstrap: str, ws: list[e2e.BenchWorker], watcher: AlertWatcher, receiver: Receiver, rate: int,
              seconds: float, run_id: str, templates: list[int], first: int, background: list[dict[str, Any]],
              drain_timeout: float) -> dict[str, Any]:
    schedule, alert_ids = build_schedule(rate, seconds, run_id, templates, first, background)
    wanted = set(alert_ids)
    base = e2e.total_done(ws)
    sent_at: dict[str, float] = {}
    send = paced_send(bootstrap, schedule, rate, sent_at)
    done_at_send_end = e2e.total_done(ws) - base
    t_send_end = time.time()
    _wait(lambda: e2e.total_done(ws) - base >= len(schedule), drain_timeout + seconds)
    t_drained = time.time()
    _wait(lambda: len(topic_arrivals(watcher, wanted)) >= len(wanted)
          and len(webhook_arrivals(receiver, wanted)) >= len(wanted), drain_timeout)
    processed = e2e.total_done(ws) - base
    topic = topic_arrivals(watcher, wanted)
    hook = webhook_arrivals(receiver, wanted)
    res: dict[str, Any] = {
        "offered_rate": rate, "articles": len(schedule), "alert_articles": len(alert_ids), **send,
        "processed": processed, "backlog_at_send_end": len(schedule) - done_at_send_end,
        # what the worker managed while this load lasted (below the offered rate: it fell behind)
        "worker_articles_per_s": round(processed / max(1e-9, t_drained - (t_send_end - send["send_seconds"])), 1),
        "drain_seconds_after_send": round(t_drained - t_send_end, 2),
        "to_topic": percentiles([topic[a] - sent_at[a] for a in alert_ids if a in topic]),
        "to_webhook": percentiles([hook[a] - sent_at[a] for a in alert_ids if a in hook]),
        "missing_on_topic": len(wanted - set(topic)), "missing_on_webhook": len(wanted - set(hook)),
    }
    # per alert template (0 = the long seed story, 1-2 short Arabic, 3-5 short English): is one kind slow?
    template_of = {a: templates[j % len(templates)] for j, a in enumerate(alert_ids)}
    res["to_topic_by_template"] = {
        str(t): percentiles([topic[a] - sent_at[a] for a in alert_ids if a in topic and template_of[a] == t])
        for t in sorted(set(template_of.values()))}
    # where the time goes, from the worker's own log: send → extracted → alert emitted → topic / webhook
    processed_at, emitted_at = worker_log_times(ws[0].log_path, wanted)
    res["stages"] = {
        "send_to_extracted": percentiles([processed_at[a] - sent_at[a] for a in alert_ids if a in processed_at]),
        "extracted_to_alert_emitted": percentiles([emitted_at[a] - processed_at[a] for a in alert_ids
                                                   if a in emitted_at and a in processed_at]),
        "emitted_to_topic": percentiles([topic[a] - emitted_at[a] for a in alert_ids if a in topic and a in emitted_at]),
        "emitted_to_webhook": percentiles([hook[a] - emitted_at[a] for a in alert_ids if a in hook and a in emitted_at]),
    }
    if processed < len(schedule):
        res["error"] = f"worker processed {processed} of {len(schedule)} articles"
    return res
