"""Schema ``raw`` of the warehouse: the tables the ingest step writes and dbt reads.

Everything from a file reaches DuckDB as bound parameters or Arrow data, never as SQL text.
A report is written in one transaction together with its figures, so a run killed at any
point leaves either the whole report or nothing of it.
"""

from __future__ import annotations

import os
import shutil
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

# The audit tables Python writes, each by one owner, all created here and nowhere else. Every table
# whose rows record a decision (a finding's status, a review, a sign-off) is append-only: a change
# is a new row with who, when and why, never an update in place.
AUDIT_DDL: tuple[str, ...] = (
    "create schema if not exists audit",
    # owner: expectations.validate -- one row per check per validation run
    """
    create table if not exists audit.validation_results (
        run_id varchar not null,
        validated_at timestamp not null,
        suite varchar not null,
        mart varchar not null,
        expectation varchar not null,
        severity varchar not null,
        success boolean not null,
        failing_count integer not null,
        failing_figure_ids varchar,       -- JSON list
        observed_value varchar,           -- JSON
        details varchar,                  -- JSON: description, expectation type, failing rows
        scope_units varchar,              -- JSON list of the unit_keys validated; null: every row
        reports_through timestamp         -- the newest report ingested when the run validated
    )
    """,
    # warehouses made before validation was scoped
    "alter table audit.validation_results add column if not exists scope_units varchar",
    "alter table audit.validation_results add column if not exists reports_through timestamp",
    # owner: expectations.validate -- one row per failing group (a total and its parts, a rate and
    # its amounts ...) per validation run, in the figures' own terms
    """
    create table if not exists audit.finding_observations (
        run_id varchar not null,
        observed_at timestamp not null,
        finding_id varchar not null,      -- same check, same figures: same id in every run
        mart varchar not null,
        expectation varchar not null,
        severity varchar not null,
        unit_key varchar,                 -- the reporting unit of the group's first figure
        unit_name varchar,
        province_name varchar,
        period_start date,
        period_end date,
        figure_ids varchar not null,      -- JSON list, the stated figure first
        stated double,
        stated_text varchar,              -- a stated value that is no number (a code, a status)
        computed double,
        difference double,                -- computed - stated, in value_unit
        difference_pct double,            -- difference / stated * 100
        value_unit varchar,               -- VND | percent | count | days | ...
        tolerance varchar                 -- what the check allows, as an auditor reads it
    )
    """,
    # owner: expectations.register -- every change of a finding's status: open, resolved, accepted
    """
    create table if not exists audit.finding_events (
        finding_id varchar not null,
        status varchar not null,          -- open | resolved | accepted
        changed_at timestamp not null,
        changed_by varchar not null,      -- a person, or 'validation' for what the data decided
        reason varchar not null,
        valid_until date,                 -- accepted: the exception lapses after this day
        run_id varchar                    -- the validation run that decided it, if any
    )
    """,
    # owner: orchestration.review -- what a reviewer decided about one figure (dbt applies them)
    """
    create table if not exists audit.figure_reviews (
        review_id varchar not null,
        figure_id varchar not null,
        report_id varchar not null,
        kind varchar not null,
        char_start integer not null,      -- with report_id: the figure's place in the report's text,
        char_end integer not null,        -- which a re-extraction of the same file keeps
        action varchar not null,          -- confirm | correct | reject
        amount_vnd bigint,                -- corrected values; null: unchanged
        value_number double,
        measure varchar,
        programme_code varchar,
        capital_source varchar,
        role varchar,                     -- actual | target (an indicator's value)
        period_start date,
        period_end date,
        reason varchar not null,
        reviewed_by varchar not null,
        reviewed_at timestamp not null
    )
    """,
    # owner: orchestration.signoff -- a unit-period checked or approved, with its figures then
    """
    create table if not exists audit.approvals (
        approval_id varchar not null,
        unit_key varchar not null,
        unit_name varchar,
        province_name varchar,
        period varchar not null,          -- 2019 or 2019-09: the reports whose period ends in it
        level varchar not null,           -- check | approve
        figures_hash varchar not null,
        figures varchar not null,         -- JSON: the figures signed off, to list what changed
        note varchar,
        approved_by varchar not null,
        approved_at timestamp not null
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


# The oldest storage format that holds everything the warehouse uses: DuckDB 1.1 and later open it
# (BI tools ship 1.x drivers; DuckDB 2.0's own default, storage version 69, opens only in 2.x).
STORAGE_VERSION = "v1.1.0"
STORAGE_VERSION_NUMBER = 64  # the number DuckDB writes in the file header for it


def storage_version_number(path: Path) -> int | None:
    """The storage version in a DuckDB file's header (None: not a DuckDB file)."""
    with Path(path).open("rb") as fh:
        header = fh.read(20)
    if len(header) < 20 or header[8:12] != b"DUCK":
        return None
    return int.from_bytes(header[12:20], "little")


class WarehouseLockedError(RuntimeError):
    """Another process holds the DuckDB file (DuckDB allows one writer and no readers beside it)."""


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, turning DuckDB's lock error into a message a user can act on."""
    path = Path(path)
    config = {}
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():  # a new file is written in the format 1.x drivers read
            config["storage_compatibility_version"] = STORAGE_VERSION
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
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


def working_path(published: Path) -> Path:
    """Where a run builds: a hidden file beside the published one, present only while a run is on."""
    published = Path(published)
    return published.with_name(f".{published.name}.building")


def _copy_database(source: Path, destination: Path) -> None:
    """Copy through DuckDB into a file of STORAGE_VERSION (a migration when the source is newer)."""
    con = duckdb.connect()
    try:
        con.execute("attach ? as src (read_only)", [str(source)])
        con.execute(f"attach ? as dst (storage_version '{STORAGE_VERSION}')", [str(destination)])
        con.execute("copy from database src to dst")
        con.execute("detach dst")
    finally:
        con.close()


def _discard(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def prepare_working_copy(published: Path) -> Path:
    """The working file a run (or a decision) writes, made from the published warehouse: a byte copy,
    or a copy through DuckDB when the published file is in a storage format newer than
    STORAGE_VERSION (a warehouse made before this format was chosen) or has an unmerged WAL."""
    published = Path(published)
    working = working_path(published)
    _discard(working)  # a run killed earlier left its half-built file
    if published.exists():
        if (storage_version_number(published) or 0) > STORAGE_VERSION_NUMBER \
                or published.with_name(published.name + ".wal").exists():
            _copy_database(published, working)
        else:
            shutil.copyfile(published, working)
    return working


def discard_working_copy(published: Path) -> None:
    """Remove what a run that did not complete left (nothing after a published run)."""
    _discard(working_path(published))


def publish(working: Path, published: Path) -> None:
    """Make the working file the published warehouse in one rename: a reader holding the old file
    keeps reading it whole, a new connection opens the new one; nobody sees a half-built state."""
    con = duckdb.connect(str(working))
    try:
        con.execute("checkpoint")  # everything in the file itself, no WAL beside it
    finally:
        con.close()
    with open(working, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(working, published)
    working.with_name(working.name + ".wal").unlink(missing_ok=True)


@contextmanager
def building(published: Path) -> Iterator[Path]:
    """Write in a working copy of the published warehouse and publish it when the block completes;
    when it raises, the published warehouse stays as it was and the working copy is removed.
    The caller holds the run lock (one writer per warehouse)."""
    working = prepare_working_copy(published)
    try:
        yield working
    except BaseException:
        _discard(working)
        raise
    if working.exists():
        publish(working, Path(published))


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Schema raw, and the audit tables (dbt reads the reviews and approvals as sources)."""
    for ddl in RAW_DDL + AUDIT_DDL:
        con.execute(ddl)


def ensure_audit_schema(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in AUDIT_DDL:
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
