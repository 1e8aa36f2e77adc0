"""`provreport watch`: a long-lived process runs the pipeline when a report lands, and stops cleanly."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.pipeline import ProcessLines
from tests.conftest import PROJECT_ROOT, query_warehouse

pytestmark = pytest.mark.slow


def test_a_report_landing_in_a_watched_folder_reaches_the_marts(tmp_path: Path, seeds_dir: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    landing.mkdir()
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dh"), "PROVREPORT_DOCS_DIR": str(tmp_path / "docs"),
           "DUCKDB_PATH": str(warehouse)}
    proc = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "watch", "--landing", str(landing),
                             "--warehouse", str(warehouse), "--interval", "0.5"],
                            cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = ProcessLines(proc)
    try:
        lines.until("every 0.5 s", timeout=60)
        lines.until(f"watching {landing}", timeout=300)  # the first run, on an empty folder
        seed = next(p for p in sorted(seeds_dir.glob("*.txt")) if p.name.startswith("003"))
        shutil.copy(seed, landing / seed.name)
        dropped = time.monotonic()
        summary = lines.until(f"watching {landing}", timeout=300)
        latency = time.monotonic() - dropped
        assert any("reports read      1 (1 new this run)" in line for line in summary), "".join(summary)
        proc.send_signal(signal.SIGTERM)
        lines.until("watch stopped", timeout=60)
        proc.wait(timeout=60)
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    rate = query_warehouse(warehouse, "select computed_rate_pct from marts.fct_programme_funding "
                                      "where amount_vnd = 109475000000")
    validated = query_warehouse(warehouse, "select count(distinct run_id) from audit.validation_results")
    assert rate == [(70.98,)]  # Đakrông's disbursement over its allocation, from the landed seed
    assert validated == [(2,)]
    print(f"drop -> validated marts: {latency:.1f} s")
