"""No run writes into the source tree (#15 point 6, #16 point 4): a pipeline run on the seeds from a
copy of the project, with DAGSTER_HOME and PROVREPORT_DOCS_DIR unset, changes no file of the copy,
ignored ones included (a walk of every file, not `git status`, which .gitignore would blind). What
the run keeps goes beside its warehouse: Dagster's instance (``.dagster``, runs tagged with the
warehouse), Great Expectations' context, results store and Data Docs (``<name>.gx``) and dbt's
target and logs (``<name>.dbt``).

The copy is made after `make install`'s preparation (dbt's manifest in dbt_project/target), which
is an install-time artifact, not a run's; Python's bytecode caches are off (PYTHONDONTWRITEBYTECODE).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow

SKIP = {".git", ".venv", "warehouse", "test-artifacts", ".dagster_home", ".pytest_cache", ".ruff_cache",
        ".hypothesis", "__pycache__", "uncommitted", "logs", "provreport.egg-info"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    skipped = {n for n in names if n in SKIP}
    if Path(folder).resolve() == (PROJECT_ROOT / "dbt_project" / "target").resolve():
        # the prepared manifest and parse stay; earlier builds' folders (from before this change) go
        skipped |= {n for n in names if n.startswith("provreport_dbt_models-") or n in ("partial_parse", "run",
                                                                                         "compiled")}
    if Path(folder).resolve() == (PROJECT_ROOT / "expectations").resolve():
        skipped.add("vendor")  # 40 MB of npm packages, only read: linked, not copied
    return skipped


def _files(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under root (symlinked folders not followed): path -> (size, mtime in ns)."""
    found = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            stat = path.lstat()
            found[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return found


def test_a_run_writes_nothing_into_the_source_tree(tmp_path: Path, seeds_dir: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT, project, ignore=_ignore, symlinks=True)
    if (PROJECT_ROOT / "expectations" / "vendor").exists():
        (project / "expectations" / "vendor").symlink_to(PROJECT_ROOT / "expectations" / "vendor")
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "PROVREPORT_DOCS_DIR", "DUCKDB_PATH")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONPATH"] = str(project)  # the copy's packages, not the checkout's
    prepared = subprocess.run([sys.executable, "-c", "from orchestration.dbt.project import ensure_manifest; "
                               "ensure_manifest(quiet=True)"], cwd=project, env=env, capture_output=True,
                              text=True, check=False)
    assert prepared.returncode == 0, prepared.stderr
    before = _files(project)

    warehouse = tmp_path / "elsewhere" / "provincial.duckdb"
    proc = subprocess.run([sys.executable, "-m", "orchestration.cli", "run", "--landing", str(seeds_dir),
                           "--warehouse", str(warehouse)], cwd=project, env=env, capture_output=True, text=True,
                          timeout=900, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    after = _files(project)
    added = sorted(set(after) - set(before))
    changed = sorted(p for p in set(after) & set(before) if after[p] != before[p])
    removed = sorted(set(before) - set(after))
    assert (added, changed, removed) == ([], [], []), "the run wrote into the source tree"

    beside = warehouse.parent
    assert (beside / ".dagster" / "dagster.yaml").exists()
    assert (beside / "provincial.gx" / "gx" / "great_expectations.yml").exists()
    assert list((beside / "provincial.gx" / "gx" / "uncommitted" / "validations").rglob("*.json"))
    assert (beside / "provincial.gx" / "data_docs" / "index.html").exists()
    assert list((beside / "provincial.dbt" / "target").glob("provreport_dbt_models-*/run_results.json"))
    assert (beside / "provincial.dbt" / "partial_parse.msgpack").exists()

    from dagster import DagsterInstance, RunsFilter

    with DagsterInstance.from_config(str(beside / ".dagster")) as instance:
        runs = instance.get_runs(RunsFilter(tags={"provreport/warehouse": str(warehouse.resolve())}))
        assert [r.job_name for r in runs] == ["provreport_pipeline"]
