"""Ingest assets: the files in the landing folder, and schema ``raw`` written from them.

Thin wrappers: the work is done by :mod:`sources.ingest`, which has no Dagster imports. The raw tables
are one graph-backed asset of three steps: ``plan_ingest`` surveys the landing folder and splits the new
files into partitions (one, unless there are many: ``Settings.ingest_partitions``), ``read_partition``
reads one partition (each file in a sandboxed worker process under its time and memory budgets) into
Parquet files in a staging folder beside the warehouse, never opening the warehouse, and ``load_ingest``
writes them to raw, the single writer. Under the multiprocess executor the partitions are read by
parallel step processes (a run of many new files: ``orchestration.runner``); the steps that open the
DuckDB file carry the ``DUCKDB_TAG`` that executor runs one at a time.
"""

import shutil

from dagster import (
    AssetIn,
    AssetKey,
    AssetOut,
    AssetSpec,
    DynamicOut,
    DynamicOutput,
    In,
    MetadataValue,
    Nothing,
    OpExecutionContext,
    Out,
    Output,
    graph_multi_asset,
    op,
)

from orchestration.outputs.progress import progress
from orchestration.resources import LandingFolderResource, WarehouseResource
from orchestration.settings import DUCKDB_TAG, Settings

RAW_REPORTS = AssetKey(["raw", "reports"])
RAW_FIGURES = AssetKey(["raw", "figures"])
RAW_REJECTIONS = AssetKey(["raw", "rejections"])
LANDING_FILES = AssetKey(["landing", "district_reports"])

landing_files = AssetSpec(
    LANDING_FILES,
    description="The files districts send (reports in .txt/.md/.html/.docx/.pdf), as they land in "
    "PROVREPORT_LANDING. Read only: never modified, moved or deleted.",
    group_name="ingest",
    kinds={"file"},
    owners=["team:data-engineering"],
)


def _raw_table(key: AssetKey, description: str) -> AssetOut:
    return AssetOut(key=key, dagster_type=Nothing, description=description, kinds={"duckdb", "python"},
                    owners=["team:data-engineering"])


def _say(context: OpExecutionContext):
    def say(message: str) -> None:
        context.log.info(message)
        if message.startswith("["):  # "[i/n] file: ..." as each new file is read
            progress.update(f"{message[1:message.index(']')]} new files read")

    return say


def _prepare_dbt(warehouse: WarehouseResource) -> None:
    """In a run executed in this process (its working copy kept open: orchestration.runner.run_pipeline), dbt's
    first command is prepared while this step waits for its reader process
    (``orchestration.dbt.resources.prefetch``); a step process of a parallel run does not build."""
    from sources.warehouse import is_kept

    if is_kept(warehouse.file) and Settings.from_env().dbt_in_process:
        from orchestration.dbt.assets import dbt_run_dir
        from orchestration.dbt.resources import prefetch

        prefetch(dbt_run_dir(warehouse.file))


def _staging(context: OpExecutionContext, warehouse: WarehouseResource):
    from sources.warehouse import staging_path

    return staging_path(warehouse.file, context.run_id)


@op(ins={"landing_files": In(Nothing)}, out=DynamicOut(int), tags={DUCKDB_TAG: "plan"},
    description="Surveys the landing folder, picks the files whose content is new and splits them into "
    "partitions; writes the plan into the run's staging folder beside the warehouse.")
def plan_ingest(context: OpExecutionContext, landing: LandingFolderResource, warehouse: WarehouseResource):
    from sources import ingest  # the extractor and the readers: loaded when a run ingests, not with the definitions

    progress.start("ingest", f"looking at {landing.folder.name}/ ...")
    with warehouse.connect_duckdb() as con:
        plan = ingest.plan_ingest(landing.folder, con, context.run_id, progress=_say(context),
                                  limits=landing.limits)
    plan.partitions = Settings.from_env().ingest_partitions(len(plan.fresh))
    ingest.save_plan(plan, _staging(context, warehouse))
    if plan.partitions > 1:
        context.log.info(f"{len(plan.fresh)} new files in {plan.partitions} partitions")
    for number in range(plan.partitions):  # at least one, empty when nothing is new: the load always runs
        yield DynamicOutput(number, mapping_key=f"part_{number}")


