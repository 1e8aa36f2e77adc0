"""The validation worker (expectations.worker): a validation it serves writes the same audit rows and Data Docs as
one made in the validating process, whose process then imports neither Great Expectations nor pandas; a worker that
died or went silent is ended and the validation is made in process, after one warning line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from benchmarks.bench_validation import audit_rows, pages
from expectations import run_validation, worker
from expectations.validate import context_root
from tests.expectations.test_validation import CLEAN_FUNDING, CLEAN_UNITS, FAULTY_UNIT, build

ROOT = Path(__file__).resolve().parents[2]

# validating through Great Expectations in two processes (about 5-10 s a test): make test only
pytestmark = pytest.mark.slow

# a fault of each kind a finding names: a total whose parts do not add up (figures), a unit that missed months
FAULTY_FUNDING = [row if row[0] != "r1-3" else (*row[:10], 39_982_000_000, *row[11:]) for row in CLEAN_FUNDING]


def _faulty(path: Path, check_views) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return build(path, check_views, funding=FAULTY_FUNDING, units=[*CLEAN_UNITS, FAULTY_UNIT])


def _outcomes(summary) -> list[tuple]:
    return _outcomes_of(summary.results)


def _outcomes_of(results) -> list[tuple]:
    return [(o.mart, o.name, o.suite, o.severity, o.success, o.description, o.failing_figure_ids,
             json.dumps(o.observed, sort_keys=True, default=str), json.dumps(o.groups, sort_keys=True, default=str))
            for o in results]


def warehouse_target(warehouse: Path):
    from sources.connection import as_warehouse

    return as_warehouse(warehouse)


def _stored_runs(root: Path, run_id: str) -> dict[str, int]:
    """Per suite, how many validation results of ``run_id`` the context stores."""
    store = root / "gx" / "uncommitted" / "validations"
    return {suite.name: len(list((suite / run_id).iterdir())) for suite in store.iterdir() if (suite / run_id).is_dir()}


@pytest.fixture(scope="module")
def in_process(tmp_path_factory, check_views) -> dict:
    """The faulty warehouse validated in this process, as without a worker."""
    tmp = tmp_path_factory.mktemp("in-process")
    warehouse = _faulty(tmp / "wh" / "w.duckdb", check_views)
    summary = run_validation(warehouse, run_id="run-1", docs_dir=tmp / "docs")
    assert [o.name for o in summary.results if not o.success] == [
        "components_sum_to_total", "district_reported_for_period", "report_arrived_on_time"]
    return {"summary": summary, "warehouse": warehouse, "docs": tmp / "docs"}


# run in a new process, with the tree on sys.path: argv = warehouse, docs folder
_SERVED = r"""
import json, sys
from pathlib import Path
from expectations import run_validation, worker

if __name__ == "__main__":
    warehouse, docs = Path(sys.argv[1]), Path(sys.argv[2])
    worker.start(warehouse)
    next(iter(worker._WORKERS.values())).wait_ready()  # the cores may be busy: a worker not ready would be dropped
    summary = run_validation(warehouse, run_id="run-1", docs_dir=docs)
    print(json.dumps({"imported": sorted(m for m in ("great_expectations", "pandas") if m in sys.modules),
                      "failed": [o.name for o in summary.results if not o.success],
                      "docs_index": str(summary.docs_index)}))
