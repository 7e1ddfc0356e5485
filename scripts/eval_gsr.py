#!/usr/bin/env python
"""Score newsmon on the Arabic PLOVER ASSAULT gold standard (test split), as its README says.

A sentence is in the test split when ``int(sha1(id).hexdigest(), 16) % 5 == 0``; ``ambiguous`` rows are
left out; gold is ``label == "yes"``. Prints precision, recall and F1 for:

1. ``triggers``    — any violent trigger word (regex list in detectors/data/realis/eval_triggers.json);
2. ``classifier``  — trigger present AND realis score >= the shipped threshold (RealisClassifier);
3. ``extractor``   — ``newsmon extract``: at least one asserted event of a violent family
                     (only when ``detectors.extract.Extractor`` exists);
4. ``extr+realis`` — the same AND realis score >= threshold (the realis filter as a gate).

Usage::

    .venv/bin/python scripts/eval_gsr.py [--gsr CSV] [--model DIR] [--threshold T] [--split test|train]
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import time
from pathlib import Path
from typing import Iterable, Sequence

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = ROOT / "detectors" / "data" / "realis"
DEFAULT_GSR = Path("/work/shared/eval/arabic_event_gsr/assault_gsr.csv")


def is_test_id(sentence_id: str) -> bool:
    """The GSR README's split rule."""
    return int(hashlib.sha1(sentence_id.encode("utf8")).hexdigest(), 16) % 5 == 0


def load_gsr(path: Path = DEFAULT_GSR, split: str = "test", votes: bool = False) -> list[dict]:
    """Non-ambiguous rows of the ASSAULT GSR in ``split`` ('test' or 'train'), with ``gold`` (bool);
    with ``votes`` also the annotators' ``accept`` and ``reject`` counts."""
    rows = []
    with open(path, encoding="utf8", newline="") as f:
        for row in csv.DictReader(f):
            if row["label"] == "ambiguous" or is_test_id(row["id"]) != (split == "test"):
                continue
            rec = {"id": row["id"], "text": row["text"], "label": row["label"], "gold": row["label"] == "yes"}
            if votes:
                rec.update(accept=int(row["accept"]), reject=int(row["reject"]))
            rows.append(rec)
    return rows


class TriggerMatcher:
    """Violent-trigger regexes over text normalised with the realis normaliser's character tables."""

    def __init__(self, lang: str, patterns_file: Path = DATA / "eval_triggers.json"):
        patterns = json.loads(patterns_file.read_text(encoding="utf8"))[lang]
        self.regex = re.compile("|".join(f"(?:{p})" for p in patterns))
        tables = json.loads((DATA / f"norm_{lang}.json").read_text(encoding="utf8"))
        self.trans = {ord(c): None for c in tables.get("delete", "")}
        self.trans.update({ord(k): v for k, v in tables.get("map", {}).items()})
        self.lower = bool(tables.get("lowercase"))

    def __call__(self, text: str) -> bool:
        t = text.translate(self.trans)
        return bool(self.regex.search(t.lower() if self.lower else t))


def prf(pred: Sequence[bool], gold: Sequence[bool]) -> dict[str, float]:
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def best_threshold(scores: Sequence[float], trig: Sequence[bool], gold: Sequence[bool],
                   grid: Iterable[float] = tuple(i / 100 for i in range(5, 96))) -> tuple[float, dict]:
    """Threshold maximising F1 of (trigger AND score >= t); ties go to the higher threshold."""
    best_t, best = 0.5, {"f1": -1.0}
    for t in grid:
        m = prf([tr and s >= t for s, tr in zip(scores, trig)], gold)
        if m["f1"] >= best["f1"]:
            best_t, best = t, m
    return best_t, best


def _line(name: str, m: dict, extra: str = "") -> str:
    return (f"{name:<11} P={m['p']:.3f} R={m['r']:.3f} F1={m['f1']:.3f} "
            f"(tp={m['tp']} fp={m['fp']} fn={m['fn']}){extra}")


def extractor_predictions(rows: list[dict]) -> list[bool] | None:
    """Run ``newsmon extract`` on the rows (one Article per sentence); None when there is no extractor."""
    if not (ROOT / "detectors" / "extract.py").exists():
        return None
    import subprocess

    from detectors.types import VIOLENT_FAMILIES

    lines = "".join(json.dumps({"id": r["id"], "lang": "ar", "body": r["text"]}, ensure_ascii=False) + "\n" for r in rows)
    exe = Path(sys.executable).parent / "newsmon"
    cmd = [str(exe), "extract", "-"] if exe.exists() else [sys.executable, "-m", "streams.cli", "extract", "-"]
    out = subprocess.run(cmd, input=lines, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        print(f"extractor    failed (exit {out.returncode}): {out.stderr.strip()[-500:]}", file=sys.stderr)
        return None
    hits: dict[str, bool] = {}
    for line in out.stdout.splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        hits[rec["article_id"]] = any(
            e.get("family") in VIOLENT_FAMILIES and e.get("polarity", "asserted") == "asserted"
            for e in rec.get("events", []))
    return [hits.get(r["id"], False) for r in rows]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gsr", type=Path, default=DEFAULT_GSR)
    ap.add_argument("--model", type=Path, default=None, help="realis model folder (default: shipped)")
    ap.add_argument("--threshold", type=float, default=None, help="override the shipped threshold")
    ap.add_argument("--split", choices=("test", "train"), default="test")
    ap.add_argument("--no-extractor", action="store_true")
    args = ap.parse_args(argv)

    from detectors.nlp.realis import RealisClassifier

    rows = load_gsr(args.gsr, args.split)
    gold = [r["gold"] for r in rows]
    trig_match = TriggerMatcher("ar")
    trig = [trig_match(r["text"]) for r in rows]
    print(f"GSR ASSAULT {args.split} split: {len(rows)} sentences, {sum(gold)} yes (ambiguous left out)")
    print(_line("triggers", prf(trig, gold)))

    clf = RealisClassifier.load(args.model)
    t0 = time.perf_counter()
    scores = clf.score_many([r["text"] for r in rows], "ar")
    dt = time.perf_counter() - t0
    thr = args.threshold if args.threshold is not None else clf.threshold("ar")
    print(_line("classifier", prf([tr and s >= thr for s, tr in zip(scores, trig)], gold),
                f"  threshold={thr:.2f}; {len(rows) / dt:,.0f} sentences/s"))
    print(_line("clf-alone", prf([s >= thr for s in scores], gold), "  (no trigger condition)"))

    if not args.no_extractor:
        ext = extractor_predictions(rows)
        if ext is None:
            print("extractor   n/a (detectors/extract.py not present or failed)")
        else:
            print(_line("extractor", prf(ext, gold)), " (newsmon extract: an asserted violent event)")
            print(_line("extr+realis", prf([e and s >= thr for e, s in zip(ext, scores)], gold)),
                  f" (and realis score >= {thr:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
