"""Schema ``raw`` of the warehouse: the tables the ingest step writes and dbt reads.

Everything from a file reaches DuckDB as bound parameters or Arrow data, never as SQL text.
A report is written in one transaction together with its figures, so a run killed at any
point leaves either the whole report or nothing of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

RAW_DDL: tuple[str, ...] = (
    "create schema if not exists raw",
    "create schema if not exists audit",
    """
    create table if not exists raw.reports (
        report_id        varchar primary key,   -- first 16 hex digits of content_sha256
        source_file      varchar not null,      -- file name as landed
        source_path      varchar not null,
        content_sha256   varchar not null,      -- a submission holding several districts gives several reports
        source_kind      varchar not null,      -- narrative | submission
        file_format      varchar not null,      -- txt | md | html | docx | pdf | csv | xlsx
        title            varchar,
        report_date      date,
        period_start     date,
        period_end       date,
        province_name    varchar,
        province_code    varchar,
        district_name    varchar,
        admin_unit_code  varchar,
        admin_level      varchar,               -- district (before 1 July 2025) | commune (after) | null: no unit
        current_province_name varchar,
        current_province_code varchar,
        place_method     varchar not null,      -- named | commune_inference | province_only | ambiguous | unresolved
        place_candidates varchar,               -- JSON list of the other units considered
        text             varchar not null,      -- normalised (NFC) text; char offsets point into it
        char_count       integer not null,
        landed_at        timestamp,             -- file modification time
        ingested_at      timestamp not null,
        run_id           varchar not null
    )
    """,
    # warehouses created before the reporting unit's level was recorded (their units are districts)
    "alter table raw.reports add column if not exists admin_level varchar",
    """
    create table if not exists raw.figures (
        figure_id        varchar primary key,   -- report_id || '-' || local number
        report_id        varchar not null,
        kind             varchar not null,      -- funding | indicator | scorecard
        rule             varchar not null,
        source_quote     varchar not null,
        char_start       integer not null,
        char_end         integer not null,
        sentence         varchar,
        qualifier        varchar,
        period_start     date,
        period_end       date,
        programme_code   varchar,
        programme_text   varchar,
        capital_source   varchar,
        measure          varchar,
        amount_vnd       bigint,
        rate_pct         double,
        per_unit         varchar,
        parent_figure_id varchar,
        indicator_code   varchar,
        indicator_name   varchar,
        unit             varchar,
        target_value     double,
        actual_value     double,
        attainment_pct   double,
        exceed_pct       double,
        change_value     double,
        indicators_total integer,
        indicators_met_or_exceeded integer,
        indicators_exceeded integer
    )
    """,
    """
    create table if not exists raw.rejections (
        source_file      varchar not null,
        source_path      varchar not null,
        content_sha256   varchar,
        reason           varchar not null,      -- short code: empty_file, unreadable, too_large, ...
        detail           varchar,               -- human sentence: what was wrong and what to do
        row_number       integer,               -- for rejected rows of a submission
        column_name      varchar,
        detected_at      timestamp not null,
        run_id           varchar not null
    )
    """,
)

REPORT_COLUMNS: tuple[str, ...] = (
    "report_id", "source_file", "source_path", "content_sha256", "source_kind", "file_format",
    "title", "report_date", "period_start", "period_end", "province_name", "province_code",
    "district_name", "admin_unit_code", "admin_level", "current_province_name", "current_province_code",
    "place_method", "place_candidates", "text", "char_count", "landed_at", "ingested_at", "run_id",
)

FIGURE_COLUMNS: tuple[str, ...] = (
    "figure_id", "report_id", "kind", "rule", "source_quote", "char_start", "char_end", "sentence",
    "qualifier", "period_start", "period_end", "programme_code", "programme_text", "capital_source",
    "measure", "amount_vnd", "rate_pct", "per_unit", "parent_figure_id", "indicator_code",
    "indicator_name", "unit", "target_value", "actual_value", "attainment_pct", "exceed_pct",
    "change_value", "indicators_total", "indicators_met_or_exceeded", "indicators_exceeded",
)

REJECTION_COLUMNS: tuple[str, ...] = (
    "source_file", "source_path", "content_sha256", "reason", "detail", "row_number",
    "column_name", "detected_at", "run_id",
)


class WarehouseLockedError(RuntimeError):
    """Another process holds the DuckDB file (DuckDB allows one writer and no readers beside it)."""


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, turning DuckDB's lock error into a message a user can act on."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseLockedError(
                f"{path} is in use by another process (a running pipeline, dbt, or a BI tool "
                f"holding it open). Close it or wait for the run to finish, then try again. "
                f"DuckDB said: {exc}"
            ) from exc
        raise


@contextmanager
def open_warehouse(path: str | Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(path, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in RAW_DDL:
        con.execute(ddl)


def known_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Content hashes already ingested: the same content under any name is read once."""
    return {r[0] for r in con.execute("select distinct content_sha256 from raw.reports").fetchall()}


def refused_files(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(content hash, path) of files already refused: each is refused, and listed, once."""
    rows = con.execute(
        "select distinct content_sha256, source_path from raw.rejections where content_sha256 is not null"
    ).fetchall()
    return {(r[0], r[1]) for r in rows}


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame,
                  columns: tuple[str, ...]) -> None:
    if frame.height == 0:
        return
    arrow = frame.select(list(columns)).to_arrow()
    con.register("_incoming", arrow)
    try:
        cols = ", ".join(columns)
        con.execute(f"insert into {table} ({cols}) select {cols} from _incoming")
    finally:
        con.unregister("_incoming")


def write_report(con: duckdb.DuckDBPyConnection, report: pl.DataFrame, figures: pl.DataFrame,
                 rejected_rows: pl.DataFrame | None = None) -> None:
    """Write the report(s) of one file, their figures and refused rows atomically (one transaction)."""
    con.execute("begin transaction")
    try:
        _insert_frame(con, "raw.reports", report, REPORT_COLUMNS)
        _insert_frame(con, "raw.figures", figures, FIGURE_COLUMNS)
        if rejected_rows is not None:
            _insert_frame(con, "raw.rejections", rejected_rows, REJECTION_COLUMNS)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def write_rejections(con: duckdb.DuckDBPyConnection, rejections: pl.DataFrame) -> None:
    con.execute("begin transaction")
    try:
        _insert_frame(con, "raw.rejections", rejections, REJECTION_COLUMNS)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
