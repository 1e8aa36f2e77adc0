"""Where the reference data (dbt seeds) lives, for the Python code that needs it too.

The dbt seeds are the single source of truth for administrative units and catalogues:
dbt loads them into the warehouse, and the extractor and gazetteer read the same CSV files.
``PROVREPORT_SEEDS_DIR`` points elsewhere (for an installed copy, or tests).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def seeds_dir() -> Path:
    override = os.environ.get("PROVREPORT_SEEDS_DIR")
    return Path(override) if override else PROJECT_ROOT / "dbt_project" / "seeds"


def seed_path(relative: str) -> Path:
    """Path of a seed file, e.g. ``seed_path("admin/admin_districts_pre2025.csv")``."""
    path = seeds_dir() / relative
    if not path.exists():
        raise FileNotFoundError(
            f"reference file {path} is missing: the dbt seeds ship with the project "
            f"(set PROVREPORT_SEEDS_DIR if they live elsewhere)"
        )
    return path
