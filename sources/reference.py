"""Where the reference data (dbt seeds) lives, for the Python code that needs it too.

The dbt seeds are the single source of truth for administrative units, catalogues and code lists:
dbt loads them into the warehouse (schema ``reference``) and tests the marts' codes against them,
and the Python code reads the same CSV files, the code lists through :func:`codes`. There is no
setting to point elsewhere: dbt reads its seeds from the project, and Python reads the same files.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def seeds_dir() -> Path:
    return PROJECT_ROOT / "dbt_project" / "seeds"


def seed_path(relative: str) -> Path:
    """Path of a seed file, e.g. ``seed_path("admin/admin_districts_pre2025.csv")``."""
    path = seeds_dir() / relative
    if not path.exists():
        raise FileNotFoundError(
            f"reference file {path} is missing: the dbt seeds ship with the project (dbt_project/seeds); "
            f"reinstall it from its repository"
        )
    return path


def seed_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of the reference seed ``name`` (``reference/<name>.csv``), in file order, as text."""
    return _read_rows(seed_path(f"reference/{name}.csv"))


def codes(name: str) -> tuple[str, ...]:
    """The codes of a code list or catalogue, in seed order: its first column, e.g. ``codes("measures")``
    -> ``("allocated", "disbursed", ...)``. The lists: programmes, capital_sources, measures, units,
    attainment_statuses, source_kinds, admin_levels, indicators."""
    rows = seed_rows(name)
    if not rows:
        return ()
    key = next(iter(rows[0]))
    return tuple(row[key] for row in rows)


@cache
def _read_rows(path: Path) -> tuple[dict[str, str], ...]:
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))
