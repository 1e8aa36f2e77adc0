"""The dbt unit tests (``unit_tests:`` in the models' yml): the models' rules on hand-made rows:
the indicator status rule, the version window (which report version is current) and a reporting
unit's missing and late months.

dbt_project.yml enables them only with ``--vars '{unit_tests: true}'`` (development and CI, as dbt
recommends), so the pipeline's builds never run them; here the models they read are built empty
(``--empty``) on a warehouse holding only the declared raw tables, then the unit tests run.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from orchestration.settings import DBT_PROJECT_DIR, dbt_executable
from sources import warehouse

pytestmark = pytest.mark.slow

# model -> its unit tests
UNIT_TESTS = {"int_figures__indicators": ("indicator_status_follows_the_indicators_direction",),
              "int_reports__versioned": ("the_current_version_is_decided_by_the_reports_own_date",),
              "int_reporting_units__completeness": ("a_unit_is_one_row_with_its_missing_and_late_months",)}


def _dbt(path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DUCKDB_PATH": str(path), "PROVREPORT_DBT_TARGET": "duckdb",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run([dbt_executable(), *args, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
                           str(DBT_PROJECT_DIR), "--target-path", str(path.parent / "dbt_target"),
                           "--log-path", str(path.parent / "dbt_logs")],
                          env=env, capture_output=True, text=True, check=False)


def test_the_unit_tests_pass_and_stay_out_of_the_pipeline(tmp_path: Path) -> None:
    path = tmp_path / "unit.duckdb"
    with warehouse.open_warehouse(path) as con:
        warehouse.ensure_raw_schema(con)
    parents = " ".join(f"+{model}" for model in UNIT_TESTS)
    built = _dbt(path, "build", "--select", parents, "--empty", "--exclude-resource-type", "unit_test", "test")
    assert built.returncode == 0, built.stdout[-4000:]
    tested = _dbt(path, "test", "--select", "test_type:unit", "--vars", "{unit_tests: true}")
    assert tested.returncode == 0, tested.stdout[-4000:]
    for model, names in UNIT_TESTS.items():
        for name in names:
            assert f"PASS {model}::{name}" in tested.stdout, tested.stdout[-4000:]
    # without the var (as the pipeline parses the project) there is no unit test to run
    listed = _dbt(path, "ls", "--resource-type", "unit_test", "--output", "name")
    assert listed.returncode == 0, listed.stdout[-2000:]
    assert not any(name in listed.stdout for names in UNIT_TESTS.values() for name in names)
