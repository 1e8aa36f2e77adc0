"""Reports across the 1 July 2025 reform: districts before it, communes after, one province today.

The five seed reports (districts, 2019-2023) land together with two reports written after the
reform: a commune's monthly report in prose and a commune's quarterly submission (the
``reform_warehouse`` fixture in conftest.py, shared with the PostgreSQL comparison). The marts must
place the new reports in their communes and provinces of the new map, and the completeness mart
must expect the districts of the old map until June 2025 and the communes of the new map from
July 2025, for every province that reports here.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from sources.reference import seed_path
from tests.conftest import query_warehouse
from tests.dbt.build import dbt_build

pytestmark = pytest.mark.slow

def _communes_of(province_codes: set[str]) -> int:
    with seed_path("admin/admin_communes_post2025.csv").open(encoding="utf-8") as fh:
        return sum(1 for r in csv.DictReader(fh) if r["province_code"] in province_codes)


def test_reports_after_the_reform_are_placed_in_their_communes(reform_warehouse: Path) -> None:
    rows = query_warehouse(reform_warehouse, """
        select district_name, admin_level, admin_unit_code, admin_unit_key, province_name, current_province_name,
               programme_code, measure, amount_vnd, period_start, period_end
        from marts.fct_programme_funding where admin_level = 'commune' order by admin_unit_code""")
    assert [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]) for r in rows] == [
        ("Đông Hà", "commune", "19333", "commune:19333:post2025", "Quảng Trị", "Quảng Trị", "PUBLIC_INVESTMENT",
         "allocated", 20_000_000_000),
        ("Hướng Hiệp", "commune", "19555", "commune:19555:post2025", "Quảng Trị", "Quảng Trị", "NTM",
         "disbursed", 1_250_000_000),
    ]
    assert [(str(r[9]), str(r[10])) for r in rows] == [("2025-07-01", "2025-09-30"), ("2025-09-01", "2025-09-30")]


def test_a_district_before_and_a_commune_after_share_todays_province(reform_warehouse: Path) -> None:
    rows = query_warehouse(reform_warehouse, """
        select admin_unit_key, district_name, province_name from marts.fct_report_versions
        where current_province_name = 'Quảng Trị' order by admin_unit_key""")
    # Hướng Hóa and Đakrông reported as districts of the old Quảng Trị; the communes report to the
    # new Quảng Trị, which merged it with Quảng Bình
    assert rows == [("commune:19333:post2025", "Đông Hà", "Quảng Trị"),
                    ("commune:19555:post2025", "Hướng Hiệp", "Quảng Trị"),
                    ("district:465:pre2025", "Hướng Hóa", "Quảng Trị"),
                    ("district:467:pre2025", "Đa Krông", "Quảng Trị")]
    codes = query_warehouse(reform_warehouse, """
        select admin_level, province_code from marts.dim_admin_unit
        where admin_unit_key in ('district:465:pre2025', 'commune:19555:post2025') order by 1""")
    assert codes == [("commune", "44"), ("district", "45")]  # the new Quảng Trị took the old Quảng Bình's code


def test_completeness_expects_districts_before_the_reform_and_communes_after(reform_warehouse: Path) -> None:
    by_level = {r[0]: r[1:] for r in query_warehouse(reform_warehouse, """
        select admin_level, count(distinct admin_unit_code), min(period_start), max(period_start), count(*)
        from marts.fct_reporting_completeness group by 1""")}
    provinces_today = {r[0] for r in query_warehouse(
        reform_warehouse, "select distinct current_province_code from marts.fct_reporting_completeness")}
    assert provinces_today == {"04", "38", "44", "86"}  # Cao Bằng, Thanh Hóa, Quảng Trị, Vĩnh Long
    communes = _communes_of(provinces_today)
    assert by_level["commune"][0] == communes
    assert (str(by_level["commune"][1]), str(by_level["commune"][2])) == ("2025-07-01", "2025-09-01")
    assert by_level["commune"][3] == communes * 3  # July, August, September 2025
    assert str(by_level["district"][2]) == "2025-06-01"  # no district is expected after the reform


def test_completeness_marks_the_commune_that_reported_and_the_months_it_covered(reform_warehouse: Path) -> None:
    rows = query_warehouse(reform_warehouse, """
        select district_name, period_start, has_reported, reports_received from marts.fct_reporting_completeness
        where admin_unit_key in ('commune:19555:post2025', 'commune:19333:post2025')
        order by district_name, period_start""")
    # the quarterly submission covers the quarter's last month; the monthly report its month
    assert [(r[0], str(r[1]), r[2], r[3]) for r in rows] == [
        ("Hướng Hiệp", "2025-07-01", False, 0), ("Hướng Hiệp", "2025-08-01", False, 0),
        ("Hướng Hiệp", "2025-09-01", True, 1),
        ("Đông Hà", "2025-07-01", False, 0), ("Đông Hà", "2025-08-01", False, 0), ("Đông Hà", "2025-09-01", True, 1),
    ]


def test_a_commune_that_was_in_a_merged_province_is_expected_under_todays_province(reform_warehouse: Path) -> None:
    # Đồng Hới was Quảng Bình's capital; no Quảng Bình district reported here, so none is expected
    # before the reform, but its wards are part of today's Quảng Trị and are expected after it
    wards = query_warehouse(reform_warehouse, """
        select count(*) from marts.fct_reporting_completeness
        where admin_level = 'commune' and district_name = 'Đồng Hới' and current_province_name = 'Quảng Trị'""")
    old_quang_binh = query_warehouse(reform_warehouse, """
        select count(*) from marts.fct_reporting_completeness
        where admin_level = 'district' and province_name = 'Quảng Bình'""")
    assert (wards, old_quang_binh) == ([(3,)], [(0,)])


def _districts_merged_into(new_province_code: str) -> int:
    with seed_path("admin/admin_province_crosswalk_2025.csv").open(encoding="utf-8") as fh:
        old = {r["old_province_code"] for r in csv.DictReader(fh) if r["new_province_code"] == new_province_code}
    with seed_path("admin/admin_districts_pre2025.csv").open(encoding="utf-8") as fh:
        return sum(1 for r in csv.DictReader(fh) if r["province_code"] in old)


def test_declared_provinces_set_the_units_expected_before_and_after_the_reform(reform_warehouse: Path,
                                                                              tmp_path: Path) -> None:
    warehouse = tmp_path / "declared.duckdb"
    shutil.copy(reform_warehouse, warehouse)
    dbt_build(warehouse, "--select", "fct_reporting_completeness declared_provinces_exist",
              env={"PROVREPORT_PROVINCES": "Quảng Trị"})
    by_level = dict(query_warehouse(warehouse, """
        select admin_level, count(distinct admin_unit_code) from marts.fct_reporting_completeness group by 1"""))
    # today's Quảng Trị: its 78 communes after the reform, and before it the districts of both
    # provinces merged into it (Quảng Bình's too, though none of them reported here)
    assert by_level == {"commune": _communes_of({"44"}), "district": _districts_merged_into("44")}
    assert _districts_merged_into("44") == 8 + 10  # Quảng Bình 8, Quảng Trị 10


def test_a_declared_province_that_does_not_exist_fails_the_build(reform_warehouse: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "misspelt.duckdb"
    shutil.copy(reform_warehouse, warehouse)
    proc = dbt_build(warehouse, "--select", "declared_provinces_exist", env={"PROVREPORT_PROVINCES": "44, Quang Tri"},
                     check=False)
    assert proc.returncode != 0 and "declared_provinces_exist" in proc.stdout
