"""The run history's storage (orchestration.instance): the same SQLite files Dagster's own storage
writes and reads, one engine per shard instead of one per event."""

import sqlite3

import pytest

pytestmark = pytest.mark.slow  # imports Dagster and runs a job

POOLED = ("telemetry:\n  enabled: false\nevent_log_storage:\n  module: orchestration.instance\n"
          "  class: PooledSqliteEventLogStorage\n")


def _instance(home, yaml: str, monkeypatch):
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    (home / "dagster.yaml").write_text(yaml, encoding="utf-8")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return DagsterInstance.from_ref(InstanceRef.from_dir(str(home)))


def _job():
    from dagster import AssetMaterialization, job, op

    @op
    def step(context):
        context.log_event(AssetMaterialization("provreport_probe"))
        return 1

    @job
    def probe():
        step()

    return probe


def test_events_written_pooled_are_read_by_dagsters_own_storage(tmp_path, monkeypatch):
    from dagster import AssetKey, DagsterEventType

    from orchestration.instance import PooledSqliteEventLogStorage

    quiet = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
    with _instance(tmp_path, POOLED, monkeypatch) as pooled:
        assert isinstance(pooled.event_log_storage, PooledSqliteEventLogStorage)
        result = _job().execute_in_process(instance=pooled, run_config=quiet)
        assert result.success
        run_id = result.run_id
        for i in range(50):
            pooled.report_engine_event(f"event {i}", pooled.get_run_by_id(run_id))
        written = [e.dagster_event.event_type for e in pooled.all_logs(run_id) if e.dagster_event]

    # Dagster's default storage, on the same folder, reads the same run and the asset's index row
    with _instance(tmp_path, "telemetry:\n  enabled: false\n", monkeypatch) as default:
        assert type(default.event_log_storage).__name__ == "SqliteEventLogStorage"
        read = [e.dagster_event.event_type for e in default.all_logs(run_id) if e.dagster_event]
        assert read == written
        assert read.count(DagsterEventType.ENGINE_EVENT) >= 50
        assert default.get_latest_materialization_event(AssetKey("provreport_probe")).run_id == run_id

    shard = tmp_path / "history" / "runs" / f"{run_id}.db"
    with sqlite3.connect(shard) as con:  # Dagster made the shard in WAL mode, where NORMAL sync is safe
        assert con.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_wipe_removes_run_shards_while_engines_were_open(tmp_path, monkeypatch):
    quiet = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
    with _instance(tmp_path, POOLED, monkeypatch) as pooled:
        run_id = _job().execute_in_process(instance=pooled, run_config=quiet).run_id
        assert (tmp_path / "history" / "runs" / f"{run_id}.db").exists()
        pooled.event_log_storage.wipe()
        assert not (tmp_path / "history" / "runs" / f"{run_id}.db").exists()
        assert pooled.all_logs(run_id) == []


def test_a_table_found_is_not_asked_for_again(tmp_path, monkeypatch):
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    asked: list[str] = []
    original = SqliteEventLogStorage.has_table

    def counted(self, table_name):
        asked.append(table_name)
        return original(self, table_name)

    monkeypatch.setattr(SqliteEventLogStorage, "has_table", counted)
    with _instance(tmp_path, POOLED, monkeypatch) as pooled:
        storage = pooled.event_log_storage
        assert storage.has_table("asset_check_executions") and storage.has_table("asset_check_executions")
        assert not storage.has_table("no_such_table") and not storage.has_table("no_such_table")
        assert storage.supports_asset_checks
    # the table found asked once; the one not found each time (an upgrade may add it)
    assert asked.count("asset_check_executions") == 1 and asked.count("no_such_table") == 2
