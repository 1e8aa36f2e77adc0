"""Is there anything to do? A run with the same files, the same dbt project and the same suites as
the last completed run changes nothing: ``provreport run`` says so and stops before Dagster, dbt or
Great Expectations are loaded (each costs seconds).

The landing folder is compared by content: each file's SHA-256, from the hashes the ingest survey
remembers in the warehouse keyed by path, size and modification time
(``sources.warehouse.landing_hashes``), so an unchanged file is never read again (a touched file is
hashed again and is still the same content). No Dagster import here: this runs first, in milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.settings import PROJECT_ROOT, Settings
from sources.readers import DEFAULT_LIMITS, open_landed, sha256_of
from sources.schema import BOOKKEEPING_SCHEMA, PIPELINE_STATE_TABLE  # one row: the last completed run

if TYPE_CHECKING:  # (sources.warehouse imports DuckDB and Polars, which the no-op check loads only to read)
    from sources.warehouse import HashKey

# what decides validation's findings besides the dbt project: the code of expectations/ and the committed suites
SUITE_FILES = ("expectations/*.py", "expectations/gx/suites.sha")


@dataclass(slots=True)
class LandingFile:
    path: str  # relative to the landing folder
    size: int
    mtime_ns: int
    sha256: str  # or "special:<kind>" for what is not a regular file (never opened)


@dataclass(slots=True)
class Inputs:
    """What a run would start from; ``settling``: files modified within the settle time."""

    files: list[LandingFile] = field(default_factory=list)
    settling: bool = False
    fingerprint: str = ""


def _sha256(path: Path) -> str:
    """The content hash the ingest survey takes of the file (never blocking, never following a link)."""
    with open_landed(path) as fh:
        return sha256_of(fh)


def _files(folder: str, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(path, path relative to the landing folder) of every entry below ``folder`` that is not a folder, in
    ``os.walk``'s order (a folder's entries by name, then its folders by name; a linked folder is not
    entered, an unreadable one is passed over), hidden ones skipped: read with ``os.scandir`` and plain
    strings, about four times faster than ``os.walk`` and ``Path`` at 10 000 files."""
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError:
        return
    files, folders = [], []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        (folders if is_dir else files).append(entry)
    for entry in sorted(files, key=lambda e: e.name):
        yield entry.path, prefix + entry.name
    for entry in sorted(folders, key=lambda e: e.name):
        if not entry.is_symlink():
            yield from _files(entry.path, f"{prefix}{entry.name}{os.sep}")


def scan(landing: Path, cache: Mapping[HashKey, str], settle: float = DEFAULT_LIMITS.settle_s) -> Inputs:
    """Every file below ``landing`` (hidden ones skipped, as ingest does) with its content hash,
    from ``cache`` when path, size and mtime match, and whether one was modified within ``settle``
    seconds. An unreadable file is hashed as unreadable: the run that follows says why."""
    inputs = Inputs()
    now = time.time()
    for path, rel in _files(str(landing)):
        try:
            st = os.lstat(path)
        except OSError:
            inputs.files.append(LandingFile(rel, -1, -1, "special:vanished"))
            continue
        if not stat.S_ISREG(st.st_mode):
            kind = "symlink" if stat.S_ISLNK(st.st_mode) else "other"
            inputs.files.append(LandingFile(rel, st.st_size, st.st_mtime_ns, f"special:{kind}"))
            continue
        if abs(now - st.st_mtime) < settle:
            inputs.settling = True
        sha = cache.get((rel, st.st_size, st.st_mtime_ns))
        if sha is None:
            try:
                sha = _sha256(Path(path))
            except OSError as exc:
                sha = f"special:unreadable:{exc.errno}"
        inputs.files.append(LandingFile(rel, st.st_size, st.st_mtime_ns, sha))
    return inputs


def suites_fingerprint() -> str:
    digest = hashlib.sha256()
    for pattern in SUITE_FILES:
        for path in sorted(PROJECT_ROOT.glob(pattern)):
            digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(landing: Path, files: list[LandingFile], reviews: str, settings: Settings) -> str:
    """The inputs of a run in one hash: the landing folder's content, the dbt project, the suites,
    the settings that change the build (``Settings.build_env``: the declared provinces, the dbt target), and
    the reviewers' decisions the run would apply."""
    from orchestration.dbt.fingerprint import project_fingerprint

    payload = {
        "landing": str(landing.resolve()),
        "files": sorted((f.path, f.sha256) for f in files),
        "dbt": project_fingerprint(),
        "suites": suites_fingerprint(),
        "env": settings.build_env(),
        "reviews": reviews,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _reviews_state(con) -> str:
    """The reviewers' decisions so far (the next run applies new ones)."""
    import duckdb

    try:
        count, newest = con.execute("select count(*), max(reviewed_at) from audit.figure_reviews").fetchall()[0]
    except duckdb.Error:
        return "none"
    return f"{count} {newest}" if count else "none"


def read_inputs(landing: Path, warehouse: Path, settings: Settings | None = None) -> tuple[Inputs, str | None]:
    """The inputs now, and the fingerprint of the last completed run on ``warehouse`` (None: none), with the
    settle time of ``settings``' ingest limits and the settings that change the build (None:
    ``Settings.from_env()``). Raises
    ``WarehouseLockedError`` when another process holds the warehouse."""
    import duckdb

    from sources.connection import as_warehouse
    from sources.warehouse import landing_hashes

    cache: dict[tuple[str, int, int], str] = {}
    last: str | None = None
    reviews = "none"
    if warehouse.exists():
        try:
            with as_warehouse(warehouse).connect(read_only=True) as con:
                try:
                    last = con.execute(f"select fingerprint from {PIPELINE_STATE_TABLE}").fetchall()[0][0]
                except (duckdb.Error, IndexError):
                    last = None
                cache = landing_hashes(con.raw)
                reviews = _reviews_state(con.raw)
        except duckdb.Error:  # not a DuckDB file the run can read: the run says why
            pass
    settings = Settings.from_env() if settings is None else settings
    inputs = scan(landing, cache, settings.limits.settle_s)
    inputs.fingerprint = fingerprint(landing, inputs.files, reviews, settings)
    return inputs, last


def nothing_to_do(inputs: Inputs, last: str | None) -> bool:
    return last is not None and not inputs.settling and inputs.fingerprint == last


def record(con, inputs: Inputs, run_id: str) -> bool:
    """After a completed run: remember its inputs so that the same inputs next time are a no-op (the
    files' hashes were remembered by the run's ingest survey). Not when a file was still being written or
    was refused for a passing reason (the next run must look again), nor when reviews were recorded during
    the run."""
    if inputs.settling:
        return False
    transient = con.execute("select count(*) from raw.rejections where run_id = ? and detail like 'transient:%'",
                            [run_id]).fetchall()[0][0]
    if transient:
        return False
    con.execute(f"create schema if not exists {BOOKKEEPING_SCHEMA}")
    con.execute(f"create or replace table {PIPELINE_STATE_TABLE} as select ? as fingerprint, ? as run_id, "
                "now() as recorded_at", [inputs.fingerprint, run_id])
    return True
