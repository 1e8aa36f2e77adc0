"""Dagster's run history on SQLite, without a new connection for every event.

Dagster's own ``SqliteEventLogStorage`` creates an engine, opens a connection, commits with a full
sync and disposes of the engine for every event it stores; a run of this pipeline stores about 360
(each asset and check planned, evaluated, materialised), and each cost 14-25 ms on this machine: 5-9 s
of one new report's run went into the history, more than ingesting it. This storage keeps one engine
per database (the index and the few latest run shards) and runs SQLite with ``synchronous=NORMAL``:
1.0-2.5 ms an event (``benchmarks/bench_event_log.py``). The databases are the same files in the same
folder (``$DAGSTER_HOME/history/runs``), so Dagster's UI and CLI read them as before.

Dagster also asks whether a table exists before storing each asset check event and each event's
tags, and answers with a new engine and connection every time (about 170 times a run, 2-5 ms each): a
table it found is remembered (tables are added by upgrades, never dropped), one it did not find is
asked again.

The trade-off, for the run history only (never the warehouse): Dagster creates these databases in WAL
mode, where ``synchronous=NORMAL`` keeps them consistent through any crash of the process or the
machine; after a power loss, the last events written before it may be missing from the history.

Configured in the ``dagster.yaml`` that provreport writes (:func:`orchestration.settings.ensure_dagster_home`)::

    event_log_storage:
      module: orchestration.instance
      class: PooledSqliteEventLogStorage
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from dagster import Field, StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

# engines kept open for run shards besides the index: the run being written and the few read just before
KEEP_RUN_SHARDS = 3


def _relaxed_sync(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """:class:`SqliteEventLogStorage` with one pooled engine per shard (see the module's docstring)."""

    def __init__(self, base_dir: str | None = None, inst_data=None) -> None:
        # set before the parent's constructor, which may already connect (a new index shard)
        self._engines: dict[str, Engine] = {}
        self._tables_found: set[str] = set()
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
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            runs = [s for s in self._engines if s != INDEX_SHARD_NAME]
            for old in runs[: max(0, len(runs) - KEEP_RUN_SHARDS + 1)]:
                self._engines.pop(old).dispose()
            self._engines[shard] = engine
        return engine

    def has_table(self, table_name: str) -> bool:
        # Dagster's answer (a new engine each time) once per table found: an upgrade adds tables, nothing
        # drops them, and a table not found is asked again
        if table_name in self._tables_found:
            return True
        found = super().has_table(table_name)
        if found:
            self._tables_found.add(table_name)
        return found

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock, self._engine(shard).connect() as conn, conn.begin():
            yield conn

    def _dispose_engines(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()

    def wipe(self) -> None:  # deletes the run shards' files: no engine may hold them open
        self._dispose_engines()
        super().wipe()

    def dispose(self) -> None:
        self._dispose_engines()
        super().dispose()
