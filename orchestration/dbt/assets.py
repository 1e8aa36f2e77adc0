"""Every dbt model, seed and test as Dagster assets and checks (dagster-dbt)."""

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.resources import WarehouseResource
from orchestration.settings import DBT_PROJECT_DIR, Settings

dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=DBT_PROJECT_DIR,
    target=Settings.from_env().dbt_target,
)


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


def seeds_fingerprint() -> str:
    """A hash of every seed file: reference data changes rarely, and reloading 10 000 communes
    on every run is the largest fixed cost of a build."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((DBT_PROJECT_DIR / "seeds").rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def seeds_loaded(warehouse: Path, fingerprint: str) -> bool:
    import duckdb

    if not warehouse.exists():
        return False
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return False
    try:
        row = con.execute("select fingerprint from reference._seeds_loaded").fetchone()
        return row is not None and row[0] == fingerprint
    except duckdb.Error:
        return False
    finally:
        con.close()


def record_seeds(warehouse: Path, fingerprint: str) -> None:
    import duckdb

    con = duckdb.connect(str(warehouse))
    try:
        con.execute("create schema if not exists reference")
        con.execute("create or replace table reference._seeds_loaded as select ? as fingerprint, now() as loaded_at",
                    [fingerprint])
    finally:
        con.close()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=ProvreportTranslator(),
)
def provreport_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """Seeds, staging, intermediate and marts, built and tested by ``dbt build``; seeds are
    reloaded only when their files changed."""
    fingerprint = seeds_fingerprint()
    skip_seeds = seeds_loaded(warehouse.file, fingerprint)
    args = ["build", "--exclude", "resource_type:seed"] if skip_seeds else ["build"]
    if skip_seeds:
        context.log.info("seeds unchanged since they were loaded: not reloading them")
    # dagster-dbt echoes every dbt log line on stdout: progress on a terminal, a flood in cron logs
    quiet = os.environ.get("PROVREPORT_QUIET") == "1"
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink) if quiet else contextlib.nullcontext():
        yield from dbt.cli(args, context=context).stream()
    if not skip_seeds:
        record_seeds(warehouse.file, fingerprint)
