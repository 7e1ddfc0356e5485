import pytest

from streams.settings import SettingsError, load_settings
from streams.tables import TrackedMapping


class TestSettings:
    def test_defaults_match_the_contract(self):
        s = load_settings({})
        assert s.kafka_bootstrap == "localhost:9092"
        assert s.web_port == 6066
        assert s.rules == "rules/"
        assert s.webhook_url is None

    def test_environment_wins_over_file(self, tmp_path):
        cfg = tmp_path / "c.yaml"
        cfg.write_text("web_port: 7000\nkafka_bootstrap: file:1\n")
        s = load_settings({"NEWSMON_CONFIG": str(cfg), "KAFKA_BOOTSTRAP": "env:2"})
        assert s.kafka_bootstrap == "env:2" and s.web_port == 7000
        assert s.broker_url == "kafka://env:2"

    def test_bad_values_are_named(self, tmp_path):
        with pytest.raises(SettingsError, match="web_port"):
            load_settings({"NEWSMON_WEB_PORT": "eighty"})
        cfg = tmp_path / "c.yaml"
        cfg.write_text("wbe_port: 1\n")
        with pytest.raises(SettingsError, match="wbe_port"):
            load_settings({"NEWSMON_CONFIG": str(cfg)})


class TestTrackedMapping:
    def test_assigned_keys_are_written_once_on_flush_and_read_keys_are_not(self):
        table = {"a": {"n": 1}, "r": {"n": 0}}
        writes = []

        class Recording(dict):
            def __setitem__(self, k, v):
                writes.append(k)
                super().__setitem__(k, v)

        rec = Recording(table)
        view = TrackedMapping(rec)
        assert view["r"] == {"n": 0}  # only read
        a = view["a"]
        a["n"] = 2  # read, changed, assigned back (as the engine does)
        view["a"] = a
        view["b"] = {"n": 3}
        view["b"] = {"n": 4}
        assert view["a"] is a  # one object for the step
        assert writes == []  # nothing written until flush
        assert view.flush() == 2
        assert sorted(writes) == ["a", "b"] and rec["a"] == {"n": 2} and rec["b"] == {"n": 4}
        assert view.flush() == 0 and sorted(writes) == ["a", "b"]

    def test_delete_and_iterate(self):
        view = TrackedMapping({"a": 1, "b": 2})
        view["c"] = 3
        view["a"] = 4  # a write to an existing key is not a new key
        assert sorted(view) == ["a", "b", "c"] and len(view) == 3
        del view["a"]
        assert sorted(view) == ["b", "c"] and len(view) == 2 and "a" not in view
