"""The warehouse check a run makes before it works on a file: a sound file whose trailing free
blocks DuckDB truncated at a checkpoint passes; a file cut short does not."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.runner import integrity_problem


def _file_with_truncated_free_blocks(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("create table kept as select range as i, md5(range::varchar) as s from range(200000)")
    con.execute("checkpoint")
    con.execute("create table dropped as select range as i, md5((range * 7)::varchar) as s from range(200000)")
    con.execute("checkpoint")
    con.execute("drop table dropped")
    con.execute("checkpoint")  # the file shrinks; its header still counts the freed blocks
    con.close()


def test_a_file_whose_free_blocks_were_truncated_is_sound(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    _file_with_truncated_free_blocks(path)
    con = duckdb.connect(str(path), read_only=True)
    block_size, total = con.execute("select block_size, total_blocks from pragma_database_size()").fetchone()
    con.close()
    assert path.stat().st_size < total * block_size  # what the first version of the check took for a cut file
    assert integrity_problem(path) is None


def test_a_file_cut_in_half_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    _file_with_truncated_free_blocks(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert integrity_problem(path) is not None


def test_a_file_another_process_writes_is_in_use_not_damaged(tmp_path: Path) -> None:
    import subprocess
    import sys

    import pytest

    from orchestration.runner import check_warehouse
    from sources.warehouse import WarehouseLockedError

    path = tmp_path / "w.duckdb"
    _file_with_truncated_free_blocks(path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('open', flush=True); "
         "sys.stdin.read()", str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(WarehouseLockedError, match="in use by another process"):
            integrity_problem(path)
        with pytest.raises(WarehouseLockedError):
            check_warehouse(path, thorough=False)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert integrity_problem(path) is None  # released: sound again
