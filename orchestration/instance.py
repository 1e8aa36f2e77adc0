"""Dagster's run history on SQLite, without a new connection for every event.

Dagster's own ``SqliteEventLogStorage`` creates an engine, opens a connection, commits with a full
sync and disposes of the engine for every event it stores; a run of this pipeline stores about 360
(each asset and check planned, evaluated, materialised), and each cost 14-25 ms on this machine: 5-9 s
of one new report's run went into the history, more than ingesting it. This storage keeps one engine
per database (the index and the few latest run shards) and runs SQLite with ``synchronous=NORMAL``:
1.0-2.5 ms an event (``benchmarks/bench_event_log.py``). The databases are the same files in the same
folder (``$DAGSTER_HOME/history/runs``), so Dagster's UI and CLI read them as before.

Dagster also asks whether a table exists before storing each asset check event and each event's
tags, and answers with a new engine and connection every time (about 170 times a run, 2-5 ms each); and,
for each input of each step, whether two data migrations are done and whether the asset key table has
two columns (about 90 times a run, a connection each). What it found is remembered (upgrades add
tables, columns and migration marks, nothing removes them), what it did not find is asked again.
Opening a database it has not opened yet in the process (the index, a run's shard made by another process),
Dagster's ``_initdb`` loads its ~90 migration scripts to learn the head revision, only to leave alone a
database that has a revision stamped: such a database is not handed to it.

Each run has its own database (``<run id>.db``), which Dagster creates with its tables, indexes and the
schema's revision (about 50 ms a run, half of it working out the revision, and the commits' waits for the
disk: 0.3 s on a busy machine): this storage has Dagster make one empty shard, in a temporary folder, and
writes each new run's shard as a copy of its bytes (a file linked into place: a shard another process
made first is left as it is). The empty shard is kept in the process and beside the shards, in
``.empty-run-shard-<key>.sqlite`` (hidden, not a ``*.db``: never taken for a run's), so that a new
``provreport run`` process does not make it again; the key is what the bytes depend on (the versions of
Dagster, SQLAlchemy, alembic and SQLite, and the files of Dagster's schema and migrations), and a kept file
that is not a whole SQLite database is made again.

The trade-off, for the run history only (never the warehouse): Dagster creates these databases in WAL
mode, where ``synchronous=NORMAL`` keeps them consistent through any crash of the process or the
machine; after a power loss, the last events written before it may be missing from the history.

Configured in the ``dagster.yaml`` that provreport writes (:func:`orchestration.settings.ensure_dagster_home`)::

    event_log_storage:
      module: orchestration.instance
      class: PooledSqliteEventLogStorage
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from dagster import Field, StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS, create_db_conn_string
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError
from sqlalchemy.pool import NullPool, QueuePool

# engines kept open for run shards besides the index: the run being written and the few read just before
KEEP_RUN_SHARDS = 3

# Dagster hands the events it batches (a run's planned assets and checks, a step's partitions) to
# store_event_batch only when this variable is above 0; the batch is stored when it ends or reaches this size
EVENT_BATCH_SIZE_VAR = "DAGSTER_EVENT_BATCH_SIZE"
EVENT_BATCH_SIZE = 1000


_empty_run_shard_bytes: bytes | None = None  # a run's shard as Dagster creates it, read or made once a process
KEPT_SHARD_PREFIX = ".empty-run-shard-"  # + key + ".sqlite", in the shards' folder
_SQLITE_HEADER = b"SQLite format 3\x00"


def _shard_key() -> str:
    """What the bytes of an empty shard depend on, hashed: the versions of Dagster, SQLAlchemy, alembic and the
    SQLite library, and the name, size and modification time of Dagster's event log schema, its SQLite storage
    and each of its migrations (an installation changed in place without a new version number)."""
    import alembic
    import dagster
    import sqlalchemy
    from dagster._core.storage.event_log import schema
    from dagster._core.storage.event_log.sqlite import sqlite_event_log

    storage = Path(schema.__file__).parents[1]  # dagster/_core/storage
    files = [Path(schema.__file__), Path(sqlite_event_log.__file__)]
    files += sorted(p for p in (storage / "alembic" / "versions").iterdir() if p.suffix == ".py")
    digest = hashlib.sha256(" ".join((dagster.__version__, sqlalchemy.__version__, alembic.__version__,
                                      sqlite3.sqlite_version)).encode())
    for path in files:
        stat = path.stat()
        digest.update(f"\n{path.relative_to(storage)} {stat.st_size} {stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:20]


def _whole_database(data: bytes) -> bool:
    """``data`` is a whole SQLite database in WAL mode, as an empty shard is kept: the header's magic, its
    journal mode, and the size it declares (page size x pages, valid while the change counter matches)."""
    if len(data) < 100 or not data.startswith(_SQLITE_HEADER) or data[18:20] != b"\x02\x02":
        return False
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if data[24:28] != data[92:96]:  # the declared page count is not known to be current
        return False
    return len(data) == page_size * int.from_bytes(data[28:32], "big")


def _made_shard(initdb) -> bytes:
    """An empty run shard made by Dagster's own ``_initdb`` in a temporary folder (its tables and indexes, WAL
    mode, the schema's revision stamped at the installed Dagster's head), its log folded into the file."""
    with tempfile.TemporaryDirectory(prefix="provreport-shard-") as folder:
        engine = create_engine(create_db_conn_string(folder, "empty"), poolclass=NullPool,
                               connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
        try:
            initdb(engine)
        finally:
            engine.dispose()
        path = Path(folder, "empty.db")
        con = sqlite3.connect(path)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()  # the last connection: SQLite removes the empty log
        if Path(folder, "empty.db-wal").exists():
            raise RuntimeError("the empty run shard kept a write-ahead log")
        return path.read_bytes()


def _keep_shard(kept: Path, data: bytes) -> None:
    """Write the empty shard to ``kept`` whole (another name, then renamed) and remove the ones of other keys;
    a folder that cannot be written keeps nothing (the next process makes the shard again)."""
    partial = kept.with_name(f"{kept.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        partial.write_bytes(data)
        os.replace(partial, kept)
        for old in kept.parent.glob(f"{KEPT_SHARD_PREFIX}*.sqlite"):
            if old != kept:
                old.unlink(missing_ok=True)
    except OSError:
        partial.unlink(missing_ok=True)


def _empty_run_shard(initdb, folder: str) -> bytes:
    """The file of a new, empty run shard: the one kept in ``folder`` for this Dagster (:func:`_shard_key`), else
    one Dagster makes (:func:`_made_shard`), then kept there; read or made once a process."""
    global _empty_run_shard_bytes
    if _empty_run_shard_bytes is None:
        kept = Path(folder, f"{KEPT_SHARD_PREFIX}{_shard_key()}.sqlite")
        try:
            data = kept.read_bytes()
        except OSError:
            data = None
        if data is None or not _whole_database(data):
            data = _made_shard(initdb)
            _keep_shard(kept, data)
        _empty_run_shard_bytes = data
    return _empty_run_shard_bytes


def _stamped(engine: Engine) -> bool:
    """The database has its schema's revision stamped (alembic's current revision of it, as Dagster reads it):
    Dagster's ``_initdb`` then leaves it as it is, having loaded every migration script to find the head
    revision (about 12 ms), so it is not called. A database with no revision (new, or made before Dagster
    stamped one), or that cannot be read now (another process creating it), goes to ``_initdb`` as before."""
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as connection:
            return bool(MigrationContext.configure(connection).get_current_revision())
    except DatabaseError:
        return False


def _relaxed_sync(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """:class:`SqliteEventLogStorage` with one pooled engine per shard (see the module's docstring)."""

    def __init__(self, base_dir: str | None = None, inst_data=None) -> None:
        # set before the parent's constructor, which may already connect (a new index shard)
        self._engines: dict[str, Engine] = {}
        self._schema_found: set[tuple[str, str]] = set()
        self._batch = threading.local()  # .held: shard -> the connection of the batch this thread stores
        if base_dir is None:  # Dagster's own default folder for the SQLite event log
            home = os.environ.get("DAGSTER_HOME")
            if not home:
                raise ValueError("PooledSqliteEventLogStorage without base_dir keeps the history in "
                                 "$DAGSTER_HOME/history/runs, and DAGSTER_HOME is not set: set it, or give "
                                 "base_dir in the event_log_storage config of dagster.yaml")
            base_dir = os.path.join(home, "history", "runs")
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls):
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **dict(config_value or {}))

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is None:
            engine = create_engine(
                self.conn_string_for_shard(shard),
                poolclass=QueuePool, pool_size=1, max_overflow=4,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            event.listen(engine, "connect", _relaxed_sync)
            if shard not in self._initialized_dbs:
                copied = shard != INDEX_SHARD_NAME and self._copy_new_shard(shard)
                if not copied and not _stamped(engine):
                    self._initdb(engine)
                self._initialized_dbs.add(shard)
            runs = [s for s in self._engines if s != INDEX_SHARD_NAME]
            for old in runs[: max(0, len(runs) - KEEP_RUN_SHARDS + 1)]:
                self._engines.pop(old).dispose()
            self._engines[shard] = engine
        return engine

    def _copy_new_shard(self, shard: str) -> bool:
        """A new run's shard written as a copy of an empty one Dagster made (see the module's docstring);
        False when the shard's file exists already (made by another process, or a run's again)."""
        path = self.path_for_shard(shard)
        if os.path.exists(path):
            return False
        template = _empty_run_shard(self._initdb, self._base_dir)
        partial = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"  # not *.db: never taken for a run's shard
        try:
            with open(partial, "wb") as fh:
                fh.write(template)
            os.link(partial, path)  # fails if another process made the shard meanwhile: its file is kept
        except FileExistsError:
            return False
        finally:
            with suppress(FileNotFoundError):
                os.unlink(partial)
        return True

    def _found(self, kind: str, name: str, ask) -> bool:
        # Dagster's answer once per thing found (see the module's docstring), asked again while not found
        if (kind, name) in self._schema_found:
            return True
        found = ask(name)
        if found:
            self._schema_found.add((kind, name))
        return found

    def has_table(self, table_name: str) -> bool:  # a new engine each time in Dagster
        return self._found("table", table_name, super().has_table)

    def has_asset_key_col(self, column_name: str) -> bool:  # the asset key table reflected each time
        return self._found("asset key column", column_name, super().has_asset_key_col)

    def has_secondary_index(self, name: str) -> bool:  # a data migration marked done in the index
        return self._found("secondary index", name, super().has_secondary_index)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        held = getattr(self._batch, "held", None)
        if held is None:
            with self._db_lock, self._engine(shard).connect() as conn, conn.begin():
                yield conn
            return
        # storing a batch: every statement on this shard goes into the batch's one transaction
        conn = held.get(shard)
        if conn is None:
            conn = self._engine(shard).connect()
            conn.begin()
            held[shard] = conn
        yield conn

    def store_event_batch(self, events: Sequence) -> None:
        """Each event stored as :meth:`store_event` stores it (the same rows, in the same order), in one
        transaction per database instead of one or two per event. Dagster hands a batch here when
        ``DAGSTER_EVENT_BATCH_SIZE`` is set: the assets and checks a run plans (about 130 events at its
        start), and the materialisations of a step's partitions. A failure rolls the whole batch back,
        and Dagster then stores its events one at a time."""
        if getattr(self._batch, "held", None) is not None:  # not expected: Dagster does not nest batches
            super().store_event_batch(events)
            return
        held: dict[str, Connection] = {}
        with self._db_lock:
            self._batch.held = held
            try:
                for event in events:
                    self.store_event(event)
                for conn in held.values():  # in the order store_event writes them: the run's shard first
                    conn.commit()
            finally:
                del self._batch.held
                for conn in held.values():  # rolls back what was not committed
                    conn.close()

    def _dispose_engines(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()

    def close_connections(self) -> None:
        """Close every database's connections, as disposing of the storage does (the last connection to
        close checkpoints SQLite's log into the database); the storage stays usable and connects again when
        it is next used, without checking the schema of the databases it has checked."""
        self._dispose_engines()

    def wipe(self) -> None:  # deletes the run shards' files: no engine may hold them open
        self._dispose_engines()
        super().wipe()

    def dispose(self) -> None:
        self._dispose_engines()
        super().dispose()


def batch_events_of(instance) -> None:
    """Have ``instance`` store the events Dagster batches in one transaction per database, when its event
    log is this storage (another storage keeps Dagster's default: one event at a time). Dagster reads the
    variable at each event, from the environment: a value set there already is kept."""
    if isinstance(instance.event_log_storage, PooledSqliteEventLogStorage):
        os.environ.setdefault(EVENT_BATCH_SIZE_VAR, str(EVENT_BATCH_SIZE))
