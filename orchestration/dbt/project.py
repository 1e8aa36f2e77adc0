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


def parse_ahead(warehouse_file: Path, target: str) -> bool:
    """Parse the project for ``warehouse_file`` now, in this process, when none of its builds kept a parse (its first
    build): the parse is kept beside the warehouse as its builds keep theirs (orchestration.dbt.assets.dbt_run_dir),
    and the build's dbt then re-parses only what changed, ~0.2 s instead of ~3 s. A parallel run calls it while its
    step server imports the definitions (orchestration.step_server), where the dbt step would parse alone later.

    The parse uses this process's environment (the run's settings exported: the warehouse path names dbt's catalog);
    dbt itself decides whether a kept parse still holds for a build (profile, vars, environment, files) and parses
    again what does not. Whether a parse was kept; a failed parse keeps nothing (the build parses and says why)."""
    from dbt.cli.main import dbtRunner

    from orchestration.dbt.assets import dbt_run_dir

    kept = dbt_run_dir(warehouse_file) / "partial_parse.msgpack"
    if kept.exists():
        return False
    kept.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=kept.parent, prefix=".parse-") as folder:
        result = dbtRunner().invoke(
            ["--quiet", "--no-send-anonymous-usage-stats", "parse", "--no-write-json", "--project-dir",
             str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR), "--target", target,
             "--target-path", folder, "--log-path", folder])
        made = Path(folder) / "partial_parse.msgpack"
        if not result.success or not made.exists() or kept.exists():
            return False
        os.replace(made, kept)
    return True
