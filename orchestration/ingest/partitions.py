"""How much a run will ingest, known before Dagster starts: the runner reads a landing folder of many new
files in parallel partitions (step processes), one of a few new files in its own process. No Dagster here."""

from __future__ import annotations

import os
from pathlib import Path


def landed_files(landing: Path) -> int:
    """The files below ``landing`` as ingest surveys them (hidden files and folders skipped), unread."""
    count = 0
    for _root, dirs, names in os.walk(landing):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        count += sum(1 for name in names if not name.startswith("."))
    return count


def known_contents(warehouse: Path) -> int:
    """The contents the warehouse has ingested or refused whole (0 for a new warehouse). Raises
    ``WarehouseLockedError`` when another process holds the warehouse."""
    import duckdb

    from sources.connection import as_warehouse

    if not Path(warehouse).exists():
        return 0
    try:
        with as_warehouse(warehouse).connect(read_only=True) as con:
            return con.scalar(
                "select count(*) from (select content_sha256 from raw.reports union select content_sha256 "
                "from raw.rejections where row_number is null and content_sha256 is not null)")
    except duckdb.Error:  # no raw schema yet, or not a DuckDB file (the run says why)
        return 0


def new_files_estimate(landing: Path, warehouse: Path) -> int:
    """About how many files of ``landing`` a run would read: the files there less the contents the warehouse
    knows (nothing is hashed: exact enough to choose how to run, and cheap at 100 000 files)."""
    if not Path(landing).is_dir():
        return 0
    return max(0, landed_files(landing) - known_contents(warehouse))
