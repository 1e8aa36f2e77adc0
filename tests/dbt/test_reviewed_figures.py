"""The facts' post-hook for reviewed figures (macro ``delete_rows_of_reviewed_figures``): on an incremental
build, a figure a reviewer rejected leaves the facts and a figure a reviewer moved leaves the unit it was in,
even when it was its unit's last figure of that kind (delete+insert replaces only the units its new rows
carry), while a figure corrected to the unit it is already in stays; and the result equals a full refresh.

The raw schema is written by the real ingest (no Dagster), the reviews by the CLI's own ``record_review``, the
marts by the real ``dbt build``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.review import Review, record_review
from tests.conftest import query_warehouse as _query
from tests.dbt.build import dbt_build, ingest
from tests.dbt.test_incremental import ALLOCATION, _submission

pytestmark = pytest.mark.slow

FACTS = ("fct_programme_funding", "fct_indicator_attainment", "fct_district_scorecard")
DA_KRONG = "467"


def _review(warehouse: Path, figure_id: str, action: str, changes: list[str]) -> None:
    con = duckdb.connect(str(warehouse))
    try:
        now = datetime.now(tz=UTC).replace(tzinfo=None)
        record_review(con, Review(figure_id, action, changes, "test", "reviewer.t"), now=now)
    finally:
        con.close()


def _facts(warehouse: Path) -> dict[str, list[tuple]]:
    return {f: _query(warehouse, f"select * from marts.{f} order by all") for f in FACTS}


def _rows(warehouse: Path, fact: str, where: str) -> list[tuple]:
    return _query(warehouse, f"select figure_id, unit_key, review_status from marts.{fact} where {where} "
                             "order by figure_id")


def test_rejected_and_moved_figures_leave_their_units_even_as_the_last_one(tmp_path: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    landing.mkdir()
    # Hải Lăng: one funding figure and one indicator; Cam Lộ: one funding figure (each its unit's only one)
    _submission(landing / "hai_lang_6_thang.csv", [
        {"kind": "funding", "programme_code": "NTM", "capital_source": "investment", "measure": "allocated",
         "unit": "tỷ đồng", "value": "12,5"},
        {"kind": "indicator", "indicator_name": "Tỷ lệ hộ nghèo", "role": "actual", "unit": "percent",
         "value": "3,2"},
    ])
    (landing / "cam_lo_phan_bo_2024.txt").write_text(ALLOCATION, encoding="utf-8")
    ingest(landing, warehouse, "batch-1")
    dbt_build(warehouse)

    [(hai_lang_funding, hai_lang, status)] = _rows(warehouse, "fct_programme_funding", "district_name = 'Hải Lăng'")
    [(hai_lang_indicator, _, _)] = _rows(warehouse, "fct_indicator_attainment", "district_name = 'Hải Lăng'")
    [(cam_lo_funding, cam_lo, _)] = _rows(warehouse, "fct_programme_funding", "district_name = 'Cam Lộ'")
    assert status is None and len({hai_lang, cam_lo, DA_KRONG}) == 3

    _review(warehouse, hai_lang_funding, "reject", [])
    _review(warehouse, cam_lo_funding, "correct", ["place=Đa Krông, Quảng Trị"])
    # corrected to the unit it is already in: it stays where it is
    _review(warehouse, hai_lang_indicator, "correct", ["place=Hải Lăng, Quảng Trị"])
    dbt_build(warehouse, "--exclude", "resource_type:seed config.materialized:view")

    # the rejected figure was Hải Lăng's only funding figure: gone; its indicator stays, corrected in place
    assert _rows(warehouse, "fct_programme_funding", f"figure_id = '{hai_lang_funding}'") == []
    assert _rows(warehouse, "fct_indicator_attainment", f"unit_key = '{hai_lang}'") == [
        (hai_lang_indicator, hai_lang, "corrected")]
    # the moved figure was Cam Lộ's only funding figure: it left Cam Lộ and joined Đa Krông
    assert _rows(warehouse, "fct_programme_funding", f"unit_key = '{cam_lo}'") == []
    assert _rows(warehouse, "fct_programme_funding", f"figure_id = '{cam_lo_funding}'") == [
        (cam_lo_funding, DA_KRONG, "corrected")]

    incremental = _facts(warehouse)
    dbt_build(warehouse, "--full-refresh")
    assert _facts(warehouse) == incremental
