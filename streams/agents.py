"""The agents: each one decodes, calls one stage outside `streams/`, and sends the result on.

- `process_articles`: articles → decode (bad → articles.dlq) → process pool extraction → events, extracted
- `fuse_and_score`: extracted → AlertEngine (incident fusion + rules, state in changelogged tables) → alerts
- `deliver_alerts`: alerts → Dispatcher (route, silence, dedup, retry, record) → sinks; dead → alerts.dlq
- `watch_rules`: compacted `rules` topic and the rules folder → hot reload (a broken change is refused)
"""
from __future__ import annotations

import functools
import os
import time
from datetime import datetime, timezone
from typing import Any, NamedTuple

import faust
import structlog

from alerts.engine import AlertEngine, parse_time
from detectors.articles import ArticleRejected, decode_article
from detectors.types import Article, Event
from streams.overlap import OverlappedBatches
from streams.pool import ExtractionPool
from streams.tables import TrackedMapping

log = structlog.get_logger("newsmon.worker")

FUSION_KEY = b"fusion"
REDRIVE_AFTER_S = 20.0  # an alert still in the outbox this long after emission is sent to `alerts` again


def wire(app: faust.App, rt: Any) -> None:  # rt: streams.app.Runtime
    s = rt.settings
    topics = rt.topics
    m = rt.metrics

    from detectors.rules import RulesHolder

    rt.rules_holder = RulesHolder(s.rules_path)
    incidents = TrackedMapping(rt.tables["incidents"])
    book = TrackedMapping(rt.tables["alert_book"])
    delivered = TrackedMapping(rt.tables["delivered"])
    outbox = rt.tables["outbox"]
    redriven: dict[str, float] = {}  # in memory: when this process last re-sent an outbox entry
    rt.engine = AlertEngine(rt.rules_holder.rules, incidents, book)
    m.rules_loaded.set(len(rt.rules_holder.rules))
    rt.pool = ExtractionPool(s.extract_processes, niceness=s.extract_niceness,
                             recycle_after=s.extract_recycle_articles)

    async def dead_letter(record: dict[str, Any]) -> None:
        await topics.alerts_dlq.send(key=str(record.get("alert", {}).get("id", "")).encode(), value=record)

    from alerts.delivery import build_dispatcher

    env = dict(os.environ)
    if s.webhook_url:
        env["NEWSMON_WEBHOOK_URL"] = s.webhook_url
    if s.webhook_secret:
        env["NEWSMON_WEBHOOK_SECRET"] = s.webhook_secret
    rt.dispatcher = build_dispatcher(s.sinks_config, env, registry=rt.registry, delivered=delivered,
                                     on_dead_letter=dead_letter)

    @app.task
    async def declare_topics() -> None:
        # faust creates only the topics it consumes; declare the send-only ones too, so they get their
        # partitions and (for `rules`) compaction rather than the broker's auto-create defaults
        for topic in (topics.events, topics.articles_dlq, topics.alerts_dlq, topics.rules, topics.alerts):
            await topic.maybe_declare()

    @app.task
    async def warm_up() -> None:
        t0 = time.monotonic()
        await rt.pool.warm_up()
        rt.extractor_ready = True
        log.info("extractor_ready", processes=rt.pool.processes, seconds=round(time.monotonic() - t0, 2))

    async def reject(event: Any, raw: bytes, reason: str, detail: str) -> None:
        rt.counts["rejected"] += 1
        m.rejected.labels(reason).inc()
        msg = event.message
        log.warning("article_rejected", reason=reason, detail=detail, topic=msg.topic,
                    partition=msg.partition, offset=msg.offset)
        await topics.articles_dlq.send(
            key=event.key if isinstance(event.key, bytes) else None, value=raw,
            headers={"newsmon-reason": reason.encode(), "newsmon-detail": detail.encode()[:1000],
                     "newsmon-origin": f"{msg.topic}/{msg.partition}/{msg.offset}".encode()})

    async def extract_batch(batch: list[Consumed]) -> tuple[list[Any], dict[str, float]]:
        started = time.time()
        t0 = time.monotonic()
        results = await _extract(rt.pool, [c.article for c in batch])
        m.extract_batch.observe(time.monotonic() - t0)
        return results, {"batch": len(batch), "started": started, "extract_s": time.monotonic() - t0}

    async def publish_batch(stream: Any, batch: list[Consumed],
                            extracted_batch: tuple[list[Any], dict[str, float]]) -> None:
        results, timing = extracted_batch
        for (event, raw, article, received_at, produced_at), extracted in zip(batch, results):
            if isinstance(extracted, Exception):
                await reject(event, raw, "extract_error", f"{type(extracted).__name__}: {extracted}"[:500])
            else:
                events, fingerprint = extracted
                rt.counts["articles"] += 1
                rt.last_article_at = time.time()
                m.articles.labels(article.lang or "unknown").inc()
                for ev in events:
                    rt.counts["events"] += 1
                    m.events.labels(ev["family"], ev["type"]).inc()
                    await topics.events.send(key=ev["id"].encode(), value=ev)
                # where the time went: waiting for an extraction slot, the batch's extraction, publishing
                log.info("article_processed", article_id=article.id, lang=article.lang, events=len(events),
                         event_ids=[e["id"] for e in events][:20], batch=timing["batch"],
                         consumed_ms=round(1000 * (received_at - produced_at), 1) if produced_at else None,
                         queued_ms=round(1000 * (timing["started"] - received_at), 1),
                         extract_ms=round(1000 * timing["extract_s"], 1),
                         publish_ms=round(1000 * (time.time() - timing["started"] - timing["extract_s"]), 1))
                await topics.extracted.send(key=FUSION_KEY, value={
                    "article": article.to_dict(), "events": events, "fingerprint": fingerprint,
                    "received_at": received_at})
            await stream.ack(event)  # only now: its outputs are on their way

    @app.agent(topics.articles)
    async def process_articles(stream: Any) -> None:
        # acks are ours (after publishing), and extraction of one batch overlaps the consumption and
        # publishing of others: see streams/overlap.py
        manual = stream.noack()
        # one batch more than there are extraction processes: the next one is already queued in the pool
        # when a process finishes, so it never waits for the event loop
        overlapped = OverlappedBatches(extract_batch, functools.partial(publish_batch, manual),
                                       slots=max(1, rt.pool.processes) + 1, max_batch=s.batch_size,
                                       max_pending=max(256, 4 * s.batch_size))
        async with overlapped as batches:
            async for event in manual.events():
                raw = event.value if isinstance(event.value, bytes) else str(event.value).encode()
                try:
                    article = decode_article(raw, max_bytes=s.max_article_bytes)
                except ArticleRejected as exc:
                    await reject(event, raw, exc.reason, exc.detail)
                    await manual.ack(event)
                    continue
                await batches.put(Consumed(event, raw, article, time.time(), event.message.timestamp))

    @app.agent(topics.extracted)
    async def fuse_and_score(stream: Any) -> None:
        async for item in stream:
            taken_at = time.time()
            sent_at = stream.current_event.message.timestamp if stream.current_event else None
            article = Article.from_dict(item["article"])
            events = [Event.from_dict(e) for e in item["events"]]
            try:
                # event time, as `newsmon backtest` uses: the stream and a replay give the same alerts
                alerts = rt.engine.process(article, events, now=_article_time(article),
                                           fingerprint=item.get("fingerprint"))
            finally:
                incidents.flush()
                book.flush()
            for alert in alerts:
                silence = rt.dispatcher.silences.match(alert) if getattr(rt.dispatcher, "silences", None) else None
                if silence:
                    alert = {**alert, "silenced": silence if isinstance(silence, dict) else {"by": str(silence)}}
                rt.counts["alerts"] += 1
                rt.last_alert_at = time.time()
                m.alerts.labels(alert["rule_id"], alert["severity"], alert["status"]).inc()
                log.info("alert_emitted", alert_id=alert["id"], rule_id=alert["rule_id"], status=alert["status"],
                         incident_id=alert.get("incident_id"), article_ids=alert.get("article_ids"),
                         event_ids=alert.get("event_ids"), silenced=bool(silence),
                         hop_ms=round(1000 * (taken_at - sent_at), 1) if sent_at else None,
                         fuse_ms=round(1000 * (time.time() - taken_at), 1))
                # the outbox entry is written in the same step as the alert, so a restarted worker still
                # knows it; the delivery agent clears it once the alert has a final outcome
                outbox[_outbox_key(alert)] = {"alert": alert, "emitted_at": time.time()}
                await topics.alerts.send(key=alert["id"].encode(), value=alert)
            rt.counts["fused"] += 1
            m.processing.observe(max(0.0, time.time() - float(item.get("received_at") or time.time())))

    @app.agent(topics.alerts)
    async def deliver_alerts(stream: Any) -> None:
        async for alert in stream:
            try:
                await rt.dispatcher.deliver(alert)
            finally:
                delivered.flush()
            key = _outbox_key(alert)
            if outbox.get(key) is not None:
                del outbox[key]
            redriven.pop(key, None)

    @app.timer(interval=REDRIVE_AFTER_S / 2)
    async def redrive_outbox() -> None:
        """At-least-once across crashes: an emitted alert whose delivery never completed (the worker died
        after emitting it, or the alerts-topic offset moved past it during a rebalance) is sent again. The
        dedup stage makes a re-sent alert that was in fact delivered a no-op."""
        now = time.time()
        for key, entry in list(outbox.items()):
            if not entry or now - max(entry["emitted_at"], redriven.get(key, 0.0)) < REDRIVE_AFTER_S:
                continue
            redriven[key] = now
            log.warning("alert_redriven", alert_id=entry["alert"]["id"], waited=round(now - entry["emitted_at"], 1))
            await topics.alerts.send(key=entry["alert"]["id"].encode(), value=entry["alert"])

    @app.agent(topics.rules)
    async def watch_rules(stream: Any) -> None:
        async for event in stream.events():
            name = (event.key or b"rules.yaml").decode("utf-8", "replace")
            text = (event.value or b"").decode("utf-8", "replace")
            _apply_rules(rt, rt.rules_holder.apply_document(name, text), source=f"topic:{name}")

    @app.timer(interval=s.rules_poll_seconds)
    async def poll_rules_folder() -> None:
        _apply_rules(rt, rt.rules_holder.reload_if_changed(), source=str(s.rules_path))

    @app.page("/health")
    async def health(web: Any, request: Any) -> Any:
        now = time.time()
        # "starting" until the NLP models are loaded and table recovery is done: a "ok" worker answers
        # within its latency budget
        ready = rt.extractor_ready and not getattr(app, "in_recovery", False) and not app.rebalancing
        return web.json({
            "status": "ok" if ready else "starting", "uptime_seconds": round(now - rt.started_at, 1), "counts": rt.counts,
            "rules_loaded": len(rt.rules_holder.rules), "extract_processes": rt.pool.processes,
            "seconds_since_last_article": None if rt.last_article_at is None else round(now - rt.last_article_at, 1),
        })


