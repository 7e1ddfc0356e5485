"""Shared fixtures. Integration tests run against a real Kafka broker that the tests start themselves
(streams.broker.LocalBroker, from the jars scripts/setup.sh fetched), or the one at NEWSMON_TEST_BOOTSTRAP."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def kafka_bootstrap():
    given = os.environ.get("NEWSMON_TEST_BOOTSTRAP")
    if given:
        yield given
        return
    from streams.broker import LocalBroker

    broker = LocalBroker()
    broker.start(timeout=120)
    try:
        yield broker.bootstrap
    finally:
        broker.stop()
