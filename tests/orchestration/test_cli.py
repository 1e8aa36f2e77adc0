"""The pure parts of the CLI: the run lock, the manifest check, argument handling."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.cli import RunBusyError, build_parser, main, manifest_is_stale, run_lock


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
         "import sys, time; from pathlib import Path; from orchestration.cli import run_lock\n"
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
