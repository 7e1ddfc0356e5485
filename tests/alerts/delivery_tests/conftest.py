"""Fixtures for the delivery tests; the helpers live in delivery_helpers.py."""
from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from delivery_helpers import Harness, Reply, ScriptedServer, make_alert
from prometheus_client import CollectorRegistry

from alerts.delivery import build_dispatcher



@pytest.fixture
def server() -> Iterator[Callable[..., tuple[ScriptedServer, str]]]:
    started: list[ScriptedServer] = []

    def make(*replies: Reply) -> tuple[ScriptedServer, str]:
        s = ScriptedServer(list(replies) or None)
        url = s.start()
        started.append(s)
        return s, url

    yield make
    for s in started:
        s.stop()


@pytest.fixture
def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/hook/TOKENabcdef123"


@pytest.fixture
def alert() -> dict[str, Any]:
    return make_alert()


@pytest.fixture
def harness() -> Harness:
    return Harness(CollectorRegistry(), {}, [])


@pytest.fixture
async def dispatcher_for(harness: Harness, tmp_path: Path):
    """Build a dispatcher from a list of sink dicts (written to a YAML file) plus extra config."""
    made = []

    def make(sinks: list[dict[str, Any]], env: dict[str, str] | None = None, **sections: Any):
        path = tmp_path / "delivery.yaml"
        path.write_text(yaml.safe_dump({"sinks": sinks, **sections}))
        env = {"NEWSMON_SILENCES": str(tmp_path / "silences.json"), **(env or {})}
        d = build_dispatcher(str(path), env, registry=harness.registry, delivered=harness.delivered,
                             on_dead_letter=harness.dead.append)
        made.append(d)
        return d

    yield make
    for d in made:
        await d.aclose()
