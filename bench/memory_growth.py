"""How an extraction process's memory grows over many real articles (spaCy keeps every new word).

Runs `Extractor.extract_many` in this process over N corpus articles (half SaudiNewsNet Arabic, the rest
BBC and Reuters English, in file order) and prints the RSS every `--every` articles, with the CPU time
per article of the stretch. This is why the worker recycles its extraction processes
(`NEWSMON_EXTRACT_RECYCLE_ARTICLES`, streams/pool.py).

    .venv/bin/python bench/memory_growth.py 20000 [--every 4000]
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import corpus  # noqa: E402  (bench/corpus.py: where the corpus is)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def articles(n: int) -> list:
    from detectors.articles import article_from_obj

    quota = {"saudinewsnet_ar.jsonl.gz": n // 2, "bbc_news_en.jsonl.gz": n // 4, "reuters21578_en.jsonl.gz": n // 4}
    out = []
    for name, k in quota.items():
        with gzip.open(corpus.CORPUS_DIR / name, "rt", encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i >= k:
                    break
                out.append(article_from_obj(json.loads(line)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, nargs="?", default=20000)
    ap.add_argument("--every", type=int, default=4000)
    args = ap.parse_args()
    from detectors.extract import Extractor

    arts = articles(args.n)
    ex = Extractor.load()
    print(f"{len(arts)} articles loaded; models loaded: RSS {rss_mb():.0f} MB", flush=True)
    mark_n, mark_cpu = 0, time.process_time()
    for i in range(0, len(arts), 32):
        ex.extract_many(arts[i:i + 32])
        done = min(i + 32, len(arts))
        if done - mark_n >= args.every or done == len(arts):
            cpu = time.process_time()
            print(f"{done:>7} articles  RSS {rss_mb():6.0f} MB  {1000 * (cpu - mark_cpu) / (done - mark_n):5.2f} ms "
                  f"CPU/article since the last line", flush=True)
            mark_n, mark_cpu = done, cpu
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
