"""Incremental marts: a new report rebuilds only its unit's rows, and the result equals a full refresh.

The raw schema is written by the real ingest (no Dagster) and the marts by the real ``dbt build``:
a first batch, then a second batch that adds reports to some units (a seed report, a disbursement
that pairs with an allocation of the first batch, a correction whose new version has no funding
figure left), then ``dbt build --full-refresh`` on the same raw data.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from sources.submissions import TEMPLATE_COLUMNS
from tests.conftest import query_warehouse as _query
from tests.dbt.build import dbt_build, ingest

pytestmark = pytest.mark.slow

INCREMENTAL_MARTS = ("fct_programme_funding", "fct_indicator_attainment", "fct_district_scorecard",
                     "fct_report_versions")
ALL_MARTS = (*INCREMENTAL_MARTS, "fct_reporting_completeness", "dim_period")
# the tables below the marts that are built one unit at a time too (schema.model)
INCREMENTAL_MODELS = ("intermediate.int_reports__versioned",)

ALLOCATION = ("BÁO CÁO\n\nKết quả phân bổ vốn năm 2024 của huyện Cam Lộ, tỉnh Quảng Trị\n\nNăm 2024, vốn đầu tư "
              "Chương trình mục tiêu quốc gia xây dựng nông thôn mới được phân bổ cho huyện là 40.000 triệu đồng.\n")
DISBURSEMENT = ("BÁO CÁO\n\nTình hình giải ngân năm 2024 của huyện Cam Lộ, tỉnh Quảng Trị\n\nNăm 2024, vốn đầu tư "
                "Chương trình mục tiêu quốc gia xây dựng nông thôn mới đã giải ngân 30.000 triệu đồng.\n")


def _submission(path: Path, rows: list[dict]) -> None:
    base = {"province": "Quảng Trị", "district": "Hải Lăng", "period_start": "2024-01-01",
            "period_end": "2024-06-30"}
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([names[0] for names in TEMPLATE_COLUMNS.values()])
        for row in rows:
            writer.writerow([{**base, **row}.get(key, "") for key in TEMPLATE_COLUMNS])


def _snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {m: con.execute(f"select * from {m if '.' in m else 'marts.' + m} order by all").fetchall()
                for m in (*ALL_MARTS, *INCREMENTAL_MODELS)}
    finally:
        con.close()


def test_incremental_build_touches_only_new_units_and_equals_a_full_refresh(tmp_path: Path, seeds_dir: Path):
    landing, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    landing.mkdir()
    seeds = sorted(seeds_dir.glob("*.txt"))
    for seed in seeds[:3]:
        shutil.copy(seed, landing / seed.name)
    (landing / "cam_lo_phan_bo_2024.txt").write_text(ALLOCATION, encoding="utf-8")
    _submission(landing / "hai_lang_6_thang.csv", [
        {"kind": "funding", "programme_code": "NTM", "capital_source": "investment", "measure": "allocated",
         "unit": "tỷ đồng", "value": "12,5"},
    ])
    ingest(landing, warehouse, "batch-1")
    dbt_build(warehouse)

    untouched_units = {r[0] for r in _query(warehouse, "select distinct unit_key from marts.fct_programme_funding")}
    # a mark on every existing row: the incremental build must leave the rows of other units as they are
    con = duckdb.connect(str(warehouse))
    con.execute("update marts.fct_programme_funding set source_quote = source_quote || ' [built earlier]'")
    con.close()
    assert _query(warehouse, "select computed_rate_pct from marts.fct_programme_funding "
                             "where source_file = 'cam_lo_phan_bo_2024.txt'") == [(None,)]

    for seed in seeds[3:]:
        shutil.copy(seed, landing / seed.name)
    (landing / "cam_lo_giai_ngan_2024.txt").write_text(DISBURSEMENT, encoding="utf-8")
    # the corrected Hải Lăng submission for the same period keeps only an indicator
    _submission(landing / "hai_lang_6_thang_sua.csv", [
        {"kind": "indicator", "indicator_name": "Tỷ lệ hộ nghèo", "role": "actual", "unit": "percent",
         "value": "3,2"},
    ])
    ingest(landing, warehouse, "batch-2")
    # as a pipeline run builds: seeds and views (their SQL unchanged) left as they are
    dbt_build(warehouse, "--exclude", "resource_type:seed config.materialized:view")
    assert _query(warehouse, "select table_type from information_schema.tables where table_schema = 'intermediate' "
                             "and table_name = 'int_reports__versioned'") == [("BASE TABLE",)]

    changed = {r[0] for r in _query(warehouse, "select distinct unit_key from raw.reports r join "
                                               "intermediate.int_reports__versioned v using (report_id) "
                                               "where r.run_id = 'batch-2'")}
    marks = dict(_query(warehouse, "select unit_key, bool_and(source_quote like '% [built earlier]') "
                                   "from marts.fct_programme_funding group by unit_key"))
    assert {u for u, marked in marks.items() if marked} == (untouched_units - changed)
    assert not any(marks[u] for u in changed if u in marks)
    # the allocation of the first batch now pairs with the disbursement of the second: 30 000 / 40 000
    assert _query(warehouse, "select measure, computed_rate_pct from marts.fct_programme_funding "
                             "where district_name = 'Cam Lộ' order by measure") == [("allocated", 75.0),
                                                                                   ("disbursed", 75.0)]
    # the correction has no funding figure: the superseded allocation is gone from the facts
    assert _query(warehouse, "select count(*) from marts.fct_programme_funding where district_name = 'Hải Lăng'") \
        == [(0,)]
    assert _query(warehouse, "select actual_value from marts.fct_indicator_attainment "
                             "where district_name = 'Hải Lăng'") == [(3.2,)]
    assert _query(warehouse, "select source_file, is_current from marts.fct_report_versions "
                             "where district_name = 'Hải Lăng' order by valid_from") == [
        ("hai_lang_6_thang.csv", False), ("hai_lang_6_thang_sua.csv", True)]

    con = duckdb.connect(str(warehouse))
    con.execute("update marts.fct_programme_funding set source_quote = replace(source_quote, ' [built earlier]', '')")
    con.close()
    incremental = _snapshot(warehouse)
    dbt_build(warehouse, "--full-refresh")
    full = _snapshot(warehouse)
    for mart in (*ALL_MARTS, *INCREMENTAL_MODELS):
        assert incremental[mart] == full[mart], mart
    assert len(full["fct_programme_funding"]) > 20 and len(full["fct_report_versions"]) == len(seeds) + 4
