"""Real articles for the benchmarks, read from the shared corpus at run time (never copied into the repo).

`load(n)` returns `n` Article dicts, half Arabic (SaudiNewsNet 2015) and half English (Reuters-21578 and
BBC News, alternately), picked with a fixed seed so every run and every scenario sees the same texts in
the same order. `alert_articles(k)` builds `k` Golan cross-border strike stories — the repository's seed story and short
English and Arabic texts of our own — each with its own id and date, so each one is its own incident and
raises its own alert.
"""
from __future__ import annotations

import gzip
import json
import os
import random
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = Path(os.environ.get("NEWSMON_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
AR_FILES = ("saudinewsnet_ar.jsonl.gz",)
EN_FILES = ("reuters21578_en.jsonl.gz", "bbc_news_en.jsonl.gz")
SEED = 20150721


class CorpusMissing(RuntimeError):
    pass


@lru_cache(maxsize=None)
def _lines(name: str) -> tuple[bytes, ...]:
    path = CORPUS_DIR / name
    if not path.is_file():
        raise CorpusMissing(f"{path} not found (set NEWSMON_CORPUS_DIR to the shared corpus folder)")
    with gzip.open(path, "rb") as fh:
        return tuple(line.rstrip(b"\r\n") for line in fh if line.strip())


def _usable(obj: Any) -> bool:
    return isinstance(obj, dict) and bool((obj.get("title") or "").strip() or (obj.get("body") or "").strip())


def _pick(names: tuple[str, ...], k: int, rng: random.Random) -> list[dict[str, Any]]:
    """`k` articles taken round-robin over `names`, each file sampled without replacement."""
    if k <= 0:
        return []
    per_file = [k // len(names) + (1 if i < k % len(names) else 0) for i in range(len(names))]
    picked: list[list[dict[str, Any]]] = []
    for name, want in zip(names, per_file):
        lines = _lines(name)
        order = list(range(len(lines)))
        rng.shuffle(order)
        got: list[dict[str, Any]] = []
        for idx in order:
            if len(got) >= want:
                break
            obj = json.loads(lines[idx])
            if _usable(obj):
                got.append(obj)
        if len(got) < want:  # a small file: wrap round (ids are made unique by load())
            got = (got * (want // max(1, len(got)) + 1))[:want]
        picked.append(got)
    out: list[dict[str, Any]] = []
    for i in range(max(per_file)):
        for got in picked:
            if i < len(got):
                out.append(got[i])
    return out


def load(n: int, *, seed: int = SEED, id_suffix: str = "") -> list[dict[str, Any]]:
    """`n` Article dicts, Arabic and English alternating (ar first), deterministic for a given seed."""
    rng = random.Random(seed)
    ar = _pick(AR_FILES, (n + 1) // 2, rng)
    en = _pick(EN_FILES, n // 2, rng)
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for i in range(n):
        src = ar[i // 2] if i % 2 == 0 else en[i // 2]
        art = dict(src)
        base = str(art.get("id") or f"bench-{i}")
        dup = seen.get(base, 0)
        seen[base] = dup + 1
        art["id"] = base + (f"~{dup}" if dup else "") + id_suffix
        out.append(art)
    return out


def encode(article: dict[str, Any]) -> bytes:
    return json.dumps(article, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def stats(articles: list[dict[str, Any]]) -> dict[str, Any]:
    sizes = sorted(len((a.get("title") or "") + "\n" + (a.get("body") or "")) for a in articles)
    langs: dict[str, int] = {}
    for a in articles:
        langs[a.get("lang") or "?"] = langs.get(a.get("lang") or "?", 0) + 1
    return {"articles": len(articles), "langs": langs, "chars_total": sum(sizes),
            "chars_median": sizes[len(sizes) // 2] if sizes else 0,
            "bytes_total": sum(len(encode(a)) for a in articles)}


# -- articles that raise alerts ------------------------------------------------------------------

# Our own short texts (not corpus text): a rocket or shell from Syria lands on the Israeli-held Golan
# and Israel strikes back, or an Israeli strike on a Syrian army position in Quneitra.
_EN = [
    ("Rocket from Syria hits northern Golan Heights, Israel strikes back",
     "A rocket fired from Syria struck an open area in the northern Golan Heights on {day}, the Israeli "
     "military said. In response an Israeli aircraft struck the Syrian army position that fired it, near "
     "Quneitra. No injuries were reported."),
    ("Israeli jets strike Syrian army post in Quneitra after shelling on Golan",
     "Israeli warplanes struck a Syrian army artillery position in Quneitra province on {day} after mortar "
     "shells fired from Syria landed in the Israeli-controlled Golan Heights, the army said."),
    ("Mortar shells from Syria land on the Golan; Israeli tank fires at Syrian position",
     "Two mortar shells fired from Syria exploded near the ceasefire line on the Golan Heights on {day}. "
     "An Israeli tank fired at the Syrian army position they came from, the military said."),
]
_AR = [
    ("سقوط صاروخ من سوريا في الجولان وإسرائيل ترد بقصف موقع للجيش السوري",
     "سقط صاروخ أطلق من سوريا في منطقة مفتوحة في شمال هضبة الجولان يوم {day_ar}، وقال الجيش الإسرائيلي إن "
     "طائرة إسرائيلية قصفت موقع الجيش السوري الذي أطلق منه الصاروخ في القنيطرة."),
    ("طائرات إسرائيلية تقصف موقعا للجيش السوري في القنيطرة",
     "قصفت طائرات إسرائيلية موقعا مدفعيا للجيش السوري في ريف القنيطرة يوم {day_ar} بعد سقوط قذائف هاون "
     "أطلقت من سوريا في الجزء الذي تسيطر عليه إسرائيل من هضبة الجولان."),
]


ALERT_TEMPLATES = 1 + len(_AR) + len(_EN)  # 0: the repo's seed story; then the Arabic, then the English texts


@lru_cache(maxsize=1)
def _seed_story() -> dict[str, Any] | None:
    path = ROOT / "seeds" / "000_3770fb1b1770be7d.jsonl"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8").splitlines()[0])


def alert_article(i: int, template: int, *, run_id: str, start: date = date(1990, 1, 1)) -> dict[str, Any]:
    """The i-th Golan strike story of a run, from `template` (0 .. ALERT_TEMPLATES-1). Story i is dated
    `start` + 7·i days, so no two stories share a day or a week: each is its own incident."""
    day = start + timedelta(days=7 * i)
    aid = f"bench-alert-{run_id}-{i}"
    published = f"{day.isoformat()}T09:00:00Z"
    seed = _seed_story()
    if template == 0 and seed is not None:
        return {**seed, "id": aid, "published_at": published}
    t = (template - 1) % (len(_AR) + len(_EN))
    if t < len(_AR):
        title, body = _AR[t]
        return {"id": aid, "lang": "ar", "source": "bench", "title": title,
                "body": body.format(day_ar="الجمعة"), "published_at": published}
    title, body = _EN[t - len(_AR)]
    return {"id": aid, "lang": "en", "source": "bench", "title": title, "body": body.format(day="Friday"),
            "published_at": published}


def alert_articles(k: int, *, run_id: str, templates: list[int] | None = None, first: int = 0
                   ) -> list[dict[str, Any]]:
    """`k` stories numbered first .. first+k-1, cycling over `templates` (default: all)."""
    templates = templates if templates else list(range(ALERT_TEMPLATES))
    return [alert_article(first + j, templates[j % len(templates)], run_id=run_id) for j in range(k)]


if __name__ == "__main__":  # quick look: python bench/corpus.py 1000
    import sys
    import time

    t0 = time.perf_counter()
    arts = load(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
    print(json.dumps({**stats(arts), "load_seconds": round(time.perf_counter() - t0, 2)}, ensure_ascii=False))
