"""The pure parts of the CLI: the run lock, the manifest check, argument handling."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.cli import build_parser, main
from orchestration.dbt.project import manifest_is_stale
from orchestration.runner import RunBusyError, run_lock


def test_a_second_run_on_the_same_warehouse_stops_with_a_clear_message(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    with (
        run_lock(warehouse, wait=False),
        pytest.raises(RunBusyError, match="another provreport run"),
        run_lock(warehouse, wait=False),
    ):
        pass
    with run_lock(warehouse, wait=False):  # released: a later run proceeds
        pass


def test_the_lock_holds_across_processes(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from orchestration.runner import run_lock\n"
         f"with run_lock(Path({str(warehouse)!r}), wait=False):\n"
         "    print('locked', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(RunBusyError, match=f"pid {holder.pid}"), run_lock(warehouse, wait=False):
            pass
    finally:
        holder.kill()
        holder.wait()


def test_manifest_is_stale_when_a_model_changes(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "m.sql"
    model.write_text("select 1")
    assert manifest_is_stale(tmp_path)  # no manifest yet
    (tmp_path / "target").mkdir()
    manifest = tmp_path / "target" / "manifest.json"
    manifest.write_text("{}")
    past = time.time() - 60
    os.utime(model, (past, past))
    assert not manifest_is_stale(tmp_path)
    model.write_text("select 2")
    assert manifest_is_stale(tmp_path)


def test_run_refuses_a_missing_landing_folder(tmp_path: Path, capsys) -> None:
    code = main(["run", "--landing", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "w.duckdb")])
    assert code == 2
    assert "does not exist" in capsys.readouterr().err


def test_audit_without_a_warehouse_says_what_to_do(tmp_path: Path, capsys) -> None:
    code = main(["audit", "--warehouse", str(tmp_path / "none.duckdb")])
    assert code == 2
    assert "provreport run" in capsys.readouterr().err


def test_the_parser_knows_the_design_commands() -> None:
    parser = build_parser()
    args = parser.parse_args(["run", "--landing", "x", "--warehouse", "y.duckdb"])
    assert (args.command, args.landing, args.warehouse) == ("run", "x", "y.duckdb")
    assert parser.parse_args(["audit", "--format", "csv"]).format == "csv"


def test_no_lock_file_is_left_beside_the_warehouse(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    with run_lock(warehouse, wait=False):
        assert (tmp_path / "w.duckdb.run.lock").exists()
    assert not (tmp_path / "w.duckdb.run.lock").exists()
    with run_lock(warehouse, wait=False):  # and the next run takes it as before
        pass
    assert list(tmp_path.iterdir()) == []


def test_a_waiting_run_follows_the_lock_to_its_new_file(tmp_path: Path) -> None:
    """The holder removes the file it locked; a run that waited on it locks the file at the path."""
    warehouse = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import time; from pathlib import Path; from orchestration.runner import run_lock\n"
         f"with run_lock(Path({str(warehouse)!r}), wait=False):\n"
         "    print('locked', flush=True); time.sleep(1.5)"],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with run_lock(warehouse, wait=True):
            assert time.monotonic() - started > 1.0  # it waited for the holder to let go
            with pytest.raises(RunBusyError), run_lock(warehouse, wait=False):
                pass
    finally:
        holder.wait(timeout=30)


def _options(parser):
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from ((f"{name} {where}", a) for where, a in _options(sub))
        elif not isinstance(action, argparse._HelpAction):
            yield (action.dest, action)


def test_every_option_has_help_text() -> None:
    missing = [where for where, action in _options(build_parser()) if not action.help]
    assert missing == []


def test_dbt_lines_become_progress_counts() -> None:
    from orchestration.dbt.assets import DbtProgress

    sink = DbtProgress()
    sink.write("1 of 3 START sql table model marts.dim_period ....... [RUN]\n1 of 3 OK created sql table")
    sink.write(" model marts.dim_period [\x1b[32mOK\x1b[0m in 0.1s]\n2 of 3 PASS unique_x .... [PASS in 0.02s]\n")
    sink.write("3 of 3 WARN 1 declared_provinces_exist ... [WARN 1 in 0.06s]\nDone. PASS=1 WARN=1\n")
    assert (sink.done, sink.total) == (3, 3)
    assert sink.summary() == "3 models and tests (1 ok, 1 pass, 1 warn)"


def test_bench_runs_the_benchmark_of_the_checkout_in_its_own_process(tmp_path: Path, monkeypatch) -> None:
    import subprocess

    from orchestration.settings import PROJECT_ROOT

    seen = {}

    def run(command, **kwargs):
        seen.update(command=command, **kwargs)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.chdir(tmp_path)
    assert main(["bench", "--reports", "150", "1000", "--out", "b.json", "--keep"]) == 0
    assert seen["command"][1:] == ["-m", "benchmarks.pipeline", "--sizes", "150", "1000",
                                   "--out", str(tmp_path / "b.json"), "--keep"]
    assert seen["cwd"] == PROJECT_ROOT


def test_between_runs_a_watch_collects_what_died_since_and_freezes_what_lives() -> None:
    """``watch`` collects in its idle time and freezes the survivors (gc.freeze), so that a run's collections pass
    over its own objects only; what died in a cycle after an earlier freeze is collected, not kept for good."""
    import gc
    import weakref

    from orchestration.cli import _collect_between_runs

    class Node:
        pass

    dying = Node()
    dying.self = dying  # a cycle: only the collector frees it
    gone = weakref.ref(dying)
    gc.freeze()  # frozen by the collection after an earlier run, while it lived
    del dying
    try:
        gc.collect()
        assert gone() is not None  # a collection passes over frozen objects
        _collect_between_runs()
        assert gone() is None
        assert gc.get_freeze_count() > 0  # the survivors, left out of the next run's collections
    finally:
        gc.unfreeze()
