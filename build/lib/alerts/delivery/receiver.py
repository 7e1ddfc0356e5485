"""A tiny local webhook receiver on 127.0.0.1 for ``newsmon demo`` and the tests.

It verifies the HMAC signature (when given a secret), records every accepted body in ``received`` (and
the idempotency keys in ``keys``), rejects bad signatures with 401 (``rejected``), and calls
``on_alert(alert)`` for each accepted alert; ``echo=True`` prints one line per alert as it arrives.
Runs ``http.server`` in a daemon thread, so it works from sync and async code alike.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .message import one_line
from .notifiers.webhook import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify


class WebhookReceiver:
    def __init__(self, secret: str | None = None, port: int = 0, *,
                 on_alert: Callable[[dict[str, Any]], object] | None = None, host: str = "127.0.0.1",
                 tolerance: float = 300.0, echo: bool = False) -> None:
        self.secret, self.port, self.host, self.tolerance, self.echo = secret, port, host, tolerance, echo
        self.on_alert = on_alert
        self.received: list[dict[str, Any]] = []
        self.keys: list[str | None] = []
        self.rejected: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "not started"
        return f"http://{self.host}:{self._server.server_address[1]}/hook"

    def start(self) -> str:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # keep stderr quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, reply = receiver._handle(body, self.headers.get(TIMESTAMP_HEADER),
                                                 self.headers.get(SIGNATURE_HEADER),
                                                 self.headers.get(IDEMPOTENCY_HEADER))
                data = reply.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook-receiver", daemon=True)
        self._thread.start()
        return self.url

    def _handle(self, body: bytes, ts: str | None, sig: str | None, key: str | None) -> tuple[int, str]:
        if self.secret is not None and not verify(self.secret, ts, sig, body, tolerance=self.tolerance):
            with self._cond:
                self.rejected.append({"reason": "bad signature", "key": key})
            return 401, "bad signature"
        try:
            alert = json.loads(body)
        except ValueError:
            with self._cond:
                self.rejected.append({"reason": "not JSON", "key": key})
            return 400, "not JSON"
        with self._cond:
            self.received.append(alert)
            self.keys.append(key)
            self._cond.notify_all()
        if self.echo:
            print(one_line(alert) if isinstance(alert, dict) else alert, flush=True)
        if self.on_alert is not None:
            self.on_alert(alert)
        return 200, "ok"

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        """Block until ``count`` alerts were received (True) or ``timeout`` passes (False)."""
        end = time.monotonic() + timeout
        with self._cond:
            while len(self.received) < count:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> WebhookReceiver:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
