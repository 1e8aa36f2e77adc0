"""dbt's documentation builds from the project (descriptions, docs blocks, exposures)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from orchestration.settings import DBT_PROJECT_DIR, dbt_executable

pytestmark = pytest.mark.slow


def test_dbt_docs_generate(seeds_warehouse: dict, tmp_path: Path) -> None:
    env = {**os.environ, "DUCKDB_PATH": str(seeds_warehouse["warehouse"]), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.run(
        [dbt_executable(), "docs", "generate", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
         str(DBT_PROJECT_DIR), "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        env=env, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    catalog = json.loads((tmp_path / "target" / "catalog.json").read_text())
    assert "model.provreport.fct_programme_funding" in catalog["nodes"]
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    assert {"exposure.provreport.provincial_dashboard", "exposure.provreport.auditors_findings"} <= set(
        manifest["exposures"])
    undocumented = [name for name, node in manifest["nodes"].items()
                    if node["resource_type"] == "model" and not node.get("description")]
    assert undocumented == []
    # every column of every model, as built, has a description
    bare = []
    for unique_id, node in catalog["nodes"].items():
        if not unique_id.startswith("model."):
            continue
        described = manifest["nodes"][unique_id]["columns"]
        bare += [f"{unique_id}.{c}" for c in node["columns"]
                 if not described.get(c, {}).get("description")]
    assert bare == []
