"""The bench harness (bench/run.py): a quick real run against the broker, plus its pure pieces."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture()
def bench_modules(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import corpus
    import latency
    import run

    return corpus, latency, run


@pytest.mark.kafka
@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_quick_passthrough_run_writes_the_expected_json(kafka_bootstrap, tmp_path):
    done = subprocess.run([sys.executable, str(BENCH / "run.py"), "--quick", "--only", "passthrough",
                           "--bootstrap", kafka_bootstrap, "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "raw aiokafka consume→produce" in done.stdout  # the table
    latest = json.loads((tmp_path / "latest.json").read_text())
    stamped = [p for p in tmp_path.glob("*.json") if p.name != "latest.json"]
    assert len(stamped) == 1 and json.loads(stamped[0].read_text()) == latest
    for key in ("machine", "results", "figures", "summary", "sizes", "started_at", "finished_at"):
        assert key in latest, key
    m = latest["machine"]
    assert m["cores"] >= 1 and m["ram_gb"] > 0 and m["python"] and m["kafka"]
    pt = latest["results"]["passthrough"]
    assert pt.get("status") != "error", pt
    assert pt["moved"] == pt["messages"] > 0
    assert pt["msgs_per_s"] > 0 and pt["producer_msgs_per_s"] > 0
    rows = [r for r in latest["figures"] if r["section"] == "transport"]
    assert rows and rows[0]["value"] > 0 and rows[0]["status"] == "INFO"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_corpus_is_half_arabic_half_english_and_deterministic(bench_modules):
    corpus, _, _ = bench_modules
    a, b = corpus.load(40), corpus.load(40)
    assert a == b
    assert [x["lang"] for x in a] == ["ar", "en"] * 20
    assert len({x["id"] for x in a}) == 40


def test_alert_stories_have_their_own_ids_and_dates(bench_modules):
    corpus, _, _ = bench_modules
    stories = corpus.alert_articles(2 * corpus.ALERT_TEMPLATES, run_id="t")
    assert len({s["id"] for s in stories}) == len(stories)
    assert len({s["published_at"][:10] for s in stories}) == len(stories)
    assert {s["lang"] for s in stories} == {"ar", "en"}


def test_percentiles_are_nearest_rank_in_ms(bench_modules):
    _, latency, _ = bench_modules
    p = latency.percentiles([i / 1000 for i in range(1, 101)])  # 1 .. 100 ms
    assert (p["n"], p["p50_ms"], p["p95_ms"], p["p99_ms"], p["max_ms"]) == (100, 50.0, 95.0, 99.0, 100.0)
    assert latency.percentiles([])["p99_ms"] is None


def test_a_helpers_printed_table_is_parsed(bench_modules):
    _, _, run = bench_modules
    text = ("  rules   load s  µs/event  ratio  matches/event\n"
            "      1     0.02      28.9   1.00           0.18\n"
            "  10000    14.57      67.3   2.33           0.26\n")
    rows = run.parse_text_table(text)
    assert rows == [{"rules": 1, "load s": 0.02, "µs/event": 28.9, "ratio": 1.0, "matches/event": 0.18},
                    {"rules": 10000, "load s": 14.57, "µs/event": 67.3, "ratio": 2.33, "matches/event": 0.26}]
    table = run.build_table({"rules": {"status": "ok", "data": {"rows": rows}}}, {"rules"})
    last = table.rows[-1]
    assert last["status"] == "MISS" and "≤ 1.5" in last["target"]


def test_the_table_covers_every_section_with_targets(bench_modules):
    _, _, run = bench_modules
    pct = {"n": 10, "p50_ms": 80.0, "p95_ms": 150.0, "p99_ms": 200.0, "max_ms": 210.0}
    e2e = {"articles": 100, "processed": 100, "fused": 100, "rejected": 0, "articles_per_s": 30.0,
           "extracted_articles_per_s": 31.0, "articles_partitions": 4, "cores_busy_with_others": 0.1,
           "cpu_ms_per_article": {"worker_main": 5.0, "extract_children": 10.0, "broker": 3.0}}
    results = {
        "extraction": {"status": "ok", "data": run.parse_extract_text(
            "articles: 3000 (4.5M chars)\nblank tokenizers alone (loaded): 2.00 s\n"
            "newsmon extract, whole process:  10.00 s  (3000 lines, 5000 events)\n"
            "ratio: 5.00  (target <= 4)   throughput: 300 articles/s\n")},
        "extract_only": {"articles": 100, "articles_per_s": 50.0, "articles_per_cpu_s": 100.0},
        "passthrough": {"msgs_per_s": 2000.0, "messages": 100, "partitions": 4, "moved": 100},
        "e2e_1_worker": {**e2e, "memory": {}},
        "e2e_2_workers": {**e2e, "articles_per_s": 40.0},
        "memory": {"worker_peak_rss_mb": 70.0, "extract_children_peak_rss_mb": [120.0],
                   "tree_peak_rss_mb_sum": 200.0},
        "latency": {"loads": {"50": {"to_topic": pct, "to_webhook": pct, "missing_on_topic": 0,
                                     "missing_on_webhook": 0, "backlog_at_send_end": 0,
                                     "stages": {"send_to_extracted": pct}}}},
        "rules": {"status": "absent", "detail": "bench/bench_rules.py not found"},
    }
    rows = {(r["section"], r["figure"]): r for r in run.build_table(results, set(run.SCENARIOS)).rows}
    status = {k[1]: r["status"] for k, r in rows.items()}
    assert status["extract time ÷ blank tokenizer time"] == "MISS"  # 5 > 4
    assert status["1 worker ÷ extract-only per core"] == "PASS"  # 30 / 50 = 0.6
    assert status["2 workers, per worker ÷ extract-only per core"] == "MISS"  # 20 / 50 = 0.4
    assert status["@50/s produce→alerts topic p50/p95/p99"] == "PASS"  # p99 200 ms
    assert status["bench_rules.py"] == "ABSENT"
    assert rows[("memory", "worker process peak RSS (VmHWM)")]["value"] == 70.0
    assert run.build_table(results, set(run.SCENARIOS)).render().count("\n") == len(rows) + 1
