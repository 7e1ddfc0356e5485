"""A compiled, indexed set of rules, and what matching one event yields.

Rules are filed under the index keys their condition requires (see compiler.FACET_RANK); an event looks up
only the rules filed under keys it carries, plus the few rules that cannot be indexed. So the cost of an
event grows with the rules that could match it, not with the size of the rule set.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from detectors.rules.compiler import MatchCtx, Rule, event_keys
from detectors.rules.errors import RuleError
from detectors.scoring import Candidate, Suppressed, run_chain
from detectors.types import Event


@dataclass(slots=True)
class Match:
    """A rule that fired for an event: its score (0..1), how it was made up, and why it fired."""

    rule_id: str
    title: str
    severity: str
    score: float
    score_breakdown: dict[str, Any]
    explanation: list[str]
    routes: list[str]
    threshold: float
    rule: Rule = field(repr=False, compare=False)


@dataclass(slots=True)
class NearMiss:
    """A rule whose condition held but which a scorer dropped (exception, threshold), for debugging."""

    rule_id: str
    reason: str
    explanation: list[str]


class RuleSet:
    def __init__(self, rules: list[Rule], warnings: list[RuleError] | None = None,
                 sources: list[str] | None = None) -> None:
        self.rules = [r for r in rules if r.enabled]
        self.all_rules = list(rules)
        self.warnings = warnings or []
        self.sources = sources or []
        self.by_id = {r.id: r for r in rules}
        self._order = {r.id: i for i, r in enumerate(self.rules)}
        self._index: dict[tuple[str, str], list[Rule]] = {}
        self._unindexed: list[Rule] = []
        for rule in self.rules:
            keys = rule.condition.keys
            if keys is None:
                self._unindexed.append(rule)
                continue
            for key in keys:
                self._index.setdefault(key, []).append(rule)

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.rules)

    def candidates(self, event: Event) -> list[Rule]:
        """Rules that could hold for this event, in rule-file order."""
        found: dict[str, Rule] = {r.id: r for r in self._unindexed}
        for key in event_keys(event):
            for r in self._index.get(key, ()):
                found[r.id] = r
        if len(found) <= 1:
            return list(found.values())
        return sorted(found.values(), key=lambda r: self._order[r.id])

    def match(self, event: Event, incident: Mapping[str, Any] | None = None, *,
              article_text: str | None = None, near_misses: list[NearMiss] | None = None) -> list[Match]:
        """Every rule that fires for `event` in `incident` (a dict with at least `sources`, `killed`,
        `injured`); pass a list as `near_misses` to learn which rules held but were suppressed."""
        ctx = MatchCtx(event, incident or {}, article_text)
        out: list[Match] = []
        for rule in self.candidates(event):
            held = rule.condition.test(ctx)
            if held is None:
                continue
            cand = Candidate(rule, event, ctx.incident, list(held))
            try:
                cand = run_chain(cand, ctx)
            except Suppressed as exc:
                if near_misses is not None:
                    near_misses.append(NearMiss(rule.id, exc.reason, cand.explanation))
                continue
            out.append(Match(rule.id, rule.title_for(event.lang), cand.severity, cand.score,
                             cand.breakdown, cand.explanation, list(rule.routes), rule.threshold, rule))
        return out
