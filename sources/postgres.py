"""Copy schema ``raw`` from the DuckDB warehouse to PostgreSQL, so that ``dbt build --target
postgres`` builds the same marts there (DuckDB's postgres extension cannot be downloaded here).

The tables are created with the same DDL as in DuckDB (``sources.warehouse.RAW_DDL``) and filled
with COPY; the whole copy is one transaction.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import duckdb

from sources.warehouse import AUDIT_DDL, FIGURE_COLUMNS, RAW_DDL, REJECTION_COLUMNS, REPORT_COLUMNS

TABLES = {"raw.reports": REPORT_COLUMNS, "raw.figures": FIGURE_COLUMNS, "raw.rejections": REJECTION_COLUMNS}
# the audit tables dbt reads as sources (reviewers' and sign-off decisions), copied with raw
DBT_AUDIT_SOURCES = ("audit.figure_reviews", "audit.approvals")


def postgres_ddl() -> list[str]:
    """RAW_DDL, and the DDL of the audit tables dbt reads, in PostgreSQL's dialect (only 'double' differs)."""
    audit = ["create schema if not exists audit"] + [
        ddl for ddl in AUDIT_DDL if any(f"exists {table} " in ddl for table in DBT_AUDIT_SOURCES)]
    return [re.sub(r"\bdouble\b", "double precision", ddl) for ddl in (*RAW_DDL, *audit)]


def copy_raw_to_postgres(duckdb_path: Path, dsn: str) -> dict[str, int]:
    """Replace PostgreSQL's schema raw with DuckDB's; returns the rows copied per table."""
    import psycopg2

    copied: dict[str, int] = {}
    src = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        with psycopg2.connect(dsn) as pg, pg.cursor() as cur:
            cur.execute("drop schema if exists raw cascade")
            for table in DBT_AUDIT_SOURCES:
                cur.execute(f"drop table if exists {table} cascade")  # as raw: dbt rebuilds the views
            for ddl in postgres_ddl():
                cur.execute(ddl)
            tables = {**TABLES, **{t: tuple(r[0] for r in src.execute(
                "select column_name from information_schema.columns where table_schema = 'audit' and table_name = ? "
                "order by ordinal_position", [t.split(".")[1]]).fetchall()) for t in DBT_AUDIT_SOURCES}}
            for table, columns in tables.items():
                if not columns:  # a warehouse made before the audit tables existed
                    continue
                rows = src.execute(f"select {', '.join(columns)} from {table}").fetchall()
                buf = io.StringIO()
                writer = csv.writer(buf)
                for row in rows:
                    writer.writerow(["\\N" if v is None else v for v in row])
                buf.seek(0)
                cur.copy_expert(f"copy {table} ({', '.join(columns)}) from stdin with (format csv, null '\\N')", buf)
                copied[table] = len(rows)
    finally:
        src.close()
    return copied
