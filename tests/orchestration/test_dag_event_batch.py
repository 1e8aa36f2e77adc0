"""The events Dagster batches (a run's planned assets and checks) stored by the pooled run history in one
transaction per database: the same rows as one event at a time, nothing left by a batch that fails."""

import os
import sqlite3

import pytest

from orchestration.instance import EVENT_BATCH_SIZE_VAR
from tests.orchestration.probe_job import probe_definitions

pytestmark = pytest.mark.slow  # imports Dagster and runs a job

DEFAULT = "telemetry:\n  enabled: false\n"
POOLED = DEFAULT + "event_log_storage:\n  module: orchestration.instance\n  class: PooledSqliteEventLogStorage\n"
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
CHECKS = 5


def _instance(home, yaml: str, monkeypatch):
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    home.mkdir(exist_ok=True)
    (home / "dagster.yaml").write_text(yaml, encoding="utf-8")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return DagsterInstance.from_ref(InstanceRef.from_dir(str(home)))


def _job():
    return probe_definitions({f"check_{i}": i != 2 for i in range(CHECKS)}).resolve_job_def("probe")


def _history(instance, run_id, home):
    """What the UI reads of a run: its events, each check's last execution, each asset's last run; and the
    rows of the run mirrored in the index shard."""
    from dagster import AssetCheckKey, AssetKey

    events = [(e.dagster_event.event_type_value, e.step_key) for e in instance.all_logs(run_id) if e.dagster_event]
    checks = {}
    for i in range(CHECKS):
        (record,) = instance.event_log_storage.get_asset_check_execution_history(
            AssetCheckKey(AssetKey("downstream"), f"check_{i}"), limit=5)
        checks[i] = (record.run_id == run_id, record.status.value)
    assets = {key: instance.get_latest_materialization_event(AssetKey(key)).run_id == run_id
              for key in ("upstream", "downstream")}
    with sqlite3.connect(home / "history" / "runs" / "index.db") as con:
        mirrored = con.execute("select dagster_event_type, count(*) from event_logs where run_id = ? "
                               "group by 1 order by 1", (run_id,)).fetchall()
    return events, checks, assets, mirrored


def _run(home, monkeypatch, batch_size: str | None, spy=None):
    if batch_size is None:
        monkeypatch.delenv(EVENT_BATCH_SIZE_VAR, raising=False)
    else:
        monkeypatch.setenv(EVENT_BATCH_SIZE_VAR, batch_size)
    with _instance(home, POOLED, monkeypatch) as instance:
        if spy is not None:
            spy(instance.event_log_storage)
        result = _job().execute_in_process(instance=instance, run_config=QUIET)
        assert result.success
        return _history(instance, result.run_id, home)


def test_a_batch_stores_what_one_event_at_a_time_stores(tmp_path, monkeypatch):
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    batches: list[list[str]] = []
    commits: list[int] = []
    count = [0]

    def committed(_conn):
        count[0] += 1

    event.listen(Engine, "commit", committed)

    def spy(storage):
        original = storage.store_event_batch

        def counted(events):
            batches.append([e.dagster_event.event_type_value for e in events])
            before = count[0]
            original(events)
            commits.append(count[0] - before)

        monkeypatch.setattr(storage, "store_event_batch", counted)

    try:
        one_at_a_time = _run(tmp_path / "single", monkeypatch, None)
        batched = _run(tmp_path / "batched", monkeypatch, "1000", spy)
    finally:
        event.remove(Engine, "commit", committed)

    # the run's planned assets and checks came as one batch, stored in one transaction in the run's shard
    # and one in the index (one at a time: 2 or 3 for each event, 19 here)
    assert commits == [2]
    assert len(batches) == 1
    assert sorted(set(batches[0])) == ["ASSET_CHECK_EVALUATION_PLANNED", "ASSET_MATERIALIZATION_PLANNED"]
    assert len(batches[0]) == 2 + CHECKS
    # and the history reads the same: events in the same order, checks, assets, the index's mirror
    assert batched == one_at_a_time
    events, checks, assets, mirrored = batched
    assert checks == {0: (True, "SUCCEEDED"), 1: (True, "SUCCEEDED"), 2: (True, "FAILED"),
                      3: (True, "SUCCEEDED"), 4: (True, "SUCCEEDED")}
    assert assets == {"upstream": True, "downstream": True}
    assert dict(mirrored) == {"ASSET_CHECK_EVALUATION": CHECKS, "ASSET_CHECK_EVALUATION_PLANNED": CHECKS,
                              "ASSET_MATERIALIZATION": 2, "ASSET_MATERIALIZATION_PLANNED": 2,
                              "PIPELINE_START": 1, "PIPELINE_SUCCESS": 1}
    assert sum(name.endswith("_PLANNED") for name, _step in events) == 2 + CHECKS


