"""The single Dagster ``Definitions`` of the project (``dagster dev -m orchestration.definitions``).

Nothing here reads the settings when the module is imported: ``defs`` is Dagster's lazy entry point
(``@definitions``), and :func:`load_defs` builds the Definitions for given settings (the environment's
when none are given) when a run or Dagster's tools ask for them."""

from functools import cache

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    Definitions,
    ScheduleDefinition,
    define_asset_job,
    definitions,
    multi_or_in_process_executor,
)

from orchestration import step_server
from orchestration.dbt.assets import dbt_project, provreport_dbt_models
from orchestration.dbt.resources import ProvreportDbtCliResource
from orchestration.ingest.assets import ingest_landing_folder, landing_files
from orchestration.ingest.sensors import landing_folder_sensor
from orchestration.quality.checks import VALIDATION_TAG, great_expectations_marts
from orchestration.resources import default_resources
from orchestration.settings import DUCKDB_TAG, WAREHOUSE_TAG, Settings, dbt_executable
from orchestration.signoff.assets import approval_state
from sources.warehouse import published_path

PIPELINE_JOB = "provreport_pipeline"
# a run executes in process unless its run config says otherwise: one new report stays fast (a step process
# pays the import of these definitions); orchestration.runner asks for parallel_run_config when many
# files are new, and so can the launchpad of Dagster's UI
IN_PROCESS = {"execution": {"config": {"in_process": {}}}}


def parallel_run_config(workers: int) -> dict:
    """The run config of a run whose steps are processes, ``workers`` at a time: the partitions of an ingest
    read side by side, and only one at a time of the steps that open the DuckDB file (``DUCKDB_TAG``:
    only one process may hold it). Each step process is forked from a server that imported these
    definitions once, instead of importing them again (~5-7 s a step): orchestration.step_server, which the runner
    starts before it imports these definitions itself."""
    return {"execution": {"config": {"multiprocess": {
        "max_concurrent": workers,
        "tag_concurrency_limits": [{"key": DUCKDB_TAG, "limit": 1}],
        "start_method": {"forkserver": {"preload_modules": list(step_server.PRELOAD)}},
    }}}}

@cache
def _defs_for(settings: Settings) -> Definitions:
    # every run says which warehouse it built: runs of several warehouses in one Dagster instance (a
    # DAGSTER_HOME set by hand) are told apart in the UI (filter by tag) and by the CLI
    warehouse_tags = {WAREHOUSE_TAG: str(published_path(settings.warehouse))}
    pipeline_job = define_asset_job(
        PIPELINE_JOB,
        selection=AssetSelection.all(),
        description="Ingest new files from the landing folder, build every dbt model, validate the marts.",
        tags=warehouse_tags,
        config=IN_PROCESS,
    )
    validation_job = define_asset_job(
        "full_validation",
        selection=AssetSelection.all_asset_checks(),
        description="Re-run every check on every row of the marts without ingesting anything.",
        tags={VALIDATION_TAG: "full", **warehouse_tags},
        config=IN_PROCESS,
    )
    daily_validation = ScheduleDefinition(
        job=validation_job,
        cron_schedule="0 6 * * *",
        execution_timezone="Asia/Ho_Chi_Minh",
        default_status=DefaultScheduleStatus.STOPPED,
        description="Every morning at 06:00 (Vietnam time): the full validation of the marts.",
    )
    return Definitions(
        assets=[landing_files, ingest_landing_folder, provreport_dbt_models, approval_state],
        asset_checks=[great_expectations_marts],
        jobs=[pipeline_job, validation_job],
        sensors=[landing_folder_sensor],
        schedules=[daily_validation],
        resources={
            **default_resources(settings),
            "dbt": ProvreportDbtCliResource(project_dir=dbt_project, target=settings.dbt_target,
                                            dbt_executable=dbt_executable(), in_process=settings.dbt_in_process),
        },
        # in process by default (IN_PROCESS); in step processes with parallel_run_config
        executor=multi_or_in_process_executor,
    )


# the in-process jobs kept per job of the definitions (each selection of assets its own job)
EPHEMERAL_JOBS_KEPT = 8


def _reusing_ephemeral_jobs(job):
    """``job`` (a JobDefinition of these definitions), its ``as_ephemeral_job`` answering a selection it has
    built before with the job it built then.

    ``execute_in_process`` builds a new job for every run (the in-process executor, the selected assets),
    and Dagster keeps the job's snapshot and its id on that job object: a ``watch`` computed and hashed the
    snapshot of the whole job (about 50 ms) run after run for the same definitions and selection. A job
    built by other arguments (resources, input values, ops selected) is built as before, each time."""
    if getattr(job, "_provreport_reuses_ephemeral_jobs", False):
        return job
    build = job.as_ephemeral_job
    built: dict[frozenset, object] = {}

    def as_ephemeral_job(resource_defs, input_values, op_selection=None, asset_selection=None):
        if resource_defs or input_values or op_selection:
            return build(resource_defs, input_values, op_selection=op_selection, asset_selection=asset_selection)
        key = frozenset(asset_selection or ())
        if key not in built:
            if len(built) >= EPHEMERAL_JOBS_KEPT:
                built.pop(next(iter(built)))
            built[key] = build(resource_defs, input_values, op_selection=op_selection, asset_selection=asset_selection)
        return built[key]

    job.as_ephemeral_job = as_ephemeral_job
    job._provreport_reuses_ephemeral_jobs = True
    return job


def in_process_job(settings: Settings, job_name: str):
    """The job ``job_name`` of :func:`load_defs`, for ``execute_in_process``: run after run in one process
    with the same settings and selection, its runs reuse one in-process job and its snapshot
    (:func:`_reusing_ephemeral_jobs`). Definitions built again (other settings) have their own jobs."""
    return _reusing_ephemeral_jobs(load_defs(settings).resolve_job_def(job_name))


def load_defs(settings: Settings | None = None) -> Definitions:
    """The Definitions for ``settings``, or for the environment's read now (built once per settings: a
    ``watch`` process reuses them run after run)."""
    return _defs_for(settings if settings is not None else Settings.from_env())


@definitions
def defs() -> Definitions:
    """Dagster's entry point (``dagster dev -m orchestration.definitions``): the environment's settings."""
    return load_defs()


def resolved_pipeline_job():
    """The pipeline job, for ``dagster.reconstructable``: step processes load it from this module, with the
    settings their parent exported to the environment."""
    return load_defs().resolve_job_def(PIPELINE_JOB)
