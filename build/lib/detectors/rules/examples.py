"""Rule examples (`examples: {match: [...], no_match: [...]}`) checked through the real extractor.

Each example text becomes an Article; the extractor turns it into events, which are fused into a fresh
incident store and matched, exactly as the engine does. An example that fires when it must not, or does not
fire when it must, is an error at the example's line. Without an extractor the check is skipped with a
warning.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from detectors import incidents as inc_mod
from detectors.rules import errors as E
from detectors.rules.errors import RuleError
from detectors.rules.ruleset import RuleSet
from detectors.types import Article, Event

Extract = Callable[[Article], list[Event]]
_ARABIC = re.compile("[\u0600-\u06ff]")


def load_extractor() -> Extract:
    """The extraction helper's Extractor; raises ImportError when it is not available."""
    from detectors.extract import Extractor

    return Extractor.load()


def example_article(rule_id: str, kind: str, i: int, ex: Any) -> Article:
    spec = ex if isinstance(ex, dict) else {"text": str(ex)}
    text = str(spec.get("text", ""))
    lang = spec.get("lang") or ("ar" if _ARABIC.search(text) else "en")
    return Article(id=f"example:{rule_id}:{kind}:{i + 1}", title=str(spec.get("title", "")), body=text,
                   lang=lang, source=spec.get("source") or "example",
                   published_at=spec.get("published_at") or "2020-06-17T12:00:00Z")


def fires(ruleset: RuleSet, rule_id: str, article: Article, events: list[Event]) -> bool:
    incidents: dict[str, dict[str, Any]] = {}
    fp = inc_mod.fingerprint(article.text)
    for ev in events:
        incident, _ = inc_mod.fuse(incidents, ev, article, fp)
        if any(m.rule_id == rule_id for m in ruleset.match(ev, incident, article_text=article.text)):
            return True
    return False


def check_examples(ruleset: RuleSet, extractor: Extract | None = None) -> list[RuleError]:
    with_examples = [r for r in ruleset.all_rules if r.examples]
    if not with_examples:
        return []
    if extractor is None:
        try:
            extractor = load_extractor()
        except Exception as exc:  # noqa: BLE001 - ImportError, or an extractor that fails to load
            first = with_examples[0]
            return [RuleError(first.file, first.line, 1, f"rule examples not checked: the extractor is not "
                              f"available ({type(exc).__name__}: {exc})", E.EXAMPLES_SKIPPED, level="warning")]
    problems: list[RuleError] = []
    for rule in with_examples:
        for kind in ("match", "no_match"):
            for i, ex in enumerate(rule.examples.get(kind) or []):
                article = example_article(rule.id, kind, i, ex)
                got = fires(ruleset, rule.id, article, extractor(article))
                if got != (kind == "match"):
                    line, col = rule.example_marks.get((kind, i), (rule.line, 1))
                    text = article.body[:80] + ("…" if len(article.body) > 80 else "")
                    verb = "does not fire" if kind == "match" else "fires"
                    problems.append(RuleError(rule.file, line, col, f"example {kind}[{i + 1}]: the rule {verb} "
                                              f"on \"{text}\"", E.EXAMPLE_FAILED, rule.id, "rule"))
    return problems
