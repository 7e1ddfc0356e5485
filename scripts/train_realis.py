#!/usr/bin/env python
"""Train the realis classifier (detectors/nlp/realis.py) from scratch, offline, reproducibly.

Data (all under detectors/data/realis/ unless said otherwise):

* ``ar``: ``ar_gsr_train.jsonl`` — the Arabic ASSAULT GSR *train* split (MIT licence; test-split ids and
  ``ambiguous`` rows left out; ``prepare-gsr`` rebuilds it from the CSV) — plus ``ar_written.jsonl``,
  sentences written for this project.
* ``en``: ``en_written.jsonl`` (written for this project), plus, when ``--corpus-dir`` holds them,
  examples derived at training time from the shared research corpora (UCDP GED headlines → EVENT;
  Wikipedia Current Events → EVENT for War_Conflict sentences with a violent trigger, OTHER for
  non-violent categories; Reuters-21578 and BBC sentences → OTHER). Corpus text never lands in the repo:
  only the trained weights do.

Procedure per language: k-fold cross-validation over the training rows (folds by a hash of the id, which
is independent of the GSR test rule) gives out-of-fold scores; the decision threshold maximising F1 of
(violent trigger AND score >= t) on those scores is stored in ``thresholds.json`` (for Arabic: on the
GSR rows only). Then one model is trained on all rows and saved to ``<out>/<lang>/``. A fixed seed and
a fixed example order make the result byte-for-byte reproducible.

Usage::

    .venv/bin/python scripts/train_realis.py                      # both languages → detectors/data/realis
    .venv/bin/python scripts/train_realis.py --lang ar --out /tmp/realis --folds 0
    .venv/bin/python scripts/train_realis.py prepare-gsr          # rebuild ar_gsr_train.jsonl from the CSV
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any, Iterable, Sequence

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "scripts"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import numpy  # noqa: E402
import spacy  # noqa: E402,F401
from thinc.api import set_dropout_rate  # noqa: E402
from spacy.training import Example  # noqa: E402
from spacy.util import fix_random_seed, load_config, load_model_from_config, minibatch, registry  # noqa: E402

import detectors.nlp.realis  # noqa: E402,F401  (registers the factory and architecture)
from detectors.nlp.realis import EVENT_LABEL, OTHER_LABEL  # noqa: E402
from eval_gsr import DEFAULT_GSR, TriggerMatcher, best_threshold, load_gsr, prf  # noqa: E402

DATA = ROOT / "detectors" / "data" / "realis"
CONFIG = DATA / "realis.cfg"
DEFAULT_CORPUS = Path("/work/shared/corpus")


# ------------------------------------------------------------------------------------------------ data
def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _rec(id_: str, text: str, label: int, origin: str, agree: float | None = None) -> dict:
    """A training record. ``agree``: share of annotators who accepted a GSR "difficult no" (split vote)."""
    return {"id": id_, "text": text, "label": int(label), "origin": origin, "agree": agree}


def _agree(r: dict) -> float | None:
    if r.get("label") != "difficult no" or "accept" not in r:
        return None
    acc, rej = int(r["accept"]), int(r["reject"])
    return acc / (acc + rej) if acc + rej else None


def prepare_gsr(csv_path: Path = DEFAULT_GSR, out: Path = DATA / "ar_gsr_train.jsonl") -> int:
    rows = load_gsr(csv_path, "train", votes=True)
    with open(out, "w", encoding="utf8") as f:
        for r in rows:
            rec = {k: r[k] for k in ("id", "text", "label", "accept", "reject")}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return len(rows)


def arabic_examples(data: Path = DATA) -> list[dict]:
    ex = [_rec(r["id"], r["text"], r["label"] == "yes", "gsr", _agree(r))
          for r in read_jsonl(data / "ar_gsr_train.jsonl") if r["label"] != "ambiguous"]
    ex += [_rec(r["id"], r["text"], r["label"], "written") for r in read_jsonl(data / "ar_written.jsonl")]
    return ex


_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_STRONG_EN = re.compile(r"\b(kill|killed|wounded|injured|explo|bomb|missile|shell|gunmen|gunman|attacked|raid|"
                        r"rocket|airstrike|air strike|shot|shooting|dead|died|clash|troops|army|soldier|militant|"
                        r"rebel|war\b|warship|tanker|navy|gulf)", re.I)


def _gz_jsonl(path: Path) -> Iterable[dict]:
    with gzip.open(path, "rt", encoding="utf8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def corpus_examples_en(corpus: Path, seed: int = 0) -> list[dict]:
    """English examples derived from the shared research corpora (read at training time, never stored)."""
    trig = TriggerMatcher("en")
    rng = random.Random(seed)
    out: list[dict] = []
    f = corpus / "ucdp_ged_sample_1000.jsonl.gz"
    if f.exists():
        seen = set()
        for a in _gz_jsonl(f):
            for part in (a.get("title") or "").split("|"):
                t = " ".join(part.split()).strip(" .\"'”“")
                if len(t.split()) >= 5 and trig(t) and t.lower() not in seen:
                    seen.add(t.lower())
                    out.append(_rec(f"ucdp:{a['id']}:{len(seen)}", t, 1, "ucdp"))
    f = corpus / "wikipedia_cep_2015-09.jsonl.gz"
    if f.exists():
        for a in _gz_jsonl(f):
            body = " ".join((a.get("body") or "").split())
            first = _SENT_SPLIT.split(body)[0] if body else ""
            if len(first.split()) < 5:
                continue
            cat = a.get("category")
            if cat == "War_Conflict" and trig(first):
                out.append(_rec(f"cep:{a['id']}", first, 1, "cep"))
            elif cat in {"Business_Finance", "Entertainment_Culture", "Sports", "Technology_Internet",
                         "Health_Medical_Pharma", "Politics", "International_Relation"} and not _STRONG_EN.search(first):
                out.append(_rec(f"cep:{a['id']}", first, 0, "cep"))
    for name, n_plain, n_trig in (("reuters21578_en.jsonl.gz", 250, 150), ("bbc_news_en.jsonl.gz", 250, 150)):
        f = corpus / name
        if not f.exists():
            continue
        plain, trig_sents = [], []
        for a in _gz_jsonl(f):
            body = " ".join((a.get("body") or "").split())
            for i, s in enumerate(_SENT_SPLIT.split(body)[:6]):
                if not 8 <= len(s.split()) <= 45 or _STRONG_EN.search(s):
                    continue
                (trig_sents if trig(s) else plain).append((f"{name.split('_')[0]}:{a['id']}:{i}", s))
        for id_, s in rng.sample(plain, min(n_plain, len(plain))) + rng.sample(trig_sents, min(n_trig, len(trig_sents))):
            out.append(_rec(id_, s, 0, name.split("_")[0]))
    return out


def english_examples(data: Path = DATA, corpus: Path | None = DEFAULT_CORPUS, seed: int = 0) -> list[dict]:
    ex = [_rec(r["id"], r["text"], r["label"], "written") for r in read_jsonl(data / "en_written.jsonl")]
    if corpus is not None and corpus.exists():
        ex += corpus_examples_en(corpus, seed)
    return ex


# -------------------------------------------------------------------------------------------- training
def new_pipeline(lang: str, config_path: Path = CONFIG, data: Path = DATA):
    config = load_config(config_path, overrides={
        "nlp.lang": lang,
        "initialize.components.realis_norm.tables": str(data / f"norm_{lang}.json"),
    })
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    return nlp, config


def _fold(id_: str, k: int) -> int:
    return int(hashlib.sha1(f"realis-cv:{id_}".encode("utf8")).hexdigest(), 16) % k


def train_pipeline(records: Sequence[dict], lang: str, *, seed: int = 0, config_path: Path = CONFIG,
                   data: Path = DATA, epochs: int | None = None, log: bool = False):
    """A fresh pipeline trained on ``records`` (dicts with text and label 0/1)."""
    nlp, config = new_pipeline(lang, config_path, data)
    tcfg = config["training"]
    seed = seed if seed is not None else int(tcfg["seed"])
    fix_random_seed(seed)
    norm = nlp.get_pipe("realis_norm")
    textcat = nlp.get_pipe("textcat")
    textcat.add_label(EVENT_LABEL)
    textcat.add_label(OTHER_LABEL)

    def make(r: dict) -> Example:
        doc = nlp.make_doc(r["text"])
        cats = {EVENT_LABEL: float(r["label"]), OTHER_LABEL: 1.0 - float(r["label"])}
        return Example.from_dict(doc, {"cats": cats})

    # Normalise the predicted side once (the normaliser has no update step of its own).
    examples = [make(r) for r in records]
    nlp.initialize(lambda: examples[:200])
    for eg in examples:
        norm(eg.predicted)
    optimizer = registry.resolve({"o": tcfg["optimizer"]})["o"]
    # Soft targets: a GSR "difficult no" (annotators split) gets soft_negatives * share accepting,
    # everything else its hard label. The gradient is textcat's own (scores - truths).
    soft = float(tcfg.get("soft_negatives", 0.0))
    targets = numpy.asarray([r["label"] if r.get("agree") is None else soft * r["agree"] for r in records], dtype="f")
    truths_all = numpy.stack([targets, 1.0 - targets], axis=1)
    pos_weight = float(tcfg.get("pos_weight", 1.0))  # gradient weight of EVENT rows
    weights = numpy.where(targets >= 0.5, pos_weight, 1.0).astype("f")
    model = textcat.model
    rng = random.Random(seed)
    order = list(range(len(examples)))
    n_epochs = int(epochs if epochs is not None else tcfg["max_epochs"])
    drop = float(tcfg["dropout"])
    for epoch in range(n_epochs):
        rng.shuffle(order)
        loss = 0.0
        for batch in minibatch(order, size=int(tcfg["batch_size"])):
            set_dropout_rate(model, drop)
            scores, backprop = model.begin_update([examples[i].predicted for i in batch])
            d_scores = scores - model.ops.asarray(truths_all[batch])
            if pos_weight != 1.0:
                d_scores *= model.ops.asarray(weights[batch])[:, None]
            loss += float((d_scores ** 2).mean())
            backprop(d_scores)
            textcat.finish_update(optimizer)
        if log:
            print(f"  epoch {epoch + 1}: loss {loss:.3f}", file=sys.stderr)
    return nlp


def predict(nlp, texts: Sequence[str]) -> list[float]:
    return [float(d.cats[EVENT_LABEL]) for d in nlp.pipe(texts, batch_size=256)]


def cross_validate(records: list[dict], lang: str, k: int, seed: int, **kw) -> list[float]:
    oof = [0.0] * len(records)
    for fold in range(k):
        tr = [r for r in records if _fold(r["id"], k) != fold]
        te = [i for i, r in enumerate(records) if _fold(r["id"], k) == fold]
        nlp = train_pipeline(tr, lang, seed=seed, **kw)
        for i, s in zip(te, predict(nlp, [records[i]["text"] for i in te])):
            oof[i] = s
    return oof


def run(lang: str, records: list[dict], out: Path, *, folds: int, seed: int, tune_origin: str | None,
        report: dict[str, Any], **kw) -> float:
    t0 = time.perf_counter()
    pos = sum(r["label"] for r in records)
    print(f"[{lang}] {len(records)} examples ({pos} EVENT); origins: "
          f"{dict(sorted(_count(r['origin'] for r in records).items()))}", file=sys.stderr)
    threshold = 0.5
    rep: dict[str, Any] = {"examples": len(records), "event": pos}
    if folds > 1:
        oof = cross_validate(records, lang, folds, seed, **kw)
        trig = TriggerMatcher(lang)
        idx = [i for i, r in enumerate(records) if tune_origin is None or r["origin"] == tune_origin]
        scores = [oof[i] for i in idx]
        gold = [bool(records[i]["label"]) for i in idx]
        tr = [trig(records[i]["text"]) for i in idx]
        threshold, m = best_threshold(scores, tr, gold)
        alone = prf([s >= 0.5 for s in scores], gold)
        rep.update({"cv_folds": folds, "tuned_on": tune_origin or "all", "threshold": threshold,
                    "cv_trigger_and_score": _r(m), "cv_score_alone_at_0.5": _r(alone)})
        for origin in sorted({r["origin"] for r in records}):  # per source, at the tuned threshold
            sub = [i for i, r in enumerate(records) if r["origin"] == origin]
            rep.setdefault("cv_by_origin", {})[origin] = _r(prf(
                [trig(records[i]["text"]) and oof[i] >= threshold for i in sub], [bool(records[i]["label"]) for i in sub]))
        print(f"[{lang}] {folds}-fold CV on {tune_origin or 'all'} rows: threshold {threshold:.2f} → "
              f"P={m['p']:.3f} R={m['r']:.3f} F1={m['f1']:.3f}; score alone @0.5 F1={alone['f1']:.3f}",
              file=sys.stderr)
    nlp = train_pipeline(records, lang, seed=seed, **kw)
    nlp.meta.update({"name": f"newsmon_realis_{lang}", "version": "1.0.0",
                     "description": "newsmon realis filter: does a sentence report a real new violent event",
                     "license": "MIT (weights trained on the MIT-licensed arabic_event_gsr and newsmon's own "
                                "sentences; English also on research corpora, no text included)"})
    nlp.to_disk(out / lang)
    rep["seconds"] = round(time.perf_counter() - t0, 1)
    report[lang] = rep
    return threshold


def _count(it: Iterable[str]) -> dict[str, int]:
    c: dict[str, int] = {}
    for x in it:
        c[x] = c.get(x, 0) + 1
    return c


def _r(m: dict) -> dict:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("action", nargs="?", default="train", choices=("train", "prepare-gsr"))
    ap.add_argument("--lang", nargs="+", default=["ar", "en"], choices=("ar", "en"))
    ap.add_argument("--out", type=Path, default=DATA, help="model folder (default: the shipped one)")
    ap.add_argument("--data", type=Path, default=DATA, help="training data folder")
    ap.add_argument("--config", type=Path, default=CONFIG)
    ap.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS,
                    help="shared research corpora for extra English examples ('none' to skip)")
    ap.add_argument("--folds", type=int, default=5, help="CV folds for the threshold (0: keep 0.5)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=None, help="override [training] max_epochs")
    ap.add_argument("--limit", type=int, default=None, help="train on the first N examples only (smoke tests)")
    ap.add_argument("--gsr", type=Path, default=DEFAULT_GSR)
    args = ap.parse_args(argv)

    if args.action == "prepare-gsr":
        n = prepare_gsr(args.gsr, args.data / "ar_gsr_train.jsonl")
        print(f"wrote {n} train-split rows to {args.data / 'ar_gsr_train.jsonl'}", file=sys.stderr)
        return 0

    args.out.mkdir(parents=True, exist_ok=True)
    thr_file = args.out / "thresholds.json"
    thresholds = json.loads(thr_file.read_text()) if thr_file.exists() else {}
    report_file = args.out / "train_report.json"
    report = json.loads(report_file.read_text()) if report_file.exists() else {}
    corpus = None if str(args.corpus_dir) == "none" else args.corpus_dir
    kw = {"config_path": args.config, "data": args.data, "epochs": args.epochs}
    for lang in args.lang:
        records = arabic_examples(args.data) if lang == "ar" else english_examples(args.data, corpus, args.seed)
        if args.limit:  # a seeded sample, so both classes are in it
            records = random.Random(args.seed).sample(records, min(args.limit, len(records)))
        if not records:
            print(f"[{lang}] no training data under {args.data}", file=sys.stderr)
            return 1
        tune = "gsr" if lang == "ar" else None
        thresholds[lang] = run(lang, records, args.out, folds=args.folds, seed=args.seed, tune_origin=tune,
                               report=report, **kw)
    thr_file.write_text(json.dumps(thresholds, indent=1, sort_keys=True) + "\n")
    report_file.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")
    print(f"saved to {args.out}: {', '.join(args.lang)}; thresholds {thresholds}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
