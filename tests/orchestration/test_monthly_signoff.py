"""Sign-off per reporting unit and period (#14 point 5) for a monthly report: the seed from Trà Cú reports
August 2023, so its unit is signed off for 2023-08 as well as for 2023; the two sign-offs are independent,
and a correction of one of its figures reopens the month's."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import query_warehouse, run_provreport

pytestmark = pytest.mark.slow

TRA_CU = "004_dced245384db6003.txt"  # Trà Cú, Trà Vinh: the notice on August 2023


def _statuses(warehouse: Path) -> list[tuple]:
    return query_warehouse(warehouse, "select period, approval_status, checked_by, approved_by, figures_count "
                                      "from marts.fct_unit_approvals where unit_name = 'Trà Cú' order by period")


def test_a_monthly_report_is_signed_off_for_its_month(tmp_path: Path, seeds_dir: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    landing.mkdir()
    shutil.copy(seeds_dir / TRA_CU, landing / TRA_CU)
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dh"), "PROVREPORT_DOCS_DIR": str(tmp_path / "docs")}
    where = ["--warehouse", str(warehouse)]
    run = ["run", "--landing", str(landing), *where]
    assert run_provreport(run, env).returncode == 0
    # the year and the month, each with the report's 14 figures
    assert _statuses(warehouse) == [("2023", "none", None, None, 14), ("2023-08", "none", None, None, 14)]

    for level, who in (("check", "can.bo.tracu"), ("approve", "so.tai.chinh")):
        done = run_provreport(["approve", "--unit", "Trà Cú", "--period", "2023-08", "--level", level, "--by", who,
                               *where], env)
        assert done.returncode == 0, done.stderr
        assert "Trà Cú 2023-08: 14 figures" in done.stdout
    assert _statuses(warehouse) == [("2023", "none", None, None, 14),
                                    ("2023-08", "approved", "can.bo.tracu", "so.tai.chinh", 14)]

    # the budget revenue "3,93 tỷ đồng" corrected: the month's approval is reopened, the difference listed
    (figure_id,), = query_warehouse(warehouse, "select figure_id from marts.fct_indicator_attainment "
                                               "where district_name = 'Trà Cú' and actual_value = 3930000000")
    done = run_provreport(["correct", figure_id, "value=3,95 tỷ đồng", "--reason", "the treasury's figure",
                           "--by", "reviewer.tv", *where], env)
    assert done.returncode == 0, done.stderr
    assert run_provreport(run, env).returncode == 0
    assert [s[:2] for s in _statuses(warehouse)] == [("2023", "none"), ("2023-08", "reopened")]
    audit = run_provreport(["audit", *where], env).stdout
    assert "reopened Trà Cú 2023-08" in audit
