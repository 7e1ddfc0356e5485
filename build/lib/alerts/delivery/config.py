"""Delivery configuration: which sinks exist and which alerts go where.

A YAML routing file (settings only; URLs and secrets come from the environment through ``${VAR}``)::

    retry:   {deadline: 60, initial: 0.5, max_delay: 30}     # seconds; all optional
    circuit: {failures: 5, reset_after: 30}
    sinks:
      - name: ops-slack
        type: slack            # webhook | slack | discord | mattermost | teams | alertmanager
        url: ${SLACK_WEBHOOK_URL}
        rate_limit: 1          # messages per second (default per type; 0 = unlimited)
        burst: 1
        timeout: 10
        match:                 # every key optional; all given keys must match
          rules: [golan-cross-border-strike]
          severities: [high, critical]      # or min_severity: high
          regions: [golan_heights]
      - name: partner
        type: webhook
        url: ${PARTNER_URL}
        secret: ${PARTNER_SECRET}

Without any file, ``NEWSMON_WEBHOOK_URL`` (signed with ``NEWSMON_WEBHOOK_SECRET`` when set) gives one
generic webhook sink named ``webhook`` that receives every alert. When both exist, both are used.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .types import Alert

SINK_TYPES = ("webhook", "slack", "discord", "mattermost", "teams", "alertmanager")
SEVERITIES = ("info", "low", "medium", "high", "critical")
# Default pacing per service (messages/second, burst): Slack posts about 1 msg/s; Discord allows
# about 30 per minute per webhook. None = no limit.
DEFAULT_RATE: dict[str, tuple[float | None, int]] = {
    "slack": (1.0, 1), "discord": (0.5, 5), "mattermost": (None, 1), "teams": (1.0, 2),
    "webhook": (None, 1), "alertmanager": (None, 1),
}
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class ConfigError(ValueError):
    """A bad delivery config. Messages name variables and keys, never their values."""


@dataclass(frozen=True, slots=True)
class SinkMatch:
    """Which alerts a sink receives; an unset criterion matches everything."""

    rules: frozenset[str] | None = None
    severities: frozenset[str] | None = None
    regions: frozenset[str] | None = None

    def matches(self, alert: Alert) -> bool:
        if self.rules is not None and alert.get("rule_id") not in self.rules:
            return False
        if self.severities is not None and alert.get("severity") not in self.severities:
            return False
        return self.regions is None or bool(self.regions & alert_regions(alert))


def alert_regions(alert: Alert) -> set[str]:
    """The regions an alert is about: from its event's locations (and an optional top-level list)."""
    found = {str(r) for r in alert.get("regions") or ()}
    event = alert.get("event") or {}
    for loc in event.get("locations") or ():
        found.update(str(r) for r in (loc.get("regions") or ()))
    return found


@dataclass(frozen=True, slots=True)
class SinkConfig:
    name: str
    type: str
    url: str = field(repr=False)
    secret: str | None = field(default=None, repr=False)
    timeout: float = 10.0
    rate_limit: float | None = None
    burst: int = 1
    match: SinkMatch = field(default_factory=SinkMatch)
    options: Mapping[str, Any] = field(default_factory=dict)  # per-service extras: username, channel, ...

    @property
    def secrets(self) -> tuple[str, ...]:
        """Everything about this sink that must never be logged (the URL and the signing secret)."""
        return tuple(s for s in (self.url, self.secret) if s)


@dataclass(frozen=True, slots=True)
class RetryConfig:
    deadline: float = 60.0  # seconds from the first attempt after which no new attempt starts
    initial: float = 0.5
    max_delay: float = 30.0
    multiplier: float = 2.0


@dataclass(frozen=True, slots=True)
class CircuitConfig:
    failures: int = 5  # consecutive failed attempts that open the circuit
    reset_after: float = 30.0  # seconds open before one trial attempt


@dataclass(frozen=True, slots=True)
class DeliveryConfig:
    sinks: tuple[SinkConfig, ...] = ()
    retry: RetryConfig = field(default_factory=RetryConfig)
    circuit: CircuitConfig = field(default_factory=CircuitConfig)


def substitute(value: str, env: Mapping[str, str], where: str) -> str:
    """Replace ``${VAR}`` with the variable's value; an unset variable is an error naming it."""
    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in env or env[name] == "":
            raise ConfigError(f"{where}: environment variable {name} is not set")
        return env[name]
    return _VAR.sub(repl, value)


