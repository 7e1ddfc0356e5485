"""Memory and CPU of a process tree from /proc (no psutil): a worker plus its extraction children.

Peak RSS is `VmHWM` ("high water mark") of each process, read while the processes are still alive. The
sum over the tree is an upper bound of the tree's peak: each process may peak at a different moment,
and pages shared between parent and children (none to speak of with the `spawn` start method, which
loads everything afresh in the child) are counted once per process.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

_CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name is in parentheses and may hold spaces: split after the last ')'
    return text.rsplit(")", 1)[-1].split()


def children_of(pid: int) -> list[int]:
    """Every descendant of `pid` (children, grandchildren…), by scanning /proc/*/stat for parent ids."""
    parent_of: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat_fields(int(entry))
        if fields and len(fields) > 1:
            parent_of[int(entry)] = int(fields[1])
    out: list[int] = []
    frontier = [pid]
    while frontier:
        nxt = [child for child, parent in parent_of.items() if parent in frontier]
        out.extend(nxt)
        frontier = nxt
    return sorted(out)


def status(pid: int) -> dict[str, int]:
    """VmHWM, VmRSS (kB) of one process; {} when it is gone."""
    out: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        return {}
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by one process (0.0 when it is gone)."""
    fields = _stat_fields(pid)
    if not fields or len(fields) < 13:
        return 0.0
    # after the ')' split, utime and stime are fields 14 and 15 of stat(5), i.e. indexes 11 and 12 here
    return (int(fields[11]) + int(fields[12])) / _CLK_TCK


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def role(pid: int, root: int) -> str:
    if pid == root:
        return "worker"
    cmd = cmdline(pid)
    if "resource_tracker" in cmd:
        return "resource_tracker"
    if "spawn_main" in cmd or "multiprocessing" in cmd:
        return "extract_child"
    return "other"


def machine_busy_seconds() -> float:
    """CPU seconds all cores have spent busy since boot (/proc/stat: everything but idle and iowait)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except (OSError, IndexError):
        return 0.0
    vals = [int(v) for v in fields[:8]]
    return (sum(vals) - vals[3] - vals[4]) / _CLK_TCK


def tree_cpu(root: int) -> dict[int, float]:
    return {pid: cpu_seconds(pid) for pid in [root, *children_of(root)]}


def tree_memory(root: int) -> dict[str, Any]:
    """Peak and current RSS of `root` and each descendant, in MB, with the sums."""
    procs = []
    for pid in [root, *children_of(root)]:
        st = status(pid)
        if not st:
            continue
        procs.append({"pid": pid, "role": role(pid, root), "peak_rss_mb": round(st.get("VmHWM", 0) / 1024, 1),
                      "rss_mb": round(st.get("VmRSS", 0) / 1024, 1), "cpu_s": round(cpu_seconds(pid), 2)})
    worker = next((p for p in procs if p["role"] == "worker"), None)
    children = [p for p in procs if p["role"] != "worker"]
    extract = [p for p in procs if p["role"] == "extract_child"]
    return {
        "processes": procs,
        "worker_peak_rss_mb": worker["peak_rss_mb"] if worker else None,
        "extract_children_peak_rss_mb": [p["peak_rss_mb"] for p in extract],
        "children_peak_rss_mb_sum": round(sum(p["peak_rss_mb"] for p in children), 1),
        "tree_peak_rss_mb_sum": round(sum(p["peak_rss_mb"] for p in procs), 1),
        "tree_rss_mb_now": round(sum(p["rss_mb"] for p in procs), 1),
    }


if __name__ == "__main__":  # python bench/memory.py PID
    import json
    import sys

    print(json.dumps(tree_memory(int(sys.argv[1]) if len(sys.argv) > 1 else os.getpid()), indent=2))
