"""Small geographic helpers for rules and incident fusion: distances, and which places are too coarse to
fuse on."""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def has_coords(loc: object) -> bool:
    lat = getattr(loc, "lat", None) if not isinstance(loc, dict) else loc.get("lat")
    lon = getattr(loc, "lon", None) if not isinstance(loc, dict) else loc.get("lon")
    return isinstance(lat, (int, float)) and isinstance(lon, (int, float))


_COARSE_KINDS = ("country", "macro_region", "sea")


@lru_cache(maxsize=1)
def coarse_places() -> tuple[frozenset[str], frozenset[tuple[float, float]]]:
    """Names (normalised) and coordinates of places too coarse to say two reports are at one place:
    countries and macro-regions ("Syria", "southern Israel"), read from the extraction helper's gazetteer
    (detectors/data/gazetteer/places.jsonl). Empty when the gazetteer is not there."""
    from detectors.rules.text import normalize

    path = Path(__file__).resolve().parent / "data" / "gazetteer" / "places.jsonl"
    names: set[str] = set()
    coords: set[tuple[float, float]] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset(), frozenset()
    for line in lines:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if rec.get("kind") not in _COARSE_KINDS:
            continue
        for ns in (rec.get("names") or {}).values():
            names.update(normalize(n).strip() for n in ns)
        if isinstance(rec.get("lat"), (int, float)) and isinstance(rec.get("lon"), (int, float)):
            coords.add((float(rec["lat"]), float(rec["lon"])))
    return frozenset(names), frozenset(coords)


@lru_cache(maxsize=65536)
def _coarse_name(name: str) -> bool:
    from detectors.rules.text import normalize

    return normalize(name).strip() in coarse_places()[0]


def is_coarse(name: str | None, lat: float | None, lon: float | None) -> bool:
    """True for a country- or macro-region-level location (see coarse_places)."""
    if lat is not None and lon is not None and (float(lat), float(lon)) in coarse_places()[1]:
        return True
    return bool(name) and _coarse_name(name)
