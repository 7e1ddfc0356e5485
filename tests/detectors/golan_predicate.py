"""The flagship rule's event predicate, as the extraction tests check it without the rules engine
(bench/dev_check.py imports it to print the same figure for the dev cases)."""
from __future__ import annotations

from detectors.types import Event


KINETIC_FAMILIES = frozenset({"explosions_remote_violence", "battles"})


def golan_strike(e: Event, min_confidence: float = 0.5) -> bool:
    kinetic = e.family in KINETIC_FAMILIES or e.type == "disrupted_weapons_use"
    if not kinetic or e.polarity != "asserted" or e.background or e.confidence < min_confidence:
        return False
    if "golan_heights" not in e.regions:
        return False
    pair = {e.origin_country, e.impact_country}
    return (e.cross_border and pair == {"ISR", "SYR"}) or (e.origin_country is None and e.impact_country == "ISR")
