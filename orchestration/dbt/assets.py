"""Every dbt model, seed and test as Dagster assets and checks (dagster-dbt)."""

import contextlib
import io
import os
import re
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import DagsterDbtTranslator, DbtProject, dbt_assets

from orchestration.dbt.fingerprint import project_fingerprint, seeds_fingerprint
from orchestration.dbt.resources import KEY_FILE, ProvreportDbtCliResource
from orchestration.outputs.progress import progress
from orchestration.resources import WarehouseResource
from orchestration.settings import DBT_PROJECT_DIR, DUCKDB_TAG, VERBOSE_TAG, beside_warehouse
from sources.connection import Warehouse, as_warehouse
from sources.schema import BOOKKEEPING_SCHEMA, DBT_BUILD_STATE_TABLE, FORMER_BOOKKEEPING_TABLES
from sources.warehouse import WarehouseLockedError

# the target is the resource's (orchestration.definitions, from the settings of the run), not read here
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class ProvreportTranslator(DagsterDbtTranslator):
    """Asset keys say where a model lives: ``marts/fct_programme_funding``, ``raw/figures``."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        return AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        schema = dbt_resource_props.get("config", {}).get("schema")
        return schema or "dbt"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return ["team:analytics-engineering"]


@dataclass(frozen=True, slots=True)
class BuildState:
    seeds: str | None
    project: str | None

    @property
    def stamp(self) -> str:
        """Both fingerprints in one text: what a run's selection was planned from (PLANNED_STATE_TAG)."""
        return f"{self.seeds} {self.project}"


def built_state(warehouse: Path | Warehouse) -> BuildState:
    """The fingerprints the target's marts were last built from (none before the first build), kept
    where the marts are: the DuckDB file, or the PostgreSQL server."""
    warehouse = as_warehouse(warehouse)
    if warehouse.engine == "duckdb" and not warehouse.file.exists():
        return BuildState(None, None)
    try:
        with warehouse.connect(read_only=True) as con:
            try:
                rows = con.execute("select seeds_fingerprint, project_fingerprint "
                                   f"from {DBT_BUILD_STATE_TABLE}").fetchall()
            except con.Error:
                return BuildState(None, None)
    except (duckdb.Error, WarehouseLockedError):
        return BuildState(None, None)
    return BuildState(*rows[0]) if rows else BuildState(None, None)


def record_state(warehouse: Path | Warehouse, state: BuildState) -> None:
    with as_warehouse(warehouse).connect() as con, con.transaction():
        con.execute(f"create schema if not exists {BOOKKEEPING_SCHEMA}")
        # a PostgreSQL target has no numbered migrations (sources.schema.MIGRATIONS, version 4): the state's
        # former place, in the seeds' schema, goes when the state is written
        con.execute(f"drop table if exists {FORMER_BOOKKEEPING_TABLES[DBT_BUILD_STATE_TABLE]}")
        con.execute(f"drop table if exists {DBT_BUILD_STATE_TABLE}")
        con.execute(f"create table {DBT_BUILD_STATE_TABLE} (seeds_fingerprint varchar, project_fingerprint "
                    "varchar, built_at timestamp)")
        con.execute(f"insert into {DBT_BUILD_STATE_TABLE} values (?, ?, current_timestamp)",
                    [state.seeds, state.project])


# the dbt selectors a build may leave out, and which manifest nodes each one names
_LEFT_AS_BUILT = {
    "config.materialized:view": lambda node: node.get("config", {}).get("materialized") == "view",
    "resource_type:seed": lambda node: node.get("resource_type") == "seed",
}


def left_as_built(built: BuildState, current: BuildState) -> list[str]:
    """The dbt selectors of what a build leaves as it is (pure): views when the project is unchanged (they
    hold only their SQL), seeds when their files are unchanged."""
    return [selector for selector, unchanged in (("config.materialized:view", built.project == current.project),
                                                 ("resource_type:seed", built.seeds == current.seeds)) if unchanged]


def build_args(built: BuildState, current: BuildState) -> tuple[list[str], str]:
    """``dbt build`` arguments for what changed since the last build, and why (pure: unit-tested).

    Seeds are reloaded only when their files changed. The incremental marts are rebuilt from scratch
    (``--full-refresh``) when the project changed: rows built by older SQL must not stay beside new ones.
    Otherwise views (unchanged SQL) are left as they are; their tests, on the raw keys (also primary
    keys in DuckDB), run in full builds and in the daily full_validation job. The dimensions are
    rebuilt: excluding them would also exclude the facts' relationship tests to them.
    """
    args, reasons = ["build"], []
    if built.project != current.project:
        args.append("--full-refresh")
        reasons.append("first build" if built.project is None else "models changed: full refresh")
    else:
        reasons.append("incremental")
    reasons.append("seeds unchanged" if built.seeds == current.seeds else "seeds (re)loaded")
    excluded = left_as_built(built, current)
    # one value: dagster-dbt reads a single argument after --exclude (dbt takes space-separated selectors)
    return args + (["--exclude", " ".join(excluded)] if excluded else []), ", ".join(reasons)


