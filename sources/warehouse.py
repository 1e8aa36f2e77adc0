"""Schema ``raw`` of the warehouse: the tables the ingest step writes and dbt reads.

Everything from a file reaches DuckDB as bound parameters or Arrow data, never as SQL text.
A report is written in one transaction together with its figures, so a run killed at any
point leaves either the whole report or nothing of it. The tables are declared in ``sources.schema``.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from sources.schema import (
    AUDIT_TABLES,
    BOOKKEEPING_SCHEMA,
    FIGURES,
    LANDING_HASHES_TABLE,
    MIGRATIONS,
    RAW_TABLES,
    REJECTIONS,
    REPORTS,
    SCHEMA_VERSION_DDL,
    SCHEMA_VERSION_TABLE,
    Table,
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


# A run's working copy, opened once for the whole run in the process that runs it (issue #18): DuckDB's Python
# client shares one database instance between the connections to a file while one of them is open, so every
# later connect is a connection to it (~0.02 ms instead of ~20-30 ms to open the file, and ~10-80 ms to close
# it, a checkpoint when it was written), and the steps' writes are checkpointed once, when it is published.
# The instance is read-write: a connection asked for read-only in the same process is one of it (DuckDB
# refuses two configurations of one file in a process), as is dbt-duckdb's (read-write, no config either).
# Only for a working copy this process made (prepare_working_copy), kept by the runner for a run whose steps
# execute in this process (orchestration.runner.run_pipeline): a step process of a parallel run, or a dbt
# subprocess, opens the file itself.
_MADE_HERE: dict[str, int] = {}  # the working copies this process made: path -> the process's id
_KEPT: dict[str, tuple[int, duckdb.DuckDBPyConnection]] = {}  # path -> (process id, the connection holding it)


def _key(path: str | Path) -> str:
    return os.path.abspath(os.fspath(path))


def _kept(key: str) -> bool:
    kept = _KEPT.get(key)
    return kept is not None and kept[0] == os.getpid()


def keep_open(path: str | Path) -> bool:
    """Keep the DuckDB database of ``path`` open in this process until the working copy is published or discarded
    (:func:`publish`, :func:`discard_working_copy`), when ``path`` is a working copy this process made: the
    connections of the run's steps in this process then share it. Whether it is kept (False: each connection
    opens the file, as elsewhere)."""
    key = _key(path)
    if _kept(key):
        return True
    if _MADE_HERE.get(key) != os.getpid() or not os.path.isfile(key):
        return False
    _KEPT[key] = (os.getpid(), connect(key))
    return True


def is_kept(path: str | Path) -> bool:
    """Whether :func:`keep_open` keeps ``path`` open in this process (a run executed here)."""
    return _kept(_key(path))


def let_go(path: str | Path) -> None:
    """Close the connection :func:`keep_open` holds on ``path`` (none: nothing to do): the database is closed,
    its log checkpointed into the file, once the connections opened beside it are closed too."""
    kept = _KEPT.pop(_key(path), None)
    if kept is not None and kept[0] == os.getpid():
        kept[1].close()


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, turning DuckDB's lock error into a message a user can act on. A working copy kept open
    by this process (:func:`keep_open`) gives a connection to its open database, read-write."""
    if _KEPT and _kept(_key(path)):
        return duckdb.connect(_key(path), read_only=False, config={})
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


@contextmanager
def held_open(path: str | Path) -> Iterator[None]:
    """While the block runs, one read-only connection to ``path`` is held open: the read-only connections this
    process opens to it meanwhile (:func:`connect`) are connections to that database instead of each opening and
    closing the file (DuckDB's Python client shares the database while a connection is open; about 25 ms for each
    open and close of the 50 MB file at 10 000 reports). Nothing is held when it cannot be opened (missing, locked
    by another process, damaged): each connection then opens the file itself, and says what is wrong, as without
    this block."""
    try:
        con = connect(path, read_only=True) if Path(path).is_file() else None
    except Exception:  # the connections made in the block meet it again and say it
        con = None
    try:
        yield
    finally:
        if con is not None:
            con.close()


def working_path(published: Path) -> Path:
    """Where a run builds: a hidden file beside the published one, present only while a run is on."""
    published = Path(published)
    return published.with_name(f".{published.name}.building")


_WORKING = re.compile(r"^\.(.+)\.building$")


