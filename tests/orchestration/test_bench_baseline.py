"""The benchmark's bare baseline runs: the same ingest into DuckDB, the compiled SQL of every dbt
model and of every dbt test (the checks themselves, read from the manifest), on a small generated
corpus. It broke once without anyone noticing
(seeds loaded without their declared column types: "Cannot mix values of type VARCHAR and DATE
in COALESCE" in fct_reporting_completeness); this keeps it from breaking silently again."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from benchmarks.pipeline import baseline, baseline_checks, compile_dbt, compiled_manifest
from synthetic.generator import generate_corpus


@pytest.mark.slow
def test_the_baseline_builds_every_mart_and_runs_every_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 40 files read in parallel partitions, as the pipeline reads 2 000 and more
    monkeypatch.setenv("PROVREPORT_INGEST_PARALLEL_FROM", "10")
    monkeypatch.setenv("PROVREPORT_INGEST_WORKERS", "2")
    landing = tmp_path / "landing"
    generate_corpus(landing, n_reports=40, seed=5)
    (landing / "gold.jsonl").unlink(missing_ok=True)
    compile_dbt({**os.environ, "DUCKDB_PATH": str(tmp_path / "baseline.duckdb")}, tmp_path)
    result = baseline(landing, tmp_path)
    assert result["baseline_seconds"] > 0
    assert result["baseline_ingest_partitions"] == 2
    checks = baseline_checks(compiled_manifest(tmp_path))
    assert result["baseline_checks"] == len(checks) > 0
    # the code lists' relationships tests are among them, compiled against the seeds
    assert any('"reference"."measures"' in sql for sql in checks)
    con = duckdb.connect(str(tmp_path / "baseline.duckdb"), read_only=True)
    try:
        # every file read once, whichever partition read it
        assert con.execute("select count(distinct source_path) from raw.reports").fetchone()[0] == 40
        funding = con.execute("select count(*) from marts.fct_programme_funding").fetchone()[0]
        completeness = con.execute("select count(*) from marts.fct_reporting_completeness").fetchone()[0]
        for sql in checks:  # each check still runs against what the models build
            con.execute(sql).fetchall()
    finally:
        con.close()
    assert funding > 0 and completeness > 0