def keys_left_as_built(manifest: Mapping[str, Any], selectors: list[str]) -> set[AssetKey]:
    """The asset keys of the manifest's nodes that ``selectors`` (of :func:`left_as_built`) name (pure)."""
    translator = ProvreportTranslator()
    return {translator.get_asset_key(node) for node in manifest.get("nodes", {}).values()
            if node.get("resource_type") in ("model", "seed", "snapshot")
            and any(_LEFT_AS_BUILT[selector](node) for selector in selectors)}


def keys_built_from_seeds_only(manifest: Mapping[str, Any]) -> set[AssetKey]:
    """The asset keys of the tables (not views) whose every ancestor is a seed or a model: no source (raw,
    audit) reaches them, so with the seeds and the project unchanged they hold what a build would give
    (pure)."""
    nodes = manifest.get("nodes", {})
    reached: dict[str, bool] = {}

    def from_a_source(uid: str) -> bool:
        if uid not in reached:
            reached[uid] = False  # a cycle cannot occur in dbt; this only guards the recursion
            parents = nodes.get(uid, {}).get("depends_on", {}).get("nodes", [])
            reached[uid] = any(p.startswith("source.") or from_a_source(p) for p in parents)
        return reached[uid]

    translator = ProvreportTranslator()
    return {translator.get_asset_key(node) for uid, node in nodes.items()
            if node.get("resource_type") == "model" and node.get("config", {}).get("materialized") != "view"
            and not from_a_source(uid)}


# what a run's selection was planned from (pipeline_selection: the seeds' and the project's fingerprints):
# the dbt step refuses to build when either changed since (it would build what the run left out)
PLANNED_STATE_TAG = "provreport/dbt_planned_state"


def pipeline_selection(all_keys, warehouse: Path | Warehouse) -> tuple[list[AssetKey] | None, dict[str, str]]:
    """The assets a pipeline run materialises, and the tags that say what it was planned from.

    Every asset but the dbt nodes this build leaves as they are: the seeds when their files are unchanged,
    and, when the project is unchanged too, the tables built from seeds alone (the reference dimensions,
    :func:`keys_built_from_seeds_only`). Left out of the run, they are neither built nor planned, nor are
    their checks: Dagster keeps showing their last build and the last result of each of their checks (the
    state of the data, which this run does not change) instead of checks planned in every run that never
    report, and the run writes fewer events. The facts' tests that refer to a dimension still run (they
    are the facts' checks). The views stay in the run although dbt leaves them too: through them the marts
    depend on the raw tables, and without them Dagster would no longer order the dbt step after the ingest.
    ``(None, {})``: every asset (seeds to load, or the PostgreSQL target, whose raw tables may be recreated
    when they are copied, which rebuilds everything)."""
    warehouse = as_warehouse(warehouse)
    if warehouse.engine != "duckdb":
        return None, {}
    seeds = seeds_fingerprint()
    current = BuildState(seeds, project_fingerprint(seeds))
    unchanged = left_as_built(built_state(warehouse), current)
    if "resource_type:seed" not in unchanged:
        return None, {}
    import json

    manifest = json.loads(Path(dbt_project.manifest_path).read_text(encoding="utf-8"))
    skipped = keys_left_as_built(manifest, ["resource_type:seed"])
    if "config.materialized:view" in unchanged:  # the project unchanged: the seeds' tables are as built
        skipped |= keys_built_from_seeds_only(manifest)
    return [key for key in all_keys if key not in skipped], {PLANNED_STATE_TAG: current.stamp}


def dbt_run_dir(warehouse_file: Path) -> Path:
    """Where dbt's target/ and logs of this warehouse's builds go: ``<warehouse dir>/<name>.dbt/``,
    beside the warehouse, never inside dbt_project/ (the source tree)."""
    return beside_warehouse(warehouse_file, ".dbt")


