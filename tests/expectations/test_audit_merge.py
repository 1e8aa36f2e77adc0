"""Findings in force across a full validation and the incremental ones after it, and their status
(pure logic of the findings register)."""

from __future__ import annotations

import json
from datetime import date

from expectations.register import effective_status, finding_id, merge_groups
from orchestration.quality.checks import validates_everything

UNITS = {"r1-0001": "465", "r1-0002": "465", "r2-0001": "849", "r3-0001": "849"}
CHECK = ("fct_programme_funding", "components_sum_to_total")


def _run(run: str, scope: list[str] | None) -> tuple:
    return (run, *CHECK, None if scope is None else json.dumps(scope))


def _groups(run: str, *groups: list[str]) -> dict:
    return {(run, *CHECK): [{"finding_id": finding_id(*CHECK, ids), "figure_ids": ids} for ids in groups]}


def _ids(state: dict) -> list[list[str]]:
    return sorted(g["figure_ids"] for g in state.get(CHECK, {}).values())


def test_the_id_is_the_check_and_its_set_of_figures() -> None:
    assert finding_id(*CHECK, ["a", "b"]) == finding_id(*CHECK, ["b", "a"])
    assert finding_id(*CHECK, ["a", "b"]) != finding_id(*CHECK, ["a", "c"])
    assert finding_id(*CHECK, ["a"]) != finding_id("fct_programme_funding", "other_check", ["a"])


def test_an_incremental_run_replaces_the_verdict_of_its_units_only() -> None:
    groups = {**_groups("full", ["r1-0001", "r1-0002"], ["r2-0001"]), **_groups("inc", ["r3-0001"])}
    state = merge_groups([_run("full", None), _run("inc", ["849"])], groups, UNITS)
    # Hướng Hóa's (465) finding stands; unit 849 is judged again by the newer run
    assert _ids(state) == [["r1-0001", "r1-0002"], ["r3-0001"]]


def test_a_run_over_no_unit_changes_nothing() -> None:
    state = merge_groups([_run("full", None), _run("noop", [])], _groups("full", ["r1-0001", "r1-0002"]), UNITS)
    assert _ids(state) == [["r1-0001", "r1-0002"]]


def test_a_fixed_unit_closes_its_finding() -> None:
    state = merge_groups([_run("full", None), _run("inc", ["849"])], _groups("full", ["r2-0001"]), UNITS)
    assert _ids(state) == []


def test_a_full_run_starts_afresh_and_superseded_figures_are_no_findings() -> None:
    groups = {**_groups("full-1", ["r1-0001"]), **_groups("full-2", ["r2-0001"], ["gone-0001"])}
    state = merge_groups([_run("full-1", None), _run("full-2", None)], groups, UNITS)
    assert _ids(state) == [["r2-0001"]]


def test_a_failure_without_figures_stands_until_a_run_covers_it() -> None:
    state = merge_groups([_run("full", None), _run("noop", [])], _groups("full", []), UNITS)
    assert _ids(state) == [[]]


def _event(status: str, until: date | None = None) -> dict:
    return {"status": status, "valid_until": until, "changed_by": "x", "reason": "y"}


def test_an_acceptance_holds_through_its_last_day_then_lapses() -> None:
    events = [_event("open"), _event("accepted", date(2026, 12, 31))]
    assert effective_status(True, events, date(2026, 12, 31))[0] == "accepted"
    assert effective_status(True, events, date(2027, 1, 1))[0] == "open"
    assert effective_status(True, [*events, _event("open")], date(2026, 12, 1))[0] == "open"
    assert effective_status(True, [_event("open"), _event("accepted")], date(2030, 1, 1))[0] == "accepted"


def test_figures_that_pass_resolve_the_finding_whatever_its_events() -> None:
    assert effective_status(False, [_event("open"), _event("accepted")], date(2026, 1, 1))[0] == "resolved"


def test_only_the_full_validation_tag_validates_every_row() -> None:
    assert validates_everything({"provreport/validation": "full"})
    assert not validates_everything({})
    assert not validates_everything({"dagster/schedule_name": "x"})
