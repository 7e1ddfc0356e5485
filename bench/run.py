"""newsmon benchmarks: speed and cost against the limits, side by side in one run.

    .venv/bin/python bench/run.py [--quick] [--only NAME[,NAME]] [--bootstrap HOST:PORT] [--out DIR]

NAME: extraction, passthrough, e2e, latency, rules, memory. Prints a table (figure, value, target,
PASS/MISS) and writes bench/results/<timestamp>.json and bench/results/latest.json. See bench/README.md.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import inspect
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

SCENARIOS = ("extraction", "passthrough", "e2e", "latency", "rules", "memory")
HELPER_MARK = "@@NEWSMON-BENCH-RESULT@@ "
QUICK_HELPER_ARGS = {"bench_rules": (("--events", "300"), ("--repeat", "2")),
                     "bench_extract": (("--per-lang", "100"),)}
RULES_TARGET_RATIO = 1.5  # µs/event at 10,000 rules ÷ at 1 rule (bench/bench_rules.py's own target)

SIZES = {
    # articles through the broker per scenario; extract-only fallback size; seconds per latency load
    "full": {"e2e_n": 1000, "passthrough_n": 1000, "extract_n": 500, "latency_seconds": 30.0,
             "latency_max_articles": 2000},
    "quick": {"e2e_n": 150, "passthrough_n": 500, "extract_n": 100, "latency_seconds": 2.0,
              "latency_max_articles": 150},
}
E2E_TARGET = 0.50  # end to end ≥ 50% of extract-only articles/s, per worker
P99_TARGET_MS = 250.0  # produce → alert p99 at 50 articles/s
P99_TARGET_RATE = 50


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- the machine -----------------------------------------------------------------------------------

def machine(bootstrap: str | None) -> dict[str, Any]:
    info: dict[str, Any] = {"cores": os.cpu_count(), "python": platform.python_version(),
                            "platform": platform.platform()}
    with contextlib.suppress(OSError):  # a busy machine lowers every figure: say how busy it was
        info["loadavg_start"] = Path("/proc/loadavg").read_text().split()[:3]
    with contextlib.suppress(AttributeError):
        info["cores_usable"] = len(os.sched_getaffinity(0))
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    from streams.broker import KAFKA_VERSION

    info["kafka"] = f"{KAFKA_VERSION} (bundled LocalBroker, one KRaft node)" if not bootstrap else \
        f"external broker at {bootstrap}"
    for pkg in ("faust-streaming", "aiokafka", "kafka-python", "spacy"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            info[pkg] = importlib.metadata.version(pkg)
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        info["git"] = head + ("+dirty" if dirty else "")
    return info


# -- helpers written by others: bench_extract.py, bench_rules.py ----------------------------------

def call_helper(name: str, quick: bool, timeout: float) -> dict[str, Any]:
    """Run bench/<name>.py in a child process. If it has `run()` (or a `main()` that returns a dict), its
    dict is the result; otherwise the last JSON object line it prints, else its output as text."""
    path = BENCH / f"{name}.py"
    if not path.is_file():
        return {"status": "absent", "detail": f"bench/{name}.py not found"}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_call-helper", str(path)] + (["--quick"] if quick else [])
    if quick:  # smaller sizes for a smoke run, where the helper takes them
        source = path.read_text(encoding="utf-8", errors="replace")
        extra = [a for flag, val in QUICK_HELPER_ARGS.get(name, ()) if flag in source for a in (flag, val)]
        if extra:
            cmd += ["--"] + extra
    t0 = time.time()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        return {"status": "error", "detail": f"timed out after {timeout:.0f}s",
                "stdout_tail": (exc.stdout or "")[-2000:] if isinstance(exc.stdout, str) else ""}
    seconds = round(time.time() - t0, 1)
    out = proc.stdout
    base = {"seconds": seconds, "exit_code": proc.returncode}
    for line in reversed(out.splitlines()):
        if line.startswith(HELPER_MARK):
            with contextlib.suppress(ValueError):
                data = json.loads(line[len(HELPER_MARK):])
                if isinstance(data, dict):
                    return {"status": "ok", **base, "data": data}
    # a non-zero exit may just mean "target missed": use the output when it holds figures
    data = None
    for line in reversed(out.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                obj = json.loads(line)
                if isinstance(obj, dict):
                    data = obj
                    break
    if data is None:
        parsed = parse_extract_text(out)
        if parsed:
            data = parsed
    if data is None:
        rows = parse_text_table(out)
        if rows:
            data = {"rows": rows}
    if data is not None:
        return {"status": "ok", **base, "data": data, "text": out.strip()[-4000:]}
    if proc.returncode != 0:
        return {"status": "error", "detail": f"exit {proc.returncode}: {_last_lines(proc.stderr or out)}", **base,
                "stderr_tail": proc.stderr[-3000:], "stdout_tail": out[-2000:]}
    return {"status": "unparsed", **base, "text": out.strip()[-4000:]}


def parse_extract_text(text: str) -> dict[str, Any] | None:
    """bench_extract.py's printed summary → numbers (None when the text is not that summary)."""
    import re

    def grab(pattern: str) -> float | None:
        m = re.search(pattern, text)
        return float(m.group(1)) if m else None

    n = grab(r"articles:\s*([\d.]+)")
    t_tok = grab(r"blank tokenizers? alone[^:]*:\s*([\d.]+)\s*s")
    t_ext = grab(r"newsmon extract[^:]*:\s*([\d.]+)\s*s")
    if not (n and t_tok and t_ext):
        return None
    out: dict[str, Any] = {"articles": int(n), "tokenizer_seconds": t_tok, "extract_seconds": t_ext,
                           "extract_articles_per_s": round(n / t_ext, 2),
                           "blank_tokenizer_articles_per_s": round(n / t_tok, 2),
                           "time_ratio": grab(r"ratio:\s*([\d.]+)") or round(t_ext / t_tok, 2)}
    target = grab(r"target\s*<=?\s*([\d.]+)")
    if target:
        out["time_ratio_target"] = target
    events = grab(r"(\d+) events")
    if events is not None:
        out["events"] = int(events)
    return out


