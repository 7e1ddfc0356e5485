"""Loading rule files: every error collected, each pointing at the right file:line:col."""
from __future__ import annotations

from pathlib import Path

import pytest

from detectors.rules import RuleLoadError, check_rules, load_rules
from detectors.rules import errors as E
from streams.cli import main as cli

from rulekit import REPO, write

GOOD = """
- list: kinetic
  items: [air_drone_strike, shelling_artillery_missile_attack]

- macro: news
  condition: {polarity: asserted, background: false}

- rule: demo
  title: Demo
  condition:
    all:
      - type: kinetic
      - news
  severity: high
"""


def _errors(path: Path) -> list[E.RuleError]:
    with pytest.raises(RuleLoadError) as info:
        load_rules(path)
    return info.value.errors


class TestGoodFiles:
    def test_loads_lists_macros_rules(self, tmp_path: Path) -> None:
        """A valid file loads into a RuleSet with its rule, and check_rules finds no error."""
        rs = load_rules(write(tmp_path, GOOD))
        assert [r.id for r in rs] == ["demo"]
        assert not [p for p in check_rules(tmp_path / "rules.yaml") if p.is_error]

    def test_shipped_rules_are_valid(self) -> None:
        """The rules shipped in rules/ load and contain the flagship rule."""
        rs = load_rules(REPO / "rules")
        assert "golan-cross-border-strike" in rs.by_id
        assert rs.by_id["golan-cross-border-strike"].severity == "high"

    def test_folder_loads_files_in_name_order(self, tmp_path: Path) -> None:
        """A folder's files are read in name order, so a list may be appended to by a later file."""
        write(tmp_path, GOOD, "10-base.yaml")
        write(tmp_path, """
            - list: kinetic
              items: [disrupted_weapons_use]
              override: {items: append}
        """, "20-local.yaml")
        rs = load_rules(tmp_path)
        assert rs.by_id["demo"].condition.keys == frozenset(
            {("type", "air_drone_strike"), ("type", "shelling_artillery_missile_attack"),
             ("type", "disrupted_weapons_use")})


class TestBrokenFiles:
    def test_yaml_syntax_error_has_its_line(self, tmp_path: Path) -> None:
        """A YAML syntax error is reported at the line where the parser stopped."""
        p = write(tmp_path, """
            - rule: x
              condition: {type: [air_drone_strike}
            - rule: y
        """)
        (err,) = _errors(p)
        assert err.code == E.YAML_PARSE
        assert (err.file, err.line) == (str(p), 2)
        assert str(err).startswith(f"{p}:2: YAML syntax error")

    def test_unknown_condition_key_points_at_the_key(self, tmp_path: Path) -> None:
        """A misspelt condition key is an error at its own line and column, with a suggestion."""
        p = write(tmp_path, """
            - rule: x
              condition:
                all:
                  - type: air_drone_strike
                  - regoin: golan_heights
        """)
        (err,) = _errors(p)
        assert (err.line, err.col) == (5, 9)
        assert "unknown condition 'regoin'" in err.message and "did you mean 'region'" in err.message
        assert err.rule_id == "x" and err.item_type == "rule"

    def test_all_errors_are_collected_across_files(self, tmp_path: Path) -> None:
        """Several errors in several files are all reported, in file and line order."""
        write(tmp_path, """
            - rule: a
              condition: {type: air_strike}
            - rule: b
              condition: no_such_macro
            - rule: c
              condition: {polarity: asserted}
              severity: urgent
        """, "a.yaml")
        write(tmp_path, """
            - rule: d
              condition: {impact_country: Syria}
            - rule: a
              condition: {type: armed_clash}
        """, "b.yaml")
        errs = _errors(tmp_path)
        where = [(Path(e.file).name, e.line) for e in errs]
        assert where == [("a.yaml", 2), ("a.yaml", 4), ("a.yaml", 7), ("b.yaml", 2), ("b.yaml", 3)]
        msgs = [e.message for e in errs]
        assert "unknown event type 'air_strike'" in msgs[0]
        assert "undefined macro 'no_such_macro'" in msgs[1]
        assert "severity" in msgs[2]
        assert "ISO 3166-1 alpha-3" in msgs[3]
        assert "already defined at" in msgs[4] and errs[4].code == E.DUPLICATE_ITEM

    def test_macro_cycle_and_list_as_condition(self, tmp_path: Path) -> None:
        """A macro using itself, and a list named where a condition belongs, are errors with locations."""
        p = write(tmp_path, """
            - list: things
              items: [armed_clash]
            - macro: m1
              condition: m2
            - macro: m2
              condition: {all: [m1]}
            - rule: r
              condition: {all: [m1, things]}
        """)
        errs = _errors(p)
        assert any("uses itself" in e.message for e in errs)
        lst = [e for e in errs if "that is a list" in e.message]
        assert lst and lst[0].line == 8

    def test_item_without_kind_and_duplicate_key(self, tmp_path: Path) -> None:
        """An entry with no item key, and a key given twice, are both reported at their lines."""
        p = write(tmp_path, """
            - rules: x
              condition: {}
            - rule: y
              condition: {type: armed_clash}
              condition: {type: grenade}
        """)
        errs = _errors(p)
        assert [(e.line, e.code) for e in errs] == [(1, E.YAML_VALIDATE), (5, E.DUPLICATE_KEY)]

    def test_bad_near_and_undefined_place(self, tmp_path: Path) -> None:
        """`near` needs km and a defined place."""
        p = write(tmp_path, """
            - rule: y
              condition:
                any:
                  - near: {place: nowhere, km: 5}
                  - near: {lat: 1, lon: 2, km: -3}
        """)
        errs = _errors(p)
        assert [e.line for e in errs] == [4, 5]
        assert "undefined place 'nowhere'" in errs[0].message


