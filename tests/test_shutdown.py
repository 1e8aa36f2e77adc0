"""Clean shutdown (#19 point 8): ``provreport run`` and ``provreport watch`` stop on SIGTERM and SIGINT
within seconds, in the middle of a run, leaving no child process (the ingest worker, dbt) and no lock,
working copy or socket (the watch's, for runs handed over) behind; the published warehouse is the one
before the run. An idle watch sleeps on its landing folder's filesystem events and stops as promptly."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow

STOP_WITHIN_S = 10.0


def _session_members(sid: int) -> list[tuple[int, str]]:
    """Processes of session ``sid`` (the CLI started in its own session, its children inherit it)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text(errors="replace")
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            out.append((int(entry), cmdline.strip()))
    return out


def _start(args: list[str], tmp_path: Path) -> subprocess.Popen:
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dh"), "PROVREPORT_DOCS_DIR": str(tmp_path / "docs")}
    return subprocess.Popen([sys.executable, "-m", "orchestration.cli", *args], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _dbt_building(warehouse: Path):
    """dbt runs inside the provreport process: its step has begun once it made its target folder beside
    the warehouse (``<name>.dbt/target/provreport_dbt_models-*``)."""
    target = warehouse.parent / f"{warehouse.stem}.dbt" / "target"
    return lambda _children: any(target.glob("provreport_dbt_models-*"))


def _child_running(wanted: str):
    """A child process whose command line holds ``wanted`` (the reader's multiprocessing worker)."""
    return lambda children: any(wanted in cmd for cmd in children)


def _stop_mid_run(proc: subprocess.Popen, signum: int, started) -> tuple[float, list[str]]:
    """Wait until ``started(children)`` says the step is under way (then one more second inside it), send
    ``signum`` and return the seconds to exit and what the session held then."""
    deadline = time.monotonic() + 240
    children: list[str] = []
    while time.monotonic() < deadline and proc.poll() is None:
        children = [cmd for pid, cmd in _session_members(proc.pid) if pid != proc.pid]
        if started(children):
            break
        time.sleep(0.1)
    assert proc.poll() is None, proc.communicate()
    assert started(children), children
    time.sleep(1.0)
    assert proc.poll() is None, proc.communicate()
    sent = time.monotonic()
    proc.send_signal(signum)
    proc.wait(timeout=60)
    return time.monotonic() - sent, children


def _assert_clean(proc: subprocess.Popen, warehouse: Path) -> None:
    time.sleep(0.5)
    assert _session_members(proc.pid) == []
    leftovers = sorted(p.name for p in warehouse.parent.iterdir()
                       if p.name.endswith((".lock", ".building", ".wal", ".restoring", ".tmp", ".sock"))
                       or p.name.startswith(f".{warehouse.name}"))
    assert leftovers == []


def _landing(tmp_path: Path) -> Path:
    landing = tmp_path / "landing"
    shutil.copytree(PROJECT_ROOT / "samples" / "landing", landing)
    return landing


@pytest.mark.parametrize(("signum", "step"), [(signal.SIGTERM, "dbt"), (signal.SIGINT, "ingest")])
def test_run_stops_mid_run_on_a_signal(tmp_path: Path, signum: int, step: str) -> None:
    landing, warehouse = _landing(tmp_path), tmp_path / "wh" / "w.duckdb"
    proc = _start(["run", "--landing", str(landing), "--warehouse", str(warehouse)], tmp_path)
    started = _dbt_building(warehouse) if step == "dbt" else _child_running("multiprocessing")
    took, children = _stop_mid_run(proc, signum, started)
    out, err = proc.communicate()
    print(f"{signal.Signals(signum).name}: stopped in {took:.2f} s; children then: {children}")
    assert took < STOP_WITHIN_S, err
    assert proc.returncode == 128 + signum, out + err
    assert f"stopped by {signal.Signals(signum).name}" in err
    _assert_clean(proc, warehouse)
    assert not warehouse.exists()  # nothing half-built was published


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_watch_stops_mid_run_and_when_idle(tmp_path: Path, signum: int) -> None:
    landing, warehouse = _landing(tmp_path), tmp_path / "wh" / "w.duckdb"
    proc = _start(["watch", "--landing", str(landing), "--warehouse", str(warehouse), "--interval", "0.5"],
                  tmp_path)
    took, children = _stop_mid_run(proc, signum, _dbt_building(warehouse))
    out, err = proc.communicate()
    print(f"watch {signal.Signals(signum).name} mid-run: stopped in {took:.2f} s; children then: {children}")
    assert took < STOP_WITHIN_S, err
    assert proc.returncode == 0 and "watch stopped" in out and "abandoned" in err, out + err  # a stop is no failure
    _assert_clean(proc, warehouse)

    # idle: after a completed run, waiting for files
    proc = _start(["watch", "--landing", str(landing), "--warehouse", str(warehouse), "--interval", "0.5"],
                  tmp_path)
    deadline = time.monotonic() + 300
    lines: list[str] = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if line.startswith("watching") and "every" not in line:  # the first run completed
            break
    assert warehouse.exists(), lines
    time.sleep(1)
    sent = time.monotonic()
    proc.send_signal(signum)
    proc.wait(timeout=60)
    took = time.monotonic() - sent
    print(f"watch {signal.Signals(signum).name} idle: stopped in {took:.2f} s")
    assert took < STOP_WITHIN_S
    assert proc.returncode == 0 and "watch stopped" in proc.stdout.read()
    _assert_clean(proc, warehouse)


def test_dagster_dev_stops_with_all_its_processes(tmp_path: Path) -> None:
    """`make dev` execs `provreport dev`: dagster dev (webserver, daemon, code server) in its own group,
    ended whole on SIGTERM, even though a dagster dev started from a script ignores the signal."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (tmp_path / "dh").mkdir()
    (tmp_path / "dh" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    proc = _start(["dev", "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)], tmp_path)

    def ours() -> list[str]:  # dagster dev's processes: its port, or the temporary DAGSTER_HOME in their arguments
        return [cmd for _pid, cmd in _all_processes()
                if str(tmp_path) in cmd or f"-p {port}" in cmd or f"--port {port}" in cmd]

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None:
        commands = ours()
        if any("dagster_webserver" in cmd for cmd in commands) and any("_daemon" in cmd for cmd in commands):
            break
        time.sleep(0.2)
    assert proc.poll() is None, proc.communicate()
    assert len(ours()) >= 4, ours()  # provreport dev, dagster dev, webserver, daemon, code server
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and ours():
        time.sleep(0.1)
    took = time.monotonic() - sent
    print(f"dagster dev: every process gone {took:.2f} s after SIGTERM")
    assert ours() == []
    assert took < 15


def _all_processes() -> list[tuple[int, str]]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                state = Path(f"/proc/{entry}/stat").read_text(errors="replace").rsplit(")", 1)[-1].split()[0]
            except OSError:
                continue
            if state != "Z":
                out.append((int(entry), cmd))
    return out
