"""Routing config, env substitution, the generic webhook from the environment, and the HTTP helpers."""
from __future__ import annotations

import pytest
from delivery_helpers import make_alert

from alerts.delivery.config import ConfigError, load_config
from alerts.delivery.notifiers.http import classify_status, parse_retry_after, redact_url, scrub


def write(tmp_path, text: str) -> str:
    path = tmp_path / "sinks.yaml"
    path.write_text(text)
    return str(path)


class TestConfig:
    def test_generic_webhook_from_env_without_any_file(self):
        cfg = load_config(None, {"NEWSMON_WEBHOOK_URL": "https://h.example/in/abc", "NEWSMON_WEBHOOK_SECRET": "s"})
        [sink] = cfg.sinks
        assert (sink.name, sink.type, sink.url, sink.secret) == ("webhook", "webhook", "https://h.example/in/abc", "s")
        assert sink.match.matches(make_alert())

    def test_unsigned_when_no_secret_and_nothing_when_no_url(self):
        assert load_config(None, {"NEWSMON_WEBHOOK_URL": "http://127.0.0.1:1/x"}).sinks[0].secret is None
        assert load_config(None, {}).sinks == ()

    def test_env_substitution_and_defaults_per_type(self, tmp_path):
        path = write(tmp_path, """
sinks:
  - name: ops
    type: slack
    url: ${SLACK_URL}
    username: newsmon
    match: {min_severity: high, regions: golan_heights}
  - name: partner
    type: webhook
    url: https://partner.example/${PARTNER_PATH}
    secret: ${PARTNER_SECRET}
retry: {deadline: 30}
circuit: {failures: 3}
""")
        cfg = load_config(path, {"SLACK_URL": "https://hooks.slack.com/services/T/B/X", "PARTNER_PATH": "in/42",
                                 "PARTNER_SECRET": "k", "NEWSMON_WEBHOOK_URL": "https://generic.example/h"})
        ops, partner, generic = cfg.sinks
        assert ops.url == "https://hooks.slack.com/services/T/B/X" and ops.rate_limit == 1.0
        assert ops.options == {"username": "newsmon"}
        assert ops.match.severities == {"high", "critical"} and ops.match.regions == {"golan_heights"}
        assert partner.url == "https://partner.example/in/42" and partner.secret == "k"
        assert partner.rate_limit is None
        assert generic.name == "webhook"
        assert cfg.retry.deadline == 30 and cfg.circuit.failures == 3

    def test_unset_variable_is_named_but_no_value_is_shown(self, tmp_path):
        path = write(tmp_path, "sinks: [{name: a, type: slack, url: '${NOT_SET}'}]")
        with pytest.raises(ConfigError, match="NOT_SET is not set"):
            load_config(path, {})

    def test_config_repr_hides_urls_and_secrets(self, tmp_path):
        cfg = load_config(None, {"NEWSMON_WEBHOOK_URL": "https://h.example/in/T0KEN123", "NEWSMON_WEBHOOK_SECRET": "S3CRET"})
        assert "T0KEN123" not in repr(cfg) and "S3CRET" not in repr(cfg)

    @pytest.mark.parametrize("text,message", [
        ("sinks: [{name: a, type: telegram, url: 'https://x'}]", "type"),
        ("sinks: [{name: a, type: slack}]", "url"),
        ("sinks: [{name: a, type: slack, url: 'ftp://x'}]", "http"),
        ("sinks: [{name: a, type: slack, url: 'https://x', match: {colour: red}}]", "unknown keys"),
        ("sinks: [{name: a, type: slack, url: 'https://x', match: {min_severity: huge}}]", "min_severity"),
        ("sinks: [{name: a, type: slack, url: 'https://x'}, {name: a, type: teams, url: 'https://y'}]", "unique"),
        ("sinkz: []", "unknown keys"),
        ("sinks: [\n  {name: a", "invalid YAML"),
    ])
    def test_bad_config_is_reported(self, tmp_path, text, message):
        with pytest.raises(ConfigError, match=message):
            load_config(write(tmp_path, text), {})


class TestHttpHelpers:
    @pytest.mark.parametrize("url,expected", [
        ("https://hooks.slack.com/services/T0/B0/XXXX", "https://hooks.slack.com/<redacted>"),
        ("https://discord.com/api/webhooks/1/tok?wait=true", "https://discord.com/<redacted>"),
        ("http://127.0.0.1:9093", "http://127.0.0.1:9093"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("http://user:pw@host.example/x", "http://host.example/<redacted>"),
    ])
    def test_redact_url(self, url, expected):
        assert redact_url(url) == expected

    def test_scrub_removes_tokens_even_inside_other_text(self):
        url = "https://hooks.slack.com/services/T0AAAAAA/B0BBBBBB/secrettoken123?x=querysecret9"
        text = "invalid_token for /services/T0AAAAAA/B0BBBBBB/secrettoken123 q=querysecret9 key=whsec_1"
        out = scrub(text, [url, "whsec_1"])
        for s in ("secrettoken123", "querysecret9", "whsec_1", "B0BBBBBB"):
            assert s not in out

    @pytest.mark.parametrize("value,expected", [("3", 3.0), ("0.5", 0.5), (None, None), ("soon", None),
                                                ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)])
    def test_parse_retry_after(self, value, expected):
        assert parse_retry_after(value) == expected

    def test_retry_after_http_date_in_the_future(self):
        assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == pytest.approx(10)

    def test_classify_keeps_retry_after_only_when_retryable(self):
        assert classify_status(204) is None
        assert classify_status(429, retry_after=2).retry_after == 2
        assert classify_status(400, retry_after=2).retry_after is None
        assert classify_status(404, retry_codes=frozenset({404})).retryable


def test_shipped_example_config_loads():
    """The example routing file is valid once its variables are set."""
    from pathlib import Path

    import alerts.delivery
    example = Path(alerts.delivery.__file__).parent / "sinks.example.yaml"
    env = {v: f"https://{v.lower()}.example/hook/x" for v in (
        "SLACK_WEBHOOK_URL", "DISCORD_WEBHOOK_URL", "MATTERMOST_WEBHOOK_URL", "TEAMS_WORKFLOW_URL",
        "ALERTMANAGER_URL", "PARTNER_WEBHOOK_URL")}
    cfg = load_config(example, {**env, "PARTNER_WEBHOOK_SECRET": "k"})
    assert [s.type for s in cfg.sinks] == ["slack", "discord", "mattermost", "teams", "alertmanager", "webhook"]
    assert cfg.sinks[1].options == {"username": "newsmon"}