class TestWarnings:
    def test_unknown_key_is_a_warning_not_an_error(self, tmp_path: Path) -> None:
        """An unknown rule key loads (with a warning at its line) rather than failing or being ignored."""
        p = write(tmp_path, GOOD + "  serverity: low\n")
        rs = load_rules(p)
        (w,) = [w for w in rs.warnings if w.code == E.UNKNOWN_KEY]
        assert w.line == 14 and "serverity" in w.message and "severity" in w.message
        assert str(w).startswith(f"{p}:14: warning:")

    def test_unused_macro_and_list(self, tmp_path: Path) -> None:
        """Macros and lists no rule uses are reported as warnings; their own errors still count."""
        p = write(tmp_path, GOOD + """
- macro: spare
  condition: {polarity: negated}
- list: spare_list
  items: [x]
""")
        rs = load_rules(p)
        codes = {(w.code, w.rule_id) for w in rs.warnings}
        assert (E.UNUSED_MACRO, "spare") in codes and (E.UNUSED_LIST, "spare_list") in codes
        write(tmp_path, GOOD + "- macro: broken\n  condition: {type: nope}\n")
        assert [(e.line, e.rule_id) for e in _errors(p)] == [(15, "broken")]


class TestCheckCommand:
    def test_exit_codes_and_output(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """`newsmon rules check`: 0 when valid, 1 printing file:line: message per error, 2 on bad usage."""
        good = write(tmp_path, GOOD, "good.yaml")
        assert cli(["rules", "check", str(good), "--no-examples"]) == 0
        bad = write(tmp_path, """
            - rule: a
              condition: {type: air_strike}
            - rule: b
              condition: {typo: 1}
        """, "bad.yaml")
        capsys.readouterr()
        assert cli(["rules", "check", str(bad)]) == 1
        out = capsys.readouterr().out.splitlines()
        assert out[0].startswith(f"{bad}:2: unknown event type 'air_strike'")
        assert out[1].startswith(f"{bad}:4: unknown condition 'typo'")
        with pytest.raises(SystemExit) as ex:
            cli(["rules", "check"])
        assert ex.value.code == 2
        assert cli(["rules"]) == 2
        assert cli(["rules", "check", str(tmp_path / "missing.yaml")]) == 1


class TestExamples:
    RULE = """
- rule: golan
  condition: {region: golan_heights}
  threshold: 0
  examples:
    match:
      - Shell lands on the Golan.
      - Nothing here.
    no_match:
      - A strike in Damascus.
      - Another shell on the Golan.
"""

    def test_failing_examples_are_errors_at_their_lines(self, tmp_path: Path) -> None:
        """Examples run through the extractor seam and the real matching; a wrong outcome is an error at the
        example's own line."""
        from detectors.rules.examples import check_examples
        from detectors.types import Article

        from rulekit import make_event

        def extract(article: Article) -> list:  # type: ignore[type-arg]
            if "Golan" in article.body:
                return [make_event(f"{article.id}:1", article_id=article.id, sentence=article.body)]
            return []
        rs = load_rules(write(tmp_path, self.RULE))
        errs = check_examples(rs, extract)
        assert [(e.line, e.code) for e in errs] == [(7, E.EXAMPLE_FAILED), (10, E.EXAMPLE_FAILED)]
        assert "match[2]: the rule does not fire on \"Nothing here.\"" in errs[0].message
        assert "no_match[2]: the rule fires on \"Another shell on the Golan.\"" in errs[1].message

    def test_without_extractor_examples_are_skipped_with_a_warning(self, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
        """No extractor: one warning says the examples were not checked; no error."""
        from detectors.rules import examples

        def missing():  # type: ignore[no-untyped-def]
            raise ImportError("No module named 'detectors.extract'")
        monkeypatch.setattr(examples, "load_extractor", missing)
        (w,) = check_rules(write(tmp_path, self.RULE))
        assert w.level == "warning" and w.code == E.EXAMPLES_SKIPPED and "not checked" in w.message
