"""Silences: matchers, expiry, the JSON store, the delivery stage and the `newsmon silence` command."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from delivery_helpers import Reply, make_alert

from alerts.delivery.silences import Silences, parse_duration
from streams.cli import main


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(tmp_path):
    return Silences(tmp_path / "silences.json", clock=Clock())


class TestSilences:
    @pytest.mark.parametrize("kw", [{"rule_id": "golan-cross-border-strike"}, {"region": "golan_heights"},
                                    {"incident_id": "inc-7"}])
    def test_each_matcher_mutes(self, store, kw):
        s = store.add(duration=timedelta(hours=2), **kw)
        assert store.match(make_alert())["id"] == s.id

    @pytest.mark.parametrize("kw", [{"rule_id": "other-rule"}, {"region": "gaza"}, {"incident_id": "inc-8"}])
    def test_non_matching_silence_does_not_mute(self, store, kw):
        store.add(duration=timedelta(hours=2), **kw)
        assert store.match(make_alert()) is None

    def test_all_matchers_must_match(self, store):
        store.add(duration=timedelta(hours=1), rule_id="golan-cross-border-strike", region="gaza")
        assert store.match(make_alert()) is None

    def test_expires_by_itself(self, store):
        store.add(duration=timedelta(minutes=30), rule_id="golan-cross-border-strike")
        store.clock.now += timedelta(minutes=29)
        assert store.match(make_alert()) is not None
        store.clock.now += timedelta(minutes=2)
        assert store.match(make_alert()) is None
        assert store.all() == [] and len(store.all(include_expired=True)) == 1

    def test_expire_now_by_id_prefix(self, store):
        s = store.add(duration=timedelta(hours=1), region="golan_heights")
        store.expire(s.id[:6])
        assert store.match(make_alert()) is None
        with pytest.raises(KeyError):
            store.expire("nope")

    def test_another_process_writing_the_file_is_seen(self, tmp_path, store):
        assert store.match(make_alert()) is None
        other = Silences(tmp_path / "silences.json", clock=store.clock)
        other.add(duration=timedelta(hours=1), incident_id="inc-7")
        assert store.match(make_alert()) is not None

    def test_at_least_one_matcher(self, store):
        with pytest.raises(ValueError):
            store.add(duration=timedelta(hours=1))

    @pytest.mark.parametrize("text,seconds", [("90s", 90), ("30m", 1800), ("2h", 7200), ("1d", 86400),
                                              ("1h30m", 5400)])
    def test_parse_duration(self, text, seconds):
        assert parse_duration(text).total_seconds() == seconds

    @pytest.mark.parametrize("text", ["", "2", "2x", "h", "-1h", "0m"])
    def test_parse_duration_rejects(self, text):
        with pytest.raises(ValueError):
            parse_duration(text)


class TestSilenceStage:
    async def test_silenced_alert_sends_nothing_and_reports_silenced(self, server, dispatcher_for, harness, tmp_path):
        srv, url = server(Reply(200))
        d = dispatcher_for([{"name": "a", "type": "webhook", "url": url},
                            {"name": "b", "type": "slack", "url": url + "/services/x"}])
        s = Silences(tmp_path / "silences.json").add(duration=timedelta(hours=1), region="golan_heights")
        report = await d.deliver(make_alert())
        assert report.outcomes() == {"a": "silenced", "b": "silenced"}
        assert report.results["a"].silence_id == s.id
        assert srv.seen == [] and harness.delivered == {} and harness.dead == []
        assert harness.sample("newsmon_webhook_deliveries_total", sink="a", outcome="silenced") == 1
        other = await d.deliver(make_alert(id="x", event={"locations": [{"name": "Gaza", "regions": ["gaza"]}]}))
        assert other.outcomes() == {"a": "delivered", "b": "delivered"}

    async def test_alert_marked_silenced_by_the_engine_is_not_sent(self, server, dispatcher_for):
        srv, url = server(Reply(200))
        d = dispatcher_for([{"name": "a", "type": "webhook", "url": url}])
        report = await d.deliver(make_alert(silenced={"id": "s-1", "matchers": {"rule_id": "x"}}))
        assert report.outcomes() == {"a": "silenced"} and report.results["a"].silence_id == "s-1"
        assert srv.seen == []


class TestSilenceCommand:
    def run(self, capsys, tmp_path, *argv: str) -> tuple[int, str, str]:
        code = main(["silence", "--file", str(tmp_path / "s.json"), *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    def test_add_list_expire(self, capsys, tmp_path):
        code, out, _ = self.run(capsys, tmp_path, "add", "--rule", "golan-cross-border-strike", "--for", "2h",
                                "--comment", "known exercise")
        assert code == 0 and "rule_id=golan-cross-border-strike" in out
        sid = out.split()[0]
        code, out, _ = self.run(capsys, tmp_path, "list", "--json")
        [item] = json.loads(out)
        assert item["id"] == sid and item["comment"] == "known exercise"
        assert Silences(tmp_path / "s.json").match(make_alert())["id"] == sid
        code, out, _ = self.run(capsys, tmp_path, "expire", sid)
        assert code == 0 and "expired" in out
        assert Silences(tmp_path / "s.json").match(make_alert()) is None
        code, out, _ = self.run(capsys, tmp_path, "list")
        assert "no active silences" in out

    def test_region_and_incident(self, capsys, tmp_path):
        assert self.run(capsys, tmp_path, "add", "--region", "golan_heights", "--incident", "inc-7", "--for", "30m")[0] == 0
        assert Silences(tmp_path / "s.json").match(make_alert()) is not None

    def test_env_var_chooses_the_file(self, capsys, tmp_path, monkeypatch):
        monkeypatch.setenv("NEWSMON_SILENCES", str(tmp_path / "env.json"))
        assert main(["silence", "add", "--incident", "inc-7", "--for", "1h"]) == 0
        assert (tmp_path / "env.json").exists()

    @pytest.mark.parametrize("argv,code", [
        (["add", "--for", "2h"], 2),
        (["add", "--rule", "r", "--for", "soon"], 2),
        (["expire", "does-not-exist"], 1),
    ])
    def test_errors(self, capsys, tmp_path, argv, code):
        assert self.run(capsys, tmp_path, *argv)[0] == code

    def test_missing_for_is_a_usage_error(self, capsys, tmp_path):
        with pytest.raises(SystemExit) as info:
            self.run(capsys, tmp_path, "add", "--rule", "r")
        assert info.value.code == 2


def test_a_corrupt_file_keeps_the_last_good_silences(store):
    """A half-written or hand-broken file must not stop delivery: the last good silences stay in force."""
    store.add(duration=timedelta(hours=1), incident_id="inc-7")
    assert store.match(make_alert()) is not None
    store.path.write_text('{"silences": [{"id": ')
    from structlog.testing import capture_logs
    with capture_logs() as logs:
        assert store.match(make_alert()) is not None
    assert logs[0]["event"] == "silences_unreadable"
