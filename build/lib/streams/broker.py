"""The bundled local Kafka broker: the pinned Apache Kafka jars from Maven Central, one KRaft node.

There is no Docker on the dev and CI machines, so tests and `newsmon demo` run a real broker JVM:
`ensure_jars()` fetches the jars listed by `kafka/pom.xml` once into a cache, and `LocalBroker`
formats a fresh data dir, starts `kafka.Kafka` and waits until a metadata request lists the broker.
`start_background()` / `stop_background()` / `background_state()` back `newsmon broker ...`.
"""
from __future__ import annotations

import atexit
import base64
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import string
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

KAFKA_VERSION = "3.9.1"  # keep in step with kafka/pom.xml and docker-compose.yml
KAFKA_DIR = Path(__file__).resolve().parent.parent / "kafka"
POM = KAFKA_DIR / "pom.xml"
HOST = "127.0.0.1"  # not localhost: avoids IPv6 resolution surprises in clients
BACKGROUND_PORT = 9092

# Small-machine JVM: serial GC and C1 only cut startup CPU; the heap stays small for a test broker.
JVM_OPTS = (
    "-Xms256m", "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
    "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
)
STOP_GRACE_SECONDS = 20.0


class BrokerError(RuntimeError):
    """The local broker could not be fetched, started or stopped; the message says what to fix."""


def default_cache_dir() -> Path:
    """`$NEWSMON_KAFKA_CACHE`, else `<repo>/.cache/kafka` (gitignored)."""
    env = os.environ.get("NEWSMON_KAFKA_CACHE")
    return Path(env).expanduser() if env else KAFKA_DIR.parent / ".cache" / "kafka"


def _require(tool: str, how: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise BrokerError(f"`{tool}` is not on PATH. {how}")
    return path


def _java() -> str:
    return _require("java", "The local Kafka broker needs Java 17+ "
                            "(Debian/Ubuntu: apt-get install openjdk-17-jre-headless).")


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    # Two processes (pytest workers, demo + tests) may fetch at once; only one runs Maven.
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_jars(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return `<cache>/kafka-<version>/libs`, fetching the jars with Maven the first time.

    The marker file holds a digest of kafka/pom.xml: it is written only after a successful fetch,
    and a changed pom triggers a fresh fetch. Jars land in a scratch dir first and are swapped in
    whole, so a failed or changed fetch never leaves a mixed classpath behind.
    """
    home = Path(cache_dir or default_cache_dir()) / f"kafka-{KAFKA_VERSION}"
    libs, marker = home / "libs", home / "jars.ok"
    if not POM.is_file():
        raise BrokerError(f"{POM} not found: the local broker needs the newsmon source tree "
                          "(an editable install). Otherwise set KAFKA_BOOTSTRAP to a running broker.")
    digest = hashlib.sha256(POM.read_bytes()).hexdigest()

    def done() -> bool:
        return libs.is_dir() and marker.is_file() and marker.read_text().strip() == digest

    if done():
        return libs
    _java()  # Maven itself needs Java; say so before Maven fails obscurely
    mvn = _require("mvn", "The Kafka jars are fetched once with Maven 3.8+ "
                          "(Debian/Ubuntu: apt-get install maven).")
    home.mkdir(parents=True, exist_ok=True)
    with _file_lock(home / ".lock"):
        if done():  # another process fetched while we waited for the lock
            return libs
        scratch = home / "libs.partial"
        shutil.rmtree(scratch, ignore_errors=True)
        cmd = [mvn, "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
               "-DincludeScope=runtime", f"-DoutputDirectory={scratch}"]
        proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if proc.returncode != 0 or not any(scratch.glob("kafka_2.13-*.jar")):
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
            raise BrokerError(
                f"Maven could not fetch the Kafka {KAFKA_VERSION} jars (exit {proc.returncode}). "
                "Maven Central (https://repo.maven.apache.org) must be reachable; behind a proxy, "
                "configure it in ~/.m2/settings.xml. Rerun to see everything:\n  "
                + " ".join(cmd) + (f"\n--- Maven output (tail) ---\n{tail}" if tail else ""))
        shutil.rmtree(libs, ignore_errors=True)
        scratch.rename(libs)
        marker.write_text(digest + "\n")
    return libs


def new_cluster_id() -> str:
    """A Kafka cluster id, as `Uuid.randomUuid()` makes them (no leading '-': CLI-unsafe)."""
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cid.startswith("-"):
            return cid


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def free_ports(n: int) -> list[int]:
    """`n` distinct ports the OS considers free right now (held together so they differ)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for sock in socks:
            sock.bind((HOST, 0))
        return [sock.getsockname()[1] for sock in socks]
    finally:
        for sock in socks:
            sock.close()


def _port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
        return True
    return False


def _lists_broker(bootstrap: str) -> bool:
    """True once a real metadata request lists a broker: KRaft opens its port before it serves."""
    from kafka.admin import KafkaAdminClient  # lazy: only needed while waiting
    from kafka.errors import KafkaError

    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="newsmon-broker-probe",
                                 request_timeout_ms=3000, bootstrap_timeout_ms=3000)
    except KafkaError:
        return False
    try:
        return bool(admin.describe_cluster().get("brokers"))
    except KafkaError:
        return False
    finally:
        admin.close()


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no broker log)"
    return "\n".join(text[-lines:])


