"""Ingest assets: the files in the landing folder, and schema ``raw`` written from them.

Thin wrappers: the work is done by :mod:`sources.ingest`, which has no Dagster imports.
"""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from orchestration.outputs.progress import progress
from orchestration.resources import LandingFolderResource, WarehouseResource

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


@multi_asset(
    specs=[
        AssetSpec(
            RAW_REPORTS,
            description="One row per report read from the landing folder: normalised text, "
            "report date and period, the district and province resolved against the gazetteer.",
            group_name="ingest",
            deps=[LANDING_FILES],
            kinds={"duckdb", "python"},
            owners=["team:data-engineering"],
        ),
        AssetSpec(
            RAW_FIGURES,
            description="Every figure the extractor found, with its quote, offsets, sentence and rule.",
            group_name="ingest",
            deps=[LANDING_FILES],
            kinds={"duckdb", "python"},
            owners=["team:data-engineering"],
        ),
        AssetSpec(
            RAW_REJECTIONS,
            description="Files the pipeline refused (empty, corrupt, unreadable encoding, too large ...) "
            "with the reason; the files themselves are never touched.",
            group_name="ingest",
            deps=[LANDING_FILES],
            kinds={"duckdb", "python"},
            owners=["team:data-engineering"],
        ),
    ],
    name="ingest_landing_folder",
    description="Reads every file of the landing folder whose content the warehouse has not seen "
    "(SHA-256), extracts its figures and writes schema raw, one transaction per report.",
)
def ingest_landing_folder(context: AssetExecutionContext, landing: LandingFolderResource,
                          warehouse: WarehouseResource):
    def say(message: str) -> None:
        context.log.info(message)
        if message.startswith("["):  # "[i/n] file: ..." as each new file is read
            progress.update(f"{message[1:message.index(']')]} new files read")

    from sources import ingest  # the extractor and the readers: loaded when a run ingests, not with the definitions

    progress.start("ingest", f"looking at {landing.folder.name}/ ...")
    with warehouse_connection(warehouse) as con:
        summary = ingest.ingest_landing(landing.folder, con, context.run_id, progress=say)
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
    progress.finish(f"{summary.files_seen} files, {summary.reports_written} new reports, "
                    f"{summary.figures_written} figures, {len(summary.rejected)} refused")
    preview_md = "\n".join(f"| {a} | {b or ''} | {c} | {d[:80]} |" for a, b, c, d in preview)
    rejected_md = "\n".join(f"| {r['source_file']} | {r['reason']} | {r['detail']} |" for r in summary.rejected)
    yield MaterializeResult(
        asset_key=RAW_REPORTS,
        metadata={
            "files_seen": summary.files_seen,
            "files_already_ingested": summary.files_skipped_known,
            "reports_written": summary.reports_written,
            # each report is identified by its content: the run's reports, for lineage in the UI
            "report_ids": MetadataValue.json(summary.report_ids[:200]),
            "dagster/row_count": totals["reports"],
        },
    )
    yield MaterializeResult(
        asset_key=RAW_FIGURES,
        metadata={
            "figures_written": summary.figures_written,
            "dagster/row_count": totals["figures"],
            "preview": MetadataValue.md(
                "| file | district | kind | quote |\n|---|---|---|---|\n" + preview_md if preview_md else "none"
            ),
        },
    )
    yield MaterializeResult(
        asset_key=RAW_REJECTIONS,
        metadata={
            "rejected_this_run": len(summary.rejected),
            "dagster/row_count": totals["rejections"],
            "rejected_files": MetadataValue.md(
                "| file | reason | detail |\n|---|---|---|\n" + rejected_md if rejected_md else "none"
            ),
        },
    )


def warehouse_connection(resource: WarehouseResource):
    from sources import warehouse

    return warehouse.open_warehouse(resource.file)
