"""A new run's shard of the pooled run history, written as a copy of an empty one Dagster made: the same
schema, revision and journal mode as the shard Dagster's own storage creates."""

import sqlite3

import pytest

pytestmark = pytest.mark.slow  # imports Dagster


def _schema(path):
    with sqlite3.connect(path) as con:
        return (con.execute("select type, name, tbl_name, sql from sqlite_master order by type, name").fetchall(),
                con.execute("select version_num from alembic_version").fetchall(),
                con.execute("pragma journal_mode").fetchone()[0])


def test_a_copied_shard_is_the_shard_dagster_creates(tmp_path):
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    from orchestration.instance import PooledSqliteEventLogStorage

    dagsters = SqliteEventLogStorage(str(tmp_path / "dagster"))
    try:
        with dagsters.run_connection("run-a"):
            pass
    finally:
        dagsters.dispose()
    pooled = PooledSqliteEventLogStorage(str(tmp_path / "pooled"))
    initialised = []
    original = pooled._initdb
    pooled._initdb = lambda engine, **kwargs: (initialised.append(engine.url.database), original(engine, **kwargs))
    try:
        for run_id in ("run-a", "run-b"):  # each a copy of the empty shard made once in the process
            with pooled.run_connection(run_id):
                pass
    finally:
        pooled.dispose()
    # Dagster's _initdb made at most the empty shard, in a temporary folder: neither run's shard
    assert not [db for db in initialised if db.startswith(str(tmp_path))]

    tables, revision, mode = _schema(tmp_path / "dagster" / "run-a.db")
    assert "event_logs" in {name for _type, name, _table, _sql in tables} and len(revision) == 1
    assert mode == "wal"
    assert _schema(tmp_path / "pooled" / "run-a.db") == (tables, revision, mode)
    assert _schema(tmp_path / "pooled" / "run-b.db") == (tables, revision, mode)
    # nothing else in the folder: no partial copy, no shard that is not a run's
    assert sorted(p.name for p in (tmp_path / "pooled").glob("*.db")) == ["index.db", "run-a.db", "run-b.db"]
    assert not list((tmp_path / "pooled").glob("*.tmp"))


def test_a_shard_made_meanwhile_is_kept(tmp_path):
    from dagster import DagsterEventType
    from dagster._core.events import DagsterEvent, EngineEventData
    from dagster._core.events.log import EventLogEntry

    from orchestration.instance import PooledSqliteEventLogStorage

    other = PooledSqliteEventLogStorage(str(tmp_path))
    mine = PooledSqliteEventLogStorage(str(tmp_path))
    try:
        entry = EventLogEntry(error_info=None, level=20, user_message="", run_id="run-a", timestamp=1.0,
                              step_key=None, job_name="probe",
                              dagster_event=DagsterEvent(DagsterEventType.ENGINE_EVENT.value, "probe",
                                                         message="first", event_specific_data=EngineEventData()))
        other.store_event(entry)  # another process made the shard and wrote to it
        mine.store_event(entry._replace(timestamp=2.0))
        assert [r.event_log_entry.timestamp for r in mine.get_records_for_run("run-a").records] == [1.0, 2.0]
    finally:
        other.dispose()
        mine.dispose()
