"""Fixtures for the extraction tests: one Extractor per session (loading builds both pipelines)."""
from __future__ import annotations

import pytest

from detectors.types import Article, Event  # noqa: F401


@pytest.fixture(scope="session")
def extractor():
    from detectors.extract import Extractor

    return Extractor.load()


@pytest.fixture(scope="session")
def rules_extractor():
    """The rule pipeline alone (no realis classifier): for tests of dates, polarity, roles and places."""
    from detectors.extract import Extractor

    return Extractor.load(realis=None)


@pytest.fixture(scope="session")
def extract(rules_extractor):
    extractor = rules_extractor

    def run(body: str, lang: str, *, title: str = "", published_at: str = "2017-07-01T06:00:00Z",
            id: str = "t") -> list[Event]:
        return extractor(Article(id=id, title=title, body=body, lang=lang, published_at=published_at))

    return run
