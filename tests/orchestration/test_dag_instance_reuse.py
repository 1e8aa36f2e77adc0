"""Runs one after the other in a process (``watch``) share one Dagster instance of the same DAGSTER_HOME
(orchestration.runner.dagster_instance); another folder, another dagster.yaml, a history removed or a
history that is not SQLite in files get a new one, as before."""

import os
import shutil

import pytest

from orchestration.settings import DAGSTER_YAML, POOLED_EVENT_LOG_YAML, ensure_dagster_home

pytestmark = pytest.mark.slow  # imports Dagster


@pytest.fixture(autouse=True)
def _nothing_kept():
    from orchestration.runner import _dispose_kept_instance

    _dispose_kept_instance()
    yield
    _dispose_kept_instance()


def _home(path, monkeypatch):
    ensure_dagster_home(path)
    monkeypatch.setenv("DAGSTER_HOME", str(path))
    return path


def _disposals(monkeypatch) -> list:
    from dagster import DagsterInstance

    disposed = []
    original = DagsterInstance.dispose

    def counted(self):
        disposed.append(self)
        return original(self)

    monkeypatch.setattr(DagsterInstance, "dispose", counted)
    return disposed


def test_the_same_home_gives_the_same_instance(tmp_path, monkeypatch):
    from orchestration.instance import PooledSqliteEventLogStorage
    from orchestration.runner import dagster_instance

    disposed = _disposals(monkeypatch)
    _home(tmp_path / "a", monkeypatch)
    with dagster_instance() as first:
        assert isinstance(first.event_log_storage, PooledSqliteEventLogStorage)
        assert first.event_log_storage.has_table("asset_check_executions")
        with first.event_log_storage.run_connection("run-a"):
            pass
        assert set(first.event_log_storage._engines) == {"index", "run-a"}
    # after the run, its connections closed as disposing of it closed them (SQLite's log checkpointed)
    assert first.event_log_storage._engines == {}
    assert (tmp_path / "a" / "history" / "runs" / "run-a.db").exists()
    assert not (tmp_path / "a" / "history" / "runs" / "run-a.db-wal").exists()
    with dagster_instance() as second:
        assert second is first
        with second.event_log_storage.run_connection("run-a"):  # usable again
            pass
    assert disposed == []

    # another folder: the kept one disposed of, a new one
    _home(tmp_path / "b", monkeypatch)
    with dagster_instance() as other:
        assert other is not first
    assert disposed == [first]


def test_a_changed_config_or_a_removed_history_gives_a_new_instance(tmp_path, monkeypatch):
    from orchestration.runner import dagster_instance

    disposed = _disposals(monkeypatch)
    home = _home(tmp_path, monkeypatch)
    with dagster_instance() as first:
        index = first.event_log_storage.path_for_shard("index")
    (home / "dagster.yaml").write_text(DAGSTER_YAML + POOLED_EVENT_LOG_YAML + "# edited\n", encoding="utf-8")
    with dagster_instance() as second:
        assert second is not first
    assert disposed == [first]
    with dagster_instance() as third:
        assert third is second

    # the history's index removed while the process runs: a new instance, which makes it again
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / "history" / "runs" / f"index.db{suffix}").unlink(missing_ok=True)
    with dagster_instance() as fourth:
        assert fourth is not second
        assert (tmp_path / "history" / "runs" / "index.db").exists()
        assert fourth.event_log_storage.path_for_shard("index") == index
    assert disposed == [first, second]

    # the runs' database replaced by another file (another process made it again): a new instance
    runs = tmp_path / "history" / "runs.db"
    shutil.copyfile(runs, runs.with_name("runs.db.copy"))
    os.replace(runs.with_name("runs.db.copy"), runs)
    with dagster_instance() as fifth:
        assert fifth is not fourth
    assert disposed == [first, second, fourth]


def test_an_instance_of_dagsters_own_storage_is_made_for_each_run(tmp_path, monkeypatch):
    from orchestration.runner import dagster_instance

    disposed = _disposals(monkeypatch)
    (tmp_path / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")  # not the pooled history
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with dagster_instance() as first:
        assert type(first.event_log_storage).__name__ == "SqliteEventLogStorage"
    assert disposed == [first]
    with dagster_instance() as second:
        assert second is not first
    assert disposed == [first, second]