@op(out=Out(int), description="Reads one partition of the new files (each in a sandboxed worker process "
    "under its time and memory budgets) into Parquet files in the staging folder; never opens the warehouse.")
def read_partition(context: OpExecutionContext, number: int, warehouse: WarehouseResource) -> int:
    from sources import ingest

    _prepare_dbt(warehouse)
    staging = _staging(context, warehouse)
    read = ingest.read_partition(ingest.load_plan(staging), number, progress=_say(context))
    ingest.save_partition(read, ingest.partition_folder(staging, number))
    return number


@op(out={"reports": Out(Nothing), "figures": Out(Nothing), "rejections": Out(Nothing)}, tags={DUCKDB_TAG: "load"},
    description="Writes what the partitions read to schema raw, in the files' order, in transactions of whole "
    "files; removes the staging folder.")
def load_ingest(context: OpExecutionContext, partitions: list[int], warehouse: WarehouseResource):
    from sources import ingest

    staging = _staging(context, warehouse)
    plan = ingest.load_plan(staging)
    reads = [ingest.load_partition(ingest.partition_folder(staging, n)) for n in sorted(partitions)]
    with warehouse.connect_duckdb() as con:
        summary = ingest.load_ingest(con, plan, reads)
        preview = con.execute(
            "select r.source_file, r.district_name, f.kind, f.source_quote "
            "from raw.figures f join raw.reports r using (report_id) "
            "where r.run_id = ? order by f.figure_id limit 10",
            [context.run_id],
        ).fetchall()
        totals = dict(con.execute(
            "select 'reports', count(*) from raw.reports union all "
            "select 'figures', count(*) from raw.figures union all "
            "select 'rejections', count(*) from raw.rejections"
        ).fetchall())
    shutil.rmtree(staging, ignore_errors=True)
    progress.finish(f"{summary.files_seen} files, {summary.reports_written} new reports, "
                    f"{summary.figures_written} figures, {len(summary.rejected)} refused")
    preview_md = "\n".join(f"| {a} | {b or ''} | {c} | {d[:80]} |" for a, b, c, d in preview)
    rejected_md = "\n".join(f"| {r['source_file']} | {r['reason']} | {r['detail']} |" for r in summary.rejected)
    yield Output(None, "reports", metadata={
        "files_seen": summary.files_seen,
        "files_already_ingested": summary.files_skipped_known,
        "reports_written": summary.reports_written,
        "partitions_read": len(reads),
        # each report is identified by its content: the run's reports, for lineage in the UI
        "report_ids": MetadataValue.json(summary.report_ids[:200]),
        "dagster/row_count": totals["reports"],
    })
    yield Output(None, "figures", metadata={
        "figures_written": summary.figures_written,
        "dagster/row_count": totals["figures"],
        "preview": MetadataValue.md(
            "| file | district | kind | quote |\n|---|---|---|---|\n" + preview_md if preview_md else "none"
        ),
    })
    yield Output(None, "rejections", metadata={
        "rejected_this_run": len(summary.rejected),
        "dagster/row_count": totals["rejections"],
        "rejected_files": MetadataValue.md(
            "| file | reason | detail |\n|---|---|---|\n" + rejected_md if rejected_md else "none"
        ),
    })


@graph_multi_asset(
    name="ingest_landing_folder",
    group_name="ingest",
    ins={"landing_files": AssetIn(key=LANDING_FILES, dagster_type=Nothing)},
    outs={
        "reports": _raw_table(
            RAW_REPORTS, "One row per report read from the landing folder: normalised text, report date and "
            "period, the district and province resolved against the gazetteer."),
        "figures": _raw_table(
            RAW_FIGURES, "Every figure the extractor found, with its quote, offsets, sentence and rule."),
        "rejections": _raw_table(
            RAW_REJECTIONS, "Files the pipeline refused (empty, corrupt, unreadable encoding, too large ...) "
            "with the reason; the files themselves are never touched."),
    },
)
def ingest_landing_folder(landing_files):
    """Reads every file of the landing folder whose content the warehouse has not seen (SHA-256), in
    partitions read in parallel when there are many, extracts its figures and writes schema raw."""
    read = plan_ingest(landing_files).map(read_partition).collect()
    reports, figures, rejections = load_ingest(read)
    return {"reports": reports, "figures": figures, "rejections": rejections}
