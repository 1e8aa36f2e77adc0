"""A new ``provreport run`` process starts its reading worker and a validation worker before it imports Dagster,
only for a pipeline run executed in this process (not a parallel run, not in a process that keeps its workers such as
``provreport watch``, not a run with nothing new), and its steps take them; nothing is left running after it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.runner import _workers_started_early
from orchestration.settings import Settings
from sources import ingest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # each worker is a Python process (1-3 s), one test runs the pipeline twice


@pytest.fixture()
def landing(seeds_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    shutil.copytree(seeds_dir, folder)
    return folder


@pytest.fixture()
def registers(monkeypatch):
    """Fresh registers of workers (this process's are left as they were)."""
    from expectations import worker

    monkeypatch.setattr(ingest, "_READERS", ingest._Readers())
    monkeypatch.setattr(worker, "_WORKERS", {})
    yield ingest._READERS, worker._WORKERS
    ingest.end_prestarted_readers()
    worker.stop()


def _started(registers) -> tuple[list, list]:
    readers, validators = registers
    return [b.proc for b in readers.early.values()], [w.proc for w in validators.values()]


def test_a_run_in_this_process_starts_both_workers_and_ends_those_no_step_took(landing: Path, tmp_path: Path,
                                                                              registers) -> None:
    settings = Settings(warehouse=tmp_path / "w.duckdb", landing=landing, ingest_parallel_from=100)
    with _workers_started_early(settings, "provreport_pipeline") as parallel:
        assert parallel is False  # decided here: run_pipeline does not estimate again
        readers, validators = _started(registers)
        assert len(readers) == 1 and len(validators) == 1 and all(p.is_alive() for p in readers + validators)
        assert list(registers[0].early) == [settings.limits]
    assert not any(p.is_alive() for p in readers + validators)
    assert _started(registers) == ([], [])


@pytest.mark.parametrize("case", ["parallel", "other job", "keeps its workers"])
def test_no_worker_is_started_early_for_a_parallel_run_another_job_or_in_watch(landing: Path, tmp_path: Path,
                                                                                registers, case: str) -> None:
    settings = Settings(warehouse=tmp_path / "w.duckdb", landing=landing,
                        ingest_parallel_from=1 if case == "parallel" else 100, ingest_workers=2)
    if case == "keeps its workers":
        ingest.keep_readers()
    job = "full_validation" if case == "other job" else "provreport_pipeline"
    with _workers_started_early(settings, job) as parallel:
        assert parallel is None  # run_pipeline decides, as without early workers
        assert _started(registers) == ([], [])


# a provreport run in this process, as the command line runs it, with what the early workers did recorded: argv =
# the record's file, "keep" (as in watch: its workers kept) or "-", then the command's arguments
_RECORDED = r"""
import json, os, sys

if __name__ == "__main__":
    record, mode, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    from expectations import worker
    from orchestration import cli, runner
    from sources import ingest

    seen = {"validation": [], "early_readers": [], "read_by": [], "validation_workers": []}
    start, validate, take = worker.start, worker.validate, ingest._Readers.take

    def started(warehouse):
        start(warehouse)
        seen["validation_workers"] += [w.proc.pid for w in worker._WORKERS.values()]

    def served(*a, **k):
        for started_worker in worker._WORKERS.values():  # at the lowest priority: not ready on busy cores
            started_worker.wait_ready()
        got = validate(*a, **k)
        seen["validation"].append("worker" if got is not None else "in process")
        return got

    def taken(self, limits):
        seen["early_readers"] += [b.proc.pid for b in self.early.values()]
        box = take(self, limits)
        seen["read_by"].append(box.proc.pid if box.proc is not None else None)
        return box

    worker.start, worker.validate, ingest._Readers.take = started, served, taken
    if mode == "keep":
        ingest.keep_readers()
    try:
        code = cli.main(args)
    finally:
        seen["left_running"] = [p for p in runner._children(os.getpid()) if runner._waited_for(p)]
        with open(record, "w") as fh:
            json.dump(seen, fh)
    sys.exit(code)
"""


def _run(tmp_path: Path, landing: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    script, record = tmp_path / "recorded.py", tmp_path / "record.json"
    script.write_text(_RECORDED)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DAGSTER_HOME": str(tmp_path / "dh"),
           "PROVREPORT_DOCS_DIR": str(tmp_path / "docs")}
    env.pop("PROVREPORT_PROVINCES", None)
    done = subprocess.run([sys.executable, str(script), str(record), *args[:1], "run", "--no-handoff", "--landing",
                           str(landing), "--warehouse", str(tmp_path / "wh" / "w.duckdb"), *args[1:]],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    return done, json.loads(record.read_text())


def test_a_run_takes_the_workers_it_started_and_leaves_nothing_running(landing: Path, tmp_path: Path) -> None:
    past = time.time() - 60  # settled files: nothing is left waiting for the settle time
    for f in landing.iterdir():
        os.utime(f, (past, past))
    done, seen = _run(tmp_path, landing, "-")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""  # no warning: neither worker failed
    assert "checks" in done.stdout and "(5 new this run)" in done.stdout
    assert len(seen["validation_workers"]) == 1 and seen["validation"] == ["worker"]
    assert len(seen["early_readers"]) == 1 and seen["read_by"] == seen["early_readers"]
    assert seen["left_running"] == []
    # nothing new: no worker started, as before (the no-op run stops before Dagster)
    again, seen = _run(tmp_path, landing, "-")
    assert again.stdout.startswith("nothing new"), again.stdout + again.stderr
    assert seen == {"validation": [], "early_readers": [], "read_by": [], "validation_workers": [], "left_running": []}
    # in a process that keeps its workers (watch), a forced run validates in process, its reader started at its read
    forced, seen = _run(tmp_path, landing, "keep", "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert seen["validation_workers"] == [] and seen["validation"] == ["in process"] and seen["early_readers"] == []