def published_path(path: Path) -> Path:
    """The published file a path stands for: itself, or the file whose working copy it is (``working_path``)."""
    path = Path(path)
    match = _WORKING.match(path.name)
    return path.with_name(match[1]) if match else path


def staging_path(warehouse: Path, run_id: str) -> Path:
    """Where a run's ingest hands the partitions it read to the step that loads them: a hidden folder
    beside the published warehouse (``.<name>.ingest-<run id>``), removed once they are loaded."""
    published = published_path(Path(warehouse))
    return published.with_name(f".{published.name}.ingest-{run_id}")


def discard_staging(published: Path) -> None:
    """Remove the ingest staging folders beside ``published`` (a run that did not complete left them)."""
    published = Path(published)
    for folder in published.parent.glob(f".{glob.escape(published.name)}.ingest-*"):
        shutil.rmtree(folder, ignore_errors=True)


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
    let_go(path)
    _MADE_HERE.pop(_key(path), None)
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
    _MADE_HERE[_key(working)] = os.getpid()
    return working


def discard_working_copy(published: Path) -> None:
    """Remove what a run that did not complete left (nothing after a published run)."""
    _discard(working_path(published))


def publish(working: Path, published: Path) -> None:
    """Make the working file the published warehouse in one rename: a reader holding the old file
    keeps reading it whole, a new connection opens the new one; nobody sees a half-built state."""
    con = connect(working)
    try:
        con.execute("checkpoint")  # everything in the file itself, no WAL beside it
    finally:
        con.close()
    let_go(working)  # the file is closed before it is renamed
    _MADE_HERE.pop(_key(working), None)
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


def _ensure_tables(con: duckdb.DuckDBPyConnection, tables: tuple[Table, ...]) -> None:
    """Create the declared tables a warehouse lacks, then apply the numbered migrations of the tables it
    already had (each once, recorded in meta.schema_version); a table created here has them already."""
    for ddl in SCHEMA_VERSION_DDL:
        con.execute(ddl)
    existing = {f"{s}.{t}" for s, t in con.execute(
        "select table_schema, table_name from information_schema.tables").fetchall()}
    applied = {r[0] for r in con.execute(f"select version from {SCHEMA_VERSION_TABLE}").fetchall()}
    for schema in dict.fromkeys(t.schema for t in tables):
        con.execute(f"create schema if not exists {schema}")
    for table in tables:
        con.execute(table.ddl("duckdb"))
    names = {t.qualified for t in tables}
    for migration in MIGRATIONS:
        if migration.version in applied or migration.table not in names:
            continue
        if migration.table in existing:
            for statement in migration.statements:
                con.execute(statement)
        con.execute(f"insert into {SCHEMA_VERSION_TABLE} values (?, ?, now())",
                    [migration.version, migration.description])


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Schema raw, and the audit tables (dbt reads the reviews and approvals as sources)."""
    _ensure_tables(con, RAW_TABLES + AUDIT_TABLES)


def ensure_audit_schema(con: duckdb.DuckDBPyConnection) -> None:
    _ensure_tables(con, AUDIT_TABLES)


def known_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Content hashes already ingested: the same content under any name is read once."""
    return {r[0] for r in con.execute("select distinct content_sha256 from raw.reports").fetchall()}


