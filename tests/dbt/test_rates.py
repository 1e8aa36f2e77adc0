"""Every computed rate is rounded once, to two decimals (#15 point 5).

``computed_attainment_pct`` of "15/275 hộ" is 100 * 15 / 275 = 5.4545...: 5.45. It used to be 5.46 in
DuckDB, whose bare ``numeric`` is DECIMAL(18,3) (5.455, then 5.46). The same values on PostgreSQL are
asserted in tests/dbt/test_postgres.py.
"""

from __future__ import annotations

import pytest

from tests.conftest import query_warehouse

pytestmark = pytest.mark.slow

RATE_SQL = {
    "computed_attainment_pct": "select figure_id, computed_attainment_pct from marts.fct_indicator_attainment "
                               "where computed_attainment_pct is not null order by figure_id",
    "computed_rate_pct": "select figure_id, computed_rate_pct from marts.fct_programme_funding "
                         "where computed_rate_pct is not null order by figure_id",
}
QUOTE_15_OF_275 = ("select target_value, actual_value, computed_attainment_pct from marts.fct_indicator_attainment "
                   "where source_quote like '%15/275%'")


def test_15_of_275_is_5_45_in_duckdb(seeds_warehouse: dict) -> None:
    rows = query_warehouse(seeds_warehouse["warehouse"], QUOTE_15_OF_275)
    assert rows == [(275.0, 15.0, 5.45)]


def test_every_rate_has_two_decimals_at_most(seeds_warehouse: dict) -> None:
    """Rounded once to two places: no third decimal survives, whatever the division gave."""
    for column, sql in RATE_SQL.items():
        rows = query_warehouse(seeds_warehouse["warehouse"], sql)
        assert rows, column
        for figure_id, value in rows:
            assert round(value, 2) == value, (column, figure_id, value)
