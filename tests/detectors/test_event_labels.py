"""The extraction quality targets on labelled events, through the real extractor (realis classifier on):
the event family right for ≥ 85% of labelled events and the location country for ≥ 90%, in each language.

- ``../shared/eval/dev.jsonl``: the shared dev cases (skipped when ``shared/`` is not beside the repo);
- ``tests/data/events_fresh.jsonl``: 50 articles (25 Arabic, 25 English, 113 labelled events) written for
  these tests without looking at the code, about conflicts across the Middle East, Africa, Afghanistan and
  Ukraine. On first run it scored family ar 0.97 / en 0.89 and location country ar 0.76 / en 0.95; the
  Arabic location misses were news spellings missing from the gazetteer (غزني, سرت, طرابلس), since added
  as hand-curated places, so this set is a regression set now, no longer blind;
- ``tests/data/events_fresh2.jsonl``: 40 more (20 + 20, 106 labelled events) by another blind writer,
  about conflicts worldwide (Myanmar, Colombia, Mexico, DR Congo, the Sahel…), mostly towns outside
  capitals. First run: family ar 0.98 / en 0.98, location country ar 0.83 / en 0.74: every miss was a place
  outside the gazetteer's countries. Country names worldwide (``places_countries.jsonl``), the neighbour
  across a border never being the location, more GeoNames countries and hand-curated places for Africa,
  the Americas and Asia followed; a regression set now;
- ``tests/data/events_fresh3.jsonl``: 40 more (20 + 20, 115 labelled events) by a third blind writer after
  those fixes, half Middle East, half elsewhere, with traps (neighbours across a border, owners, speakers in
  capitals). First run: location country ar 40/41, en 50/50; family ar 45/53 (0.849, just under the
  target), en 58/62. The Arabic family misses were report forms, fixed in general form
  (``test_report_forms.py``);
- ``tests/data/events_fresh4.jsonl``: 24 more (12 + 12, 54 labelled events) by a fourth blind writer after
  those fixes, two thirds Middle East. First run: family and location country 1.00 in both languages; its
  one wrong place (missiles "launched from the Belgorod region" placed in Belgorod) is fixed in
  ``test_report_forms.py``.

Label scoring: ``detectors.labels`` (also used by ``bench/dev_check.py``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from alerts import backtest as bt
from detectors.labels import agreement

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
SETS = {  # name → files scored together (each set large enough: ≥ 30 labelled events per language)
    "dev": [REPO.parent / "shared" / "eval" / "dev.jsonl"],
    "events_fresh": [DATA / "events_fresh.jsonl"],
    "events_fresh2": [DATA / "events_fresh2.jsonl"],
    "events_fresh3+4": [DATA / "events_fresh3.jsonl", DATA / "events_fresh4.jsonl"],
}
MIN_FAMILY, MIN_LOCATION = 0.85, 0.90


@pytest.fixture(scope="module", params=sorted(SETS))
def scored(request, extractor):
    articles = []
    for path in SETS[request.param]:
        if not path.exists():
            pytest.skip(f"{path} not found")
        got, bad = bt.read_articles(path)
        assert not bad, bad
        articles += got
    events = extractor.extract_many(articles)
    return agreement((a.id, a.lang, a.labels or {}, evs) for a, evs in zip(articles, events))


@pytest.mark.slow
def test_family_and_location_targets(scored) -> None:
    assert set(scored) == {"ar", "en"}
    for lang, ag in scored.items():
        assert ag.family_n >= 30 and ag.location_n >= 30, (lang, ag.family_n, ag.location_n)
        assert ag.family >= MIN_FAMILY, (lang, ag.family, ag.misses)
        assert ag.location >= MIN_LOCATION, (lang, ag.location, ag.misses)


def test_agreement_counts_what_is_missing() -> None:
    """No events for a labelled article: every family and every location counts as missed."""
    labels = {"events": [{"type": "air_strike", "location_country": "SYR"}, {"type": "statement"},
                         {"type": "protest"}]}  # an unknown label type is not scored
    ag = agreement([("a1", "ar", labels, [])])["ar"]
    assert (ag.family_n, ag.family_ok, ag.location_n, ag.location_ok) == (2, 0, 1, 0)
    assert ag.family == 0.0 and len(ag.misses) == 3
