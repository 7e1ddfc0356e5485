"""Delivery to a real Prometheus Alertmanager (Debian's `prometheus-alertmanager`) through its v2 API.

Install with: apt-get install -y prometheus-alertmanager
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest
from delivery_helpers import make_alert

BINARY = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
pytestmark = pytest.mark.skipif(
    BINARY is None, reason="Alertmanager binary not found (apt-get install -y prometheus-alertmanager)")

CONFIG = """
route:
  receiver: blackhole
  group_wait: 1h
receivers:
  - name: blackhole
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def alertmanager(tmp_path) -> Iterator[str]:
    (tmp_path / "am.yml").write_text(CONFIG)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [BINARY, f"--config.file={tmp_path / 'am.yml'}", f"--storage.path={tmp_path / 'data'}",
         f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=warn"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                pytest.fail(f"alertmanager exited: {proc.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(url + "/-/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("alertmanager did not become ready in 20 s")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def test_alert_reaches_alertmanager_v2_api(alertmanager, dispatcher_for, harness):
    d = dispatcher_for([{"name": "am", "type": "alertmanager", "url": alertmanager}])
    report = await d.deliver(make_alert())
    assert report.results["am"].outcome == "delivered", report.to_dict()
    async with httpx.AsyncClient() as client:
        listed = (await client.get(alertmanager + "/api/v2/alerts")).json()
    [got] = [a for a in listed if a["labels"].get("rule_id") == "golan-cross-border-strike"]
    assert got["labels"] == {"alertname": "golan-cross-border-strike", "rule_id": "golan-cross-border-strike",
                             "severity": "high", "incident_id": "inc-7", "region": "golan_heights"}
    assert got["annotations"]["summary"] == "Israeli drone struck a position near Quneitra."
    assert got["annotations"]["alert_id"] == "golan-cross-border-strike:inc-7"
    assert got["status"]["state"] == "active"


async def test_alertmanager_rejection_is_final(alertmanager, dispatcher_for, harness):
    """Alertmanager answers 400 to an alert with an invalid start time: dead-lettered after one attempt,
    with Alertmanager's explanation kept."""
    d = dispatcher_for([{"name": "am", "type": "alertmanager", "url": alertmanager}])
    report = await d.deliver(make_alert(first_seen="not-a-time"))
    assert report.results["am"].outcome == "dead_lettered"
    assert report.results["am"].attempts == 1 and report.results["am"].status in (400, 422)
    assert harness.dead[0]["response_body"]
