"""The summary a run prints takes the sign-off counts from its approval_state step and the findings register
from its validation instead of reading them again: it says what `provreport summary` reads afterwards."""

from __future__ import annotations

import re

import pytest

from orchestration.signoff.assets import counted_states
from tests.conftest import run_provreport


def _lines(out: str) -> list[str]:
    """The summary's lines after its first (which says how long the run took), without the run's new reports."""
    start = out.index("provreport: warehouse")
    return [re.sub(r" \(\d+ new this run\)", "", line) for line in out[start:].splitlines()[1:]]


@pytest.mark.slow
def test_a_runs_summary_says_what_the_summary_command_reads(seeds_warehouse) -> None:
    later = run_provreport(["summary", "--warehouse", str(seeds_warehouse["warehouse"])], seeds_warehouse["env"])
    assert later.returncode == 0, later.stderr
    printed = _lines(seeds_warehouse["second"].stdout)
    assert printed == _lines(later.stdout)
    assert any(line.strip().startswith("sign-off") for line in printed)
    assert any(line.strip().startswith("findings") for line in printed)


def test_the_sign_off_counts_leave_out_the_statuses_none_has() -> None:
    class Value:  # as Dagster keeps an int in a materialization's metadata
        def __init__(self, value: int) -> None:
            self.value = value

    assert counted_states({"none": Value(7), "checked": Value(0), "approved": Value(2), "reopened": Value(0),
                           "dagster/row_count": Value(9)}) == {"none": 7, "approved": 2}
    assert counted_states({"none": 0, "checked": 0, "approved": 0, "reopened": 0}) == {}
