"""Ingest scales out on Dagster's executor (issue #18): many new files are read in partitions by parallel
step processes, the steps that open the DuckDB file one at a time; a few new files keep the run in one
process. The choice is the runner's, from the landing folder, through Settings."""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest

from orchestration.ingest.partitions import known_contents, landed_files, new_files_estimate
from orchestration.settings import DEFAULT_INGEST_PARALLEL_FROM, Settings
from sources.warehouse import connect
from tests.conftest import run_provreport


def _settings(tmp_path: Path, **over) -> Settings:
    return Settings(warehouse=tmp_path / "w.duckdb", landing=tmp_path / "landing", **over)


def test_many_new_files_are_read_in_one_partition_per_worker(tmp_path: Path) -> None:
    settings = _settings(tmp_path, ingest_workers=2, ingest_parallel_from=1000)
    assert [settings.ingest_partitions(n) for n in (0, 1, 999, 1000, 100_000)] == [1, 1, 1, 2, 2]
    one_worker = _settings(tmp_path, ingest_workers=1, ingest_parallel_from=10)
    assert one_worker.ingest_partitions(100_000) == 1


def test_the_ingest_settings_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVREPORT_INGEST_WORKERS", "3")
    monkeypatch.setenv("PROVREPORT_INGEST_PARALLEL_FROM", "50")
    settings = _settings(tmp_path)  # as the CLI builds them, field by field: these still follow the environment
    assert (settings.ingest_workers, settings.ingest_parallel_from) == (3, 50)
    assert Settings.from_env().ingest_partitions(50) == 3
    assert settings.env()["PROVREPORT_INGEST_WORKERS"] == "3"  # exported to the step processes
    monkeypatch.setenv("PROVREPORT_INGEST_WORKERS", "none")
    monkeypatch.setenv("PROVREPORT_INGEST_PARALLEL_FROM", "0")
    settings = _settings(tmp_path)
    assert (settings.ingest_workers, settings.ingest_parallel_from) == (os.cpu_count() or 1,
                                                                       DEFAULT_INGEST_PARALLEL_FROM)


def test_the_estimate_of_new_files_counts_the_folder_less_what_the_warehouse_knows(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    (landing / "sub").mkdir(parents=True)
    (landing / ".hidden").mkdir()
    for name in ("a.txt", "b.txt", "sub/c.txt", "sub/d.docx", ".e.txt", ".hidden/f.txt"):
        (landing / name).write_text(name)
    warehouse = tmp_path / "w.duckdb"
    assert landed_files(landing) == 4
    assert new_files_estimate(landing, warehouse) == 4  # no warehouse yet
    con = connect(warehouse)
    con.execute("create schema raw")
    con.close()
    assert new_files_estimate(landing, warehouse) == 4  # no raw tables yet
    con = connect(warehouse)
    con.execute("create table raw.reports (content_sha256 varchar)")
    con.execute("create table raw.rejections (content_sha256 varchar, row_number integer)")
    # one content in two reports (a submission of two districts), one refused whole, one row of a file refused
    con.execute("insert into raw.reports values ('x'), ('x'), ('y')")
    con.execute("insert into raw.rejections values ('z', null), ('y', 3)")
    con.close()
    assert known_contents(warehouse) == 3
    assert new_files_estimate(landing, warehouse) == 1
    assert new_files_estimate(tmp_path / "absent", warehouse) == 0


@pytest.mark.slow
def test_a_run_of_many_new_files_reads_its_partitions_in_parallel_step_processes(
        tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forced from 1 new file (PROVREPORT_INGEST_PARALLEL_FROM=1): the runner runs the job's steps in processes,
    two partitions read side by side, the DuckDB steps one at a time; the warehouse is the one a run in one
    process makes, nothing is left beside it, and the next run has nothing to do."""
    from dagster import DagsterEventType, DagsterInstance

    landing = tmp_path / "landing"
    landing.mkdir()
    for seed in sorted(seeds_dir.glob("*.txt")):
        shutil.copy(seed, landing / seed.name)
    shutil.copy(sorted(seeds_dir.glob("*.txt"))[0], landing / "zz_copy.txt")
    (landing / "empty.txt").write_bytes(b"")
    base = {**os.environ, "PROVREPORT_SETTLE_S": "0", "PROVREPORT_INGEST_WORKERS": "2"}
    runs = {}
    for name, parallel_from in (("parallel", "1"), ("in_process", "100000")):
        env = {**base, "DAGSTER_HOME": str(tmp_path / name / "dh"),
               "PROVREPORT_DOCS_DIR": str(tmp_path / name / "docs"), "PROVREPORT_INGEST_PARALLEL_FROM": parallel_from}
        warehouse = tmp_path / name / "w.duckdb"
        proc = run_provreport(["run", "--landing", str(landing), "--warehouse", str(warehouse)], env)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "reports read      5 (5 new this run)" in proc.stdout, proc.stdout
        con = connect(warehouse, read_only=True)
        runs[name] = {
            "reports": con.execute("select report_id, source_file, district_name from raw.reports "
                                   "order by 1").fetchall(),
            "figures": con.execute("select figure_id, source_quote from raw.figures order by 1").fetchall(),
            "rejections": con.execute("select source_file, reason from raw.rejections order by 1").fetchall(),
            "funding": con.execute("select count(*), sum(amount_vnd) from marts.fct_programme_funding").fetchall(),
        }
        con.close()
        leftovers = [p.name for p in warehouse.parent.iterdir() if p.name.startswith(f".{warehouse.name}")]
        assert leftovers == []  # no working copy, no staging folder
        if name == "parallel":
            monkeypatch.setenv("DAGSTER_HOME", env["DAGSTER_HOME"])  # the run history's storage reads it
            with DagsterInstance.get() as instance:
                run = instance.get_runs(limit=1)[0]
                stats = {s.step_key: s for s in instance.get_run_step_stats(run.run_id)}
                workers = {r.dagster_event.step_key: r.dagster_event.pid for r in instance.all_logs(
                    run.run_id, of_type=DagsterEventType.STEP_WORKER_STARTED)}
            reads = ["ingest_landing_folder.read_partition[part_0]", "ingest_landing_folder.read_partition[part_1]"]
            assert set(reads) <= set(stats), sorted(stats)
            assert len({workers[k] for k in stats}) == len(stats) and os.getpid() not in workers.values()
            duckdb_steps = sorted((stats[k].start_time, stats[k].end_time, k) for k in stats if k not in reads)
            assert len(duckdb_steps) == 5, duckdb_steps  # plan, load, dbt, sign-off, validation
            for (_s1, end, first), (start, _e2, second) in itertools.pairwise(duckdb_steps):
                assert end <= start, f"{first} and {second} held the DuckDB file at once"
            again = run_provreport(["run", "--landing", str(landing), "--warehouse", str(warehouse)], env)
            assert again.returncode == 0 and "nothing new since the last run" in again.stdout, again.stdout
    assert runs["parallel"] == runs["in_process"]
    assert len(runs["parallel"]["reports"]) == 5 and ("empty.txt", "empty_file") in runs["parallel"]["rejections"]
