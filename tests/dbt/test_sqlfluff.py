"""The models pass sqlfluff with the dbt templater (config in pyproject.toml)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def test_models_are_lint_clean(tmp_path: Path) -> None:
    # dbt's target and logs (the templater parses the project) under tmp_path, not in dbt_project/
    env = {**os.environ, "DUCKDB_PATH": str(tmp_path / "lint.duckdb"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")}
    proc = subprocess.run([str(Path(sys.executable).with_name("sqlfluff")), "lint", "dbt_project/models",
                           "dbt_project/tests"],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:]
