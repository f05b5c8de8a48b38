"""Time and memory of a command and of every process it starts, read from /proc (Linux).

    run = measured([sys.executable, "-m", "mkdocs", "build"], cwd, log)
    run["wall"], run["cpu"], run["status"]        seconds; CPU seconds of the command and every
                                                  descendant it waited for (wait4's rusage)
    run["processes"]                              one row per process: its role, its own peak
                                                  resident set (VmHWM, MB) and CPU seconds seen
    run["peak_mb"]                                the largest of those peaks
    run["tree_peak_mb"]                           the whole tree's highest proportional set size
                                                  (PSS: a page two forks share counts once), summed
                                                  over the processes alive at the same moment

The tree is polled every POLL seconds; a process that lives shorter than that may be missed, and a
peak between two polls is seen at the next only if it lasts (VmHWM keeps a process's own peak, so
the per-process figures are exact for processes seen at least once). Processes name themselves
(build_corpus.batch.name_process: bc-pipeline, bc-pages, bc-markdown, bc-templates, bc-search-index,
bc-subsite), which is how a row says what it was.
"""
from __future__ import annotations

import contextlib
import os
import subprocess
import time
from pathlib import Path

POLL = 0.05
PSS_EVERY = 4          # the tree's PSS is summed every 4th poll (reading smaps_rollup costs more)


def _read(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = _read(f"/proc/{entry.name}/stat")
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    return children


def descendants(root: int) -> list[int]:
    children = _children_map()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


class Process:
    def __init__(self, pid: int, parent: Process | None):
        self.pid, self.parent = pid, parent
        self.cmdline = ""
        with contextlib.suppress(OSError):
            self.cmdline = _read(f"/proc/{pid}/cmdline").replace("\0", " ").strip()
        self.name = ""
        self.peak_kb = 0
        self.cpu = 0.0

    def poll(self, pss: bool) -> int:
        """Update the peak and CPU; the current PSS in KB when asked (0 otherwise or if gone)."""
        ticks = os.sysconf("SC_CLK_TCK")
        with contextlib.suppress(OSError, ValueError, IndexError):
            self.name = _read(f"/proc/{self.pid}/comm").strip()
            for line in _read(f"/proc/{self.pid}/status").splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_kb = max(self.peak_kb, int(line.split()[1]))
            stat = _read(f"/proc/{self.pid}/stat")
            fields = stat[stat.rindex(")") + 2:].split()
            self.cpu = max(self.cpu, (int(fields[11]) + int(fields[12])) / ticks)
            if pss:
                for line in _read(f"/proc/{self.pid}/smaps_rollup").splitlines():
                    if line.startswith("Pss:"):
                        return int(line.split()[1])
        return 0

    @property
    def role(self) -> str:
        if self.name.startswith("bc-"):
            return self.name
        if self.parent is None:
            return "main"
        if "resource_tracker" in self.cmdline:
            return "resource tracker"
        if self.cmdline == self.parent.cmdline:
            return f"fork of {self.parent.role}"
        if "multiprocessing" in self.cmdline:
            return "spawned worker"
        return self.cmdline.split()[0].rsplit("/", 1)[-1] if self.cmdline else "?"


def measured(cmd: list[str], cwd: Path, log: Path, timeout: float | None = None, env: dict | None = None) -> dict:
    """Run `cmd` in `cwd` (output to `log`), watching its process tree; see the module's docstring."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    seen: dict[int, Process] = {}
    tree_peak_kb, polls, status, usage = 0, 0, None, None
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        while True:
            polls += 1
            pss_now = polls % PSS_EVERY == 1
            total = 0
            for pid in descendants(proc.pid):
                if pid not in seen:
                    parent_pid = _parent(pid)
                    seen[pid] = Process(pid, seen.get(parent_pid) if pid != proc.pid else None)
                total += seen[pid].poll(pss_now)
            if pss_now:
                tree_peak_kb = max(tree_peak_kb, total)
            pid, raw, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status = os.waitstatus_to_exitcode(raw)
                proc.returncode = status
                break
            if timeout and time.perf_counter() - start > timeout:
                for victim in descendants(proc.pid)[::-1]:
                    with contextlib.suppress(OSError):
                        os.kill(victim, 9)
                _, _, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                break
            time.sleep(POLL)
        wall = time.perf_counter() - start
    rows: dict[str, dict] = {}
    for p in seen.values():
        row = rows.setdefault(p.role, {"role": p.role, "count": 0, "peak_mb": 0.0, "cpu": 0.0})
        row["count"] += 1
        row["peak_mb"] = max(row["peak_mb"], round(p.peak_kb / 1024, 1))
        row["cpu"] = round(row["cpu"] + p.cpu, 2)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime if usage else 0.0, "status": status,
            "peak_mb": max((r["peak_mb"] for r in rows.values()), default=0.0),
            "tree_peak_mb": round(tree_peak_kb / 1024, 1), "processes": sorted(rows.values(), key=lambda r: -r["peak_mb"])}


def _parent(pid: int) -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        stat = _read(f"/proc/{pid}/stat")
        return int(stat[stat.rindex(")") + 2:].split()[1])
    return None


def processes_line(run: dict) -> str:
    """`main 412 MB, bc-pipeline ×2 180 MB, …; together at most 700 MB (PSS)`."""
    parts = [f"{r['role']}{' ×' + str(r['count']) if r['count'] > 1 else ''} {r['peak_mb']:.0f} MB"
             for r in run["processes"] if r["role"] != "resource tracker"]
    return ", ".join(parts) + f"; together at most {run['tree_peak_mb']:.0f} MB (PSS)"