class Consumed(NamedTuple):
    """An article taken off `articles`, decoded, waiting for extraction; `event` is acked once published."""
    event: Any
    raw: bytes
    article: Article
    received_at: float
    produced_at: float | None  # the record's timestamp


def _outbox_key(alert: dict[str, Any]) -> str:
    """One entry per alert version: an `updated` alert must not clear the outbox entry of its `new`."""
    return f"{alert['id']}|{alert['status']}|{len(alert.get('article_ids') or [])}"


def _article_time(article: Article) -> datetime:
    """The article's publication time, but never later than now (a wrong clock must not hold back
    re-alert intervals)."""
    wall = datetime.now(timezone.utc)
    published = parse_time(article.published_at)
    return min(published, wall) if published else wall


def _apply_rules(rt: Any, errors: list[Any] | None, *, source: str) -> None:
    """`errors` is None when nothing changed, [] when the new rules are in force, else the refusal."""
    if errors is None:
        return
    if errors:
        rt.metrics.rules_reload.labels("refused").inc()
        log.error("rules_refused", source=source, errors=[str(e) for e in errors][:50],
                  rules_in_force=len(rt.rules_holder.rules))
        return
    rt.engine.set_rules(rt.rules_holder.rules)
    rt.metrics.rules_reload.labels("ok").inc()
    rt.metrics.rules_loaded.set(len(rt.rules_holder.rules))
    log.info("rules_reloaded", source=source, rules=len(rt.rules_holder.rules))


async def _extract(pool: ExtractionPool, articles: list[Article]) -> list[Any]:
    """One pool call per batch; if the batch fails, retry article by article so one bad text costs one
    article, not the batch."""
    dicts = [a.to_dict() for a in articles]
    try:
        return await pool.extract(dicts)
    except Exception as exc:  # noqa: BLE001 - a crashed child or a bug on one text
        log.warning("extract_batch_failed", error=f"{type(exc).__name__}: {exc}", size=len(dicts))
    out: list[Any] = []
    for d in dicts:
        try:
            out.append((await pool.extract([d]))[0])
        except Exception as exc:  # noqa: BLE001
            out.append(exc)
    return out
