"""The dbt project prepared for Dagster: dbt's manifest (``target/manifest.json``), which dagster-dbt
needs to load the dbt assets, built with ``dbt parse`` when missing or older than the project files."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, Settings, dbt_executable


def manifest_is_stale(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    manifest = project_dir / "target" / "manifest.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    watched = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests", "snapshots")
    for name in watched:
        root = project_dir / name
        paths = [root] if root.is_file() else (root.rglob("*") if root.exists() else [])
        if any(p.is_file() and p.stat().st_mtime > built for p in paths):
            return True
    return False


def ensure_manifest(project_dir: Path = DBT_PROJECT_DIR, *, target: str | None = None, quiet: bool = False) -> None:
    """Build dbt's manifest with ``dbt parse`` for the dbt ``target`` (None: the environment's settings') when
    missing or older than the project files.

    dagster-dbt refuses to load without it outside ``dagster dev``; it is never fetched.
    """
    if not manifest_is_stale(project_dir):
        return
    from orchestration.outputs.progress import progress

    if not quiet:
        progress.start("dbt parse", "the project changed: preparing dbt's manifest ...")
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.run(
        # --target as dagster-dbt passes it: dbt reuses a parse only when the target arguments match
        [dbt_executable(), "parse", "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
         "--target", target or Settings.from_env().dbt_target, "--quiet",
         # its log goes to the temporary folder, not dbt_project/logs: no run writes into the source tree
         "--log-path", str(Path(tempfile.gettempdir()) / "provreport-dbt-parse-logs")],
        env=env, capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{proc.stdout}\n{proc.stderr}")
    progress.finish("manifest ready")

