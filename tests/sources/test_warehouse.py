"""Schema ``raw``: a warehouse created by an earlier version takes the columns added since."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pytest

from sources import schema, warehouse
from sources.ingest import ingest_landing

COMMUNE_REPORT = ("ỦY BAN NHÂN DÂN XÃ HƯỚNG HIỆP\nHướng Hiệp, ngày 05 tháng 10 năm 2025\n\nBÁO CÁO\n\n"
                  "Tình hình kinh tế - xã hội tháng 9 năm 2025\n\nXã đã giải ngân 1.250 triệu đồng vốn đầu tư công.\n")


@pytest.mark.slow  # ingests through the sandboxed reader process (2-3 s)
def test_a_warehouse_without_admin_level_takes_it_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    old_reports = dataclasses.replace(schema.REPORTS, columns=tuple(
        c for c in schema.REPORTS.columns if c.name != "admin_level"))
    con = warehouse.connect(path)
    con.execute("create schema raw")
    for table in (old_reports, schema.FIGURES, schema.REJECTIONS):
        con.execute(table.ddl())
    con.execute("""insert into raw.reports (report_id, source_file, source_path, content_sha256, source_kind,
                   file_format, district_name, admin_unit_code, place_method, text, char_count, ingested_at, run_id)
                   values ('a1', 'old.txt', '/x/old.txt', 'a1', 'narrative', 'txt', 'Hướng Hóa', '465', 'named',
                   'text', 4, now(), 'old-run')""")
    assert "admin_level" not in {r[0] for r in con.execute("describe raw.reports").fetchall()}

    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "huong_hiep_9_2025.txt").write_text(COMMUNE_REPORT, encoding="utf-8")
    ingest_landing(landing, con, "new-run")
    rows = dict(con.execute("select run_id, (district_name, admin_unit_code, admin_level) from raw.reports")
                .fetchall())
    con.close()
    assert rows["old-run"] == ("Hướng Hóa", "465", None)  # dbt reads a null level with a code as a district
    assert rows["new-run"] == ("Hướng Hiệp", "19555", "commune")
    con = warehouse.connect(path)
    assert con.execute("select version from meta.schema_version where version = 1").fetchone() == (1,)
    con.close()


def _working_copy_of_a_warehouse(tmp_path: Path) -> tuple[Path, Path]:
    published = tmp_path / "w.duckdb"
    con = warehouse.connect(published)
    con.execute("create table t (n integer)")
    con.execute("insert into t values (1)")
    con.close()
    return published, warehouse.prepare_working_copy(published)


def test_a_kept_working_copy_is_one_open_database_until_it_is_published(tmp_path: Path) -> None:
    published, working = _working_copy_of_a_warehouse(tmp_path)
    assert warehouse.keep_open(working)
    assert warehouse.keep_open(working)  # once: the second call finds it kept
    writer = warehouse.connect(working)
    # read-only beside a read-write connection of the same file in one process: DuckDB refuses two
    # configurations of a database, so this would raise without the kept one
    reader = warehouse.connect(working, read_only=True)
    writer.execute("insert into t values (2)")
    assert reader.execute("select sum(n) from t").fetchone() == (3,)
    reader.close()
    writer.close()
    warehouse.publish(working, published)
    assert not working.exists() and not warehouse.keep_open(working)
    # the published file is closed in this process: opened read-only by a new connection, with both rows
    con = duckdb.connect(str(published), read_only=True)
    assert con.execute("select sum(n) from t").fetchone() == (3,)
    con.close()


def test_only_a_working_copy_this_process_made_is_kept_open(tmp_path: Path) -> None:
    published, _working = _working_copy_of_a_warehouse(tmp_path)
    assert not warehouse.keep_open(published)  # the published file: each connection opens it
    writer = warehouse.connect(published)
    with pytest.raises(duckdb.ConnectionException, match="different configuration"):
        warehouse.connect(published, read_only=True)
    writer.close()
    warehouse.discard_working_copy(published)


def test_a_discarded_working_copy_is_let_go(tmp_path: Path) -> None:
    published, working = _working_copy_of_a_warehouse(tmp_path)
    assert warehouse.keep_open(working)
    con = warehouse.connect(working)
    con.execute("insert into t values (5)")
    con.close()
    warehouse.discard_working_copy(published)
    assert not working.exists() and not warehouse.keep_open(working)
    again = warehouse.prepare_working_copy(published)  # the published file was left as it was
    con = duckdb.connect(str(again), read_only=True)
    assert con.execute("select sum(n) from t").fetchone() == (1,)
    con.close()
    warehouse.discard_working_copy(published)


def test_remembered_hashes_are_changed_row_by_row_to_what_the_survey_found(tmp_path: Path) -> None:
    con = warehouse.connect(tmp_path / "w.duckdb")
    before = {("a.txt", 3, 7): "a" * 64, ("b.txt", 4, 8): "b" * 64, ("c.txt", 5, 9): "c" * 64}
    warehouse.remember_landing_hashes(con, before, known={})  # no table yet: made from them
    known = warehouse.landing_hashes(con)
    assert known == before
    now = {("a.txt", 3, 7): "a" * 64, ("b.txt", 4, 10): "d" * 64, ("e.txt", 1, 2): "e" * 64,
           ("\udcff.txt", 1, 1): "f" * 64}  # b touched and changed, c gone, e new, a path that is not UTF-8
    rowids = dict(con.execute("select path, rowid from meta.landing_files").fetchall())
    warehouse.remember_landing_hashes(con, now, known)
    assert warehouse.landing_hashes(con) == {key: sha for key, sha in now.items() if key[0] != "\udcff.txt"}
    assert con.execute("select count(*) from meta.landing_files").fetchone() == (3,)
    # the unchanged row was left where it was (not the whole table written again)
    assert con.execute("select rowid from meta.landing_files where path = 'a.txt'").fetchone() == (rowids["a.txt"],)
    warehouse.remember_landing_hashes(con, now, warehouse.landing_hashes(con))  # nothing differs: nothing written
    assert con.execute("select count(*) from meta.landing_files").fetchone() == (3,)
    con.close()


def test_a_warehouse_held_open_is_one_database_for_the_read_only_connections_of_the_block(tmp_path: Path) -> None:
    published, _working = _working_copy_of_a_warehouse(tmp_path)
    warehouse.discard_working_copy(published)
    with warehouse.held_open(published):
        first = warehouse.connect(published, read_only=True)
        first.execute("set global memory_limit = '77MB'")
        first.close()
        second = warehouse.connect(published, read_only=True)  # the held database: the setting is still there
        assert second.execute("select current_setting('memory_limit')").fetchone()[0] == "73.4 MiB"
        assert second.execute("select sum(n) from t").fetchone() == (1,)
        second.close()
    # let go after the block: a new connection opens the file, with DuckDB's own settings, and may write it
    con = warehouse.connect(published)
    assert con.execute("select current_setting('memory_limit')").fetchone()[0] != "73.4 MiB"
    con.close()
    # nothing to hold: a missing file is not made; one this process writes cannot be opened read-only beside it
    with warehouse.held_open(tmp_path / "missing.duckdb"):
        pass
    assert not (tmp_path / "missing.duckdb").exists()
    writer = warehouse.connect(published)
    with warehouse.held_open(published):
        writer.execute("insert into t values (2)")
    writer.close()