def parse_text_table(text: str) -> list[dict[str, Any]]:
    """A printed table (a header line, then rows of numbers, columns apart by 2+ spaces or aligned) →
    one dict per row. Returns [] when there is no such table."""
    import re

    def num(tok: str) -> float | None:
        tok = tok.strip().rstrip("x%").replace(",", "")
        try:
            return float(tok)
        except ValueError:
            return None

    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    best: list[dict[str, Any]] = []
    for i, head in enumerate(lines):
        names = [h for h in re.split(r"\s{2,}", head.strip()) if h]
        if len(names) < 2 or any(num(h) is not None for h in names):
            continue
        rows = []
        for line in lines[i + 1:]:
            toks = line.split()
            vals = [num(t) for t in toks]
            if len(toks) != len(names) or any(v is None for v in vals):
                break
            rows.append(dict(zip(names, vals)))
        if len(rows) > len(best):
            best = rows
    return best


def _helper_child(path: str, quick: bool, extra: list[str]) -> int:
    """Inside the child: import the helper and call run()/main(), printing a dict result with a mark."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(Path(path).stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    source = Path(path).read_text(encoding="utf-8", errors="replace")
    argv = [path] + (["--quick"] if quick and "--quick" in source else []) + extra
    sys.argv = argv
    spec.loader.exec_module(module)
    for fname in ("run", "main"):
        fn: Callable[..., Any] | None = getattr(module, fname, None)
        if not callable(fn):
            continue
        params = inspect.signature(fn).parameters
        kwargs: dict[str, Any] = {}
        if "quick" in params:
            kwargs["quick"] = quick
        if "argv" in params:
            kwargs["argv"] = argv[1:]
        required = [p for n, p in params.items() if p.default is inspect.Parameter.empty
                    and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and n not in kwargs]
        if required:
            continue
        result = fn(**kwargs)
        if isinstance(result, dict):
            print(HELPER_MARK + json.dumps(result, default=str), flush=True)
            return 0
        return int(result or 0) if isinstance(result, int) else 0
    # a plain script: run its __main__ block
    import runpy

    runpy.run_path(path, run_name="__main__")
    return 0


def _numbers(data: Any, prefix: str = "") -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(_numbers(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(data, list) and len(data) <= 20:
        for i, v in enumerate(data):
            label = v.get("rules") if isinstance(v, dict) and "rules" in v else i
            out.extend(_numbers(v, f"{prefix}[{label}]"))
    elif isinstance(data, (int, float)) and not isinstance(data, bool):
        out.append((prefix, float(data)))
    return out


def extraction_figures(res: dict[str, Any]) -> dict[str, float | None]:
    """extract articles/s (per core), blank-tokenizer articles/s and their ratio, from the helper's dict."""
    data = res.get("data") or {}
    nums = _numbers(data)

    def find(pred: Callable[[str], bool]) -> float | None:
        return next((v for k, v in nums if pred(k.lower())), None)

    rate = lambda k: any(t in k for t in ("per_s", "per_sec", "/s", "aps", "rate", "throughput"))  # noqa: E731
    tok = lambda k: any(t in k for t in ("blank", "token"))  # noqa: E731
    extract = find(lambda k: rate(k) and not tok(k) and "ratio" not in k and ("extract" in k or "article" in k))
    blank = find(lambda k: rate(k) and tok(k) and "ratio" not in k)
    ratio = find(lambda k: "ratio" in k or "slowdown" in k or "x_blank" in k)
    if ratio is None and extract and blank:
        ratio = extract / blank
    return {"extract_per_core": extract, "blank_per_core": blank, "ratio": ratio}


