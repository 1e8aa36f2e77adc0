"""Mapping a validation outcome to a Dagster asset check result (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dagster import AssetCheckSeverity, AssetKey

from orchestration.quality.checks import to_check_result


@dataclass
class Outcome:
    mart: str
    name: str
    suite: str
    severity: str
    success: bool
    description: str = ""
    failing_figure_ids: list[str] = field(default_factory=list)
    observed: dict | None = None


def test_a_failed_reconciliation_is_a_warning_naming_its_figures() -> None:
    result = to_check_result(Outcome("fct_programme_funding", "components_sum_to_total", "fct_programme_funding",
                                     "WARN", False, "parts add up", ["r1-0001", "r1-0002"], {"difference_vnd": 18e6}))
    assert result.asset_key == AssetKey(["marts", "fct_programme_funding"])
    assert result.check_name == "components_sum_to_total"
    assert result.passed is False and result.severity == AssetCheckSeverity.WARN
    assert result.metadata["failing_count"].value == 2
    assert result.metadata["failing_figure_ids"].value == ["r1-0001", "r1-0002"]


def test_a_structural_check_is_an_error() -> None:
    result = to_check_result(Outcome("fct_district_scorecard", "report_id_not_null", "s", "ERROR", True))
    assert result.passed is True and result.severity == AssetCheckSeverity.ERROR
