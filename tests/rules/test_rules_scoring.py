"""Scoring: the breakdown, threshold, escalation and the scorer chain."""
from __future__ import annotations

import json
from typing import Any

import pytest

from detectors import scoring
from detectors.rules import load_sources
from detectors.rules.compiler import MatchCtx
from detectors.scoring import Candidate, Suppressed, run_chain

from rulekit import make_event


def rs(**rule: Any):  # type: ignore[no-untyped-def]
    body = {"rule": "r", "condition": {"region": "golan_heights"}, **rule}
    return load_sources([("t.yaml", "- " + json.dumps(body) + "\n")])


class TestBreakdown:
    def test_weighted_components(self) -> None:
        """score = weighted mean of confidence, corroboration (1 - 0.5**sources) and specificity."""
        (m,) = rs(threshold=0).match(make_event(confidence=0.8), {"sources": 2})
        b = m.score_breakdown
        assert (b["confidence"], b["corroboration"], b["specificity"], b["sources"]) == (0.8, 0.75, 1.0, 2)
        assert m.score == pytest.approx(0.6 * 0.8 + 0.25 * 0.75 + 0.15 * 1.0)
        assert b["threshold"] == 0 and b["severity"] == "medium"

    def test_rule_weights_override_defaults(self) -> None:
        """A rule may weigh only confidence."""
        (m,) = rs(threshold=0, score={"weights": {"confidence": 1, "corroboration": 0, "specificity": 0}}).match(
            make_event(confidence=0.3), {"sources": 5})
        assert m.score == pytest.approx(0.3)

    def test_place_without_coordinates_is_less_specific(self) -> None:
        """An event placed only by a bare name scores lower on specificity than one with coordinates."""
        r = rs(threshold=0, condition={"type": "shelling_artillery_missile_attack"})
        (a,) = r.match(make_event(), {"sources": 1})
        (b,) = r.match(make_event(locations=[dict(name="somewhere")]), {"sources": 1})
        (c,) = r.match(make_event(locations=[]), {"sources": 1})
        assert (a.score_breakdown["specificity"], b.score_breakdown["specificity"],
                c.score_breakdown["specificity"]) == (1.0, 0.5, 0.0)
        assert a.score > b.score > c.score


class TestThresholdAndSeverity:
    def test_below_threshold_is_not_a_match(self) -> None:
        """A match whose score is under the rule's threshold is dropped (and reported as a near miss)."""
        misses: list[Any] = []
        assert rs(threshold=0.9).match(make_event(confidence=0.5), {"sources": 1}, near_misses=misses) == []
        assert "below threshold 0.90" in misses[0].reason
        assert rs(threshold=0.5).match(make_event(confidence=0.5), {"sources": 1})

    def test_default_threshold_comes_from_the_schema(self) -> None:
        """With no threshold the schema's default (0.4) applies."""
        (m,) = rs().match(make_event(), {"sources": 1})
        assert m.threshold == 0.4

    def test_escalation_raises_severity_and_says_why(self) -> None:
        """An escalate condition that holds raises the severity and adds a line to the explanation."""
        r = rs(threshold=0, severity="high", escalate=[{"when": {"min_killed": 10}, "severity": "critical"},
                                                       {"when": {"min_killed": 1}, "severity": "low"}])
        (m,) = r.match(make_event(killed=12), {"sources": 1})
        assert m.severity == "critical"
        assert m.explanation[-1] == "severity raised to critical: 12 killed (at least 10)"
        (m,) = r.match(make_event(killed=2), {"sources": 1})
        assert m.severity == "high"


class TestChain:
    def test_chain_is_plain_callables_and_suppressed_stops_it(self) -> None:
        """A custom scorer can stop the chain with Suppressed; later scorers do not run."""
        rule = rs(threshold=0).rules[0]
        ran: list[str] = []

        def veto(c: Candidate, ctx: Any) -> Candidate:
            ran.append("veto")
            raise Suppressed("vetoed")

        def after(c: Candidate, ctx: Any) -> Candidate:
            ran.append("after")
            return c
        ev = make_event()
        ctx = MatchCtx(ev, {"sources": 1})
        with pytest.raises(Suppressed, match="vetoed"):
            run_chain(Candidate(rule, ev, ctx.incident, []), ctx, (scoring.confidence, veto, after))
        assert ran == ["veto"]
        c = run_chain(Candidate(rule, ev, ctx.incident, []), ctx, (scoring.confidence, after))
        assert c.breakdown == {"confidence": 0.8}