def _explain(path: Path) -> str:
    """The broker log's errors and root causes first (they hide above long stack traces), then its tail."""
    with contextlib.suppress(OSError):
        lines = path.read_text(errors="replace").splitlines()
        causes = [ln.strip() for ln in lines if " ERROR " in ln or ln.lstrip().startswith("Caused by:")]
        if causes:
            return (f"Errors in {path}:\n" + "\n".join(dict.fromkeys(causes[-8:]))
                    + f"\n--- last lines ---\n{_tail(path)}")
    return f"{path} ends with:\n{_tail(path)}"


def _signal_group(pid: int, sig: signal.Signals) -> None:
    # The broker runs in its own session, so its pid is also its process-group id.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


class LocalBroker:
    """One single-node KRaft Kafka broker on 127.0.0.1, for tests and local runs.

    Usage: `with LocalBroker() as broker: use(broker.bootstrap)` ("127.0.0.1:PORT"), or
    `broker = LocalBroker().start(); ...; broker.stop()`. Ports are picked when not given; the data
    dir is a fresh temp dir when not given, and is removed by stop() unless keep=True.
    """

    def __init__(self, port: int | None = None, controller_port: int | None = None,
                 data_dir: str | os.PathLike[str] | None = None, *,
                 cache_dir: str | os.PathLike[str] | None = None) -> None:
        self._auto_ports = port is None and controller_port is None
        picked = free_ports(2)
        self.port = port if port is not None else picked[0]
        self.controller_port = (controller_port if controller_port is not None
                                else next(p for p in picked if p != self.port))
        self.data_dir: Path | None = Path(data_dir) if data_dir is not None else None
        self.cache_dir = cache_dir
        self.started_in: float | None = None  # seconds from start() to ready
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def log_path(self) -> Path:
        if self.data_dir is None:
            raise BrokerError("broker not started")
        return self.data_dir / "broker.log"

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 60.0) -> LocalBroker:
        """Fetch jars if needed, format storage, launch and wait until ready.

        `timeout` covers the broker start; a first-ever jar fetch comes on top (and is counted in
        `started_in`, which measures the whole call).
        """
        if self._proc is not None:
            raise BrokerError("broker already started")
        t0 = time.monotonic()
        libs = ensure_jars(self.cache_dir)
        own_dir = self.data_dir is None
        if self.data_dir is None:
            self.data_dir = Path(tempfile.mkdtemp(prefix="newsmon-kafka-"))
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for attempt in range(3):
            try:
                props = self._render()
                self._format(libs, props)
                self._launch(libs, props)
                self._wait_ready(time.monotonic() + timeout)
                break
            except BaseException:
                # Picked ports can be taken between picking and binding: pick again, twice.
                clash = "Address already in use" in _tail(self.log_path, 200)
                self._kill()
                if clash and self._auto_ports and attempt < 2:
                    self.port, self.controller_port = free_ports(2)
                    continue
                if own_dir:  # the error message already carries the log tail
                    shutil.rmtree(self.data_dir, ignore_errors=True)
                raise
        self.started_in = time.monotonic() - t0
        atexit.register(self.stop)  # no orphan JVMs when a test run ends without stop()
        return self

    def detach(self) -> None:
        """Let the broker outlive this Python process (used by `newsmon broker start`)."""
        atexit.unregister(self.stop)
        self._proc = None

    def stop(self, keep: bool = False) -> None:
        """SIGTERM, then SIGKILL after 20 s; remove the data dir unless `keep`."""
        atexit.unregister(self.stop)
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            _signal_group(proc.pid, signal.SIGTERM)
            try:
                proc.wait(STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                _signal_group(proc.pid, signal.SIGKILL)
                proc.wait()
        if not keep and self.data_dir is not None:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> LocalBroker:
        if self._proc is None:
            self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- steps of start() ------------------------------------------------------------------

    def _render(self) -> Path:
        assert self.data_dir is not None
        template = string.Template((KAFKA_DIR / "server.properties.template").read_text())
        props = self.data_dir / "server.properties"
        props.write_text(template.substitute(
            port=self.port, controller_port=self.controller_port,
            log_dirs=self.data_dir / "logs"))
        return props

    def _cluster_id(self) -> str:
        # A kept data dir was formatted with its own id; reuse it or `format` refuses.
        assert self.data_dir is not None
        meta = self.data_dir / "logs" / "meta.properties"
        if meta.is_file():
            for line in meta.read_text().splitlines():
                if line.startswith("cluster.id="):
                    return line.split("=", 1)[1].strip()
        return new_cluster_id()

    def _java_cmd(self, libs: Path, *args: str) -> list[str]:
        log4j = (KAFKA_DIR / "log4j.properties").as_uri()
        return [_java(), *JVM_OPTS, f"-Dlog4j.configuration={log4j}",
                f"-Dkafka.logs.dir={self.data_dir}", "-cp", str(libs / "*"), *args]

    def _format(self, libs: Path, props: Path) -> None:
        cmd = self._java_cmd(libs, "kafka.tools.StorageTool", "format", "-t", self._cluster_id(),
                             "-c", str(props), "--ignore-formatted")
        proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if proc.returncode != 0:
            raise BrokerError(f"kafka-storage format failed (exit {proc.returncode}):\n"
                              f"{proc.stdout}{proc.stderr}")

    def _launch(self, libs: Path, props: Path) -> None:
        with open(self.log_path, "wb") as log:  # one log per start: the tail is about this run
            # Own session/process group: Ctrl-C in a terminal does not hit it, and stop() can
            # signal the whole group. The child keeps its copy of the log fd.
            self._proc = subprocess.Popen(
                self._java_cmd(libs, "kafka.Kafka", str(props)), cwd=self.data_dir,
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    def _wait_ready(self, deadline: float) -> None:
        assert self._proc is not None
        while True:
            code = self._proc.poll()
            if code is not None:
                raise BrokerError(f"Kafka broker exited with code {code} before it was ready. "
                                  + _explain(self.log_path))
            if _port_open(self.port) and _lists_broker(self.bootstrap):
                return
            if time.monotonic() > deadline:
                raise BrokerError(f"Kafka broker at {self.bootstrap} not ready in time. "
                                  + _explain(self.log_path))
            time.sleep(0.2)

    def _kill(self) -> None:
        if self._proc is not None:
            _signal_group(self._proc.pid, signal.SIGKILL)
            self._proc.wait()
            self._proc = None


# -- background broker for `newsmon broker start|stop|status` ---------------------------------

def _state_file(cache_dir: str | os.PathLike[str] | None) -> Path:
    return Path(cache_dir or default_cache_dir()) / "run" / "broker.json"


def _alive(pid: int, props: str) -> bool:
    """Is `pid` still our broker? (checks the command line, so a recycled pid is not mistaken)"""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    zombie = stat.rsplit(")", 1)[-1].split()[0] == "Z"
    return not zombie and b"kafka.Kafka" in cmdline and props.encode() in cmdline


def background_state(cache_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The recorded background broker plus `running`; `{"running": False}` when there is none."""
    path = _state_file(cache_dir)
    try:
        state: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):
        return {"running": False}
    state["running"] = _alive(state["pid"], state["properties"])
    return state


def start_background(port: int | None = None, timeout: float = 60.0,
                     cache_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Start a detached broker (9092 if free, else a free port) and record it; idempotent."""
    state = background_state(cache_dir)
    if state["running"]:
        return {**state, "already_running": True}
    run = _state_file(cache_dir).parent
    data_dir = run / "data"
    shutil.rmtree(data_dir, ignore_errors=True)  # leftovers of a broker that died
    if port is None and port_free(BACKGROUND_PORT):
        port = BACKGROUND_PORT
    broker = LocalBroker(port=port, data_dir=data_dir, cache_dir=cache_dir)
    try:
        broker.start(timeout)
    except BaseException:
        broker.stop(keep=True)  # keep broker.log for the user to read
        raise
    state = {"pid": broker.pid, "bootstrap": broker.bootstrap, "port": broker.port,
             "controller_port": broker.controller_port, "data_dir": str(data_dir),
             "log": str(broker.log_path), "properties": str(data_dir / "server.properties"),
             "kafka_version": KAFKA_VERSION,
             "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
             "started_in": round(broker.started_in or 0.0, 2)}
    broker.detach()
    _state_file(cache_dir).write_text(json.dumps(state, indent=2) + "\n")
    return {**state, "running": True, "already_running": False}


def stop_background(keep: bool = False,
                    cache_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Stop the recorded broker (SIGTERM, SIGKILL after 20 s) and forget it."""
    state = background_state(cache_dir)
    if state.get("running"):
        pid, props = state["pid"], state["properties"]
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while _alive(pid, props) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid, props):
            _signal_group(pid, signal.SIGKILL)
            while _alive(pid, props):
                time.sleep(0.1)
    if "data_dir" in state and not keep:
        shutil.rmtree(state["data_dir"], ignore_errors=True)
    _state_file(cache_dir).unlink(missing_ok=True)
    return state
