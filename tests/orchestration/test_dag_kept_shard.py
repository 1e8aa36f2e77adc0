"""The empty run shard kept beside the run history (``orchestration.instance``): a new process copies it
instead of having Dagster make one (its tables, its revision stamped, its commits waiting for the disk), and
what it copies is the shard Dagster's own storage creates. A kept file that is not a whole database, or that
another Dagster made, is not used."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # imports Dagster, in new processes

ROOT = Path(__file__).resolve().parents[2]

# one new process storing one event of run ``run_id`` in the pooled history at ``folder``: prints whether Dagster's
# _initdb made an empty shard (in a temporary folder) for it
_PROCESS = """
import json, sys
from dagster import DagsterEventType
from dagster._core.events import DagsterEvent, EngineEventData
from dagster._core.events.log import EventLogEntry
from orchestration.instance import PooledSqliteEventLogStorage

folder, run_id = sys.argv[1:3]
storage = PooledSqliteEventLogStorage(folder)
made = []
original = storage._initdb
storage._initdb = lambda engine, **kw: (made.append(engine.url.database), original(engine, **kw))[1]
try:
    storage.store_event(EventLogEntry(
        error_info=None, level=20, user_message="", run_id=run_id, timestamp=1.0, step_key=None, job_name="probe",
        dagster_event=DagsterEvent(DagsterEventType.ENGINE_EVENT.value, "probe", message="m",
                                   event_specific_data=EngineEventData())))
    stored = [r.event_log_entry.dagster_event.message for r in storage.get_records_for_run(run_id).records]
finally:
    storage.dispose()
