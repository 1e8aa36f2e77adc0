"""The load of an ingest writes each batch of files as one contiguous chunk (issue #18, must-hold 4): DuckDB
inserts an Arrow table made of one small piece per file about 15 times slower, and the load took 1.6 ms per
report at 10 000 reports, 3.9 at 30 000 (benchmarks/bench_ingest_scale.py); and DuckDB checkpoints less often
while the load writes (each checkpoint costs more as the tables grow). The files are read in this process (no
sandboxed worker), so the test is quick."""

from __future__ import annotations

import os
import time
from pathlib import Path

import polars as pl
import pytest

from sources import ingest, warehouse
from sources.readers import Limits
from tests.sources.test_ingest_partitions import REPORT, SUBMISSION


def test_rows_of_files_are_one_slice_less_the_files_between() -> None:
    frame = pl.DataFrame({"v": ["c0", "a0", "a1", "d0", "d1", "d2"], ingest.FILE_INDEX: [2, 0, 0, 3, 3, 3]})
    rows = ingest._RowsByFile.of(frame, 5)  # file 1 and file 4 have no rows
    assert rows.bounds == [0, 2, 2, 3, 6, 6]
    assert [rows.count(i) for i in range(5)] == [2, 0, 1, 3, 0]
    assert rows.rows([0, 1, 2, 3]).to_dict(as_series=False) == {"v": ["a0", "a1", "c0", "d0", "d1", "d2"]}
    assert rows.rows([0, 3])["v"].to_list() == ["a0", "a1", "d0", "d1", "d2"]  # file 2 between is left out
    assert rows.rows([2])["v"].to_list() == ["c0"]
    assert rows.rows([4]).height == 0 and rows.rows([]).columns == ["v"]


@pytest.fixture()
def read_here(monkeypatch):
    """Partitions read in this process: no reading worker starts (as where none can), so no budgets apply."""

    def no_worker(*_args, **_kwargs):
        raise RuntimeError("no worker in this test")
        yield  # pragma: no cover

    monkeypatch.setattr(ingest, "read_files_bounded", no_worker)


def test_a_partition_stacks_its_files_frames_as_they_come(monkeypatch) -> None:
    """A partition read holds its files' frames stacked every STACK_EVERY files (one small frame per file
    held 5 GB at 50 000 files), with the same rows in the same order and each row's file index."""
    monkeypatch.setattr(ingest, "STACK_EVERY", 2)
    stack = ingest._Stack({"v": pl.String})
    for file_index, values in [(0, ["a0"]), (1, []), (3, ["c0", "c1"]), (4, ["d0"]), (6, ["e0", "e1", "e2"])]:
        stack.add(pl.DataFrame({"v": values}, schema={"v": pl.String}), file_index)
    assert len(stack.stacked) == 2 and len(stack.pending) == 1  # after files 1 and 4
    frame = stack.frame()
    assert frame.to_dict(as_series=False) == {"v": ["a0", "c0", "c1", "d0", "e0", "e1", "e2"],
                                             ingest.FILE_INDEX: [0, 3, 3, 4, 6, 6, 6]}
    assert frame.n_chunks() == 1
    empty = ingest._Stack({"v": pl.String}).frame()
    assert empty.height == 0 and empty.columns == ["v", ingest.FILE_INDEX]


def test_the_load_writes_each_batch_as_one_chunk_in_the_files_order(tmp_path: Path, monkeypatch,
                                                                      read_here) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    for k in range(5):
        (landing / f"r{k}.txt").write_text(REPORT + f"Số hiệu {k}.\n", encoding="utf-8")
    (landing / "r1_again.txt").write_bytes((landing / "r1.txt").read_bytes())  # the same content: written once
    (landing / "r2_template.csv").write_text(SUBMISSION, encoding="utf-8")  # one row refused
    (landing / "r3_empty.txt").write_bytes(b"")  # refused whole
    past = time.time() - 60
    for path in landing.iterdir():
        os.utime(path, (past, past))
    calls: list[tuple[list[str], list[int], int, str]] = []
    write = warehouse.write_report
    threshold = "select current_setting('checkpoint_threshold')"

    def spy(con, report, figures, rejected_rows=None):
        calls.append((report["source_file"].to_list(), [report.n_chunks(), figures.n_chunks()],
                      rejected_rows.height, con.execute(threshold).fetchone()[0]))
        write(con, report, figures, rejected_rows)

    monkeypatch.setattr(warehouse, "write_report", spy)
    monkeypatch.setattr(ingest, "BATCH_FILES", 4)
    con = warehouse.connect(tmp_path / "w.duckdb")
    try:
        plan = ingest.plan_ingest(landing, con, "run-1", limits=Limits(settle_s=0))
        plan.partitions = 2
        reads = [ingest.read_partition(plan, k) for k in range(2)]
        summary = ingest.load_ingest(con, plan, reads)
        after = con.execute(threshold).fetchone()[0]
        reports = con.execute("select source_file, run_id from raw.reports order by rowid").fetchall()
        figures = con.execute("select count(*), count(distinct report_id) from raw.figures").fetchone()
        rejections = con.execute("select source_file, reason, row_number from raw.rejections order by rowid"
                                 ).fetchall()
    finally:
        con.close()
    assert [f.name for f in plan.fresh] == ["r0.txt", "r1.txt", "r1_again.txt", "r2.txt", "r2_template.csv",
                                            "r3.txt", "r3_empty.txt", "r4.txt"]
    # batches of 4 files: r1_again is skipped between r1 and r2 (its rows are read, not written), the empty
    # file's refusal counts in the batch it falls in; each frame written is one chunk; DuckDB checkpoints every
    # 256 MB of log while the load writes (warehouse.fewer_checkpoints), every 16 MB (its default) after it
    assert calls == [
        (["r0.txt", "r1.txt", "r2.txt", "r2_template.csv"], [1, 1], 1, "244.1 MiB"),
        (["r3.txt", "r4.txt"], [1, 1], 1, "244.1 MiB"),
    ]
    assert after == "16.0 MiB"
    assert reports == [(name, "run-1") for name in ("r0.txt", "r1.txt", "r2.txt", "r2_template.csv", "r3.txt",
                                                    "r4.txt")]
    assert figures[1] == 6 and figures[0] == summary.figures_written
    assert rejections == [("r2_template.csv", "bad_number", 3), ("r3_empty.txt", "empty_file", None)]
    assert (summary.reports_written, summary.files_skipped_known, len(summary.report_ids)) == (6, 1, 6)
    assert [r["source_file"] for r in summary.rejected] == ["r2_template.csv", "r3_empty.txt"]
