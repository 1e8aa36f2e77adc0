"""Settings owns the ingest limits' environment variables (issue #16, point 6): read there with their bounds,
handed to the Dagster resource and down to ``sources`` as ``sources.readers.Limits``."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from orchestration.resources import LandingFolderResource, default_resources
from orchestration.settings import LIMIT_VARIABLES, Settings, ingest_limits, limits_env
from sources.readers import DEFAULT_LIMITS, Limits

MB = 1024 * 1024


def test_unset_the_limits_are_the_readers_defaults() -> None:
    assert ingest_limits({}) == DEFAULT_LIMITS == Limits(50 * MB, 60.0, 1536 * MB, 1.0)
    assert DEFAULT_LIMITS.max_unpacked_bytes == 192 * MB


@pytest.mark.parametrize(("name", "raw", "field", "expected"), [
    ("PROVREPORT_MAX_FILE_MB", "0.01", "max_file_bytes", 10485),
    ("PROVREPORT_MAX_FILE_MB", "200", "max_file_bytes", 200 * MB),
    ("PROVREPORT_MAX_FILE_MB", "0", "max_file_bytes", 50 * MB),  # not above 0: the default
    ("PROVREPORT_MAX_FILE_MB", "lots", "max_file_bytes", 50 * MB),
    ("PROVREPORT_FILE_TIME_BUDGET_S", "0.3", "file_time_budget_s", 0.3),
    ("PROVREPORT_FILE_TIME_BUDGET_S", "-1", "file_time_budget_s", 60.0),
    ("PROVREPORT_FILE_TIME_BUDGET_S", "inf", "file_time_budget_s", 60.0),
    ("PROVREPORT_FILE_TIME_BUDGET_S", "nan", "file_time_budget_s", 60.0),
    ("PROVREPORT_FILE_MEMORY_BUDGET_MB", "400", "file_memory_budget_bytes", 400 * MB),
    ("PROVREPORT_FILE_MEMORY_BUDGET_MB", "", "file_memory_budget_bytes", 1536 * MB),
    ("PROVREPORT_SETTLE_S", "0", "settle_s", 0.0),  # 0 is a value: read however recently modified
    ("PROVREPORT_SETTLE_S", "-3", "settle_s", 0.0),  # clamped, as before
    ("PROVREPORT_SETTLE_S", "600", "settle_s", 60.0),
    ("PROVREPORT_SETTLE_S", "nan", "settle_s", 1.0),
    ("PROVREPORT_SETTLE_S", "soon", "settle_s", 1.0),
])
def test_each_variable_is_read_within_its_bounds(name: str, raw: str, field: str, expected: float) -> None:
    limits = ingest_limits({name: raw})
    assert getattr(limits, field) == expected
    others = {f.name for f in fields(Limits)} - {field}
    assert all(getattr(limits, f) == getattr(DEFAULT_LIMITS, f) for f in others)


def test_settings_read_the_limits_from_the_environment_and_publish_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVREPORT_FILE_TIME_BUDGET_S", "2.5")
    monkeypatch.setenv("PROVREPORT_MAX_FILE_MB", "0.01")
    settings = Settings(warehouse=tmp_path / "w.duckdb", landing=tmp_path)  # as the CLI builds them
    assert settings.limits == Limits(max_file_bytes=10485, file_time_budget_s=2.5)
    assert Settings.from_env().limits == settings.limits
    # the step processes of a parallel run read them back from the environment the run publishes
    published = {k: v for k, v in settings.env().items() if k in {n for n, *_ in LIMIT_VARIABLES}}
    assert published == limits_env(settings.limits)
    assert published["PROVREPORT_FILE_TIME_BUDGET_S"] == "2.5"
    assert ingest_limits(published) == settings.limits
    odd = Limits(max_file_bytes=12_345_679, file_time_budget_s=0.1, file_memory_budget_bytes=3 * MB + 7,
                 settle_s=0.25)
    assert ingest_limits(limits_env(odd)) == odd  # exactly, to the byte


def test_the_landing_resource_carries_the_settings_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, *_ in LIMIT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    limits = Limits(max_file_bytes=1000, file_time_budget_s=5.0, file_memory_budget_bytes=64 * MB, settle_s=0.0)
    settings = Settings(warehouse=tmp_path / "w.duckdb", landing=tmp_path, limits=limits)
    landing = default_resources(settings)["landing"]
    assert landing.limits == limits and landing.folder == tmp_path
    # the resource's limit fields are the fields of Limits, no more, no fewer
    assert set(LandingFolderResource.model_fields) - {"path"} == {f.name for f in fields(Limits)}


@pytest.mark.slow  # Dagster runs the ingest graph; the file is read in the sandboxed reader process
def test_a_limit_in_settings_reaches_the_reader_through_the_dagster_assets(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dagster import materialize

    from orchestration.ingest.assets import ingest_landing_folder, landing_files
    from sources import warehouse

    for name, *_ in LIMIT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "landing"
    folder.mkdir()
    (folder / "big.txt").write_bytes("Báo cáo của UBND huyện Trà Cú. ".encode() * 100)
    settings = Settings(warehouse=tmp_path / "w.duckdb", landing=folder,
                        limits=Limits(max_file_bytes=1000, settle_s=0.0))
    result = materialize([landing_files, ingest_landing_folder], resources=default_resources(settings))
    assert result.success
    with warehouse.open_warehouse(settings.warehouse, read_only=True) as con:
        refusals = con.execute("select source_file, reason, detail from raw.rejections").fetchall()
    [(name, reason, detail)] = refusals
    assert (name, reason) == ("big.txt", "too_large")
    assert "is 0.0 MB, over the 0 MB limit" in detail


def test_settings_own_the_declared_provinces(monkeypatch, tmp_path: Path) -> None:
    """PROVREPORT_PROVINCES is read by Settings when they are made (not by the no-op check), exported for dbt only
    when provinces are declared, and part of what changes a build (``Settings.build_env``)."""
    monkeypatch.delenv("PROVREPORT_PROVINCES", raising=False)
    unset = Settings(warehouse=tmp_path / "w.duckdb", landing=tmp_path)
    assert unset.provinces == ""
    assert "PROVREPORT_PROVINCES" not in unset.env()
    assert unset.build_env() == {"PROVREPORT_PROVINCES": "", "PROVREPORT_DBT_TARGET": "duckdb"}
    monkeypatch.setenv("PROVREPORT_PROVINCES", "44, Quảng Trị")
    declared = Settings.from_env()
    assert declared.provinces == "44, Quảng Trị"
    assert declared.env()["PROVREPORT_PROVINCES"] == "44, Quảng Trị"
    assert unset.provinces == ""  # read once, when made


def test_settings_say_where_dbt_runs_and_the_dbt_resource_follows(monkeypatch, tmp_path: Path) -> None:
    """PROVREPORT_DBT_SUBPROCESS=1 (dbt in a subprocess, to compare with) is read by Settings only, published to
    the step processes, and reaches the dbt resource of the definitions."""
    from orchestration.definitions import load_defs

    monkeypatch.delenv("PROVREPORT_DBT_SUBPROCESS", raising=False)
    monkeypatch.setenv("DUCKDB_PATH", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("PROVREPORT_LANDING", str(tmp_path))
    default = Settings.from_env()
    assert default.dbt_in_process is True and "PROVREPORT_DBT_SUBPROCESS" not in default.env()
    monkeypatch.setenv("PROVREPORT_DBT_SUBPROCESS", "1")
    former = Settings.from_env()
    assert former.dbt_in_process is False and former.env()["PROVREPORT_DBT_SUBPROCESS"] == "1"
    assert load_defs(default).resources["dbt"].in_process is True
    assert load_defs(former).resources["dbt"].in_process is False
