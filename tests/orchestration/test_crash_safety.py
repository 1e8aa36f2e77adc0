"""A run killed (SIGKILL) at any point and started again leaves the warehouse exactly as one
clean run would; two runs at once never both write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PROJECT_ROOT, run_provreport

pytestmark = pytest.mark.slow


def _snapshot(warehouse: Path) -> dict:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            "reports": sorted(con.execute("select report_id, source_file, district_name from raw.reports").fetchall()),
            "figures": sorted(con.execute("select figure_id, source_quote from raw.figures").fetchall()),
            "rejections": sorted(con.execute("select source_file, reason from raw.rejections").fetchall()),
            "funding": con.execute("select count(*), sum(amount_vnd) from marts.fct_programme_funding").fetchall(),
            "indicators": con.execute("select count(*), sum(coalesce(actual_value, 0)) "
                                      "from marts.fct_indicator_attainment").fetchall(),
            "scorecards": con.execute("select count(*) from marts.fct_district_scorecard").fetchall(),
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def landing(seeds_dir: Path, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("crash_landing")
    for seed in sorted(seeds_dir.iterdir()):
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def clean_state(landing: Path, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("clean")
    env = {**os.environ, "DAGSTER_HOME": str(tmp / "dh"), "PROVREPORT_DOCS_DIR": str(tmp / "docs")}
    proc = run_provreport(["run", "--landing", str(landing), "--warehouse", str(tmp / "w.duckdb")], env)
    assert proc.returncode == 0, proc.stderr
    return _snapshot(tmp / "w.duckdb")


def _run_and_kill(landing: Path, warehouse: Path, env: dict, marker: str) -> bool:
    """Start a verbose run and SIGKILL it when ``marker`` appears in its log; True if it was killed."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "run", "--verbose", "--landing", str(landing),
         "--warehouse", str(warehouse)],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 600
    try:
        for line in proc.stderr:
            if marker in line:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return True
            if time.monotonic() > deadline:
                break
        return False
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.parametrize("marker", [
    pytest.param("[2/", id="mid-ingest"),
    pytest.param("dbt build", id="during-dbt"),
    pytest.param("great_expectations_marts", id="during-validation"),
])
def test_kill_and_rerun_equals_one_clean_run(landing: Path, clean_state: dict, tmp_path: Path, marker: str) -> None:
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dh"), "PROVREPORT_DOCS_DIR": str(tmp_path / "docs")}
    warehouse = tmp_path / "w.duckdb"
    assert _run_and_kill(landing, warehouse, env, marker), f"the run never logged {marker!r}"
    rerun = run_provreport(["run", "--landing", str(landing), "--warehouse", str(warehouse)], env)
    assert rerun.returncode == 0, rerun.stderr
    assert _snapshot(warehouse) == clean_state


def test_two_runs_at_once_the_second_stops_with_a_clear_message(landing: Path, tmp_path: Path) -> None:
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dh"), "PROVREPORT_DOCS_DIR": str(tmp_path / "docs")}
    warehouse = tmp_path / "w.duckdb"
    first = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "run", "--verbose", "--landing", str(landing),
         "--warehouse", str(warehouse)],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lock = warehouse.with_name(warehouse.name + ".run.lock")
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().startswith("pid")) and time.monotonic() < deadline:
        time.sleep(0.2)
    second = run_provreport(["run", "--landing", str(landing), "--warehouse", str(warehouse)], env)
    first.communicate(timeout=600)
    assert first.returncode == 0
    assert second.returncode == 3
    assert "another provreport run" in second.stderr
    third = run_provreport(["run", "--landing", str(landing), "--warehouse", str(warehouse)], env)
    assert third.returncode == 0 and "(0 new this run)" in third.stdout
