"""End to end through the real broker: `newsmon worker` processes, real articles, sustained articles/s.

How one scenario runs (1 worker, or 2 workers sharing the 4 partitions of `articles`):
1. a broker with a clean topic namespace (a fresh LocalBroker per scenario, unless `--bootstrap`);
2. start the workers (fresh app id, web port, data dir; NEWSMON_ARTICLE_PARTITIONS=4, one extraction
   process each) and wait until /health answers;
3. readiness: send a probe article to each partition and wait until the workers have counted them all and
   then stay idle for 2 s (on a shared broker this also drains whatever the `articles` topic already held);
4. the burst: send the N corpus articles as fast as the producer goes (about 1,000/s, far faster than
   extraction) and poll the workers' /health counts (`articles` + `rejected`, the numbers behind the
   `newsmon_articles_total` metric) until they have all been processed;
5. articles/s = N / (last processed - first sent); `steady` is the rate between 10% and 90% done.
CPU seconds of each process (worker, extraction child, broker) over the burst are read from /proc to
show where the time went; the single-worker scenario also reads peak RSS (bench/memory.py).

`python bench/e2e.py extract-only N` is the fallback extract-only figure (one process, the same
articles, no Kafka), used when bench/bench_extract.py is absent.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import memory  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- the broker ------------------------------------------------------------------------------------

class Brokers:
    """Gives each scenario a broker: a fresh LocalBroker (clean topics) or the one at `bootstrap`."""

    def __init__(self, bootstrap: str | None = None) -> None:
        self.external = bootstrap
        self.starts: list[float] = []

    @contextlib.contextmanager
    def fresh(self) -> Iterator[tuple[str, int | None]]:
        """Yields (bootstrap, broker pid or None)."""
        if self.external:
            yield self.external, None
            return
        from streams.broker import LocalBroker

        broker = LocalBroker()
        broker.start(timeout=120)
        self.starts.append(round(broker.started_in or 0.0, 2))
        try:
            yield broker.bootstrap, broker.pid
        finally:
            broker.stop()


# -- the worker ------------------------------------------------------------------------------------

class BenchWorker:
    """`newsmon worker` as a child process with its own app id, web port and data dir."""

    def __init__(self, bootstrap: str, workdir: Path, app_id: str, env: dict[str, str] | None = None,
                 profile: Path | None = None) -> None:
        self.profile = profile  # write a pyinstrument text profile of the worker's main process here
        self.port = free_port()
        self.app_id = app_id
        self.workdir = workdir
        self.log_path = workdir / f"{app_id}.log"
        self.env = {**os.environ, "KAFKA_BOOTSTRAP": bootstrap, "NEWSMON_APP_ID": app_id,
                    "NEWSMON_WEB_PORT": str(self.port), "NEWSMON_DATA_DIR": str(workdir / app_id),
                    "NEWSMON_RULES": str(ROOT / "rules"), "NEWSMON_ARTICLE_PARTITIONS": "4",
                    "NEWSMON_EXTRACT_PROCESSES": "1", "PYTHONUNBUFFERED": "1", **(env or {})}
        self.env.pop("NEWSMON_CONFIG", None)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> BenchWorker:
        cmd = [PYTHON, "-m", "streams.cli", "worker"]
        if self.profile is not None:
            # NEWSMON_BENCH_PROFILE_RENDERER=pstats gives a flat profile (`python -m pstats FILE`)
            # and NEWSMON_BENCH_PROFILE_ARGS more pyinstrument options, e.g. "--show-all"
            renderer = os.environ.get("NEWSMON_BENCH_PROFILE_RENDERER", "text")
            extra = os.environ.get("NEWSMON_BENCH_PROFILE_ARGS", "").split()
            cmd = [PYTHON, "-m", "pyinstrument", "-r", renderer, *extra, "-o", str(self.profile), *cmd[1:]]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT,
                                         stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
        return self

    def wait_healthy(self, timeout: float = 180.0) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.check_alive()
            with contextlib.suppress(OSError, ValueError):
                if self.health().get("status") == "ok":
                    return
            time.sleep(0.5)
        raise RuntimeError(f"worker {self.app_id} not healthy after {timeout:.0f}s:\n{self.log_tail()}")

    def check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(f"worker {self.app_id} exited with {self.proc.returncode}: {self.log_errors()}\n"
                               f"{self.log_tail()}")

    def log_errors(self, n: int = 3) -> str:
        """The last lines of the log that name an exception (the reason, not the shutdown chatter)."""
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        hits = [ln.strip() for ln in lines if ("Error" in ln or "Exception" in ln) and "GroupCoordinator" not in ln
                and not ln.lstrip().startswith("File ")]
        return " | ".join(hits[-n:])[-600:]

    def health(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=5) as r:
            return json.loads(r.read())

    def metrics(self) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as r:
            return r.read().decode()

    def done_count(self) -> int:
        """Articles this worker has finished with: processed (`newsmon_articles_total`) + rejected."""
        counts = self.health().get("counts", {})
        return int(counts.get("articles", 0)) + int(counts.get("rejected", 0))

    def fused_count(self) -> int:
        """Articles through incident fusion and the rules (only one worker owns that partition): /health's
        `fused` count, the count of `newsmon_processing_seconds` (rendering /metrics four times a second
        would cost the worker more than the figure is worth)."""
        fused = self.health().get("counts", {}).get("fused")
        if fused is not None:
            return int(fused)
        for line in self.metrics().splitlines():
            if line.startswith("newsmon_processing_seconds_count"):
                return int(float(line.rsplit(" ", 1)[1]))
        return 0  # not observed yet (or this worker does not own the fusion partition)

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(40)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


@contextlib.contextmanager
def workers(bootstrap: str, n: int, *, env: dict[str, str] | None = None, keep_logs: Path | None = None,
            tag: str = "e2e", profile: Path | None = None) -> Iterator[list[BenchWorker]]:
    workdir = Path(tempfile.mkdtemp(prefix=f"newsmon-bench-{tag}-"))
    run_id = uuid.uuid4().hex[:6]
    ws = [BenchWorker(bootstrap, workdir, f"bench-{tag}-{run_id}", env, profile=profile if i == 0 else None)
          for i in range(n)]
    # all workers of a scenario share one app id (one consumer group) but not a data dir
    for i, w in enumerate(ws):
        w.env["NEWSMON_DATA_DIR"] = str(workdir / f"data-{i}")
        w.log_path = workdir / f"worker-{i}.log"
    try:
        for w in ws:
            w.start()
        for w in ws:
            w.wait_healthy()
        yield ws
    finally:
        for w in ws:
            w.stop()
        if keep_logs is not None:
            keep_logs.mkdir(parents=True, exist_ok=True)
            for w in ws:
                with contextlib.suppress(OSError):
                    shutil.copy(w.log_path, keep_logs / f"{tag}-{w.log_path.name}")
        shutil.rmtree(workdir, ignore_errors=True)


def total_fused(ws: list[BenchWorker]) -> int:
    return sum(w.fused_count() for w in ws)


def total_done(ws: list[BenchWorker]) -> int:
    total = 0
    for w in ws:
        w.check_alive()
        total += w.done_count()
    return total


def make_producer(bootstrap: str) -> Any:
    from kafka import KafkaProducer

    return KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5, batch_size=256 * 1024,
                         max_request_size=2_000_000)


def partitions_of(bootstrap: str, topic: str) -> int | None:
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        parts = consumer.partitions_for_topic(topic)
        return len(parts) if parts else None
    finally:
        consumer.close()


def wait_ready(bootstrap: str, ws: list[BenchWorker], *, timeout: float = 300.0) -> dict[str, Any]:
    """Probe every partition of `articles` until every worker has processed some of the probes (so the
    consumer group has settled: no rebalance in the middle of the burst), then wait until all are idle."""
    t0 = time.time()
    deadline = t0 + timeout
    parts = None
    while parts is None and time.time() < deadline:  # the worker creates `articles` as it starts
        parts = partitions_of(bootstrap, "articles")
        if parts is None:
            time.sleep(0.5)
    parts = parts or 1
    drained = 0
    rounds = 0
    while time.time() < deadline:
        rounds += 1
        before = [w.done_count() for w in ws]
        _send_probes(bootstrap, parts)
        last, last_change = before, time.time()
        while time.time() < deadline:
            for w in ws:
                w.check_alive()
            now = [w.done_count() for w in ws]
            if now != last:
                last, last_change = now, time.time()
            if sum(now) >= sum(before) + parts and time.time() - last_change >= 2.0:
                break
            time.sleep(0.25)
        drained += sum(last) - sum(before) - parts
        if all(a > b for a, b in zip(last, before)):
            # and the alerts engine has caught up with everything extracted so far
            _wait_fused(ws, deadline)
            return {"articles_partitions": parts, "ready_seconds": round(time.time() - t0, 1),
                    "probe_rounds": rounds, "drained_before_burst": max(0, drained)}
        time.sleep(3.0)  # a worker got no partition yet: the group is still rebalancing
    raise RuntimeError(f"workers not ready after {timeout:.0f}s ({rounds} probe rounds)\n"
                       + "\n---\n".join(w.log_tail(20) for w in ws))


def _wait_fused(ws: list[BenchWorker], deadline: float) -> None:
    while time.time() < deadline:
        extracted = sum(int(w.health()["counts"].get("articles", 0)) for w in ws)
        if total_fused(ws) >= extracted:
            return
        time.sleep(0.25)


def _send_probes(bootstrap: str, parts: int) -> None:
    producer = make_producer(bootstrap)
    probe_id = uuid.uuid4().hex[:8]
    try:
        for p in range(parts):
            art = {"id": f"bench-probe-{probe_id}-{p}", "lang": "en", "title": "Bench probe",
                   "body": "A short probe article to check that the worker is consuming.",
                   "published_at": "2020-01-01T00:00:00Z"}
            producer.send("articles", key=art["id"].encode(), value=json.dumps(art).encode(), partition=p)
        producer.flush(30)
    finally:
        producer.close(5)


def burst(bootstrap: str, ws: list[BenchWorker], messages: list[tuple[bytes, bytes]], *,
          timeout: float) -> dict[str, Any]:
    """Send all messages at full speed and wait until the workers have processed them all: extracted
    (or rejected), and through incident fusion and the rules (the alerts engine)."""
    base_done = total_done(ws)
    base_rejected = sum(w.health()["counts"].get("rejected", 0) for w in ws)
    base_fused = total_fused(ws)
    n = len(messages)
    sent_at: dict[str, float] = {}
    errors: list[BaseException] = []

    def produce() -> None:
        try:
            producer = make_producer(bootstrap)
            try:
                sent_at["first"] = time.time()
                for key, value in messages:
                    producer.send("articles", key=key, value=value)
                producer.flush(120)
                sent_at["last"] = time.time()
            finally:
                producer.close(10)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    while "first" not in sent_at and thread.is_alive():
        time.sleep(0.005)
    t0 = sent_at.get("first", time.time())
    done_samples: list[tuple[float, int]] = [(t0, 0)]
    fused_samples: list[tuple[float, int]] = [(t0, 0)]
    deadline = t0 + timeout
    done = fused = rejected = 0
    t_done: float | None = None
    while time.time() < deadline:
        if errors:
            raise RuntimeError(f"producing failed: {errors[0]!r}")
        done = total_done(ws) - base_done
        now = time.time()
        done_samples.append((now, done))
        if done >= n and t_done is None:
            t_done = now
        fused = total_fused(ws) - base_fused
        fused_samples.append((time.time(), fused))
        if done >= n:
            rejected = sum(w.health()["counts"].get("rejected", 0) for w in ws) - base_rejected
            if fused >= n - rejected:
                break
        time.sleep(0.25)
    thread.join(5)
    t_fused = fused_samples[-1][0]
    t_done = t_done or done_samples[-1][0]
    out: dict[str, Any] = {
        "articles": n, "processed": done, "rejected": rejected, "fused": fused,
        "seconds": round(t_fused - t0, 2),
        # the headline: through the whole pipeline (extraction, then fusion and rules)
        "articles_per_s": round(min(fused + rejected, n) / max(1e-9, t_fused - t0), 2),
        # extraction only (the `newsmon_articles_total` count reaching N)
        "extracted_seconds": round(t_done - t0, 2),
        "extracted_articles_per_s": round(min(done, n) / max(1e-9, t_done - t0), 2),
        "producer_seconds": round(sent_at.get("last", t_fused) - t0, 2),
    }

    def at(samples: list[tuple[float, int]], fraction: float, total: int) -> float:
        target = fraction * total
        return next((t for t, c in samples if c >= target), samples[-1][0])

    for key, samples, total in (("steady_articles_per_s", fused_samples, n - rejected),
                                ("steady_extracted_articles_per_s", done_samples, n)):
        t10, t90 = at(samples, 0.1, total), at(samples, 0.9, total)
        if t90 > t10:
            out[key] = round(0.8 * total / (t90 - t10), 2)
    if done < n:
        out["error"] = f"only {done} of {n} articles extracted in {timeout:.0f}s"
    elif fused < n - rejected:
        out["error"] = f"only {fused} of {n - rejected} articles through fusion in {timeout:.0f}s"
    return out


def scenario(brokers: Brokers, articles: list[dict[str, Any]], *, n_workers: int, keep_logs: Path | None = None,
             with_memory: bool = False, timeout: float | None = None, profile: Path | None = None) -> dict[str, Any]:
    import corpus

    messages = [(a["id"].encode(), corpus.encode(a)) for a in articles]
    timeout = timeout or 120.0 + len(messages) / 2.0  # generous: 2 articles/s would be a broken worker
    with brokers.fresh() as (bootstrap, broker_pid):
        with workers(bootstrap, n_workers, keep_logs=keep_logs, tag=f"e2e{n_workers}", profile=profile) as ws:
            ready = wait_ready(bootstrap, ws)
            cpu0 = {w.pid: memory.tree_cpu(w.pid) for w in ws}
            b0 = memory.cpu_seconds(broker_pid) if broker_pid else None
            h0 = time.process_time()
            m0 = memory.machine_busy_seconds()
            res = burst(bootstrap, ws, messages, timeout=timeout)
            cpu1 = {w.pid: memory.tree_cpu(w.pid) for w in ws}
            b1 = memory.cpu_seconds(broker_pid) if broker_pid else None
            res.update(ready)
            res["workers"] = n_workers
            res["per_worker_done"] = [w.health()["counts"] for w in ws]
            res["cpu_seconds"] = _cpu_breakdown(ws, cpu0, cpu1, b0, b1)
            res["cpu_seconds"]["harness"] = round(time.process_time() - h0, 2)
            # CPU that other programs on this machine used meanwhile: a busy machine slows every figure
            busy = memory.machine_busy_seconds() - m0
            ours = sum(v for k, v in res["cpu_seconds"].items())
            res["cpu_seconds"]["others_on_machine"] = round(max(0.0, busy - ours), 2)
            res["cores_busy_with_others"] = round(max(0.0, busy - ours) / max(1e-9, res["seconds"]), 2)
            if res["processed"]:
                per = res["cpu_seconds"]
                res["cpu_ms_per_article"] = {k: round(1000 * v / res["processed"], 2)
                                             for k, v in per.items() if isinstance(v, (int, float))}
            if with_memory:
                res["memory"] = memory.tree_memory(ws[0].pid)
            with contextlib.suppress(Exception):
                metrics = ws[0].metrics()
                res["extract_batch"] = _histogram(metrics, "newsmon_extract_batch_seconds")
    return res


def _cpu_breakdown(ws: list[BenchWorker], cpu0: dict[int, dict[int, float]], cpu1: dict[int, dict[int, float]],
                   b0: float | None, b1: float | None) -> dict[str, float]:
    out = {"worker_main": 0.0, "extract_children": 0.0, "other_children": 0.0}
    for w in ws:
        for pid, after in cpu1[w.pid].items():
            used = after - cpu0[w.pid].get(pid, 0.0)
            r = memory.role(pid, w.pid)
            key = "worker_main" if r == "worker" else "extract_children" if r == "extract_child" else "other_children"
            out[key] += used
    if b0 is not None and b1 is not None:
        out["broker"] = b1 - b0
    return {k: round(v, 2) for k, v in out.items()}


def _histogram(metrics: str, name: str) -> dict[str, float]:
    total = count = 0.0
    for line in metrics.splitlines():
        if line.startswith(name + "_sum"):
            total = float(line.rsplit(" ", 1)[1])
        elif line.startswith(name + "_count"):
            count = float(line.rsplit(" ", 1)[1])
    return {"count": count, "mean_seconds": round(total / count, 4) if count else 0.0}


# -- extract-only fallback ---------------------------------------------------------------------------

def extract_only(n: int) -> dict[str, Any]:
    """Extractor alone, in this process, on the same corpus articles: articles/s on one core."""
    import corpus
    from detectors.articles import article_from_obj
    from detectors.extract import Extractor

    articles = [article_from_obj(a) for a in corpus.load(n)]
    t0 = time.perf_counter()
    ex = Extractor.load()
    load_s = time.perf_counter() - t0
    ex(articles[0])  # first-call costs out of the figure
    many = getattr(ex, "extract_many", None)
    c0, t0 = time.process_time(), time.perf_counter()
    if many:
        for i in range(0, len(articles), 32):
            many(articles[i:i + 32])
    else:
        for a in articles:
            ex(a)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"articles": len(articles), "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
            "articles_per_s": round(len(articles) / wall, 2),
            "articles_per_cpu_s": round(len(articles) / max(1e-9, cpu), 2), "load_seconds": round(load_s, 2),
            "source": "bench/e2e.py extract-only (fallback)"}


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "extract-only":
        sys.path.insert(0, str(ROOT))
        print(json.dumps(extract_only(int(sys.argv[2]) if len(sys.argv) > 2 else 500)))
    else:
        print("usage: python bench/e2e.py extract-only N   (the scenarios run from bench/run.py)", file=sys.stderr)
        sys.exit(2)
