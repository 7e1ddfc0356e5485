"""Watch rules: loading (with located errors), matching events, hot reload.

    rules = load_rules("rules/")            # raises RuleLoadError(.errors: list[RuleError])
    matches = rules.match(event, incident)  # list[Match]
    problems = check_rules("rules/")        # errors and warnings, examples included
"""
from detectors.rules.errors import RuleError, RuleLoadError
from detectors.rules.holder import RulesHolder
from detectors.rules.loader import check_rules, compile_sources, load_rules, load_sources
from detectors.rules.ruleset import Match, NearMiss, RuleSet
from detectors.rules.text import normalize, normalize_arabic

__all__ = ["Match", "NearMiss", "RuleError", "RuleLoadError", "RuleSet", "RulesHolder", "check_rules",
           "compile_sources", "load_rules", "load_sources", "normalize", "normalize_arabic"]
