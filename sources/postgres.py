"""Copy schema ``raw`` from the DuckDB warehouse to PostgreSQL, so that ``dbt build --target
postgres`` builds the same marts there (DuckDB's postgres extension cannot be downloaded here).

The tables are created from the same declaration as in DuckDB (``sources.schema``), in PostgreSQL's
types, and filled with COPY; the whole copy is one transaction.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb

from sources.schema import DBT_AUDIT_SOURCES, RAW_TABLES


def postgres_ddl() -> list[str]:
    """Schema raw, and the audit tables dbt reads, in PostgreSQL's dialect."""
    tables = (*RAW_TABLES, *DBT_AUDIT_SOURCES)
    schemas = dict.fromkeys(t.schema for t in tables)
    return [f"create schema if not exists {s}" for s in schemas] + [t.ddl("postgres") for t in tables]


def copy_raw_to_postgres(duckdb_path: Path, dsn: str) -> dict[str, int]:
    """Replace PostgreSQL's schema raw with DuckDB's; returns the rows copied per table."""
    import psycopg2

    copied: dict[str, int] = {}
    src = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        with psycopg2.connect(dsn) as pg, pg.cursor() as cur:
            cur.execute("drop schema if exists raw cascade")
            for audit_table in DBT_AUDIT_SOURCES:
                cur.execute(f"drop table if exists {audit_table.qualified} cascade")  # as raw: dbt rebuilds the views
            for ddl in postgres_ddl():
                cur.execute(ddl)
            tables = {t.qualified: t.column_names for t in RAW_TABLES}
            for t in DBT_AUDIT_SOURCES:  # the columns the warehouse has (none before the audit tables existed)
                present = {r[0] for r in src.execute(
                    "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                    [t.schema, t.name]).fetchall()}
                tables[t.qualified] = tuple(c for c in t.column_names if c in present)
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