print(json.dumps({"shard_made": [db for db in made if not db.startswith(folder)], "stored": stored}))
"""


def _process(folder: Path, run_id: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _PROCESS, str(folder), run_id], cwd=ROOT, check=True,
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def _schema(path: Path):
    with sqlite3.connect(path) as con:
        return (con.execute("select type, name, tbl_name, sql from sqlite_master order by type, name").fetchall(),
                con.execute("select version_num from alembic_version").fetchall(),
                con.execute("pragma journal_mode").fetchone()[0])


def _kept(folder: Path) -> list[Path]:
    from orchestration.instance import KEPT_SHARD_PREFIX

    return sorted(folder.glob(f"{KEPT_SHARD_PREFIX}*.sqlite"))


def _dagsters_shard(folder: Path) -> Path:
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    storage = SqliteEventLogStorage(str(folder))
    try:
        with storage.run_connection("run-d"):
            pass
    finally:
        storage.dispose()
    return folder / "run-d.db"


def test_a_new_process_copies_the_kept_shard_which_is_the_shard_dagster_creates(tmp_path):
    history = tmp_path / "runs"
    first = _process(history, "run-a")
    assert len(first["shard_made"]) == 1 and first["stored"] == ["m"]  # the first process has Dagster make it
    [kept] = _kept(history)
    second = _process(history, "run-b")
    assert second == {"shard_made": [], "stored": ["m"]}  # the next one copies the kept file
    assert _kept(history) == [kept]
    dagsters = _schema(_dagsters_shard(tmp_path / "dagster"))
    assert "event_logs" in {name for _type, name, _table, _sql in dagsters[0]} and dagsters[2] == "wal"
    assert _schema(history / "run-a.db") == dagsters
    assert _schema(history / "run-b.db") == dagsters
    # the kept file is no run's: Dagster lists the runs' shards by *.db
    from orchestration.instance import PooledSqliteEventLogStorage

    storage = PooledSqliteEventLogStorage(str(history))
    try:
        assert sorted(storage.get_all_run_ids()) == ["run-a", "run-b"]
    finally:
        storage.dispose()
    assert not list(history.glob("*.tmp"))


def test_a_kept_shard_cut_short_or_of_another_dagster_is_made_again(tmp_path):
    from orchestration.instance import KEPT_SHARD_PREFIX, _whole_database

    history = tmp_path / "runs"
    _process(history, "run-a")
    [kept] = _kept(history)
    whole = kept.read_bytes()
    kept.write_bytes(whole[: len(whole) // 2])  # cut short (a disk filled up while another tool copied it)
    again = _process(history, "run-b")
    assert len(again["shard_made"]) == 1 and again["stored"] == ["m"]
    assert _kept(history) == [kept] and _whole_database(kept.read_bytes())  # made again, and kept whole
    assert _schema(history / "run-b.db") == _schema(history / "run-a.db")

    # another Dagster's (another key): left unused, and removed when this one keeps its own
    other = history / f"{KEPT_SHARD_PREFIX}0123456789abcdef0123.sqlite"
    kept.rename(other)
    third = _process(history, "run-c")
    assert len(third["shard_made"]) == 1
    assert _kept(history) == [kept]


def test_a_whole_database_is_told_from_one_cut_short_or_not_in_wal_mode(tmp_path):
    from orchestration.instance import _whole_database

    _dagsters_shard(tmp_path)
    con = sqlite3.connect(tmp_path / "run-d.db")
    con.execute("pragma wal_checkpoint(truncate)")
    con.close()
    data = (tmp_path / "run-d.db").read_bytes()
    assert _whole_database(data)
    assert not _whole_database(data[:-1]) and not _whole_database(data + b"\0")
    assert not _whole_database(b"") and not _whole_database(b"not a database" * 10)
    rollback = tmp_path / "rollback.db"
    with sqlite3.connect(rollback) as con:
        con.execute("create table t (x)")
    assert not _whole_database(rollback.read_bytes())  # journal mode delete: not a shard as Dagster makes it


def _store_one(storage, run_id: str) -> list[str]:
    from dagster import DagsterEventType
    from dagster._core.events import DagsterEvent, EngineEventData
    from dagster._core.events.log import EventLogEntry

    storage.store_event(EventLogEntry(
        error_info=None, level=20, user_message="", run_id=run_id, timestamp=1.0, step_key=None, job_name="probe",
        dagster_event=DagsterEvent(DagsterEventType.ENGINE_EVENT.value, "probe", message="m",
                                   event_specific_data=EngineEventData())))
    return [r.event_log_entry.dagster_event.message for r in storage.get_records_for_run(run_id).records]


def test_a_database_with_its_revision_stamped_is_not_handed_to_dagsters_initdb(tmp_path):
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    from orchestration.instance import PooledSqliteEventLogStorage

    first = PooledSqliteEventLogStorage(str(tmp_path))
    try:
        assert _store_one(first, "run-a") == ["m"]
    finally:
        first.dispose()
    index, shard = _schema(tmp_path / "index.db"), _schema(tmp_path / "run-a.db")
    # what Dagster's own _initdb does with these databases: leaves them as they are (their revision is stamped)
    dagsters = SqliteEventLogStorage(str(tmp_path))
    try:
        with dagsters.index_connection():  # one at a time: Dagster's storage holds a lock while connected
            pass
        with dagsters.run_connection("run-a"):
            pass
    finally:
        dagsters.dispose()
    assert (_schema(tmp_path / "index.db"), _schema(tmp_path / "run-a.db")) == (index, shard)

    # a later process (a new storage): neither the index nor the run's shard goes to _initdb; a shard another process
    # made without a revision yet (an empty file) does, and is made whole
    (tmp_path / "run-e.db").touch()
    later = PooledSqliteEventLogStorage(str(tmp_path))
    handed = []
    original = later._initdb
    later._initdb = lambda engine, **kw: (handed.append(Path(engine.url.database).name), original(engine, **kw))[1]
    try:
        assert _store_one(later, "run-a") == ["m", "m"]
        assert _store_one(later, "run-e") == ["m"]
    finally:
        later.dispose()
    assert handed == ["run-e.db"]
    assert _schema(tmp_path / "run-e.db") == shard
    assert (_schema(tmp_path / "index.db"), _schema(tmp_path / "run-a.db")) == (index, shard)
