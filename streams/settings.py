"""Settings: environment variables first, then an optional YAML config file (CONTRACT §5).

The config file is `NEWSMON_CONFIG` if set, else `newsmon.yaml` in the working directory if present.
Keys in the file are the variable names in lower case without the prefix (`kafka_bootstrap`, `web_port`…).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    kafka_bootstrap: str = "localhost:9092"
    rules: str = "rules/"
    web_port: int = 6066
    web_host: str = "127.0.0.1"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    sinks_config: str | None = None  # routing/sinks YAML for chat services (alerts.delivery)
    app_id: str = "newsmon"
    data_dir: str = ".newsmon"  # Faust table state (rocksdb/memory) and local files
    article_partitions: int = 4  # extraction scales with partitions × worker processes
    extract_processes: int = 1  # NLP worker processes per Faust worker (CPU work off the event loop)
    extract_niceness: int = 5  # the NLP processes yield the CPU to the event loop (0: same priority)
    extract_recycle_articles: int = 20_000  # fresh NLP processes after this many articles (spaCy's vocab grows)
    batch_size: int = 32  # at most this many articles per extraction call (batches form while one runs)
    max_article_bytes: int = 1_000_000
    producer_linger_ms: int = 5  # the Kafka producer batches records this long: fewer requests, +5 ms a hop
    rules_poll_seconds: float = 5.0
    log_level: str = "info"

    @property
    def broker_url(self) -> str:
        hosts = [h.strip() for h in self.kafka_bootstrap.split(",") if h.strip()]
        return ";".join(f"kafka://{h.removeprefix('kafka://')}" for h in hosts)

    @property
    def rules_path(self) -> Path:
        path = Path(self.rules)
        return path if path.is_absolute() or path.exists() else REPO_ROOT / path


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    file_values: dict[str, Any] = {}
    config_path = env.get("NEWSMON_CONFIG") or ("newsmon.yaml" if Path("newsmon.yaml").exists() else None)
    if config_path:
        try:
            loaded = yaml.safe_load(Path(config_path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise SettingsError(f"{config_path}: cannot read config file: {exc}") from None
        if not isinstance(loaded, dict):
            raise SettingsError(f"{config_path}: the config file must be a mapping of setting: value")
        file_values = {str(k).lower(): v for k, v in loaded.items()}
    values: dict[str, Any] = {}
    known = {f.name: f for f in fields(Settings)}
    for name, spec in known.items():
        raw = env.get("KAFKA_BOOTSTRAP") if name == "kafka_bootstrap" else env.get(f"NEWSMON_{name.upper()}")
        if raw is None:
            raw = file_values.get(name)
        if raw is None or raw == "":
            continue
        values[name] = _coerce(name, raw, type(spec.default) if spec.default is not None else str)
    unknown = set(file_values) - set(known)
    if unknown:
        raise SettingsError(f"{config_path}: unknown setting(s): {', '.join(sorted(unknown))}")
    return Settings(**values)


def _coerce(name: str, raw: Any, kind: type) -> Any:
    try:
        if kind is int:
            return int(raw)
        if kind is float:
            return float(raw)
        return str(raw)
    except (TypeError, ValueError):
        raise SettingsError(f"setting {name}: expected {kind.__name__}, got {raw!r}") from None