# -- the figures table -----------------------------------------------------------------------------

class Table:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, section: str, name: str, value: Any, unit: str = "", target: str = "",
            ok: bool | None = None, note: str = "") -> None:
        if isinstance(value, str) and ok is None:
            status = value.upper() if value in ("absent", "error", "skipped") else "INFO"
        elif value is None:
            status = "N/A"
        elif ok is None:
            status = "INFO" if not target else "N/A"
        else:
            status = "PASS" if ok else "MISS"
        self.rows.append({"section": section, "figure": name, "value": value, "unit": unit, "target": target,
                          "status": status, "note": note})

    def render(self) -> str:
        def fmt(v: Any) -> str:
            if isinstance(v, float):
                return f"{v:,.3f}" if abs(v) < 10 else f"{v:,.1f}"
            return "—" if v is None else str(v)

        head = ("section", "figure", "value", "target", "status")
        lines = [[r["section"], r["figure"], (fmt(r["value"]) + (" " + r["unit"] if r["unit"] and
                  r["value"] is not None and not isinstance(r["value"], str) else "")), r["target"] or "—",
                  r["status"] + (f" ({r['note']})" if r["note"] else "")] for r in self.rows]
        widths = [max(len(h), *(len(str(line[i])) for line in lines)) if lines else len(h) for i, h in enumerate(head)]
        widths[-1] = len(head[-1])
        out = ["  ".join(h.ljust(w) for h, w in zip(head, widths)),
               "  ".join("-" * w for w in widths)]
        out += ["  ".join(str(c).ljust(w) for c, w in zip(line, widths)) for line in lines]
        return "\n".join(out)


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


