"""The dagster.yaml provreport writes beside a warehouse (orchestration.settings.ensure_dagster_home)."""

from orchestration.settings import DAGSTER_YAML, ensure_dagster_home


def test_a_new_home_keeps_its_history_through_the_pooled_storage(tmp_path):
    home = ensure_dagster_home(tmp_path / "new")
    text = (home / "dagster.yaml").read_text(encoding="utf-8")
    assert "enabled: false" in text
    assert "module: orchestration.instance\n  class: PooledSqliteEventLogStorage" in text


def test_a_yaml_provreport_wrote_before_is_brought_up_to_date_and_a_users_own_is_kept(tmp_path):
    ours, users = tmp_path / "ours", tmp_path / "users"
    for home, text in ((ours, DAGSTER_YAML), (users, "telemetry:\n  enabled: false\n")):
        home.mkdir()
        (home / "dagster.yaml").write_text(text, encoding="utf-8")
        ensure_dagster_home(home)
    assert "PooledSqliteEventLogStorage" in (ours / "dagster.yaml").read_text(encoding="utf-8")
    assert (users / "dagster.yaml").read_text(encoding="utf-8") == "telemetry:\n  enabled: false\n"


def test_a_postgres_instance_is_never_rewritten_to_sqlite(tmp_path):
    home = ensure_dagster_home(tmp_path / "pg", postgres=True)
    text = (home / "dagster.yaml").read_text(encoding="utf-8")
    assert "postgres_db:" in text and "PooledSqliteEventLogStorage" not in text
    ensure_dagster_home(home)  # a later DuckDB-target run on the same folder
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == text
