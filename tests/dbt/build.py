"""The real ingest (no Dagster) and the real ``dbt build`` on a DuckDB file, for the dbt tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb

from orchestration.settings import DBT_PROJECT_DIR, dbt_executable
from sources.ingest import ingest_landing


def ingest(landing: Path, warehouse: Path, run_id: str) -> None:
    con = duckdb.connect(str(warehouse))
    try:
        ingest_landing(landing, con, run_id)
    finally:
        con.close()


def dbt_build(warehouse: Path, *extra: str, env: dict[str, str] | None = None,
              check: bool = True) -> subprocess.CompletedProcess:
    """``dbt build`` on the warehouse; ``env`` adds variables; fails the test unless ``check=False``."""
    env = {**os.environ, "DUCKDB_PATH": str(warehouse), "PROVREPORT_DBT_TARGET": "duckdb",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **(env or {})}
    proc = subprocess.run([dbt_executable(), "build", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
                           str(DBT_PROJECT_DIR), "--target-path", str(warehouse.parent / "dbt_target"),
                           "--log-path", str(warehouse.parent / "dbt_logs"), *extra],
                          env=env, capture_output=True, text=True, check=False)
    if check:
        assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    return proc
