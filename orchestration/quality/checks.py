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


def check_specs() -> list[AssetCheckSpec]:
    return [
        AssetCheckSpec(name=spec.name, asset=mart_key(spec.mart), description=spec.description)
        for spec in expectations.check_specs()
    ]


@multi_asset_check(
    specs=check_specs(),
    name="great_expectations_marts",
    description="Runs the Great Expectations suites on the marts (pandas frames read from DuckDB), "
    "writes audit.validation_results and builds Data Docs.",
)
def great_expectations_marts(
    context: AssetCheckExecutionContext, warehouse: WarehouseResource, data_docs: DataDocsResource
) -> Iterable[AssetCheckResult]:
    from pathlib import Path

    summary = expectations.run_validation(warehouse.file, run_id=context.run.run_id, docs_dir=Path(data_docs.path))
    context.log.info(f"validation: {summary.passed} passed, {summary.failed} failed")
    for outcome in summary.results:
        yield to_check_result(outcome)