"""


def test_a_validation_the_worker_serves_is_the_one_made_in_process(in_process, tmp_path: Path, check_views) -> None:
    warehouse = _faulty(tmp_path / "wh" / "w.duckdb", check_views)
    script = tmp_path / "served.py"
    script.write_text(_SERVED)
    done = subprocess.run([sys.executable, str(script), str(warehouse), str(tmp_path / "docs")], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr == ""  # no fallback: no warning
    got = json.loads(done.stdout.strip().splitlines()[-1])
    # Great Expectations (and pandas) ran in the worker only
    assert got["imported"] == []
    assert got["failed"] == ["components_sum_to_total", "district_reported_for_period", "report_arrived_on_time"]
    assert got["docs_index"] == str(tmp_path / "docs" / "index.html")
    assert audit_rows(warehouse) == audit_rows(in_process["warehouse"])
    assert pages(tmp_path / "docs") == pages(in_process["docs"])
    assert _stored_runs(context_root(warehouse), "run-1") == _stored_runs(context_root(in_process["warehouse"]),
                                                                          "run-1")


def _started(warehouse: Path) -> worker._Worker:
    worker.start(warehouse)
    started = worker._WORKERS[context_root(warehouse)]
    started.wait_ready()
    return started


def test_a_worker_that_died_leaves_the_validation_to_this_process(in_process, tmp_path: Path, check_views,
                                                                   capfd) -> None:
    warehouse = _faulty(tmp_path / "wh" / "w.duckdb", check_views)
    dead = _started(warehouse)
    os.kill(dead.proc.pid, signal.SIGKILL)
    dead.proc.join(10)
    capfd.readouterr()
    summary = run_validation(warehouse, run_id="run-1", docs_dir=tmp_path / "docs")
    err = capfd.readouterr().err
    assert err == f"warning: the validation worker (pid {dead.proc.pid}) ended (exit code -9); validating in this " \
                  "process instead\n"
    assert _outcomes(summary) == _outcomes(in_process["summary"])
    assert audit_rows(warehouse) == audit_rows(in_process["warehouse"])
    assert pages(tmp_path / "docs") == pages(in_process["docs"])
    assert not worker.started(context_root(warehouse))


def test_a_worker_silent_in_the_middle_of_a_validation_is_ended_and_what_it_stored_removed(
        in_process, tmp_path: Path, check_views, capfd, monkeypatch) -> None:
    warehouse = _faulty(tmp_path / "wh" / "w.duckdb", check_views)
    silent = _started(warehouse)
    monkeypatch.setattr(worker, "QUIET_TIMEOUT_S", 2.0)
    said: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:  # the worker stops (SIGSTOP) after its third suite
        said.append((done, total))
        if done == 3 and silent.proc.is_alive():
            os.kill(silent.proc.pid, signal.SIGSTOP)

    capfd.readouterr()
    summary = run_validation(warehouse, run_id="run-1", docs_dir=tmp_path / "docs", progress=progress)
    err = capfd.readouterr().err
    assert err == f"warning: the validation worker (pid {silent.proc.pid}) said nothing for 2 s; validating in this " \
                  "process instead\n"
    assert not silent.proc.is_alive() and silent.proc.exitcode == -signal.SIGKILL
    total = said[-1][1]
    assert said[:3] == [(1, total), (2, total), (3, total)]  # the worker's, then this process's from the first suite
    assert said[3:] == [(n, total) for n in range(1, total + 1)]
    # the three suites the worker stored are not stored twice: one result of the run per suite, as in process
    assert set(_stored_runs(context_root(warehouse), "run-1").values()) == {1}
    assert _stored_runs(context_root(warehouse), "run-1") == _stored_runs(context_root(in_process["warehouse"]),
                                                                          "run-1")
    assert _outcomes(summary) == _outcomes(in_process["summary"])
    assert audit_rows(warehouse) == audit_rows(in_process["warehouse"])
    assert pages(tmp_path / "docs") == pages(in_process["docs"])


def test_a_worker_that_ended_before_its_data_docs_leaves_them_to_this_process(in_process, tmp_path: Path,
                                                                              check_views, capfd) -> None:
    from expectations.validate import read_marts, write_results

    warehouse = _faulty(tmp_path / "wh" / "w.duckdb", check_views)
    docs = tmp_path / "docs"
    _started(warehouse)
    marts, scope = read_marts(warehouse)
    root = context_root(warehouse)
    served = worker.validate(root, marts, scope, run_id="run-1", docs_dir=docs)
    assert served is not None  # the outcomes, handed over before the worker builds Data Docs
    os.kill(served.worker.proc.pid, signal.SIGKILL)
    write_results(warehouse_target(warehouse), "run-1", served.outcomes, scope)
    capfd.readouterr()
    assert served.docs_index() == docs / "index.html"
    assert capfd.readouterr().err == f"warning: the validation worker (pid {served.worker.proc.pid}) ended (exit " \
                                     "code -9); building Data Docs in this process instead\n"
    assert _outcomes_of(served.outcomes) == _outcomes(in_process["summary"])
    assert audit_rows(warehouse) == audit_rows(in_process["warehouse"])
    assert pages(docs) == pages(in_process["docs"])
    assert not worker.started(root)


def test_a_worker_that_has_not_imported_great_expectations_yet_is_dropped_without_a_word(
        in_process, tmp_path: Path, check_views, capfd) -> None:
    """The cores were busy (the worker runs at the lowest priority): the validation does not wait for it."""
    warehouse = _faulty(tmp_path / "wh" / "w.duckdb", check_views)
    worker.start(warehouse)
    late = worker._WORKERS[context_root(warehouse)]
    os.kill(late.proc.pid, signal.SIGSTOP)  # still starting
    capfd.readouterr()
    summary = run_validation(warehouse, run_id="run-1", docs_dir=tmp_path / "docs")
    assert capfd.readouterr().err == ""
    assert not late.proc.is_alive() and late.proc.exitcode == -signal.SIGKILL
    assert _outcomes(summary) == _outcomes(in_process["summary"])
    assert audit_rows(warehouse) == audit_rows(in_process["warehouse"])
    assert pages(tmp_path / "docs") == pages(in_process["docs"])
    assert not worker.started(context_root(warehouse))


def test_a_worker_no_validation_took_ends_with_the_run(tmp_path: Path, check_views) -> None:
    warehouse = _faulty(tmp_path / "wh" / "w.duckdb", check_views)
    unused = _started(warehouse)
    # it takes what the run's process leaves of the cores
    assert os.getpriority(os.PRIO_PROCESS, unused.proc.pid) == min(os.getpriority(os.PRIO_PROCESS, 0) + worker.NICE,
                                                                   19)
    worker.stop()
    assert unused.proc.exitcode == 0  # asked to end, it ended by itself
    assert not worker.started(context_root(warehouse))
    # and one still importing is killed
    worker.start(warehouse)
    importing = worker._WORKERS[context_root(warehouse)]
    worker.stop()
    assert not importing.proc.is_alive()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:  # nothing validated
        assert con.execute("select count(*) from information_schema.tables where table_schema = 'audit'"
                           ).fetchall() == [(0,)]
    finally:
        con.close()
