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


def mart_key(mart: str) -> AssetKey:
    return AssetKey(["marts", mart])


def to_check_result(outcome) -> AssetCheckResult:
    """One expectation's outcome as an asset check result (pure: unit-tested)."""
    failing = list(outcome.failing_figure_ids or [])
    metadata = {
        "suite": outcome.suite,
        "failing_count": len(failing),
        "failing_figure_ids": MetadataValue.json(failing[:50]),
        "observed": MetadataValue.json(outcome.observed if outcome.observed is not None else {}),
    }
    return AssetCheckResult(
        asset_key=mart_key(outcome.mart),
        check_name=outcome.name,
        passed=bool(outcome.success),
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
    description="Runs the Great Expectations suites on the marts (pandas frames read from DuckDB): on the "
    "units with new reports after ingestion, on every row in the daily full_validation job; writes "
    "audit.validation_results and builds Data Docs.",
)
def great_expectations_marts(
    context: AssetCheckExecutionContext, warehouse: WarehouseResource, data_docs: DataDocsResource
) -> Iterable[AssetCheckResult]:
    from pathlib import Path

    full = validates_everything(context.run.tags)
    summary = expectations.run_validation(warehouse.file, run_id=context.run.run_id, docs_dir=Path(data_docs.path),
                                          full=full)
    scope = "every row" if summary.scope.is_full else f"{len(summary.scope.units)} unit(s) with new reports"
    context.log.info(f"validation of {scope}: {summary.passed} passed, {summary.failed} failed")
    for outcome in summary.results:
        yield to_check_result(outcome)
