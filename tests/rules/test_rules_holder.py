"""RulesHolder: hot reload refuses a broken change and keeps the rules in force."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from detectors.rules import RuleLoadError, RulesHolder

from rulekit import write

ONE = "- rule: one\n  condition: {region: golan_heights}\n"
TWO = ONE + "- rule: two\n  condition: {type: armed_clash}\n"
BROKEN = ONE + "- rule: two\n  condition: {type: armed_clsh}\n"


def touch_later(p: Path, text: str) -> None:
    st = p.stat()
    p.write_text(text, encoding="utf-8")
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


class TestRulesHolder:
    def test_unchanged_is_none_and_change_loads(self, tmp_path: Path) -> None:
        """No change: None. A good change: [] and the new rules are in force, listeners told."""
        p = write(tmp_path, ONE)
        heard: list[int] = []
        h = RulesHolder(tmp_path, on_change=lambda rs: heard.append(len(rs)))
        assert h.reload_if_changed() is None
        touch_later(p, TWO)
        assert h.reload_if_changed() == []
        assert [r.id for r in h.rules] == ["one", "two"] and heard == [2]

    def test_broken_change_is_refused(self, tmp_path: Path) -> None:
        """A change with errors is refused with its located errors; the old rules stay in force."""
        p = write(tmp_path, ONE)
        h = RulesHolder(p)
        before = h.rules
        touch_later(p, BROKEN)
        errs = h.reload_if_changed()
        assert errs and errs[0].line == 4 and "armed_clsh" in errs[0].message
        assert h.rules is before and h.last_errors == errs
        assert h.reload_if_changed() is None  # not retried until the file changes again
        touch_later(p, TWO)
        assert h.reload_if_changed() == [] and len(h.rules) == 2

    def test_new_file_in_folder_is_seen(self, tmp_path: Path) -> None:
        """Adding a file to the rules folder counts as a change."""
        write(tmp_path, ONE, "a.yaml")
        h = RulesHolder(tmp_path)
        write(tmp_path, "- rule: three\n  condition: {type: grenade}\n", "b.yaml")
        assert h.reload_if_changed() == [] and len(h.rules) == 2

    def test_apply_document(self, tmp_path: Path) -> None:
        """Documents from the rules topic layer on the files; a broken one is refused; empty removes."""
        write(tmp_path, ONE)
        h = RulesHolder(tmp_path)
        assert h.apply_document("extra", "- rule: k\n  condition: {type: grenade}\n") == []
        assert {r.id for r in h.rules} == {"one", "k"}
        errs = h.apply_document("extra", "- rule: k\n  condition: {typ: grenade}\n")
        assert errs and str(errs[0]).startswith("kafka:extra:2: unknown condition 'typ'")
        assert {r.id for r in h.rules} == {"one", "k"} and "extra" in h.documents
        assert h.apply_document("extra", "") == [] and {r.id for r in h.rules} == {"one"}

    def test_broken_at_start_raises(self, tmp_path: Path) -> None:
        """With no rules in force yet, broken rules raise RuleLoadError."""
        with pytest.raises(RuleLoadError):
            RulesHolder(write(tmp_path, BROKEN))
