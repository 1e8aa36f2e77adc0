"""What the dbt asset asks of dbt: pure argument building, the version shortcut, housekeeping."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from dagster import AssetKey
from dagster_dbt import DbtCliResource

from orchestration.dbt.assets import (
    PLANNED_STATE_TAG,
    BuildState,
    build_args,
    dbt_run_dir,
    invocation_target,
    keep_partial_parse,
    keys_built_from_seeds_only,
    keys_left_as_built,
    left_as_built,
    pipeline_selection,
    project_fingerprint,
    prune_invocations,
    record_state,
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


def test_what_a_build_leaves_as_it_is() -> None:
    assert left_as_built(BuildState("s1", "p1"), BuildState("s1", "p1")) == ["config.materialized:view",
                                                                             "resource_type:seed"]
    assert left_as_built(BuildState("s1", "p1"), BuildState("s1", "p2")) == ["resource_type:seed"]
    assert left_as_built(BuildState("s1", "p1"), BuildState("s2", "p1")) == ["config.materialized:view"]
    assert left_as_built(BuildState(None, None), BuildState("s1", "p1")) == []


MANIFEST = {"nodes": {
    "model.p.stg_raw__figures": {"resource_type": "model", "name": "stg_raw__figures",
                                 "config": {"schema": "staging", "materialized": "view"}},
    "model.p.fct_x": {"resource_type": "model", "name": "fct_x",
                      "config": {"schema": "marts", "materialized": "table"}},
    "seed.p.programmes": {"resource_type": "seed", "name": "programmes",
                          "config": {"schema": "reference", "materialized": "seed"}},
    "test.p.not_null_stg": {"resource_type": "test", "name": "not_null_stg", "config": {"materialized": "view"}},
}}


def test_the_asset_keys_of_the_nodes_a_build_leaves_as_they_are() -> None:
    assert keys_left_as_built(MANIFEST, ["config.materialized:view", "resource_type:seed"]) == {
        AssetKey(["staging", "stg_raw__figures"]), AssetKey(["reference", "programmes"])}
    assert keys_left_as_built(MANIFEST, ["resource_type:seed"]) == {AssetKey(["reference", "programmes"])}
    assert keys_left_as_built(MANIFEST, []) == set()


MANIFEST_WITH_PARENTS = {"nodes": {
    "seed.p.programmes": {"resource_type": "seed", "name": "programmes", "config": {"schema": "reference"},
                          "depends_on": {"nodes": []}},
    "model.p.stg_raw__reports": {"resource_type": "model", "name": "stg_raw__reports",
                                 "config": {"schema": "staging", "materialized": "view"},
                                 "depends_on": {"nodes": ["source.p.raw.reports"]}},
    "model.p.int_programmes": {"resource_type": "model", "name": "int_programmes",
                               "config": {"schema": "intermediate", "materialized": "view"},
                               "depends_on": {"nodes": ["seed.p.programmes"]}},
    "model.p.dim_programme": {"resource_type": "model", "name": "dim_programme",
                              "config": {"schema": "marts", "materialized": "table"},
                              "depends_on": {"nodes": ["model.p.int_programmes"]}},
    "model.p.dim_period": {"resource_type": "model", "name": "dim_period",
                           "config": {"schema": "marts", "materialized": "table"},
                           "depends_on": {"nodes": ["model.p.stg_raw__reports", "seed.p.programmes"]}},
}}


def test_the_tables_built_from_seeds_alone() -> None:
    assert keys_built_from_seeds_only(MANIFEST_WITH_PARENTS) == {AssetKey(["marts", "dim_programme"])}


def test_a_pipeline_run_leaves_out_the_seeds_and_their_tables_its_build_leaves_as_they_are(tmp_path: Path) -> None:
    import json

    from orchestration.dbt.assets import dbt_project

    warehouse = tmp_path / "w.duckdb"
    everything = [AssetKey(["raw", "figures"]), AssetKey(["staging", "stg_raw__figures"]),
                  AssetKey(["marts", "fct_programme_funding"]), AssetKey(["marts", "dim_period"]),
                  AssetKey(["marts", "dim_admin_unit"]), AssetKey(["reference", "programmes"])]
    # no build yet: every asset
    assert pipeline_selection(everything, warehouse) == (None, {})
    seeds = seeds_fingerprint()
    project = project_fingerprint(seeds)
    record_state(warehouse, BuildState(seeds, project))
    selection, tags = pipeline_selection(everything, warehouse)
    # the views stay (through them Dagster orders the dbt step after the ingest of raw), and so does
    # dim_period, built from the reports; dim_admin_unit comes from seeds alone
    assert selection == everything[:4]
    assert tags == {PLANNED_STATE_TAG: f"{seeds} {project}"}
    manifest = json.loads(Path(dbt_project.manifest_path).read_text(encoding="utf-8"))
    assert AssetKey(["reference", "programmes"]) in keys_left_as_built(manifest, ["resource_type:seed"])
    assert all(key.path[0] == "reference" for key in keys_left_as_built(manifest, ["resource_type:seed"]))
    from_seeds = keys_built_from_seeds_only(manifest)
    assert AssetKey(["marts", "dim_admin_unit"]) in from_seeds and AssetKey(["marts", "dim_period"]) not in from_seeds
    assert not any(key.path[1].startswith("fct_") for key in from_seeds)
    # models changed: every model is rebuilt, the unchanged seeds are still left as they are
    record_state(warehouse, BuildState(seeds, "an older project"))
    assert pipeline_selection(everything, warehouse)[0] == everything[:5]
    # seeds changed: every asset
    record_state(warehouse, BuildState("older seeds", project))
    assert pipeline_selection(everything, warehouse) == (None, {})


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


def test_dbt_runs_in_this_process_through_the_hooks_dagster_dbt_still_has() -> None:
    # the in-process invocation replaces dagster-dbt's subprocess through private names: if dagster-dbt stops
    # using them, the override silently falls back to a dbt subprocess (seconds of imports and parsing a build)
    import inspect

    import dagster_dbt.core.resource as dagster_dbt_resource

    source = inspect.getsource(DbtCliResource.cli)
    assert "DbtCliInvocation.run(" in source and "_initialize_dbt_core_adapter" in source
    assert dagster_dbt_resource.DbtCliInvocation.__name__ == "DbtCliInvocation"
    assert "def _stream_stdout" in inspect.getsource(dagster_dbt_resource.DbtCliInvocation)


@pytest.mark.slow
def test_a_dbt_command_runs_in_process_and_its_parse_is_kept(tmp_path: Path, monkeypatch) -> None:
    """No dbt subprocess; the second command of the process reuses the first one's manifest (no parse)."""
    import subprocess

    from orchestration.dbt import resources

    popen = subprocess.Popen

    def refuse_dbt(args, *rest, **kwargs):  # platform.processor() runs `uname -p`, once a process
        if "dbt" in os.path.basename(str(args[0] if isinstance(args, (list, tuple)) else args)):
            raise AssertionError(f"dbt was started as a subprocess: {args}")
        return popen(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", refuse_dbt)
    monkeypatch.setenv("DUCKDB_PATH", str(tmp_path / "w.duckdb"))
    resources.reset_kept_manifest()
    resource = ProvreportDbtCliResource(project_dir=os.fspath(DBT_PROJECT_DIR), profiles_dir=os.fspath(DBT_PROJECT_DIR),
                                        dbt_executable=dbt_executable())
    parsed = []
    original = resources.InProcessDbtInvocation._parsed

    def counting(self, flags, command):
        kept = bool(resources._MANIFEST)
        manifest = original(self, flags, command)
        parsed.append((kept, manifest is not None))
        return manifest

    monkeypatch.setattr(resources.InProcessDbtInvocation, "_parsed", counting)
    for i in range(2):
        invocation = resource.cli(["ls", "--resource-type", "model"], target_path=tmp_path / f"t{i}")
        assert isinstance(invocation, resources.InProcessDbtInvocation)
        events = list(invocation.stream_raw_events())
        assert invocation.is_successful(), invocation._error_messages
        assert any("fct_programme_funding" in str(e) for e in events)
    assert parsed == [(False, True), (True, True)]
    # a command with results (here a seed): its run_results.json in its target folder, as dbt writes it, but
    # not dbt's manifest.json (the prepared one is dbt_project/target's)
    invocation = resource.cli(["seed", "--select", "source_kinds"], target_path=tmp_path / "seed")
    list(invocation.stream_raw_events())
    assert invocation.is_successful(), invocation._error_messages
    run_results = json.loads((tmp_path / "seed" / "run_results.json").read_text())
    assert [r["unique_id"] for r in run_results["results"]] == ["seed.provreport.source_kinds"]
    assert [r["status"] for r in run_results["results"]] == ["success"]
    assert not (tmp_path / "seed" / "manifest.json").exists()
    # a new process (nothing kept in memory) on the same warehouse: the manifest is read from the kept
    # partial-parse file, whose key says it was parsed from these inputs, without a parse
    assert (tmp_path / "t0" / resources.KEY_FILE).exists()
    resources.reset_kept_manifest()
    (tmp_path / "t2").mkdir()
    for name in ("partial_parse.msgpack", resources.KEY_FILE):
        (tmp_path / "t2" / name).write_bytes((tmp_path / "t0" / name).read_bytes())
    from dbt.cli.main import dbtRunner

    commands = []
    invoke = dbtRunner.invoke

    def recording(self, args, **kwargs):
        commands.append([a for a in args if not a.startswith("-")][:1])
        return invoke(self, args, **kwargs)

    monkeypatch.setattr(dbtRunner, "invoke", recording)
    invocation = resource.cli(["ls", "--resource-type", "model"], target_path=tmp_path / "t2")
    events = list(invocation.stream_raw_events())  # all of them: the command ends with its last event
    assert any("fct_programme_funding" in str(e) for e in events)
    assert commands == [["ls"]]
    # the same, the manifest decoded beforehand by prefetch's thread (the ingest's wait) from the warehouse's
    # dbt folder: the command takes it, no second decode, no parse
    resources.reset_kept_manifest()
    run_dir, decoded = tmp_path / "w.dbt", []
    (tmp_path / "t3").mkdir()
    for folder in (run_dir, tmp_path / "t3"):
        folder.mkdir(exist_ok=True)
        for name in ("partial_parse.msgpack", resources.KEY_FILE):
            (folder / name).write_bytes((tmp_path / "t0" / name).read_bytes())
    decode = resources._decoded
    monkeypatch.setattr(resources, "_decoded", lambda data: decoded.append(len(data)) or decode(data))
    assert resources.prefetch(run_dir) and not resources.prefetch(run_dir)  # started once
    invocation = resource.cli(["ls", "--resource-type", "model"], target_path=tmp_path / "t3")
    events = list(invocation.stream_raw_events())
    assert any("fct_programme_funding" in str(e) for e in events)
    assert commands[1:] == [["ls"]] and decoded == [len((run_dir / "partial_parse.msgpack").read_bytes())]
    assert not resources.prefetch(run_dir)  # a manifest is kept: nothing to prepare
    resources.reset_kept_manifest()
    assert not resources.prefetch(tmp_path / "no.dbt")  # nothing kept beside the warehouse
    del commands[1:]
    # another input (here the warehouse path, which names dbt's catalog): parsed again
    resources.reset_kept_manifest()
    monkeypatch.setenv("DUCKDB_PATH", str(tmp_path / "other.duckdb"))
    list(resource.cli(["ls", "--resource-type", "model"], target_path=tmp_path / "t2").stream_raw_events())
    assert commands[1:] == [["parse"], ["ls"]]
    resources.reset_kept_manifest()


def test_the_key_of_the_partial_parse_file_travels_with_it(tmp_path: Path) -> None:
    from orchestration.dbt.resources import KEY_FILE

    first = invocation_target(tmp_path / "a.duckdb", "run1234567")
    (first / "partial_parse.msgpack").write_bytes(b"parsed")
    (first / KEY_FILE).write_text("key1")
    keep_partial_parse(first, tmp_path / "a.duckdb")
    again = invocation_target(tmp_path / "a.duckdb", "run7654321")
    assert (again / KEY_FILE).read_text() == "key1"
    (again / KEY_FILE).unlink()  # a build whose parse wrote no key: the kept key goes, never left stale
    keep_partial_parse(again, tmp_path / "a.duckdb")
    assert not (tmp_path / "a.dbt" / KEY_FILE).exists()



def test_a_parse_made_ahead_is_kept_beside_the_warehouse_and_its_build_only_checks_it(
        tmp_path: Path, monkeypatch) -> None:
    """A parallel run parses a new warehouse's project before its steps start (parse_ahead): the parse is kept
    where builds keep theirs, once, and the build's dbt finds nothing to parse again (dbt's own verdict, from its
    events), where a build without it parses the whole project."""
    from dbt.cli.main import dbtRunner

    from orchestration.dbt.project import parse_ahead

    warehouse = tmp_path / "w.duckdb"
    monkeypatch.setenv("DUCKDB_PATH", str(warehouse))
    kept = dbt_run_dir(warehouse) / "partial_parse.msgpack"
    assert parse_ahead(warehouse, "duckdb") is True
    assert kept.stat().st_size > 100_000
    made = kept.stat().st_mtime_ns
    assert parse_ahead(warehouse, "duckdb") is False and kept.stat().st_mtime_ns == made  # kept: not parsed again
    assert [p.name for p in kept.parent.iterdir()] == ["partial_parse.msgpack"]  # its parse folder is gone

    def events_of_a_parse(target: Path) -> set[str]:
        seen: set[str] = set()
        result = dbtRunner(callbacks=[lambda msg: seen.add(msg.info.name)]).invoke(
            ["parse", "--no-write-json", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
             "--target", "duckdb", "--target-path", str(target), "--log-path", str(target)])
        assert result.success
        return seen

    with_it = events_of_a_parse(invocation_target(warehouse, "run-with-the-parse-ahead"))
    assert "PartialParsingSkipParsing" in with_it and "UnableToPartialParse" not in with_it
    other = tmp_path / "other.duckdb"  # no parse ahead: dbt finds none and parses the whole project
    monkeypatch.setenv("DUCKDB_PATH", str(other))
    without = events_of_a_parse(invocation_target(other, "run-without"))
    assert "PartialParsingSkipParsing" not in without
