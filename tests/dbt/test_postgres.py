"""The same dbt project builds on PostgreSQL from the same raw data, with the same results."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import DBT_PROJECT_DIR, dbt_executable
from sources.postgres import copy_raw_to_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

MEASURES = {
    "fct_programme_funding": "count(*), coalesce(sum(amount_vnd), 0), count(computed_rate_pct)",
    "fct_indicator_attainment": "count(*), round(cast(coalesce(sum(actual_value), 0) as numeric), 2), "
                                "round(cast(coalesce(sum(target_value), 0) as numeric), 2), "
                                "count(computed_attainment_pct)",
    "fct_district_scorecard": "count(*), sum(indicators_total), sum(indicators_met_or_exceeded)",
    "dim_admin_unit": "count(*), count(distinct current_province_code)",
    "fct_reporting_completeness": "count(*), sum(case when has_reported then 1 else 0 end), "
                                  "count(distinct admin_unit_key), "
                                  "sum(case when admin_level = 'commune' then 1 else 0 end)",
    "fct_report_versions": "count(*), sum(case when is_current then 1 else 0 end), count(distinct admin_unit_key)",
}


def _assert_rates_equal(warehouse: Path, pg) -> None:
    """Every computed rate is the same number on both engines, figure by figure (#15 point 5), and
    "15/275 hộ" is 5.45 on both (DuckDB's bare numeric, DECIMAL(18,3), once made it 5.46)."""
    from tests.dbt.test_rates import QUOTE_15_OF_275, RATE_SQL

    duck = duckdb.connect(str(warehouse), read_only=True)
    try:
        for column, sql in RATE_SQL.items():
            want = duck.execute(sql).fetchall()
            with pg.cursor() as cur:
                cur.execute(sql)
                got = cur.fetchall()
            assert want, column
            assert [(f, float(v)) for f, v in got] == [(f, float(v)) for f, v in want], column
        with pg.cursor() as cur:
            cur.execute(QUOTE_15_OF_275)
            assert [tuple(float(v) for v in row) for row in cur.fetchall()] == [(275.0, 15.0, 5.45)]
        assert duck.execute(QUOTE_15_OF_275).fetchall() == [(275.0, 15.0, 5.45)]
    finally:
        duck.close()


def _assert_checks_equal(warehouse: Path, pg) -> None:
    """Every reconciliation model (int_checks__*) has the same rows on both engines: the same figure_ids and
    unit_keys text, the same values within 1e-9 (sums and medians may be added in another order)."""
    from expectations.validate import CHECK_FRAMES

    def rows(cursor, relation: str) -> list[tuple]:
        cursor.execute(f"select * from {relation}")
        names = [d[0] for d in cursor.description]
        keyed = [(r[names.index("figure_ids")], r[names.index("unit_keys")],
                  tuple(float(v) if isinstance(v, (int, float, Decimal)) else v for v in r)) for r in cursor.fetchall()]
        return sorted(keyed, key=repr)

    duck, compared = duckdb.connect(str(warehouse), read_only=True), {}
    try:
        for relation in CHECK_FRAMES.values():
            want = rows(duck.cursor(), relation)
            with pg.cursor() as cur:
                got = rows(cur, relation)
            compared[relation] = len(want)
            # figure_ids, unit_keys and every text or null exactly; the numbers within the tolerance
            assert [(*r[:2], [v if not isinstance(v, float) else 0.0 for v in r[2]]) for r in got] == \
                [(*r[:2], [v if not isinstance(v, float) else 0.0 for v in r[2]]) for r in want], relation
            assert [[v for v in r[2] if isinstance(v, float)] for r in got] == \
                [pytest.approx([v for v in r[2] if isinstance(v, float)], rel=1e-9) for r in want], relation
    finally:
        duck.close()
    # the seeds: totals with their components, periods, indicators (not every check has rows)
    assert all(compared[f"intermediate.int_checks__{name}"] for name in ("funding_components", "funding_periods",
                                                                          "indicator_codes"))


def _dsn(postgres_dsn: dict) -> str:
    return " ".join(f"{k}={v}" for k, v in postgres_dsn.items() if v != "")


def _build_on_postgres(postgres_dsn: dict, tmp_path: Path, *extra: str) -> float:
    """``dbt build --target postgres`` on the test server; seconds it took."""
    env = {**os.environ, **{f"PROVREPORT_PG_{k.upper()}": v for k, v in postgres_dsn.items()},
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    started = time.perf_counter()
    proc = subprocess.run(
        [dbt_executable(), "build", "--target", "postgres", "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs"), *extra],
        env=env, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    return time.perf_counter() - started


def _assert_marts_equal(warehouse: Path, pg) -> None:
    """Counts and sums of every mart in MEASURES are the same in DuckDB and on PostgreSQL."""
    duck = duckdb.connect(str(warehouse), read_only=True)
    try:
        for mart, measures in MEASURES.items():
            want = duck.execute(f"select {measures} from marts.{mart}").fetchone()
            with pg.cursor() as cur:
                cur.execute(f"select {measures} from marts.{mart}")
                got = cur.fetchone()
            assert [float(v or 0) for v in got] == [float(v or 0) for v in want], mart
    finally:
        duck.close()


def test_postgres_marts_equal_duckdb_marts(seeds_warehouse: dict, postgres_dsn: dict, tmp_path: Path) -> None:
    import psycopg2

    warehouse = seeds_warehouse["warehouse"]
    dsn = _dsn(postgres_dsn)
    copied = copy_raw_to_postgres(warehouse, dsn)
    assert copied["raw.reports"] == 5
    elapsed = _build_on_postgres(postgres_dsn, tmp_path)
    print(f"dbt build on PostgreSQL: {elapsed:.1f} s", file=sys.stderr)
    pg = psycopg2.connect(dsn)
    try:
        _assert_marts_equal(warehouse, pg)
        _assert_rates_equal(warehouse, pg)
        _assert_checks_equal(warehouse, pg)
    finally:
        pg.close()


def test_an_incremental_build_on_postgres_equals_duckdb(seeds_warehouse: dict, postgres_dsn: dict,
                                                        tmp_path: Path) -> None:
    """The incremental marts build on PostgreSQL too: two seeds arrive after the first build."""
    import psycopg2

    warehouse = seeds_warehouse["warehouse"]
    dsn = _dsn(postgres_dsn)
    copy_raw_to_postgres(warehouse, dsn)
    pg = psycopg2.connect(dsn)
    pg.autocommit = True
    try:
        with pg.cursor() as cur:  # the two newest reports have not arrived yet
            cur.execute("select report_id from raw.reports order by ingested_at desc limit 2")
            later = [r[0] for r in cur.fetchall()]
            cur.execute("delete from raw.figures where report_id = any(%s)", [later])
            cur.execute("delete from raw.reports where report_id = any(%s)", [later])
        full = _build_on_postgres(postgres_dsn, tmp_path, "--full-refresh")
        copy_raw_to_postgres(warehouse, dsn)  # now they have
        incremental = _build_on_postgres(postgres_dsn, tmp_path)
        print(f"dbt build on PostgreSQL: first {full:.1f} s, incremental {incremental:.1f} s", file=sys.stderr)
        _assert_marts_equal(warehouse, pg)
        _assert_checks_equal(warehouse, pg)
    finally:
        pg.close()


def test_marts_across_the_reform_on_postgres_equal_duckdb(reform_warehouse: Path, postgres_dsn: dict,
                                                          tmp_path: Path) -> None:
    """Districts before 1 July 2025 and communes after it (tests/dbt/test_reform.py) on both targets."""
    import psycopg2

    dsn = _dsn(postgres_dsn)
    assert copy_raw_to_postgres(reform_warehouse, dsn)["raw.reports"] == 7
    _build_on_postgres(postgres_dsn, tmp_path, "--full-refresh")
    pg = psycopg2.connect(dsn)
    try:
        _assert_marts_equal(reform_warehouse, pg)
        _assert_checks_equal(reform_warehouse, pg)
        with pg.cursor() as cur:
            cur.execute("select admin_unit_key, district_name, current_province_name from marts.fct_programme_funding "
                        "where admin_level = 'commune' order by 1")
            assert cur.fetchall() == [("commune:19333:post2025", "Đông Hà", "Quảng Trị"),
                                      ("commune:19555:post2025", "Hướng Hiệp", "Quảng Trị")]
    finally:
        pg.close()