def _replace(source: Path, destination: Path) -> None:
    """Copy atomically: a concurrent reader sees the old file or the new one, whole."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_suffix(f".{os.getpid()}.tmp")
    shutil.copyfile(source, tmp)
    os.replace(tmp, destination)


def invocation_target(warehouse_file: Path, run_id: str) -> Path:
    """A fresh folder for one ``dbt build`` (target and logs), with this warehouse's partial-parse
    file from its last build put in first: dagster-dbt copies dbt_project/target/partial_parse.msgpack
    (the prepared one, read only) only when the folder has none, and dbt re-parses the whole project
    when the file was made with another profile (another warehouse path)."""
    run_dir = dbt_run_dir(warehouse_file)
    target = run_dir / "target" / f"provreport_dbt_models-{run_id[:7]}-{uuid.uuid4().hex[:7]}"
    target.mkdir(parents=True, exist_ok=True)
    kept = run_dir / "partial_parse.msgpack"
    if kept.exists():
        shutil.copyfile(kept, target / "partial_parse.msgpack")
        if kept.with_name(KEY_FILE).exists():
            shutil.copyfile(kept.with_name(KEY_FILE), target / KEY_FILE)
    return target


def keep_partial_parse(invocation_target: Path, warehouse_file: Path) -> None:
    """Keep the build's fresh partial-parse file for the next build on the same warehouse, with the key of
    the inputs it was parsed from when the parse wrote one (orchestration.dbt.resources: a next process
    with the same key reads the manifest from it without parsing)."""
    fresh = invocation_target / "partial_parse.msgpack"
    if fresh.exists():
        kept = dbt_run_dir(warehouse_file) / "partial_parse.msgpack"
        key = invocation_target / KEY_FILE
        kept_key = kept.with_name(KEY_FILE)
        kept_key.unlink(missing_ok=True)  # never a key beside a file it does not describe
        _replace(fresh, kept)
        if key.exists():
            _replace(key, kept_key)


KEEP_INVOCATIONS = 10


def prune_invocations(target: Path, keep: int = KEEP_INVOCATIONS) -> None:
    """Each build leaves its own folder in ``<name>.dbt/target`` (logs, run results, compiled SQL):
    keep the newest ``keep`` so that a warehouse fed every few minutes does not fill the disk."""
    folders = sorted((d for d in target.glob("provreport_dbt_models-*") if d.is_dir()),
                     key=lambda d: d.stat().st_mtime, reverse=True)
    for old in folders[keep:]:
        shutil.rmtree(old, ignore_errors=True)


_NODE_DONE = re.compile(r"^\s*(\d+) of (\d+) (OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b")


class DbtProgress(io.TextIOBase):
    """Where dbt's log lines go instead of the terminal: each "12 of 57 PASS ..." line moves the
    progress line; the counts of warnings and errors close it (pure text in, counts out: unit-tested)."""

    def __init__(self) -> None:
        self.done = self.total = 0
        self.outcomes: dict[str, int] = {}
        self._pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            match = _NODE_DONE.match(re.sub(r"\x1b\[[0-9;]*m", "", line))
            if match:
                self.done, self.total = self.done + 1, int(match[2])
                self.outcomes[match[3]] = self.outcomes.get(match[3], 0) + 1
                progress.update(f"{self.done}/{self.total} models and tests")
        return len(text)

    def summary(self) -> str:
        counted = ", ".join(f"{n} {word.lower()}" for word, n in sorted(self.outcomes.items()))
        return f"{self.done} models and tests ({counted})" if self.done else "nothing to build"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=ProvreportTranslator(),
    op_tags={DUCKDB_TAG: "dbt"},  # dbt holds the DuckDB file: never beside another such step
)
def provreport_dbt_models(context: AssetExecutionContext, dbt: ProvreportDbtCliResource,
                          warehouse: WarehouseResource):
    """Seeds, staging, intermediate and marts, built and tested by ``dbt build``: incrementally (the
    units with new reports), in full when the models changed; seeds reloaded when their files changed."""
    if not dbt.in_process:  # the dbt subprocess opens the file itself (in process, dbt-duckdb shares the run's)
        from sources.warehouse import let_go

        let_go(warehouse.file)
    seeds = seeds_fingerprint()
    current = BuildState(seeds, project_fingerprint(seeds))
    built = built_state(warehouse.target)
    copied = warehouse.sync_raw()  # PostgreSQL: the server's raw tables = the DuckDB file's, by COPY
    if copied is not None:
        context.log.info(f"raw tables copied to PostgreSQL: {copied.rows}")
        if copied.recreated:  # views on a table made anew are gone: build everything again
            built = BuildState(built.seeds, None)
    args, why = build_args(built, current)
    planned = context.run.tags.get(PLANNED_STATE_TAG)
    if planned is not None and planned != current.stamp:
        raise RuntimeError("the dbt project or its seeds changed after this run chose what to build: run again, "
                           "and the new run builds what the change asks for")
    context.log.info(f"dbt {' '.join(args)} ({why})")
    # dagster-dbt echoes every dbt log line on stdout: with --verbose they are shown, otherwise they
    # feed the one progress line (a flood of 60 lines on a terminal, noise in cron logs); a run started
    # by provreport says which in its tags, one launched from Dagster's UI shows them
    verbose = context.run.tags.get(VERBOSE_TAG) != "0"
    target = invocation_target(warehouse.file, context.run.run_id)
    progress.start("dbt", f"building ({why})")
    sink = DbtProgress()
    with contextlib.nullcontext() if verbose else contextlib.redirect_stdout(sink):
        invocation = dbt.cli(args, context=context, target_path=target)
        yield from invocation.stream()
    progress.finish(sink.summary())
    keep_partial_parse(invocation.target_path, warehouse.file)
    prune_invocations(invocation.target_path.parent)
    if context.selected_asset_keys:  # a run of the tests alone (full_validation) built nothing
        record_state(warehouse.target, current)
