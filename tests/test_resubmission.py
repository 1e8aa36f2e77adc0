"""A district corrects its submission: the new version replaces the old in the facts, the old
one stays in the history with its validity; nothing is counted twice."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import duckdb
import pytest

from sources.submissions import TEMPLATE_COLUMNS
from tests.conftest import run_provreport

pytestmark = pytest.mark.slow


def _submission(path: Path, disbursed: str) -> None:
    rows = [
        {"province": "Quảng Trị", "district": "Đakrông", "period_start": "2024-01-01", "period_end": "2024-06-30",
         "kind": "funding", "programme_code": "NTM", "capital_source": "investment", "measure": "allocated",
         "unit": "tỷ đồng", "value": "45,5"},
        {"province": "Quảng Trị", "district": "Đakrông", "period_start": "2024-01-01", "period_end": "2024-06-30",
         "kind": "funding", "programme_code": "NTM", "capital_source": "investment", "measure": "disbursed",
         "unit": "tỷ đồng", "value": disbursed},
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([cols[0] for cols in TEMPLATE_COLUMNS.values()])
        for row in rows:
            writer.writerow([row.get(key, "") for key in TEMPLATE_COLUMNS])


def test_a_correction_replaces_the_earlier_version(tmp_path: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    landing.mkdir()
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dh"), "PROVREPORT_DOCS_DIR": str(tmp_path / "docs")}
    _submission(landing / "dakrong_6_thang.csv", "21,3")
    assert run_provreport(["run", "--landing", str(landing), "--warehouse", str(warehouse)], env).returncode == 0
    _submission(landing / "dakrong_6_thang_sua.csv", "23,1")  # the corrected file, landed later
    assert run_provreport(["run", "--landing", str(landing), "--warehouse", str(warehouse)], env).returncode == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        facts = con.execute("select measure, amount_vnd, source_file from marts.fct_programme_funding "
                            "order by measure").fetchall()
        versions = con.execute("select source_file, is_current, valid_to is null from marts.fct_report_versions "
                               "order by valid_from").fetchall()
    finally:
        con.close()
    assert facts == [("allocated", 45_500_000_000, "dakrong_6_thang_sua.csv"),
                     ("disbursed", 23_100_000_000, "dakrong_6_thang_sua.csv")]
    assert versions == [("dakrong_6_thang.csv", False, False), ("dakrong_6_thang_sua.csv", True, True)]