def refused_files(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(content hash, path) of files already refused: each is refused, and listed, once."""
    rows = con.execute(
        "select distinct content_sha256, source_path from raw.rejections where content_sha256 is not null"
    ).fetchall()
    return {(r[0], r[1]) for r in rows}


# The content hash of each file of the landing folder, keyed by its path below the folder, size and modification
# time (ns): an unchanged file is never hashed again, a touched one is. Written by the ingest survey
# (sources.ingest.plan_ingest), read by it and by the no-op check before a run (orchestration.ingest.noop), in
# LANDING_HASHES_TABLE (sources.schema: bookkeeping).
HashKey = tuple[str, int, int]  # (path relative to the landing folder, size, mtime_ns)


def landing_hashes(con: duckdb.DuckDBPyConnection) -> dict[HashKey, str]:
    """The remembered content hashes of the landing folder's files (empty when none were remembered)."""
    try:
        rows = con.execute(f"select path, size, mtime_ns, sha256 from {LANDING_HASHES_TABLE}").fetchall()
    except duckdb.CatalogException:
        return {}
    return {(path, size, mtime): sha for path, size, mtime, sha in rows}


_HASH_COLUMNS = {"path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "sha256": pl.String}


def remember_landing_hashes(con: duckdb.DuckDBPyConnection, hashes: Mapping[HashKey, str],
                            known: Mapping[HashKey, str] | None = None) -> None:
    """Replace the remembered hashes by ``hashes`` (those of the files in the landing folder now). A path that
    is not valid UTF-8 is left out (its file is hashed at each run): DuckDB stores UTF-8 text only.

    ``known``: what :func:`landing_hashes` read from the table before (in the same step): only the rows that
    differ from it are deleted and inserted (one new file of 10 000: one row written, not the table again)."""
    if known is None or not con.execute("select count(*) from information_schema.tables where table_schema = ? "
                                        "and table_name = ?", LANDING_HASHES_TABLE.split(".")).fetchone()[0]:
        con.execute(f"create schema if not exists {BOOKKEEPING_SCHEMA}")
        con.register("_landing_hashes", _hash_rows({key: h for key, h in hashes.items() if _utf8(key[0])}).to_arrow())
        try:
            con.execute(f"create or replace table {LANDING_HASHES_TABLE} as select * from _landing_hashes")
        finally:
            con.unregister("_landing_hashes")
        return
    # (the known paths are UTF-8: they were stored; only the differing ones are checked)
    gone = {key: sha for key, sha in known.items() if hashes.get(key) != sha}
    new = {key: sha for key, sha in hashes.items() if known.get(key) != sha and _utf8(key[0])}
    if not gone and not new:
        return
    con.execute("begin transaction")
    try:
        if gone:
            con.register("_gone", _hash_rows(gone).to_arrow())
            con.execute(f"delete from {LANDING_HASHES_TABLE} t using _gone g "
                        "where t.path = g.path and t.size = g.size and t.mtime_ns = g.mtime_ns")
        if new:
            con.register("_new", _hash_rows(new).to_arrow())
            con.execute(f"insert into {LANDING_HASHES_TABLE} select * from _new")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        for name in ("_gone", "_new"):
            con.unregister(name)


def _hash_rows(hashes: Mapping[HashKey, str]) -> pl.DataFrame:
    return pl.DataFrame([(p, s, m, h) for (p, s, m), h in hashes.items()], schema=_HASH_COLUMNS, orient="row")


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _insert_frame(con: duckdb.DuckDBPyConnection, table: Table, frame: pl.DataFrame) -> None:
    if frame.height == 0:
        return
    columns = table.column_names
    arrow = frame.select(list(columns)).to_arrow()
    con.register("_incoming", arrow)
    try:
        cols = ", ".join(columns)
        con.execute(f"insert into {table.qualified} ({cols}) select {cols} from _incoming")
    finally:
        con.unregister("_incoming")


# DuckDB checkpoints (merges its write-ahead log into the file) each time the log reaches checkpoint_threshold,
# 16 MB by default, and a checkpoint costs more as the tables grow: loading 30 000 reports three times over
# into one warehouse took 6.9, 8.6, 10.1 s with the default and 3.2, 4.4, 3.6 s with this threshold (issue #18;
# commit 48602ea and README, Performance).
# A load of many batches raises it while it writes (the log's data is held in memory until a checkpoint: at most
# about this much); every commit is in the log as before, and closing the connection checkpoints.
LOAD_CHECKPOINT_THRESHOLD = "256MB"


@contextmanager
def fewer_checkpoints(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Within the block, DuckDB checkpoints every LOAD_CHECKPOINT_THRESHOLD of log; after it, as by default."""
    con.execute(f"set checkpoint_threshold = '{LOAD_CHECKPOINT_THRESHOLD}'")
    try:
        yield con
    finally:
        con.execute("reset checkpoint_threshold")


def write_report(con: duckdb.DuckDBPyConnection, report: pl.DataFrame, figures: pl.DataFrame,
                 rejected_rows: pl.DataFrame | None = None) -> None:
    """Write the report(s) of one file, their figures and refused rows atomically (one transaction)."""
    con.execute("begin transaction")
    try:
        _insert_frame(con, REPORTS, report)
        _insert_frame(con, FIGURES, figures)
        if rejected_rows is not None:
            _insert_frame(con, REJECTIONS, rejected_rows)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def write_rejections(con: duckdb.DuckDBPyConnection, rejections: pl.DataFrame) -> None:
    con.execute("begin transaction")
    try:
        _insert_frame(con, REJECTIONS, rejections)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