# -- the run ---------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run in under 3 minutes")
    ap.add_argument("--only", action="append", default=[], metavar="NAME",
                    help=f"run only these ({', '.join(SCENARIOS)}); repeat or comma-separate")
    ap.add_argument("--bootstrap", default=None,
                    help="use this broker instead of a fresh LocalBroker per scenario (results are cleanest "
                         "on an empty broker: the workers first drain whatever `articles` already holds)")
    ap.add_argument("--out", default=str(BENCH / "results"), help="results folder (default: bench/results)")
    ap.add_argument("--n", type=int, default=None, help="articles per end-to-end and passthrough scenario")
    ap.add_argument("--keep-logs", action="store_true", help="copy the worker logs next to the results")
    ap.add_argument("--profile", action="store_true",
                    help="run the single-worker end-to-end worker under pyinstrument; its text profile lands "
                         "next to the results (the figures of that scenario then include the profiler's cost)")
    ap.add_argument("--_call-helper", dest="call_helper", default=None, help=argparse.SUPPRESS)
    ap.add_argument("helper_args", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.call_helper:
        return _helper_child(args.call_helper, args.quick, args.helper_args)
    if args.helper_args:
        ap.error(f"unexpected arguments: {' '.join(args.helper_args)}")

    only = {n.strip() for o in args.only for n in o.split(",") if n.strip()} or set(SCENARIOS)
    unknown = only - set(SCENARIOS)
    if unknown:
        ap.error(f"unknown scenario(s): {', '.join(sorted(unknown))}; choose from {', '.join(SCENARIOS)}")
    size = dict(SIZES["quick" if args.quick else "full"])
    if args.n:
        size["e2e_n"] = size["passthrough_n"] = args.n
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    keep_logs = out_dir / f"logs-{stamp}" if args.keep_logs else None

    import logging

    logging.basicConfig(level=logging.ERROR)
    for name in ("kafka", "aiokafka"):  # the clients' retries while a topic or group appears are not news
        logging.getLogger(name).setLevel(logging.CRITICAL)

    import corpus
    import e2e

    report: dict[str, Any] = {"started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                              "argv": sys.argv[1:], "quick": args.quick, "only": sorted(only),
                              "machine": machine(args.bootstrap), "sizes": size, "results": {}}
    results: dict[str, Any] = report["results"]
    brokers = e2e.Brokers(args.bootstrap)
    t_start = time.time()

    def guarded(name: str, fn: Callable[[], Any]) -> Any:
        log(f"{name} …")
        t0 = time.time()
        try:
            res = fn()
        except Exception as exc:  # noqa: BLE001 - one failed scenario must not sink the run
            res = {"status": "error", "detail": f"{type(exc).__name__}: {exc}"[-3000:],
                   "traceback": traceback.format_exc()[-4000:]}
        if isinstance(res, dict):
            res.setdefault("wall_seconds", round(time.time() - t0, 1))
        results[name] = res
        log(f"{name} done in {time.time() - t0:.0f}s" + (f" — {res.get('detail', '')[:300]}"
                                                         if isinstance(res, dict) and res.get("status") == "error" else ""))
        return res

    articles: list[dict[str, Any]] = []
    if only & {"passthrough", "e2e", "memory", "extraction"}:
        articles = corpus.load(max(size["e2e_n"], size["passthrough_n"]))
        report["corpus"] = corpus.stats(articles[:size["e2e_n"]])

    if "extraction" in only:
        guarded("extraction", lambda: call_helper("bench_extract", args.quick, timeout=900))
    if only & {"extraction", "e2e"}:
        # the denominator of the end-to-end target: extraction alone, in one process, same articles
        guarded("extract_only", lambda: _extract_only(size["extract_n"]))
    if "passthrough" in only:
        msgs = [(a["id"].encode(), corpus.encode(a)) for a in articles[:size["passthrough_n"]]]

        def passthrough_run() -> dict[str, Any]:
            import passthrough

            with brokers.fresh() as (bootstrap, _pid):
                return passthrough.run(bootstrap, msgs)
        guarded("passthrough", passthrough_run)
    if only & {"e2e", "memory"}:
        profile = out_dir / f"profile-worker-{stamp}.txt" if args.profile else None
        guarded("e2e_1_worker", lambda: e2e.scenario(brokers, articles[:size["e2e_n"]], n_workers=1,
                                                     keep_logs=keep_logs, with_memory=True, profile=profile))
        if profile is not None:
            results["e2e_1_worker"]["profile"] = str(profile)
        mem = results["e2e_1_worker"].get("memory")
        if mem:
            results["memory"] = mem
    if "e2e" in only:
        guarded("e2e_2_workers", lambda: e2e.scenario(brokers, articles[:size["e2e_n"]], n_workers=2,
                                                      keep_logs=keep_logs))
        # the baseline again, after the end-to-end runs: this VM's speed drifts by ±20% over minutes, and
        # the ratios use the mean of both
        guarded("extract_only_after", lambda: _extract_only(size["extract_n"]))
    if "latency" in only:
        import latency

        def latency_run() -> dict[str, Any]:
            return latency.run(brokers, seconds=size["latency_seconds"], max_articles=size["latency_max_articles"],
                               keep_logs=keep_logs, drain_timeout=20.0 if args.quick else 90.0)
        guarded("latency", latency_run)
    if "rules" in only:
        guarded("rules", lambda: call_helper("bench_rules", args.quick, timeout=900))

    report["broker_start_seconds"] = brokers.starts
    with contextlib.suppress(OSError):
        report["machine"]["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    report["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    report["wall_seconds"] = round(time.time() - t_start, 1)
    table = build_table(results, only)
    report["figures"] = table.rows
    report["summary"] = {s: sum(1 for r in table.rows if r["status"] == s)
                         for s in ("PASS", "MISS", "ERROR", "ABSENT", "N/A", "INFO")}

    path = out_dir / f"{stamp}.json"
    text = json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
    path.write_text(text, encoding="utf-8")
    (out_dir / "latest.json").write_text(text, encoding="utf-8")

    m = report["machine"]
    print(f"newsmon bench — {report['started_at']} — {'quick' if args.quick else 'full'} run, "
          f"{report['wall_seconds']:.0f} s")
    print(f"machine: {m.get('cores')} cores ({m.get('cpu_model', '?')}), {m.get('ram_gb', '?')} GB RAM, "
          f"Python {m['python']}, Kafka {m['kafka']}, git {m.get('git', '?')}")
    print(f"load average (1/5/15 min): {' '.join(m.get('loadavg_start', ['?']))} at start, "
          f"{' '.join(m.get('loadavg_end', ['?']))} at end")
    if report.get("corpus"):
        c = report["corpus"]
        print(f"corpus: {c['articles']} articles {c['langs']}, median {c['chars_median']} chars")
    print()
    print(table.render())
    print()
    print(f"results: {path}  (and {out_dir / 'latest.json'})")
    return 0


def _extract_only(n: int) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, str(BENCH / "e2e.py"), "extract-only", str(n)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        return {"status": "error", "detail": _last_lines(proc.stderr), "stderr_tail": proc.stderr[-3000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def build_table(results: dict[str, Any], only: set[str]) -> Table:
    t = Table()

    def failed(section: str, name: str, res: Any) -> bool:
        if not isinstance(res, dict):
            t.add(section, name, "skipped")
            return True
        if res.get("status") in ("absent", "error", "unparsed"):
            t.add(section, name, res["status"], note=str(res.get("detail") or "")[-160:].replace("\n", " "))
            return True
        return False

    # 1. extraction
    extract_rate = None
    if "extraction" in only:
        res = results.get("extraction")
        if not failed("extraction", "bench_extract.py", res):
            data = res.get("data") or {}
            if "extract_articles_per_s" in data:
                t.add("extraction", "newsmon extract (whole process, one core), articles/s",
                      data["extract_articles_per_s"], "art/s",
                      note=f"{data['articles']} articles, startup included")
                t.add("extraction", "spaCy blank tokenizers alone, articles/s", data["blank_tokenizer_articles_per_s"],
                      "art/s")
                ratio, target = data.get("time_ratio"), data.get("time_ratio_target")
                t.add("extraction", "extract time ÷ blank tokenizer time", ratio,
                      target=f"≤ {target:g}" if target else "", ok=None if not target or ratio is None else ratio <= target)
            else:
                fig = extraction_figures(res)
                t.add("extraction", "extract, articles/s per core", fig["extract_per_core"], "art/s")
                t.add("extraction", "spaCy blank tokenizer alone, articles/s per core", fig["blank_per_core"], "art/s")
                t.add("extraction", "extract / blank tokenizer", fig["ratio"])
                if all(v is None for v in fig.values()):
                    for k, v in _numbers(data)[:20]:
                        t.add("extraction", k, v)
                extract_rate = fig["extract_per_core"]
    eo = results.get("extract_only")
    if isinstance(eo, dict):
        if not failed("extraction", "extract-only (bench/e2e.py)", eo):
            t.add("extraction", "extract-only in one process, steady state, articles/s", eo.get("articles_per_s"),
                  "art/s", note=f"{eo.get('articles')} articles as in e2e, no Kafka; "
                                f"{eo.get('articles_per_cpu_s')} per CPU-second")
            extract_rate = eo.get("articles_per_s") or extract_rate
            after = results.get("extract_only_after")
            if isinstance(after, dict) and after.get("articles_per_s") and extract_rate:
                t.add("extraction", "extract-only again after the end-to-end runs, articles/s",
                      after["articles_per_s"], "art/s", note="the ratios below use the mean of both")
                extract_rate = round((extract_rate + after["articles_per_s"]) / 2, 2)

    # 2. end to end
    pt_rate = None
    if "passthrough" in only:
        res = results.get("passthrough")
        if not failed("transport", "aiokafka passthrough", res):
            pt_rate = res.get("msgs_per_s")
            t.add("transport", "raw aiokafka consume→produce", pt_rate, "msg/s",
                  note=f"{res.get('messages')} msgs, {res.get('partitions')} partitions")
    if "e2e" in only or "memory" in only:
        one = results.get("e2e_1_worker")
        two = results.get("e2e_2_workers") if "e2e" in only else None
        r1 = r2 = None
        if not failed("end to end", "1 worker", one):
            r1 = one.get("articles_per_s")
            t.add("end to end", "1 worker (1 extraction process), articles/s through alerts engine", r1, "art/s",
                  note=f"{one.get('fused')}/{one.get('articles')} articles" + (f"; {one['error']}" if one.get("error") else ""))
            t.add("end to end", "1 worker, articles/s extracted (newsmon_articles_total)",
                  one.get("extracted_articles_per_s"), "art/s")
            ratio = _ratio(r1, extract_rate)
            t.add("end to end", "1 worker ÷ extract-only per core", ratio, target=f"≥ {E2E_TARGET:.2f}",
                  ok=None if ratio is None else ratio >= E2E_TARGET)
            t.add("end to end", "1 worker ÷ raw passthrough", _ratio(r1, pt_rate))
            cpu = one.get("cpu_ms_per_article") or {}
            if cpu:
                t.add("end to end", "CPU ms/article (1 worker): main / extract child / broker",
                      f"{cpu.get('worker_main', 0):.1f} / {cpu.get('extract_children', 0):.1f} / "
                      + (f"{cpu['broker']:.1f}" if "broker" in cpu else "n/a (external)"))
            eo = results.get("extract_only") or {}
            if cpu and eo.get("articles_per_cpu_s"):
                extract_ms = 1000 / eo["articles_per_cpu_s"]
                t.add("end to end", "worker CPU per article (main + extract child) ÷ extract-only CPU per article",
                      round((cpu.get("worker_main", 0) + cpu.get("extract_children", 0)) / extract_ms, 2),
                      note=f"extract-only {extract_ms:.1f} ms CPU/article; a contention-proof view of the overhead")
            _contention(t, "1 worker", one)
        if two is not None and not failed("end to end", "2 workers", two):
            r2 = two.get("articles_per_s")
            t.add("end to end", f"2 workers on {two.get('articles_partitions', 4)} partitions, articles/s through alerts engine",
                  r2, "art/s", note=f"{two.get('fused')}/{two.get('articles')} articles" + (f"; {two['error']}" if two.get("error") else ""))
            t.add("end to end", "2 workers, articles/s extracted (newsmon_articles_total)",
                  two.get("extracted_articles_per_s"), "art/s")
            per = _ratio(r2 / 2 if r2 else None, extract_rate)
            t.add("end to end", "2 workers, per worker ÷ extract-only per core", per, target=f"≥ {E2E_TARGET:.2f}",
                  ok=None if per is None else per >= E2E_TARGET)
            t.add("end to end", "2 workers ÷ 1 worker (scaling)", _ratio(r2, r1))
            t.add("end to end", "2 workers ÷ raw passthrough", _ratio(r2, pt_rate))
            _contention(t, "2 workers", two)

    # 3. latency
    if "latency" in only:
        res = results.get("latency")
        if not failed("latency", "produce → alert", res):
            if res.get("error"):
                t.add("latency", "produce → alert", "error", note=res["error"])
            if res.get("alert_templates_silent"):
                t.add("latency", "alert templates that raised no alert (excluded)", str(res["alert_templates_silent"]))
            for rate, lr in res.get("loads", {}).items():
                for where in ("to_topic", "to_webhook"):
                    p = lr.get(where, {})
                    label = "alerts topic" if where == "to_topic" else "webhook"
                    val = (f"{_ms(p.get('p50_ms'))} / {_ms(p.get('p95_ms'))} / {_ms(p.get('p99_ms'))} ms"
                           if p.get("n") else None)
                    missing = lr.get("missing_on_topic" if where == "to_topic" else "missing_on_webhook", 0)
                    note = f"n={p.get('n', 0)}" + (f", {missing} missing" if missing else "")
                    if lr.get("backlog_at_send_end"):
                        note += (f", backlog {lr['backlog_at_send_end']} at send end (worker did "
                                 f"{lr.get('worker_articles_per_s', '?')}/s)")
                    if where == "to_topic" and int(rate) == P99_TARGET_RATE:
                        ok = None if not p.get("n") else (p["p99_ms"] <= P99_TARGET_MS and not missing)
                        t.add("latency", f"@{rate}/s produce→{label} p50/p95/p99", val,
                              target=f"p99 ≤ {P99_TARGET_MS:.0f} ms", ok=ok, note=note)
                    else:
                        t.add("latency", f"@{rate}/s produce→{label} p50/p95/p99", val, note=note)
                st = lr.get("stages") or {}
                if st:
                    parts = [(k, st.get(k, {}).get("p99_ms")) for k in
                             ("send_to_extracted", "extracted_to_alert_emitted", "emitted_to_topic", "emitted_to_webhook")]
                    t.add("latency", f"@{rate}/s p99 by stage: sent→extracted / →alert emitted / →topic / →webhook",
                          " / ".join(_ms(v) for _, v in parts) + " ms", note="from the worker's log")

    # 4. rules
    if "rules" in only:
        res = results.get("rules")
        if not failed("rules", "bench_rules.py", res):
            data = res.get("data") or {}
            rows = data.get("rows") if isinstance(data.get("rows"), list) else None
            if rows and all(isinstance(r, dict) and "rules" in r for r in rows):
                us_key = next((k for k in rows[0] if "event" in k.lower() and ("µs" in k or "us" in k.lower())), None)
                for r in rows:
                    n_rules = int(r["rules"])
                    ratio = r.get("ratio")
                    note = ", ".join(f"{k} {v:g}" for k, v in r.items() if k not in ("rules", us_key))
                    if n_rules >= 10000 and ratio is not None:
                        t.add("rules", f"{n_rules:,} rules: µs/event (ratio to 1 rule)", f"{r.get(us_key)} ({ratio:.2f}×)",
                              target=f"ratio ≤ {RULES_TARGET_RATIO}", ok=ratio <= RULES_TARGET_RATIO, note=note)
                    else:
                        t.add("rules", f"{n_rules:,} rules: µs/event", r.get(us_key), "µs", note=note)
            else:
                nums = _numbers(data)
                if not nums:
                    t.add("rules", "bench_rules.py", (res.get("text") or "")[:200] or "no figures")
                for k, v in nums[:24]:
                    t.add("rules", k, v)

    # 5. memory
    if "memory" in only or "e2e" in only:
        mem = results.get("memory")
        if isinstance(mem, dict) and mem.get("worker_peak_rss_mb") is not None:
            t.add("memory", "worker process peak RSS (VmHWM)", mem["worker_peak_rss_mb"], "MB")
            t.add("memory", "extraction child peak RSS", ", ".join(f"{v:.0f}" for v in mem["extract_children_peak_rss_mb"])
                  or None, "MB")
            t.add("memory", "worker + children, sum of peaks", mem["tree_peak_rss_mb_sum"], "MB",
                  note="upper bound: peaks need not coincide")
        elif "memory" in only:
            t.add("memory", "worker peak RSS", "error", note="no e2e single-worker result")
    return t


def _contention(t: Table, name: str, r: dict[str, Any]) -> None:
    busy = r.get("cores_busy_with_others")
    if busy is not None:
        t.add("end to end", f"cores other programs kept busy during {name}", busy, "cores",
              note="contention: the figures above are low" if busy >= 0.3 else "")


def _last_lines(text: str, n: int = 2) -> str:
    return " | ".join([ln.strip() for ln in text.strip().splitlines() if ln.strip()][-n:])


def _ms(v: Any) -> str:
    return "—" if v is None else f"{v:.0f}"


if __name__ == "__main__":
    sys.exit(main())
