"""What the dbt asset asks of dbt: pure argument building, the version shortcut, housekeeping."""

from __future__ import annotations

import os
import time
from pathlib import Path

from dagster_dbt import DbtCliResource

from orchestration.dbt.assets import (
    BuildState,
    build_args,
    dbt_run_dir,
    invocation_target,
    keep_partial_parse,
    project_fingerprint,
    prune_invocations,
    seeds_fingerprint,
)
from orchestration.dbt.resources import ProvreportDbtCliResource
from orchestration.settings import DBT_PROJECT_DIR, dbt_executable


def test_first_build_loads_seeds_and_builds_everything_in_full() -> None:
    args, why = build_args(BuildState(None, None), BuildState("s1", "p1"))
    assert args == ["build", "--full-refresh"]
    assert why == "first build, seeds (re)loaded"


def test_a_new_report_builds_incrementally_without_reloading_seeds() -> None:
    args, why = build_args(BuildState("s1", "p1"), BuildState("s1", "p1"))
    assert args == ["build", "--exclude", "config.materialized:view resource_type:seed"]
    assert why == "incremental, seeds unchanged"


def test_changed_models_rebuild_the_incremental_marts_from_scratch() -> None:
    args, _ = build_args(BuildState("s1", "p1"), BuildState("s1", "p2"))
    assert args == ["build", "--full-refresh", "--exclude", "resource_type:seed"]


def test_changed_seeds_rebuild_the_reference_dimensions_incrementally_elsewhere() -> None:
    args, why = build_args(BuildState("s1", "p1"), BuildState("s2", "p1"))
    assert args == ["build", "--exclude", "config.materialized:view"]
    assert why == "incremental, seeds (re)loaded"


def test_fingerprints_are_stable_and_cover_the_models() -> None:
    assert project_fingerprint() == project_fingerprint()
    assert seeds_fingerprint() != project_fingerprint()
    assert len(project_fingerprint()) == 16


def test_dbt_version_comes_from_the_installed_package_without_a_subprocess(monkeypatch) -> None:
    # dagster-dbt must still consult this (private) hook, or the override silently stops saving 3 s a build
    import inspect
    import subprocess

    assert "self._cli_version" in inspect.getsource(DbtCliResource.cli)

    def refuse(*_args, **_kwargs):
        raise AssertionError("dbt --version was run")

    monkeypatch.setattr(subprocess, "check_output", refuse)
    resource = ProvreportDbtCliResource(project_dir=os.fspath(DBT_PROJECT_DIR), dbt_executable=dbt_executable())
    assert resource._cli_version.major == 1 and resource._cli_version.minor == 11


def test_only_the_newest_invocation_folders_are_kept(tmp_path: Path) -> None:
    for i in range(14):
        folder = tmp_path / f"provreport_dbt_models-run{i:02d}-abc"
        folder.mkdir()
        os.utime(folder, (time.time() - 100 + i, time.time() - 100 + i))
    (tmp_path / "manifest.json").write_text("{}")
    prune_invocations(tmp_path, keep=10)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["manifest.json", *[f"provreport_dbt_models-run{i:02d}-abc" for i in range(4, 14)]]


def test_each_warehouse_keeps_its_own_partial_parse_file_beside_it(tmp_path: Path) -> None:
    """dbt's target/ and logs of a build go to ``<warehouse dir>/<name>.dbt/`` (never dbt_project/),
    and each warehouse's next build starts from its own partial-parse file, its working copy's too."""
    for warehouse, parsed in (("a.duckdb", b"parsed with a"), ("b.duckdb", b"parsed with b")):
        invocation = invocation_target(tmp_path / warehouse, "run1234567")
        assert invocation.parent == tmp_path / f"{warehouse[0]}.dbt" / "target"
        assert not (invocation / "partial_parse.msgpack").exists()  # a first build: dagster-dbt's copy
        (invocation / "partial_parse.msgpack").write_bytes(parsed)
        keep_partial_parse(invocation, tmp_path / warehouse)
    again = invocation_target(tmp_path / ".a.duckdb.building", "run7654321")  # a run's working copy
    assert (again / "partial_parse.msgpack").read_bytes() == b"parsed with a"
    assert (tmp_path / "b.dbt" / "partial_parse.msgpack").read_bytes() == b"parsed with b"
    assert dbt_run_dir(tmp_path / "a.duckdb") == tmp_path / "a.dbt"
