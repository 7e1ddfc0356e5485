"""Helpers for the delivery tests (a uniquely named module, so no other conftest can shadow it):
scripted HTTP servers on 127.0.0.1 that misbehave on purpose, and a sample contract Alert."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CollectorRegistry

@dataclass
class Reply:
    status: int = 200
    body: str = "ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    at: float
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class ScriptedServer:
    """Answers the n-th POST with ``script[n]`` (the last reply repeats); records every request."""

    def __init__(self, script: list[Reply] | None = None) -> None:
        self.script = script or [Reply()]
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> str:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with outer._lock:
                    n = len(outer.seen)
                    outer.seen.append(Seen(time.monotonic(), self.path, dict(self.headers), body))
                    reply = outer.script[min(n, len(outer.script) - 1)]
                if reply.delay:
                    time.sleep(reply.delay)
                data = reply.body.encode()
                try:
                    self.send_response(reply.status)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timeout tests)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def make_alert(**over: Any) -> dict[str, Any]:
    alert: dict[str, Any] = {
        "id": "golan-cross-border-strike:inc-7", "rule_id": "golan-cross-border-strike",
        "title": "Drone strike on a Syrian position near Quneitra", "severity": "high", "status": "new",
        "score": 0.82, "score_breakdown": {"corroboration": 0.3}, "incident_id": "inc-7",
        "article_ids": ["art-1", "art-2"], "event_ids": ["ev-1", "ev-2"],
        "sources": [{"name": "AFP", "url": "https://afp.example/1"}, {"name": "SANA", "url": "https://sana.example/2"}],
        "first_seen": "2026-11-25T10:00:00Z", "last_seen": "2026-11-25T10:20:00Z",
        "summary": "Israeli drone struck a position near Quneitra.",
        "explanation": ["trigger 'drone strike' matched air_drone_strike"],
        "event": {"id": "ev-1", "article_id": "art-1", "lang": "en", "family": "explosions_remote_violence",
                  "type": "air_drone_strike", "sentence": "An Israeli drone struck a position near Quneitra.",
                  "trigger": {"text": "drone struck", "start": 11, "end": 23},
                  "actors": [{"role": "source", "name": "Israel", "country": "ISR"},
                             {"role": "target", "name": "Syrian army", "country": "SYR"}],
                  "locations": [{"name": "Quneitra", "country": "SYR", "lat": 33.1, "lon": 35.8,
                                 "regions": ["golan_heights"]}],
                  "origin_country": "ISR", "impact_country": "SYR", "cross_border": True,
                  "date": "2026-11-25", "polarity": "asserted", "attributed_to": None, "killed": 2,
                  "injured": None, "confidence": 0.8},
    }
    alert.update(over)
    return alert


@dataclass
class Harness:
    registry: CollectorRegistry
    delivered: dict[str, dict[str, Any]]
    dead: list[dict[str, Any]]

    def sample(self, name: str, **labels: str) -> float:
        return self.registry.get_sample_value(name, labels) or 0.0


FAST_RETRY = {"deadline": 5, "initial": 0.05, "max_delay": 0.2}
