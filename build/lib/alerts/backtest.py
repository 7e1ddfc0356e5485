"""Offline backtest: a JSONL corpus of Articles → extraction → the same AlertEngine as the stream.

Articles are processed in publication order, each at its own publication time (so realert intervals and
first/last seen follow the corpus, not the wall clock). Alert lines go to `out`; a summary goes to `err`:
per rule, alerts and articles matched, and where lines carry `labels.golan_alert`, per-language precision
and recall of golan-cross-border-strike counted the way ../shared/eval/score.py counts them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, TextIO

from alerts.engine import AlertEngine, parse_time
from detectors.rules.examples import load_extractor  # the seam tests replace
from detectors.rules.ruleset import RuleSet
from detectors.types import Article, Event

FLAGSHIP = "golan-cross-border-strike"
Extract = Callable[[Article], list[Event]]


def decode_line(raw: bytes) -> Article:
    """One JSONL line → Article, through the lead's decoder when present (ids, lang, published_at filled)."""
    try:
        from detectors.articles import decode_article
    except ImportError:  # pragma: no cover - the decoder is part of the project now
        return Article.from_dict(json.loads(raw))
    return decode_article(raw)


@dataclass
class BadLine:
    lineno: int
    reason: str


def read_articles(path: str | Path) -> tuple[list[Article], list[BadLine]]:
    articles: list[Article] = []
    bad: list[BadLine] = []
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                articles.append(decode_line(raw.rstrip(b"\r\n")))
            except Exception as exc:  # noqa: BLE001 - ArticleRejected or bad JSON: report and skip the line
                bad.append(BadLine(lineno, str(exc)))
    return articles, bad


def publication_order(articles: list[Article]) -> list[Article]:
    def key(a: Article) -> datetime:
        return parse_time(a.published_at) or datetime.max.replace(tzinfo=timezone.utc)
    return sorted(articles, key=key)  # stable: ties keep file order


@dataclass
class RunResult:
    alerts: list[dict[str, Any]] = field(default_factory=list)

    def final(self) -> dict[str, dict[str, Any]]:
        """The last state of each alert id."""
        out: dict[str, dict[str, Any]] = {}
        for a in self.alerts:
            out[a["id"]] = a
        return out


def run(rules: RuleSet, articles: Iterable[Article], events_of: Callable[[Article], list[Event]],
        out: TextIO | None = None) -> RunResult:
    engine = AlertEngine(rules, {}, {})
    result = RunResult()
    for article in articles:
        now = parse_time(article.published_at)
        for alert in engine.process(article, events_of(article), now=now):
            result.alerts.append(alert)
            if out is not None:
                out.write(json.dumps(alert, ensure_ascii=False) + "\n")
    return result


def per_rule(result: RunResult) -> dict[str, dict[str, int]]:
    stats: dict[str, dict[str, Any]] = {}
    for a in result.alerts:
        s = stats.setdefault(a["rule_id"], {"ids": set(), "lines": 0, "articles": set()})
        s["ids"].add(a["id"])
        s["lines"] += 1
        s["articles"].update(a.get("article_ids") or [])
    return {r: {"alerts": len(s["ids"]), "updates": s["lines"] - len(s["ids"]), "articles": len(s["articles"])}
            for r, s in sorted(stats.items())}


def precision_recall(articles: list[Article], result: RunResult, rule_id: str = FLAGSHIP,
                     label: str = "golan_alert") -> dict[str, dict[str, float]]:
    hit: set[str] = set()
    for a in result.alerts:
        if a["rule_id"] == rule_id:
            hit.update(a.get("article_ids") or [])
    figs: dict[str, dict[str, float]] = {}
    for lang in sorted({a.lang or "?" for a in articles if a.labels and label in a.labels}):
        ids = [(a.id, bool(a.labels[label])) for a in articles
               if (a.lang or "?") == lang and a.labels and label in a.labels]
        tp = sum(1 for i, g in ids if g and i in hit)
        fp = sum(1 for i, g in ids if not g and i in hit)
        fn = sum(1 for i, g in ids if g and i not in hit)
        figs[lang] = {"precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tp / (tp + fn) if tp + fn else 0.0,
                      "tp": tp, "fp": fp, "fn": fn, "n": len(ids)}
    return figs


def diff(old: RunResult, new: RunResult) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Alerts the rule change adds and removes (by alert id, i.e. rule and incident)."""
    a, b = old.final(), new.final()
    return [b[k] for k in b if k not in a], [a[k] for k in a if k not in b]


def backtest(rules: RuleSet, input_path: str | Path, *, out: TextIO, err: TextIO,
             old_rules: RuleSet | None = None, extractor: Extract | None = None) -> int:
    articles, bad = read_articles(input_path)
    for b in bad:
        err.write(f"{input_path}:{b.lineno}: skipped: {b.reason}\n")
    articles = publication_order(articles)
    extract = extractor or load_extractor()
    cache: dict[str, list[Event]] = {}

    def events_of(article: Article) -> list[Event]:
        if article.id not in cache:
            cache[article.id] = list(extract(article))
        return cache[article.id]

    result = run(rules, articles, events_of, out)
    n_events = sum(len(events_of(a)) for a in articles)
    err.write(f"backtest: {len(articles)} articles, {n_events} events, {len(result.alerts)} alert lines\n")
    stats = per_rule(result)
    for rule in rules.all_rules:
        s = stats.get(rule.id, {"alerts": 0, "updates": 0, "articles": 0})
        err.write(f"  {rule.id}: {s['alerts']} alerts ({s['updates']} updates), {s['articles']} articles matched\n")
    figs = precision_recall(articles, result)
    if figs:
        line = "; ".join(f"{lang}: P={f['precision']:.2f} R={f['recall']:.2f} (tp={f['tp']} fp={f['fp']} "
                         f"fn={f['fn']} n={f['n']})" for lang, f in figs.items())
        err.write(f"  {FLAGSHIP} vs labels.golan_alert: {line}\n")
    if old_rules is not None:
        before = run(old_rules, articles, events_of)
        added, removed = diff(before, result)
        err.write(f"diff: {len(added)} alerts added, {len(removed)} removed by the rule change\n")
        for sign, items in (("+", added), ("-", removed)):
            for a in items:
                err.write(f"  {sign} {a['rule_id']} {a['incident_id']} articles={','.join(a['article_ids'])}: "
                          f"{a['summary']}\n")
    return 0 if articles or not bad else 1
