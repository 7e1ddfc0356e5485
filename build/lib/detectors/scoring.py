"""Scoring a rule's candidate match: a chain of plain callables (structlog's processor style).

A candidate is made when a rule's condition holds for an event in its incident context. Each scorer takes
the candidate and the match context and returns the candidate with its part of the score filled in; a
scorer that decides the candidate must not become a match raises `Suppressed` (like structlog's
`DropEvent`). The chain is just `for scorer in chain: candidate = scorer(candidate, ctx)`.

Components (each 0..1, combined with the rule's weights, defaults in rules/schema.json):
- confidence:    the extractor's confidence in the event;
- corroboration: independent sources of the incident, 1 - 0.5**n (1 → 0.5, 2 → 0.75, 3 → 0.875);
- specificity:   1 when the event is placed by coordinates or a named region, 0.5 by a bare place name, 0 else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Protocol, Sequence

from detectors.types import Event

SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


class Suppressed(Exception):  # noqa: N818 - named for what it means, like structlog's DropEvent
    """Raised by a scorer to drop the candidate; `reason` says why (for explanations and debugging)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RuleCtx(Protocol):
    """What scorers may read besides the candidate: the event and its incident, as the conditions saw them."""

    event: Event
    incident: Mapping[str, Any]


@dataclass(slots=True)
class Candidate:
    rule: Any  # detectors.rules.compiler.Rule (duck-typed here to keep this module free of the loader)
    event: Event
    incident: Mapping[str, Any]
    explanation: list[str]
    breakdown: dict[str, Any] = field(default_factory=dict)
    score: float = 0.0
    severity: str = "info"


Scorer = Callable[[Candidate, RuleCtx], Candidate]


def check_exceptions(c: Candidate, ctx: RuleCtx) -> Candidate:
    """Drop the candidate when one of the rule's exceptions holds."""
    for name, cond in c.rule.exceptions:
        held = cond.test(ctx)
        if held is not None:
            raise Suppressed(f"exception '{name}' holds: {'; '.join(held)}")
    return c


def confidence(c: Candidate, ctx: RuleCtx) -> Candidate:
    c.breakdown["confidence"] = round(min(1.0, max(0.0, float(c.event.confidence or 0.0))), 4)
    return c


def corroboration(c: Candidate, ctx: RuleCtx) -> Candidate:
    n = max(1, int(c.incident.get("sources") or 1))
    c.breakdown["sources"] = n
    c.breakdown["corroboration"] = round(1 - 0.5 ** n, 4)
    return c


def specificity(c: Candidate, ctx: RuleCtx) -> Candidate:
    locs = c.event.locations
    if any(loc.regions or (loc.lat is not None and loc.lon is not None) for loc in locs):
        value = 1.0
    elif locs:
        value = 0.5
    else:
        value = 0.0
    c.breakdown["specificity"] = value
    return c


def combine(c: Candidate, ctx: RuleCtx) -> Candidate:
    """Weighted mean of the components the rule weighs."""
    weights: Mapping[str, float] = c.rule.weights
    total = sum(w for w in weights.values() if w > 0)
    score = sum(w * float(c.breakdown.get(k, 0.0)) for k, w in weights.items() if w > 0) / total if total else 0.0
    c.score = round(score, 4)
    c.breakdown["weights"] = dict(weights)
    c.breakdown["score"] = c.score
    return c


def escalate(c: Candidate, ctx: RuleCtx) -> Candidate:
    """Start at the rule's severity; raise it where an `escalate` condition also holds."""
    c.severity = c.rule.severity
    for cond, severity in c.rule.escalate:
        held = cond.test(ctx)
        if held is not None and SEVERITY_RANK[severity] > SEVERITY_RANK[c.severity]:
            c.severity = severity
            c.explanation.append(f"severity raised to {severity}: {'; '.join(held)}")
    c.breakdown["severity"] = c.severity
    return c


def threshold(c: Candidate, ctx: RuleCtx) -> Candidate:
    c.breakdown["threshold"] = c.rule.threshold
    if c.score < c.rule.threshold:
        raise Suppressed(f"score {c.score:.2f} below threshold {c.rule.threshold:.2f}")
    return c


DEFAULT_CHAIN: tuple[Scorer, ...] = (check_exceptions, confidence, corroboration, specificity, combine,
                                     escalate, threshold)


def run_chain(c: Candidate, ctx: RuleCtx, chain: Sequence[Scorer] = DEFAULT_CHAIN) -> Candidate:
    """Run every scorer in turn; `Suppressed` propagates to the caller."""
    for scorer in chain:
        c = scorer(c, ctx)
    return c
