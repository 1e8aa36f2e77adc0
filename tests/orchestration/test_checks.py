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


def test_the_state_of_the_data_overrides_a_run_that_validated_nothing() -> None:
    """A run over no unit passes every expectation on empty frames; the check stays failed while the
    register holds an open finding, and its metadata names it."""

    @dataclass
    class Finding:
        finding_id: str
        status: str
        unit_name: str = "Hướng Hóa"
        period_start: str = "2016-01-01"
        period_end: str = "2019-12-31"
        stated: float = 106_182e6
        stated_text: str | None = None
        computed: float = 106_164e6
        difference: float = -18e6

    noop = Outcome("fct_programme_funding", "components_sum_to_total", "s", "WARN", True)
    result = to_check_result(noop, "failed", [Finding("F-1", "open"), Finding("F-2", "accepted")])
    assert result.passed is False
    assert result.metadata["open_findings"].value == ["F-1"]
    assert result.metadata["accepted_findings"].value == ["F-2"]
    assert result.metadata["this_run"].value == "passed"
    assert to_check_result(noop, "accepted", [Finding("F-2", "accepted")]).passed is True
