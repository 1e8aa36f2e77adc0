"""The one Definitions object loads and names the assets, checks, jobs, sensor and schedule."""

from __future__ import annotations

import pytest
from dagster import AssetKey

from orchestration.dbt.project import ensure_manifest


@pytest.fixture(scope="module")
def defs():
    ensure_manifest()
    from orchestration.definitions import load_defs

    return load_defs()


def test_the_settings_are_read_when_the_definitions_are_built_not_at_import(tmp_path, monkeypatch) -> None:
    """#16: nothing reads Settings at import; Dagster's entry point and load_defs read them when called."""
    import subprocess
    import sys
    from dataclasses import replace

    from orchestration.definitions import defs as entry_point
    from orchestration.definitions import load_defs
    from orchestration.settings import WAREHOUSE_TAG, Settings

    ensure_manifest()
    probe = ("import orchestration.settings as s\n"
             "def refuse(*a, **k):\n    raise AssertionError('Settings.from_env() at import')\n"
             "s.Settings.from_env = classmethod(refuse)\n"
             "import orchestration.definitions\nprint('imported')")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "imported", done.stderr[-2000:]

    settings = replace(Settings.from_env(), warehouse=tmp_path / "w.duckdb", dbt_target="duckdb")
    built = load_defs(settings)
    assert built is load_defs(settings)  # once per settings: a watch reuses them
    job = built.resolve_job_def("provreport_pipeline")
    assert job.tags[WAREHOUSE_TAG] == str(tmp_path / "w.duckdb")
    assert built.resources["warehouse"].path == str(tmp_path / "w.duckdb")
    assert built.resources["dbt"].target == "duckdb"
    monkeypatch.setenv("DUCKDB_PATH", str(tmp_path / "other.duckdb"))
    assert entry_point().resolve_job_def("provreport_pipeline").tags[WAREHOUSE_TAG] == str(tmp_path / "other.duckdb")


def test_assets_cover_ingest_and_every_dbt_layer(defs) -> None:
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    for expected in ("landing/district_reports", "raw/reports", "raw/figures", "raw/rejections",
                     "staging/stg_raw__figures", "marts/fct_programme_funding", "marts/fct_indicator_attainment",
                     "marts/fct_district_scorecard", "marts/dim_admin_unit", "marts/fct_reporting_completeness"):
        assert expected in keys, f"{expected} missing from {sorted(keys)}"


def test_marts_carry_great_expectations_checks(defs) -> None:
    graph = defs.resolve_asset_graph()
    checks = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    for mart in ("fct_programme_funding", "fct_indicator_attainment", "fct_district_scorecard"):
        assert any(asset == f"marts/{mart}" for asset, _ in checks), f"no check on {mart}"


def test_assets_describe_themselves(defs) -> None:
    graph = defs.resolve_asset_graph()
    node = graph.get(AssetKey(["raw", "figures"]))
    assert node.group_name == "ingest"
    assert "duckdb" in node.kinds
    assert node.owners and node.description


def test_jobs_sensor_and_schedule(defs) -> None:
    assert defs.resolve_job_def("provreport_pipeline") is not None
    assert defs.resolve_job_def("full_validation") is not None
    assert defs.resolve_sensor_def("landing_folder_sensor") is not None
    assert defs.resolve_schedule_def("full_validation_schedule").cron_schedule == "0 6 * * *"


def test_steps_that_open_the_duckdb_file_are_tagged_for_one_at_a_time(defs) -> None:
    """In a parallel run (issue #18) only one step may hold the DuckDB file: every op that opens it carries
    DUCKDB_TAG, limited to one at a time by parallel_run_config; reading a partition never opens it."""
    from dagster import validate_run_config

    from orchestration.definitions import IN_PROCESS, parallel_run_config
    from orchestration.settings import DUCKDB_TAG

    job = defs.resolve_job_def("provreport_pipeline")
    tags = {op.name: op.tags.get(DUCKDB_TAG) for op in job.graph.iterate_op_defs()}
    assert tags == {"plan_ingest": "plan", "read_partition": None, "load_ingest": "load",
                    "provreport_dbt_models": "dbt", "great_expectations_marts": "validation",
                    "audit__approval_state": "signoff"}
    config = parallel_run_config(2)
    multiprocess = config["execution"]["config"]["multiprocess"]
    assert multiprocess["max_concurrent"] == 2
    assert multiprocess["tag_concurrency_limits"] == [{"key": DUCKDB_TAG, "limit": 1}]
    validate_run_config(job, config)
    validate_run_config(job, IN_PROCESS)
