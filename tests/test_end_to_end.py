"""End to end: the five seed reports through Dagster, dbt and Great Expectations.

One pipeline run (a subprocess, as a user runs it) into a temporary warehouse, shared by the
assertions below; then a second run on the same folder must add nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sources.schema import DBT_BUILD_STATE_TABLE
from tests.conftest import query_warehouse as _query
from tests.conftest import table_counts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeded(seeds_warehouse: dict) -> dict:
    return seeds_warehouse


def test_the_summary_names_reports_marts_and_checks(seeded) -> None:
    out = seeded["first"].stdout
    assert "reports read      5" in out
    assert "marts.fct_programme_funding" in out
    assert "checks" in out and "passed" in out


def test_every_seed_is_one_report_with_district_and_province(seeded) -> None:
    rows = _query(seeded["warehouse"], "select source_file, district_name, province_name, current_province_name "
                                       "from raw.reports order by source_file")
    assert len(rows) == 5
    assert all(r[1] and r[2] and r[3] for r in rows), rows


def test_dakrong_public_investment_allocated_disbursed_and_rate(seeded) -> None:
    rows = _query(
        seeded["warehouse"],
        "select measure, amount_vnd, reported_rate_pct, district_name, current_province_name "
        "from marts.fct_programme_funding where programme_code = 'PUBLIC_INVESTMENT' "
        "and amount_vnd in (154228000000, 109475000000) order by amount_vnd desc",
    )
    assert [(r[0], r[1]) for r in rows] == [("allocated", 154228000000), ("disbursed", 109475000000)]
    assert float(rows[1][2]) == pytest.approx(70.98)
    assert {r[4] for r in rows} == {"Quảng Trị"}


def test_quotes_are_exact_substrings_at_their_offsets(seeded) -> None:
    bad = _query(
        seeded["warehouse"],
        "select f.figure_id from raw.figures f join raw.reports r using (report_id) "
        "where substring(r.text, f.char_start + 1, f.char_end - f.char_start) <> f.source_quote",
    )
    assert bad == []


def test_a_second_run_adds_nothing(seeded) -> None:
    assert table_counts(seeded["warehouse"]) == seeded["counts_after_first"]
    assert "(0 new this run)" in seeded["second"].stdout


def test_validation_results_are_written_to_the_audit_schema(seeded) -> None:
    rows = _query(seeded["warehouse"], "select count(distinct run_id), count(*) from audit.validation_results")
    assert rows[0][0] == 2 and rows[0][1] > 0


def test_the_seed_figures_score_above_the_floor(seeded, shared_dir: Path, gold_path: Path) -> None:
    scorer = shared_dir / "tools" / "score_figures.py"
    proc = subprocess.run(
        [sys.executable, str(scorer), "--warehouse", str(seeded["warehouse"]), "--gold", str(gold_path), "--json"],
        capture_output=True, text=True, check=True,
    )
    report = json.loads(proc.stdout)
    assert report["micro"]["strict_f1"] >= 0.85, report["micro"]
    assert report["district_accuracy"] == 1.0
    assert report["province_accuracy"] == 1.0


def test_the_contract_of_design_md_holds(seeded, shared_dir: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(shared_dir / "tools" / "check_contract.py"), "--warehouse", str(seeded["warehouse"])],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout


def test_the_audit_flags_the_ntm_total_and_passes_the_dakrong_rate(seeded) -> None:
    from orchestration.outputs.audit import findings

    # the second run read no new report: it validated no unit, and the first (full) run's findings stand
    latest_scopes = _query(seeded["warehouse"],
                           "select distinct scope_units from audit.validation_results where mart = "
                           "'fct_programme_funding' and run_id = (select run_id from audit.validation_results "
                           "order by validated_at desc limit 1)")
    assert latest_scopes == [("[]",)]
    open_findings = {f["check"]: f for f in findings(seeded["warehouse"])}
    ids = open_findings["components_sum_to_total"]["figure_ids"]
    assert len(ids) == 5
    amounts = sorted(r[0] for r in _query(
        seeded["warehouse"], f"select amount_vnd from marts.fct_programme_funding where figure_id in "
        f"({', '.join(repr(i) for i in ids)})"))
    assert amounts == [19_740_000_000, 24_257_000_000, 25_872_000_000, 36_295_000_000, 106_182_000_000]
    assert "stated_rate_matches_amounts" not in open_findings
    rate = _query(seeded["warehouse"], "select computed_rate_pct from marts.fct_programme_funding "
                                       "where amount_vnd = 109475000000")[0][0]
    assert rate == pytest.approx(70.98, abs=0.01)
    audit = subprocess.run([sys.executable, "-m", "orchestration.cli", "audit", "--warehouse",
                            str(seeded["warehouse"])], capture_output=True, text=True, check=True)
    assert "components_sum_to_total" in audit.stdout and "106.182 triệu đồng" in audit.stdout
    assert "difference −18 triệu đồng (−0,017%)" in audit.stdout


def test_parquet_export_is_typed_and_documented(seeded, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    proc = subprocess.run([sys.executable, "-m", "orchestration.cli", "export", "--format", "parquet",
                           str(tmp_path), "--warehouse", str(seeded["warehouse"])],
                          capture_output=True, text=True, check=True)
    assert "fct_programme_funding" in proc.stdout
    table = pq.read_table(tmp_path / "fct_programme_funding.parquet")
    assert table.num_rows == table_counts(seeded["warehouse"])["marts.fct_programme_funding"]
    assert str(table.schema.field("amount_vnd").type) == "int64"
    assert b"Amount in VND" in table.schema.field("amount_vnd").metadata[b"description"]


def test_the_full_validation_checks_every_row_and_keeps_the_findings(seeded, tmp_path: Path) -> None:
    warehouse = tmp_path / "copy.duckdb"  # a copy: the other tests read the shared warehouse's latest run
    shutil.copy(seeded["warehouse"], warehouse)
    state = f"select seeds_fingerprint, project_fingerprint, built_at from {DBT_BUILD_STATE_TABLE}"
    built_before = _query(warehouse, state)
    env = {**seeded["env"], "DUCKDB_PATH": str(warehouse), "PROVREPORT_DOCS_DIR": str(tmp_path / "docs")}
    proc = subprocess.run([sys.executable, "-m", "orchestration.cli", "validate", "--warehouse", str(warehouse)],
                          env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    latest = _query(warehouse, "select count(*), count(scope_units), count(distinct run_id) from "
                               "audit.validation_results where validated_at = "
                               "(select max(validated_at) from audit.validation_results)")
    assert latest == [(28, 0, 1)]  # every check, none scoped
    from orchestration.outputs.audit import findings

    assert len({f["check"]: f for f in findings(warehouse)}["components_sum_to_total"]["figure_ids"]) == 5
    assert _query(warehouse, state) == built_before  # testing the marts is not building them