def _names(raw: Any, where: str) -> frozenset[str] | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ConfigError(f"{where}: expected a list of strings")
    return frozenset(raw)


def _match(raw: Any, where: str) -> SinkMatch:
    if raw is None:
        return SinkMatch()
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping")
    unknown = set(raw) - {"rules", "severities", "min_severity", "regions"}
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
    severities = _names(raw.get("severities"), f"{where}.severities")
    if raw.get("min_severity") is not None:
        if raw["min_severity"] not in SEVERITIES:
            raise ConfigError(f"{where}.min_severity: one of {list(SEVERITIES)}")
        floor = frozenset(SEVERITIES[SEVERITIES.index(raw["min_severity"]):])
        severities = floor if severities is None else severities & floor
    if severities is not None and not severities <= set(SEVERITIES):
        raise ConfigError(f"{where}.severities: one of {list(SEVERITIES)}")
    return SinkMatch(rules=_names(raw.get("rules"), f"{where}.rules"), severities=severities,
                     regions=_names(raw.get("regions"), f"{where}.regions"))


_SINK_KEYS = {"name", "type", "url", "secret", "timeout", "rate_limit", "burst", "match"}


def _sink(raw: Any, env: Mapping[str, str], where: str) -> SinkConfig:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping")
    name, kind = raw.get("name"), raw.get("type")
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{where}.name: required")
    where = f"sink {name!r}"
    if kind not in SINK_TYPES:
        raise ConfigError(f"{where}.type: one of {list(SINK_TYPES)}")
    if not isinstance(raw.get("url"), str):
        raise ConfigError(f"{where}.url: required (use ${{VAR}} to read it from the environment)")
    url = substitute(raw["url"], env, f"{where}.url")
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"{where}.url: must be an http(s) URL")
    secret = substitute(raw["secret"], env, f"{where}.secret") if raw.get("secret") else None
    rate, burst = DEFAULT_RATE[kind]
    rate = raw.get("rate_limit", rate)
    options = {k: v for k, v in raw.items() if k not in _SINK_KEYS}
    try:
        return SinkConfig(name=name, type=kind, url=url, secret=secret,
                          timeout=float(raw.get("timeout", 10.0)),
                          rate_limit=float(rate) if rate else None, burst=int(raw.get("burst", burst)),
                          match=_match(raw.get("match"), f"{where}.match"), options=options)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"{where}: timeout, rate_limit and burst must be numbers") from None


def _section(cls: type, raw: Any, where: str) -> Any:
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping")
    try:
        return cls(**{k: float(v) if k != "failures" else int(v) for k, v in raw.items()})
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: unknown key or non-numeric value") from None


def webhook_from_env(env: Mapping[str, str]) -> SinkConfig | None:
    """The contract's generic webhook: NEWSMON_WEBHOOK_URL, signed with NEWSMON_WEBHOOK_SECRET if set."""
    url = env.get("NEWSMON_WEBHOOK_URL")
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise ConfigError("NEWSMON_WEBHOOK_URL: must be an http(s) URL")
    return SinkConfig(name="webhook", type="webhook", url=url, secret=env.get("NEWSMON_WEBHOOK_SECRET") or None)


def load_config(path: str | Path | None, env: Mapping[str, str]) -> DeliveryConfig:
    """Read the routing file (if any) and add the generic webhook from the environment (if set)."""
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
        try:
            loaded = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f":{mark.line + 1}" if mark is not None else ""
            raise ConfigError(f"{path}{line}: invalid YAML") from None
        raw = loaded or {}
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: expected a mapping with 'sinks'")
        unknown = set(raw) - {"sinks", "retry", "circuit"}
        if unknown:
            raise ConfigError(f"{path}: unknown keys {sorted(unknown)}")
    sinks_raw = raw.get("sinks") or []
    if not isinstance(sinks_raw, list):
        raise ConfigError(f"{path}: 'sinks' must be a list")
    sinks = [_sink(s, env, f"sinks[{i}]") for i, s in enumerate(sinks_raw)]
    generic = webhook_from_env(env)
    if generic is not None and all(s.name != generic.name for s in sinks):
        sinks.append(generic)
    names = [s.name for s in sinks]
    if len(set(names)) != len(names):
        raise ConfigError(f"{path}: sink names must be unique")
    return DeliveryConfig(sinks=tuple(sinks), retry=_section(RetryConfig, raw.get("retry"), "retry"),
                          circuit=_section(CircuitConfig, raw.get("circuit"), "circuit"))