def test_a_failed_batch_is_rolled_back_and_stored_one_event_at_a_time(tmp_path, monkeypatch, capsys):
    from dagster._core.storage.event_log.sql_event_log import SqlEventLogStorage

    failed = []

    def spy(storage):
        original = SqlEventLogStorage.store_asset_check_event

        def fails_once(self, event, event_id):
            # the third check planned, inside the batch: the batch's rows already written must go
            in_batch = getattr(self._batch, "held", None) is not None
            if in_batch and not failed and event.dagster_event.asset_check_planned_data.check_name == "check_2":
                failed.append(event_id)
                raise RuntimeError("storage failed mid-batch")
            return original(self, event, event_id)

        monkeypatch.setattr(SqlEventLogStorage, "store_asset_check_event", fails_once)

    reference = _run(tmp_path / "single", monkeypatch, None)
    batched = _run(tmp_path / "batched", monkeypatch, "1000", spy)

    assert len(failed) == 1
    assert "storage failed mid-batch" in capsys.readouterr().err  # Dagster's note before its fallback
    # every event once: nothing of the failed batch stayed besides what the fallback stored
    assert batched == reference


def test_schema_answers_found_are_asked_once(tmp_path, monkeypatch):
    from dagster._core.storage.event_log.sql_event_log import SqlEventLogStorage

    asked: list[tuple[str, str]] = []
    for method in ("has_secondary_index", "has_asset_key_col"):
        original = getattr(SqlEventLogStorage, method)

        def counted(self, name, _method=method, _original=original):
            asked.append((_method, name))
            return _original(self, name)

        monkeypatch.setattr(SqlEventLogStorage, method, counted)
    with _instance(tmp_path, POOLED, monkeypatch) as instance:
        assert _job().execute_in_process(instance=instance, run_config=QUIET).success
        first_run = list(asked)
        asked.clear()
        for _ in range(2):
            assert _job().execute_in_process(instance=instance, run_config=QUIET).success
        later_runs = list(asked)
        asked.clear()
        storage = instance.event_log_storage
        assert not storage.has_secondary_index("no_such_migration")
        assert not storage.has_secondary_index("no_such_migration")
        assert not storage.has_asset_key_col("no_such_column")
        assert not storage.has_asset_key_col("no_such_column")
    # the first run asked (its step's input: the asset status cache's column and migrations); later runs
    # ask nothing; what is not found is asked each time
    assert ("has_asset_key_col", "cached_status_data") in first_run
    assert ("has_secondary_index", "asset_key_table") in first_run
    assert later_runs == []
    assert asked == [("has_secondary_index", "no_such_migration")] * 2 + [("has_asset_key_col", "no_such_column")] * 2


def test_batching_is_set_for_the_pooled_storage_only(tmp_path, monkeypatch):
    from orchestration.instance import EVENT_BATCH_SIZE, batch_events_of

    monkeypatch.delenv(EVENT_BATCH_SIZE_VAR, raising=False)
    with _instance(tmp_path / "default", DEFAULT, monkeypatch) as instance:
        batch_events_of(instance)
    assert EVENT_BATCH_SIZE_VAR not in os.environ
    with _instance(tmp_path / "pooled", POOLED, monkeypatch) as instance:
        batch_events_of(instance)
        assert os.environ[EVENT_BATCH_SIZE_VAR] == str(EVENT_BATCH_SIZE)
        monkeypatch.setenv(EVENT_BATCH_SIZE_VAR, "7")
        batch_events_of(instance)
        assert os.environ[EVENT_BATCH_SIZE_VAR] == "7"
