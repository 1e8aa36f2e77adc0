"""Schema ``raw``: a warehouse created by an earlier version takes the columns added since."""

from __future__ import annotations

import dataclasses
from pathlib import Path

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
