"""Quick quality check of the extractor on labelled passages (default: ../shared/eval/dev.jsonl).

Applies the flagship-rule predicate (`golan-cross-border-strike`, CONTRACT §6) to the extracted events and
prints per-language article-level precision/recall, plus family, location-country and actor-country
agreement with the labelled events (a source/target country is right when an event of the labelled family
has an actor in that role from that country; "or origin/impact" also accepts the event's origin or impact
country). Usage:

    .venv/bin/python bench/dev_check.py [FILE.jsonl] [--show] [--min-confidence 0.5] [--gsr test]

NEWSMON_NO_REALIS=1 runs the extractor without the realis classifier (what the gate costs on these labels).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from detectors.extract import Extractor  # noqa: E402
from detectors.labels import LABEL_TYPE, family_ok, location_ok  # noqa: E402
from detectors.types import VIOLENT_FAMILIES, Article, Event  # noqa: E402
from tests.detectors.golan_predicate import KINETIC_FAMILIES, golan_strike  # noqa: E402  (one predicate)


def gsr_check(ex, split: str = "test") -> None:
    """Arabic ASSAULT gold standard (../shared/eval/arabic_event_gsr): a sentence counts as ASSAULT when it
    yields an asserted event of a violent family; the split is the README's sha1(id) % 5 == 0 rule."""
    import csv
    import hashlib

    path = ROOT.parent / "shared" / "eval" / "arabic_event_gsr" / "assault_gsr.csv"
    tp = fp = fn = tn = trig = pos = 0
    for r in csv.DictReader(open(path, encoding="utf-8")):
        if r["label"] == "ambiguous":
            continue
        if (int(hashlib.sha1(r["id"].encode()).hexdigest(), 16) % 5 == 0) != (split == "test"):
            continue
        gold = r["label"] == "yes"
        evs = [e for e in ex(Article(id=r["id"], body=r["text"], lang="ar")) if e.family in VIOLENT_FAMILIES]
        pred = any(e.polarity == "asserted" for e in evs)
        pos += gold
        trig += gold and bool(evs)
        tp += pred and gold
        fp += pred and not gold
        fn += gold and not pred
        tn += not pred and not gold
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"arabic_event_gsr ASSAULT {split}: P={p:.3f} R={r:.3f} F1={f1:.3f} (tp={tp} fp={fp} fn={fn} tn={tn}); "
          f"violent-trigger recall={trig / pos if pos else 0:.3f}")


def count_golan(paths: list[str], min_confidence: float, show: bool) -> None:
    """Golan-strike events in `newsmon extract` output (false-alarm rate on real corpora)."""
    for path in paths:
        n = hit = 0
        for line in open(path, encoding="utf-8"):
            try:
                d = json.loads(line)
            except ValueError:
                continue
            n += 1
            fired = [e for e in (Event.from_dict(x) for x in d["events"]) if golan_strike(e, min_confidence)]
            if fired:
                hit += 1
                if show:
                    e = fired[0]
                    print(f"  {d['article_id']} {e.type} [{e.trigger.text}] {e.origin_country}->{e.impact_country} "
                          f"{e.date} | {e.sentence[:160]}")
        print(f"{path}: {n} articles, {hit} with a golan-cross-border-strike event "
              f"({10000 * hit / max(n, 1):.2f} per 10,000)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count-golan", nargs="+", metavar="EXTRACT_OUT",
                    help="instead: count golan events in `newsmon extract` output files")
    ap.add_argument("--gsr", choices=("test", "train"), help="also score the Arabic ASSAULT gold standard split")
    ap.add_argument("input", nargs="?", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--min-confidence", type=float, default=0.5)
    a = ap.parse_args(argv)
    if a.count_golan:
        count_golan(a.count_golan, a.min_confidence, a.show)
        return 0
    ex = Extractor.load(realis=None if os.environ.get("NEWSMON_NO_REALIS") else "shipped")
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
            fam, _ = LABEL_TYPE[lab["type"]]
            same = [e for e in events if e.family == fam or (lab["type"] == "territory_change" and
                                                           e.type.endswith("territory"))]
            if lab.get("location_country"):
                st["strict_n"] += 1
                st["strict_ok"] += any(l.country == lab["location_country"] for e in same for l in e.locations)
            for role, field in (("source", "origin_country"), ("target", "impact_country")):
                cc = lab.get(f"{role}_country")
                if not cc:
                    continue
                st[f"{role}_n"] += 1
                by_actor = any(a.role == role and a.country == cc for e in same for a in e.actors)
                st[f"{role}_actor"] += by_actor
                st[f"{role}_side"] += by_actor or any(getattr(e, field) == cc for e in same)
                if a.show and not by_actor:
                    print(f"{role.upper()} COUNTRY {d['id']}: {lab['type']} {cc} vs "
                          f"{[(x.role, x.name, x.country) for e in same for x in e.actors]}", file=sys.stderr)
            if lab.get("location_country"):
                st["loc_n"] += 1
                loc_ok = location_ok(lab, events)
                st["loc_ok"] += loc_ok
                if a.show and not loc_ok:
                    print(f"LOCATION MISSED {d['id']}: {lab.get('location')} {lab['location_country']} vs "
                          f"{sorted({(l.name, l.country) for e in events for l in e.locations})}", file=sys.stderr)
        # the other way round: of the asserted news events placed somewhere, how many are placed only in
        # countries no labelled event of the article is in (a wrong place costs more than none)
        labelled_countries = {lab.get("location_country") for lab in d["labels"].get("events", [])} - {None}
        if labelled_countries:
            for e in events:
                if e.locations and e.polarity == "asserted" and not e.background:
                    st["placed_n"] += 1
                    if not labelled_countries & {l.country for l in e.locations}:
                        st["placed_elsewhere"] += 1
                        if a.show:
                            print(f"PLACED ELSEWHERE {d['id']}: {e.type} [{e.trigger.text}] at "
                                  f"{[(l.name, l.country) for l in e.locations]}", file=sys.stderr)
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
              f"({st['loc_ok']}/{st['loc_n']}) family+country={st['strict_ok'] / max(st['strict_n'], 1):.2f} "
              f"({st['strict_ok']}/{st['strict_n']})")
        print(f"{lang}: source country by actor={st['source_actor']}/{st['source_n']} (or origin "
              f"{st['source_side']}/{st['source_n']}); target country by actor={st['target_actor']}/"
              f"{st['target_n']} (or impact {st['target_side']}/{st['target_n']})")
        print(f"{lang}: asserted events placed only in a country no label names: {st['placed_elsewhere']}/"
              f"{st['placed_n']}")
        ok &= p >= 0.95 and r >= 0.90
    if a.gsr:
        gsr_check(ex, a.gsr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
