"""Speed of `newsmon extract` against spaCy's blank tokenizers on the same real articles.

Takes N Arabic articles (SaudiNewsNet) and N English ones (BBC + Reuters, half each) from
../shared/corpus, then measures in one go:

1. the blank ``ar``/``en`` tokenizers alone, once loaded, tokenizing every text once;
2. the whole ``newsmon extract`` process (interpreter start, imports, pipeline load, decoding, extraction,
   JSON output to /dev/null) on the same articles as a JSONL file.

It prints both times, the ratio (target: at most 4) and articles per second.

    .venv/bin/python bench/bench_extract.py [--per-lang 1500]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def _read(name: str, n: int) -> list[dict]:
    out = []
    with gzip.open(CORPUS / name, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if (d.get("title") or d.get("body")):
                out.append(d)
            if len(out) >= n:
                break
    return out


def load_articles(per_lang: int) -> list[dict]:
    ar = _read("saudinewsnet_ar.jsonl.gz", per_lang)
    en = _read("bbc_news_en.jsonl.gz", per_lang // 2) + _read("reuters21578_en.jsonl.gz", per_lang - per_lang // 2)
    return ar + en


def text_of(d: dict) -> str:
    from detectors.types import Article

    return Article(id="x", title=(d.get("title") or "").strip(), body=(d.get("body") or "").strip()).text


def bench_tokenizers(arts: list[dict]) -> float:
    import spacy

    nlps = {"ar": spacy.blank("ar"), "en": spacy.blank("en")}
    texts = [(d.get("lang") or "en", text_of(d)) for d in arts]
    t0 = time.perf_counter()
    for lang, text in texts:
        nlps["ar" if lang == "ar" else "en"].make_doc(text)
    return time.perf_counter() - t0


def bench_extract(arts: list[dict]) -> tuple[float, int, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for d in arts:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
        path = f.name
    newsmon = [sys.executable, "-m", "streams.cli", "extract", path, "--progress", "0"]
    try:
        t0 = time.perf_counter()
        proc = subprocess.run(newsmon, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        elapsed = time.perf_counter() - t0
    finally:
        os.unlink(path)
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr.decode())
        raise SystemExit(f"newsmon extract failed with exit code {proc.returncode}")
    lines = proc.stdout.decode().splitlines()
    n_events = sum(len(json.loads(l)["events"]) for l in lines)
    return elapsed, len(lines), n_events


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-lang", type=int, default=1500)
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    arts = load_articles(a.per_lang)
    n_chars = sum(len(text_of(d)) for d in arts)
    t_tok = bench_tokenizers(arts)
    t_ext, n_out, n_events = bench_extract(arts)
    print(f"articles: {len(arts)} ({n_chars / 1e6:.1f}M chars)")
    print(f"blank tokenizers alone (loaded): {t_tok:.2f} s")
    print(f"newsmon extract, whole process:  {t_ext:.2f} s  ({n_out} lines, {n_events} events)")
    print(f"ratio: {t_ext / t_tok:.2f}  (target <= 4)   throughput: {len(arts) / t_ext:.0f} articles/s")
    return 0 if t_ext <= 4 * t_tok else 1


if __name__ == "__main__":
    sys.exit(main())
