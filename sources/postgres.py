"""The PostgreSQL target: schema ``raw`` copied there from the DuckDB warehouse ingest writes, and the
audit tables validation writes there.

``provreport run --target postgres`` ingests into the local DuckDB file as always, then
:func:`copy_raw_to_postgres` brings the server's schema ``raw`` (and the reviewers' and sign-off
decisions dbt reads, ``audit.figure_reviews`` and ``audit.approvals``) to the same rows, and dbt builds
the marts there (DuckDB's postgres extension cannot be downloaded here). Tables are created from the
same declaration as in DuckDB (``sources.schema``), in PostgreSQL's types; rows go over COPY, the data
as CSV on the COPY stream, never as SQL text. The whole copy is one transaction: a reader of the server
sees the old raw rows or the new ones. Existing tables are emptied and refilled, not dropped, so dbt's
staging views over them stay; a table whose columns changed is recreated (and reported, so that dbt
rebuilds everything on top of it).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from sources.schema import AUDIT_TABLES, DBT_AUDIT_SOURCES, RAW_TABLES, TYPES, Table
from sources.warehouse import connect


def postgres_ddl() -> list[str]:
    """Schema raw, and the audit tables dbt reads, in PostgreSQL's dialect."""
    tables = (*RAW_TABLES, *DBT_AUDIT_SOURCES)
    schemas = dict.fromkeys(t.schema for t in tables)
    return [f"create schema if not exists {s}" for s in schemas] + [t.ddl("postgres") for t in tables]


def _csv_field(value) -> str:
    """One CSV field for COPY: NULL unquoted and empty, text always quoted (an empty text stays text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _csv(rows: list[tuple]) -> io.StringIO:
    buf = io.StringIO()
    for row in rows:
        buf.write(",".join(_csv_field(v) for v in row))
        buf.write("\n")
    buf.seek(0)
    return buf


@dataclass(slots=True)
class CopyResult:
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows copied
    recreated: list[str] = field(default_factory=list)  # tables made anew (absent, or their columns changed)

    def __getitem__(self, table: str) -> int:  # copied["raw.reports"], as callers read it
        return self.rows[table]


def _server_columns(cur, table: Table) -> list[str]:
    cur.execute("select column_name from information_schema.columns where table_schema = %s and table_name = %s "
                "order by ordinal_position", [table.schema, table.name])
    return [r[0] for r in cur.fetchall()]


def copy_raw_to_postgres(duckdb_path: Path, dsn: str) -> CopyResult:
    """Make the server's schema raw (and the audit tables dbt reads) hold the DuckDB file's rows."""
    import psycopg2

    result = CopyResult()
    src = connect(duckdb_path, read_only=True)
    try:
        with psycopg2.connect(dsn) as pg, pg.cursor() as cur:  # one transaction, committed on success
            for schema in dict.fromkeys(t.schema for t in (*RAW_TABLES, *DBT_AUDIT_SOURCES)):
                cur.execute(f"create schema if not exists {schema}")
            for table in (*RAW_TABLES, *DBT_AUDIT_SOURCES):
                on_server = _server_columns(cur, table)
                if on_server and set(on_server) != set(table.column_names):
                    cur.execute(f"drop table {table.qualified} cascade")  # dbt recreates the views on it
                    on_server = []
                if on_server:
                    cur.execute(f"truncate table {table.qualified}")
                else:
                    cur.execute(table.ddl("postgres"))
                    result.recreated.append(table.qualified)
                present = {r[0] for r in src.execute(
                    "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                    [table.schema, table.name]).fetchall()}
                # an old warehouse may lack the audit tables (or a newer column of them): copied as far as it has them
                columns = [c for c in table.column_names if c in present]
                if not columns:
                    result.rows[table.qualified] = 0
                    continue
                rows = src.execute(f"select {', '.join(columns)} from {table.qualified}").fetchall()
                cur.copy_expert(f"copy {table.qualified} ({', '.join(columns)}) from stdin with (format csv)",
                                _csv(rows))
                result.rows[table.qualified] = len(rows)
    finally:
        src.close()
    return result


def ensure_postgres_audit(con) -> None:
    """The audit tables validation and the findings register write (``sources.connection.Connection`` on
    PostgreSQL): created from the declaration when absent, a column declared since added when missing."""
    con.execute("create schema if not exists audit")
    for table in AUDIT_TABLES:
        if table in DBT_AUDIT_SOURCES:  # copied from the DuckDB file with raw (decisions are made there)
            continue
        con.execute(table.ddl("postgres"))
        present = {r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            [table.schema, table.name]).fetchall()}
        for column in table.columns:
            if column.name not in present:
                con.execute(f"alter table {table.qualified} add column if not exists {column.name} "
                            f"{TYPES[column.type][1]}")
