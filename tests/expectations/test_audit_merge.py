"""Open findings across a full validation and the incremental ones after it (pure merge logic)."""

from __future__ import annotations

import json

from expectations.audit import merge_results
from orchestration.quality.checks import validates_everything

UNITS = {"r1-0001": "465", "r1-0002": "465", "r2-0001": "849", "r3-0001": "849"}


def _row(run: str, ids: list[str], scope: list[str] | None, success: bool | None = None) -> tuple:
    ok = not ids if success is None else success
    return (run, "WARN", "fct_programme_funding", "components_sum_to_total", ok, json.dumps(ids),
            json.dumps({"unexpected_count": len(ids)}), json.dumps({"description": "parts add up"}),
            None if scope is None else json.dumps(scope))


def test_an_incremental_run_replaces_the_verdict_of_its_units_only() -> None:
    state = merge_results([_row("full", ["r1-0001", "r2-0001"], None), _row("inc", ["r3-0001"], ["849"])], UNITS)
    entry = state[("fct_programme_funding", "components_sum_to_total")]
    # Hướng Hóa's (465) finding stands; unit 849 is judged again by the newer run
    assert entry["ids"] == ["r1-0001", "r3-0001"]
    assert entry["run_id"] == "inc"
    assert entry["observed"] == {"unexpected_count": 2}


def test_a_fixed_unit_closes_its_finding() -> None:
    state = merge_results([_row("full", ["r2-0001"], None), _row("inc", [], ["849"])], UNITS)
    assert state[("fct_programme_funding", "components_sum_to_total")]["ids"] == []


def test_a_full_run_starts_afresh_and_superseded_figures_are_no_findings() -> None:
    state = merge_results([_row("full-1", ["r1-0001"], None), _row("full-2", ["r2-0001", "gone-0001"], None)], UNITS)
    assert state[("fct_programme_funding", "components_sum_to_total")]["ids"] == ["r2-0001"]


def test_a_failure_without_figures_stays_open_until_the_next_run() -> None:
    state = merge_results([_row("full", [], None, success=False)], UNITS)
    assert state[("fct_programme_funding", "components_sum_to_total")]["unattributed"] is True


def test_only_the_full_validation_tag_validates_every_row() -> None:
    assert validates_everything({"provreport/validation": "full"})
    assert not validates_everything({})
    assert not validates_everything({"dagster/schedule_name": "x"})
