"""Great Expectations validations of the marts, as Dagster asset checks.

The suites live in :mod:`expectations`; this module only declares one asset check per
expectation (so the UI lists them before any run) and maps each outcome to an
``AssetCheckResult`` with its severity. Great Expectations is imported only when the check runs.
"""

from collections.abc import Iterable

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

import expectations
from orchestration.resources import DataDocsResource, WarehouseResource
from orchestration.settings import DUCKDB_TAG


def mart_key(mart: str) -> AssetKey:
    return AssetKey(["marts", mart])


def to_check_result(outcome, state: str | None = None, in_force: list | None = None) -> AssetCheckResult:
    """One expectation's outcome as an asset check result (pure: unit-tested).

    ``state`` is the check's state in the findings register ('failed', 'accepted' or None: passes):
    the state of the data, which a run validating some units (or none) does not reset; without it,
    the run's own verdict. ``in_force``: the register's findings of this check (open and accepted),
    named by id in the metadata."""
    failing = list(outcome.failing_figure_ids or [])
    in_force = list(in_force or [])
    passed = bool(outcome.success) if state is None else state != "failed"
    metadata = {
        "suite": outcome.suite,
        "failing_count": len(failing),
        "failing_figure_ids": MetadataValue.json(failing[:50]),
        "observed": MetadataValue.json(outcome.observed if outcome.observed is not None else {}),
        "open_findings": MetadataValue.json([f.finding_id for f in in_force if f.status == "open"][:50]),
        "accepted_findings": MetadataValue.json([f.finding_id for f in in_force if f.status == "accepted"][:50]),
        "state": state or ("passed" if outcome.success else "failed"),
        "this_run": "passed" if outcome.success else "failed",
    }
    if in_force:
        metadata["findings"] = MetadataValue.md(
            "| finding | status | unit | period | stated | computed | difference |\n|---|---|---|---|---|---|---|\n"
            + "\n".join(f"| {f.finding_id} | {f.status} | {f.unit_name or ''} | {f.period_start or ''}.."
                        f"{f.period_end or ''} | {f.stated if f.stated is not None else f.stated_text or ''} "
                        f"| {f.computed or ''} | {f.difference or ''} |" for f in in_force[:50]))
    return AssetCheckResult(
        asset_key=mart_key(outcome.mart),
        check_name=outcome.name,
        passed=passed,
        severity=AssetCheckSeverity.ERROR if outcome.severity == "ERROR" else AssetCheckSeverity.WARN,
        description=outcome.description,
        metadata=metadata,
    )


VALIDATION_TAG = "provreport/validation"


def validates_everything(tags: dict[str, str]) -> bool:
    """A run tagged ``provreport/validation=full`` (the daily job) checks every row; others check the
    units with new reports (pure: unit-tested)."""
    return tags.get(VALIDATION_TAG) == "full"


def check_specs() -> list[AssetCheckSpec]:
    return [
        AssetCheckSpec(name=spec.name, asset=mart_key(spec.mart), description=spec.description)
        for spec in expectations.check_specs()
    ]


@multi_asset_check(
    specs=check_specs(),
    name="great_expectations_marts",
    op_tags={DUCKDB_TAG: "validation"},  # reads the marts and writes audit.*: one DuckDB holder at a time
    description="Runs the Great Expectations suites on the marts (pandas frames read from DuckDB or "
    "PostgreSQL): on the units with new reports after ingestion, on every row in the daily full_validation job; writes "
    "audit.validation_results and builds Data Docs.",
)
def great_expectations_marts(
    context: AssetCheckExecutionContext, warehouse: WarehouseResource, data_docs: DataDocsResource
) -> Iterable[AssetCheckResult]:
    from pathlib import Path

    from orchestration.outputs.progress import progress

    full = validates_everything(context.run.tags)
    progress.start("validation", "reading the marts ...")
    summary = expectations.run_validation(
        warehouse.target, run_id=context.run.run_id, docs_dir=Path(data_docs.path), full=full,
        progress=lambda done, total: progress.update(f"{done}/{total} suites"))
    scope = "every row" if summary.scope.is_full else f"{len(summary.scope.units)} unit(s) with new reports"
    context.log.info(f"validation of {scope}: {summary.passed} passed, {summary.failed} failed in this run")
    progress.finish(f"{len(summary.results)} checks on {scope}: {summary.passed} passed, {summary.failed} failed")
    # the check's state is the register's (the data's), not this run's: a run over no unit passes nothing; the
    # register as the validation left it, not read again
    from expectations.register import check_states

    register = [f for f in summary.register if f.status != "resolved"]
    states = check_states(register)
    for outcome in summary.results:
        key = (outcome.mart, outcome.name)
        yield to_check_result(outcome, states.get(key, "passed"), [f for f in register if (f.mart, f.check) == key])
