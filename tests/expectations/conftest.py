"""The reconciliation models (dbt_project/models/intermediate/int_checks__*.sql) as SQL to create on a hand-made
warehouse: compiled by dbt once per session, so tests that write marts by hand validate them through the models
the pipeline builds, not a copy."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable

import pytest

from expectations.validate import CHECK_FRAMES
from orchestration.settings import DBT_PROJECT_DIR, dbt_executable


@pytest.fixture(scope="session")
def check_views(tmp_path_factory) -> Callable:
    """``create(con)``: the check models as views of the connection's schema intermediate, on its marts."""
    root = tmp_path_factory.mktemp("check_views")
    env = {**os.environ, "DUCKDB_PATH": str(root / "compiled.duckdb"), "PROVREPORT_DBT_TARGET": "duckdb",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    models = [relation.split(".")[1] for relation in CHECK_FRAMES.values()]
    proc = subprocess.run([dbt_executable(), "compile", "--select", *models, "--project-dir", str(DBT_PROJECT_DIR),
                           "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(root / "target"),
                           "--log-path", str(root / "logs")], env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:]
    compiled = root / "target" / "compiled" / "provreport" / "models" / "intermediate"
    # the relations are named in the compiling file's catalog ("compiled"."marts"...): in the connection's own
    sql = {relation: (compiled / f"{relation.split('.')[1]}.sql").read_text().replace('"compiled".', "")
           for relation in CHECK_FRAMES.values()}

    def create(con) -> None:
        con.execute("create schema if not exists intermediate")
        for relation, query in sql.items():
            con.execute(f"create or replace view {relation} as {query}")

    return create
