"""Quick quality check of the extractor on labelled passages (default: ../shared/eval/dev.jsonl).

Applies the flagship-rule predicate (`golan-cross-border-strike`, CONTRACT §6) to the extracted events and
prints per-language article-level precision/recall, plus family and location-country agreement with the
labelled events. Usage:

    .venv/bin/python bench/dev_check.py [FILE.jsonl] [--show] [--min-confidence 0.5]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from detectors.extract import Extractor  # noqa: E402
from detectors.types import Article, Event  # noqa: E402

KINETIC_FAMILIES = {"explosions_remote_violence", "battles"}
LABEL_TYPE = {  # dev.jsonl's simplified vocabulary → contract family (and type where exact)
    "air_strike": ("explosions_remote_violence", "air_drone_strike"),
    "shelling_missile": ("explosions_remote_violence", "shelling_artillery_missile_attack"),
    "armed_clash": ("battles", "armed_clash"),
    "territory_change": ("strategic_developments", "non_violent_transfer_of_territory"),
    "chemical_weapon": ("explosions_remote_violence", "chemical_weapon"),
    "explosion": ("explosions_remote_violence", "remote_explosive_landmine_ied"),
    "interception": ("strategic_developments", "disrupted_weapons_use"),
    "statement": ("statements", None),
}


def golan_strike(e: Event, min_confidence: float = 0.5) -> bool:
    """The flagship rule's predicate as given to the extraction helper."""
    kinetic = e.family in KINETIC_FAMILIES or e.type == "disrupted_weapons_use"
    if not kinetic or e.polarity != "asserted" or e.background or e.confidence < min_confidence:
        return False
    if "golan_heights" not in e.regions:
        return False
    pair = {e.origin_country, e.impact_country}
    return (e.cross_border and pair == {"ISR", "SYR"}) or (e.origin_country is None and e.impact_country == "ISR")


def family_ok(label: dict, events: list[Event]) -> bool:
    fam, _ = LABEL_TYPE[label["type"]]
    if label["type"] == "territory_change":
        return any(e.type.endswith("territory") for e in events)
    return any(e.family == fam for e in events)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("input", nargs="?", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--min-confidence", type=float, default=0.5)
    a = ap.parse_args(argv)
    ex = Extractor.load()
    stats = defaultdict(lambda: defaultdict(int))
    for line in open(a.input, encoding="utf-8"):
        d = json.loads(line)
        art = Article.from_dict(d)
        lang = d.get("lang") or "?"
        events = ex(art)
        fired = [e for e in events if golan_strike(e, a.min_confidence)]
        gold = bool(d["labels"]["golan_alert"])
        st = stats[lang]
        st["tp" if fired and gold else "fp" if fired else "fn" if gold else "tn"] += 1
        for lab in d["labels"].get("events", []):
            if lab["type"] not in LABEL_TYPE:
                continue
            st["fam_n"] += 1
            ok_fam = family_ok(lab, events)
            st["fam_ok"] += ok_fam
            if a.show and not ok_fam:
                print(f"FAMILY MISSED {d['id']}: {lab['type']} at {lab.get('location')}", file=sys.stderr)
            if lab.get("location_country"):
                st["loc_n"] += 1
                st["loc_ok"] += any(l.country == lab["location_country"] for e in events for l in e.locations)
        if a.show and bool(fired) != gold:
            print(("FALSE ALARM " if fired else "MISSED ") + d["id"], file=sys.stderr)
            for e in (fired or [e for e in events if e.family in KINETIC_FAMILIES or
                                e.type == "disrupted_weapons_use"]):
                print(f"   {e.type} [{e.trigger.text}] {e.polarity} bg={e.background} conf={e.confidence} "
                      f"o={e.origin_country} i={e.impact_country} regions={sorted(e.regions)} "
                      f"locs={[l.name for l in e.locations]}", file=sys.stderr)
    ok = True
    for lang in sorted(stats):
        st = stats[lang]
        p = st["tp"] / (st["tp"] + st["fp"]) if st["tp"] + st["fp"] else 0.0
        r = st["tp"] / (st["tp"] + st["fn"]) if st["tp"] + st["fn"] else 0.0
        fam = st["fam_ok"] / st["fam_n"] if st["fam_n"] else 0.0
        loc = st["loc_ok"] / st["loc_n"] if st["loc_n"] else 0.0
        print(f"{lang}: golan P={p:.2f} R={r:.2f} (tp={st['tp']} fp={st['fp']} fn={st['fn']} tn={st['tn']}) "
              f"family={fam:.2f} ({st['fam_ok']}/{st['fam_n']}) location_country={loc:.2f} "
              f"({st['loc_ok']}/{st['loc_n']})")
        ok &= p >= 0.95 and r >= 0.90
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
