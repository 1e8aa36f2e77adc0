"""Fingerprints of the dbt project: what decides the marts' content (no Dagster import: the no-op
check of ``provreport run`` uses them before anything heavy is loaded)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR


def _fingerprint(paths: list[Path], extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in sorted(paths):
        if path.is_file():
            digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def seeds_fingerprint() -> str:
    """A hash of every seed file: reference data changes rarely, and reloading 10 000 communes
    on every run is the largest fixed cost of a build."""
    return _fingerprint(list((DBT_PROJECT_DIR / "seeds").rglob("*")))


def project_fingerprint(seeds: str | None = None) -> str:
    """A hash of what decides the marts' content: models, macros, dbt_project.yml and the seeds
    (their fingerprint, when the caller has it, so the seed files are read once a run)."""
    paths = [DBT_PROJECT_DIR / "dbt_project.yml"]
    for folder in ("models", "macros", "tests"):
        paths.extend((DBT_PROJECT_DIR / folder).rglob("*"))
    return _fingerprint(paths, extra=seeds or seeds_fingerprint())
