#!/usr/bin/env python
"""Score newsmon's actor roles on the Arabic ASSAULT gold standard's agreed spans (assault_spans.json).

For every "yes" sentence that has annotated spans, the annotators marked the attacker (``source_actor``)
and the attacked (``target_actor``) words, and often their CAMEO country (``source_role.main``). The
sentence goes through the real Extractor; its violent events' actors are compared with those spans:

- **found**: the sentence has a gold source (target) and some actor we gave that role shares a word
  with it (words compared after Arabic normalisation, clitics and the article stripped);
- **precise**: of the actors we gave that role, the share that share a word with the gold span of the
  same role;
- **swapped**: of the actors we gave that role, the share that match only the gold span of the other role;
- **country**: where the gold names an ISO country for the role and we gave an actor that role with a
  country, the share where ours is one of the gold countries.

The realis gate is off here (``--gate`` turns it on): this measures roles, not whether an event is new.
Splits follow the GSR README (``--split train`` to develop on, ``test`` to report).

Usage::

    .venv/bin/python scripts/eval_roles.py [--split test|train] [--gate] [--show N]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "scripts"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from detectors.nlp.lexicon import bare_word  # noqa: E402
from eval_gsr import is_test_id  # noqa: E402

DEFAULT_SPANS = Path("/work/shared/eval/arabic_event_gsr/assault_spans.json")
# CAMEO codes that name no country (international bodies, unidentified, multinational)
NON_COUNTRY = {"None", "UNKNOWN", "IMG", "INT", "IGO", "NGO", "MNC", "UNO", "NAT", "KUR", "EUR", "AFR", "ASA",
               "MEA", "WST", "PAL"}
_STOP = {"في", "من", "على", "الى", "عن", "مع", "بينهم", "بين", "ان", "التي", "الذي", "الذين", "هذا", "هذه"}


def words(text: str) -> set[str]:
    return {n for n in (bare_word(w, "ar") for w in text.split()) if len(n) >= 2 and n not in _STOP}


def load_spans(path: Path, split: str) -> list[dict]:
    rows = []
    for rec in json.loads(path.read_text(encoding="utf8")):
        if is_test_id(rec["source"]) != (split == "test") or not rec.get("spans"):
            continue
        gold = {"source": set(), "target": set(), "source_cc": set(), "target_cc": set()}
        for s in rec["spans"]:
            for role in ("source", "target"):
                gold[role] |= words(" ".join(s.get(f"{role}_actor") or []))
                info = s.get(f"{role}_role")
                cc = info.get("main") if isinstance(info, dict) else None
                if cc and len(cc) == 3 and cc not in NON_COUNTRY:
                    gold[f"{role}_cc"].add(cc)
        rows.append({"id": rec["source"], "text": rec["text"], "gold": gold})
    return rows


def score(rows: list[dict], events: list[list], show: int = 0) -> dict[str, dict[str, float]]:
    from detectors.types import VIOLENT_FAMILIES

    m = {role: {"gold": 0, "found": 0, "ours": 0, "precise": 0, "swapped": 0, "cc_pairs": 0, "cc_right": 0}
         for role in ("source", "target")}
    shown = 0
    for row, evs in zip(rows, events):
        gold = row["gold"]
        actors = [a for e in evs if e.family in VIOLENT_FAMILIES for a in e.actors if a.role in ("source", "target")]
        bad = []
        for role, other in (("source", "target"), ("target", "source")):
            mine = [a for a in actors if a.role == role]
            mw = [words(a.name) for a in mine]
            c = m[role]
            if gold[role]:
                c["gold"] += 1
                if any(w & gold[role] for w in mw):
                    c["found"] += 1
                else:
                    bad.append(f"{role} missed {sorted(gold[role])}")
            for a, w in zip(mine, mw):
                c["ours"] += 1
                if w & gold[role]:
                    c["precise"] += 1
                elif w & gold[other]:
                    c["swapped"] += 1
                    bad.append(f"{role} swapped: {a.name}")
            ccs = {a.country for a in mine if a.country}
            if gold[f"{role}_cc"] and ccs:
                c["cc_pairs"] += 1
                if ccs & gold[f"{role}_cc"]:
                    c["cc_right"] += 1
                else:
                    bad.append(f"{role} country {sorted(ccs)} vs gold {sorted(gold[role + '_cc'])}")
        if bad and shown < show:
            shown += 1
            print(f"- {row['id']}: {row['text'][:200]}\n    ours: "
                  f"{[(a.role, a.name, a.country) for a in actors]}\n    " + "; ".join(bad), file=sys.stderr)
    out = {}
    for role, c in m.items():
        out[role] = {
            "found": c["found"] / c["gold"] if c["gold"] else 0.0,
            "precise": c["precise"] / c["ours"] if c["ours"] else 0.0,
            "swapped": c["swapped"] / c["ours"] if c["ours"] else 0.0,
            "country": c["cc_right"] / c["cc_pairs"] if c["cc_pairs"] else 0.0,
            "n_gold": c["gold"], "n_ours": c["ours"], "n_country": c["cc_pairs"],
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--spans", type=Path, default=DEFAULT_SPANS)
    ap.add_argument("--split", choices=("test", "train"), default="test")
    ap.add_argument("--gate", action="store_true", help="keep the realis gate on")
    ap.add_argument("--show", type=int, default=0, help="print up to N sentences with role errors")
    args = ap.parse_args(argv)
    if not args.spans.exists():
        print(f"no spans file at {args.spans}: pass --spans", file=sys.stderr)
        return 2

    from detectors.extract import Extractor
    from detectors.types import Article

    rows = load_spans(args.spans, args.split)
    extractor = Extractor.load() if args.gate else Extractor.load(realis=None)
    arts = [Article.from_dict({"id": r["id"], "lang": "ar", "body": r["text"]}) for r in rows]
    res = score(rows, extractor.extract_many(arts), args.show)
    print(f"GSR ASSAULT spans, {args.split} split: {len(rows)} sentences (realis gate {'on' if args.gate else 'off'})")
    for role, r in res.items():
        print(f"{role:<7} found={r['found']:.3f} (of {r['n_gold']})  precise={r['precise']:.3f} "
              f"swapped={r['swapped']:.3f} (of {r['n_ours']})  country={r['country']:.3f} (of {r['n_country']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
