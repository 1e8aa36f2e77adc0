"""The raw and audit tables are declared once (sources/schema.py): the DDL of both engines, the frame
schemas, the row builders, the insert order and the dbt sources' docs agree with the declaration."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import polars as pl
import yaml

from sources import ingest, postgres, schema, warehouse
from sources.figures import Figure, PlaceResolution

ROOT = Path(__file__).resolve().parents[2]
SOURCES_YML = ROOT / "dbt_project" / "models" / "staging" / "_staging__sources.yml"


def test_the_dbt_sources_yml_is_the_declaration() -> None:
    doc = yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))
    (raw,) = [s for s in doc["sources"] if s["name"] == "raw"]
    declared = {t.name: t for t in schema.RAW_TABLES}
    assert [t["name"] for t in raw["tables"]] == list(declared)
    for table in raw["tables"]:
        t = declared[table["name"]]
        assert table["description"] == t.description
        assert [(c["name"], c["data_type"], c["description"]) for c in table["columns"]] == [
            (c.name, schema.TYPES[c.type][0], c.description) for c in t.columns], t.qualified
    # the audit tables dbt reads, in their own yml: the reviews' corrected place columns included
    audit = yaml.safe_load((ROOT / "dbt_project" / "models" / "audit" / "_audit__sources.yml").read_text("utf-8"))
    assert {t["name"]: [c["name"] for c in t["columns"]] for t in audit["sources"][0]["tables"]} == {
        t.name: list(t.column_names) for t in schema.DBT_AUDIT_SOURCES}
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_sources_yml.py"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_duckdb_tables_are_the_declaration(tmp_path: Path) -> None:
    con = warehouse.connect(tmp_path / "w.duckdb")
    warehouse.ensure_raw_schema(con)
    for table in (*schema.RAW_TABLES, *schema.AUDIT_TABLES):
        described = con.execute(f"describe {table.qualified}").fetchall()
        assert [(r[0], r[1], r[2] == "YES") for r in described] == [
            (c.name, schema.TYPES[c.type][0].upper(), c.nullable and not c.primary_key) for c in table.columns]
        assert [r[0] for r in described if r[3] == "PRI"] == [c.name for c in table.columns if c.primary_key]
    # a new warehouse has every migration recorded and none run
    assert [r[0] for r in con.execute("select version from meta.schema_version order by version").fetchall()] \
        == [m.version for m in schema.MIGRATIONS]
    con.close()


def test_postgres_ddl_is_the_declaration_in_postgres_types() -> None:
    ddl = "\n".join(postgres.postgres_ddl())
    for table in (*schema.RAW_TABLES, *schema.DBT_AUDIT_SOURCES):
        assert f"create table if not exists {table.qualified} (" in ddl
    assert "double precision" in ddl and not re.search(r"\bdouble\b(?! precision)", ddl)
    assert "audit.validation_results" not in ddl  # only the audit tables dbt reads


def test_migrations_add_declared_columns_once_each() -> None:
    assert [m.version for m in schema.MIGRATIONS] == list(range(1, len(schema.MIGRATIONS) + 1))
    for migration in schema.MIGRATIONS:
        table = schema.TABLES[migration.table]
        for statement in migration.statements:
            if statement.startswith("drop table"):  # only bookkeeping in its former place, never data
                assert statement.removeprefix("drop table if exists ") in schema.FORMER_BOOKKEEPING_TABLES.values()
                continue
            m = re.fullmatch(rf"alter table {re.escape(migration.table)} add column if not exists (\w+) (\w+)",
                             statement)
            assert m, statement
            column = {c.name: c for c in table.columns}[m.group(1)]
            assert schema.TYPES[column.type][0] == m.group(2) and column.nullable


def test_an_old_audit_schema_is_migrated_once(tmp_path: Path) -> None:
    con = warehouse.connect(tmp_path / "old.duckdb")
    con.execute("create schema audit")
    old = dataclasses.replace(schema.VALIDATION_RESULTS, columns=tuple(
        c for c in schema.VALIDATION_RESULTS.columns if c.name not in ("scope_units", "reports_through")))
    con.execute(old.ddl())
    warehouse.ensure_audit_schema(con)
    assert [r[0] for r in con.execute("describe audit.validation_results").fetchall()] \
        == list(schema.VALIDATION_RESULTS.column_names)
    # only the audit step ran: the raw migration waits for the raw tables (3: figure_reviews made new)
    assert sorted(r[0] for r in con.execute("select version from meta.schema_version").fetchall()) == [2, 3]
    warehouse.ensure_raw_schema(con)
    warehouse.ensure_raw_schema(con)
    assert sorted(r[0] for r in con.execute("select version from meta.schema_version").fetchall()) == [1, 2, 3, 4]
    con.close()


def test_bookkeeping_leaves_the_seeds_schema_of_an_old_warehouse(tmp_path: Path) -> None:
    con = warehouse.connect(tmp_path / "old.duckdb")
    con.execute("create schema raw")
    con.execute(schema.REPORTS.ddl())
    con.execute("create schema reference")
    con.execute("create table reference.programme (code varchar)")  # a seed: stays
    for former in schema.FORMER_BOOKKEEPING_TABLES.values():
        con.execute(f"create table {former} (x integer)")
    warehouse.ensure_raw_schema(con)
    tables = {f"{s}.{n}" for s, n in con.execute(
        "select table_schema, table_name from information_schema.tables").fetchall()}
    assert "reference.programme" in tables
    assert not tables & set(schema.FORMER_BOOKKEEPING_TABLES.values())
    assert con.execute("select description from meta.schema_version where version = 4").fetchone() == (
        "bookkeeping moved from the seeds' schema to schema meta",)
    warehouse.remember_landing_hashes(con, {("a.txt", 3, 7): "ab" * 32})
    assert warehouse.landing_hashes(con) == {("a.txt", 3, 7): "ab" * 32}
    assert con.execute("select count(*) from meta.landing_files").fetchone() == (1,)
    con.close()


def test_frame_schemas_and_insert_order_come_from_the_declaration() -> None:
    assert schema.REPORTS.polars_schema() == ingest.REPORT_SCHEMA
    assert list(ingest.FIGURE_SCHEMA) == list(schema.FIGURES.column_names)
    assert ingest.FIGURE_SCHEMA["amount_vnd"] == pl.Int64 and ingest.FIGURE_SCHEMA["rate_pct"] == pl.Float64
    assert list(ingest.REJECTION_SCHEMA) == list(schema.REJECTIONS.column_names)


def test_row_builders_fill_exactly_the_declared_columns(tmp_path: Path) -> None:
    fig_fields = {f.name for f in dataclasses.fields(Figure)}
    assert set(schema.FIGURES.column_names) - ingest._FIGURE_ROW_SPECIAL <= fig_fields
    (row,) = ingest.figure_rows("abc", [Figure(kind="funding", local_id=1, rule="r", source_quote="q",
                                               char_start=0, char_end=1, parent_local_id=0)])
    assert list(row) == list(schema.FIGURES.column_names)
    assert (row["figure_id"], row["parent_figure_id"]) == ("abc-0001", "abc-0000")

    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    landed = ingest.LandedFile(path=path, size=1, sha256="0" * 64, modified_at=datetime(2024, 1, 1))
    report = ingest._report_row(landed, "r1", "run", source_kind="narrative", file_format="txt", title=None,
                                report_date=date(2024, 1, 1), period_start=None, period_end=None,
                                place=PlaceResolution(None, None, None, None, None, None, "unresolved"), text="x")
    assert list(report) == list(schema.REPORTS.column_names)
    assert list(ingest.rejection_row(landed, "empty_file", "d", "run")) == list(schema.REJECTIONS.column_names)
