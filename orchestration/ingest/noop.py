"""Is there anything to do? A run with the same files, the same dbt project and the same suites as
the last completed run changes nothing: ``provreport run`` says so and stops before Dagster, dbt or
Great Expectations are loaded (each costs seconds).

The landing folder is compared by content: each file's SHA-256, remembered in the warehouse keyed by
path, size and modification time, so an unchanged file is never read again (a touched file is hashed
again and is still the same content). No Dagster import here: this runs first, in milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.settings import PROJECT_ROOT

STATE_TABLE = "reference._pipeline_state"  # one row: the fingerprint of the last completed run
FILES_TABLE = "reference._landing_files"  # the hash cache: path, size, mtime_ns, sha256
SUITE_FILES = ("expectations/suites.py", "expectations/reconcile.py", "expectations/validate.py",
               "expectations/register.py", "expectations/gx/suites.sha")
# settings that change what dbt builds or validation decides without touching a file
ENV_INPUTS = ("PROVREPORT_PROVINCES", "PROVREPORT_DBT_TARGET")


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


def _settle_seconds() -> float:
    try:
        return min(max(float(os.environ.get("PROVREPORT_SETTLE_S") or 1.0), 0.0), 60.0)
    except ValueError:
        return 1.0


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def scan(landing: Path, cache: dict[tuple[str, int, int], str]) -> Inputs:
    """Every file below ``landing`` (hidden ones skipped, as ingest does) with its content hash,
    from ``cache`` when path, size and mtime match. An unreadable file is hashed as unreadable: the
    run that follows says why."""
    inputs = Inputs()
    now, settle = time.time(), _settle_seconds()
    for root, dirs, names in os.walk(landing):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(root) / name
            rel = str(path.relative_to(landing))
            try:
                st = path.lstat()
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
                    sha = _sha256(path)
                except OSError as exc:
                    sha = f"special:unreadable:{exc.errno}"
            inputs.files.append(LandingFile(rel, st.st_size, st.st_mtime_ns, sha))
    return inputs


def suites_fingerprint() -> str:
    digest = hashlib.sha256()
    for rel in SUITE_FILES:
        path = PROJECT_ROOT / rel
        digest.update(rel.encode() + b"\0" + (path.read_bytes() if path.exists() else b""))
    return digest.hexdigest()[:16]


def fingerprint(landing: Path, files: list[LandingFile], reviews: str) -> str:
    """The inputs of a run in one hash: the landing folder's content, the dbt project, the suites,
    the settings that change the build, and the reviewers' decisions the run would apply."""
    from orchestration.dbt.fingerprint import project_fingerprint

    payload = {
        "landing": str(landing.resolve()),
        "files": sorted((f.path, f.sha256) for f in files),
        "dbt": project_fingerprint(),
        "suites": suites_fingerprint(),
        "env": {name: os.environ.get(name, "") for name in ENV_INPUTS},
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


def read_inputs(landing: Path, warehouse: Path) -> tuple[Inputs, str | None]:
    """The inputs now, and the fingerprint of the last completed run on ``warehouse`` (None: none)."""
    import duckdb

    cache: dict[tuple[str, int, int], str] = {}
    last: str | None = None
    reviews = "none"
    if warehouse.exists():
        try:
            con = duckdb.connect(str(warehouse), read_only=True)
        except duckdb.Error:
            con = None
        if con is not None:
            try:
                last = con.execute(f"select fingerprint from {STATE_TABLE}").fetchall()[0][0]
                cache = {(p, s, m): h for p, s, m, h in con.execute(
                    f"select path, size, mtime_ns, sha256 from {FILES_TABLE}").fetchall()}
            except (duckdb.Error, IndexError):
                last = None
            reviews = _reviews_state(con)
            con.close()
    inputs = scan(landing, cache)
    inputs.fingerprint = fingerprint(landing, inputs.files, reviews)
    return inputs, last


def nothing_to_do(inputs: Inputs, last: str | None) -> bool:
    return last is not None and not inputs.settling and inputs.fingerprint == last


def record(con, inputs: Inputs, run_id: str) -> bool:
    """After a completed run: remember its inputs (and the hash cache) so that the same inputs next
    time are a no-op. Not when a file was still being written or was refused for a passing reason
    (the next run must look again), nor when reviews were recorded during the run."""
    if inputs.settling:
        return False
    transient = con.execute("select count(*) from raw.rejections where run_id = ? and detail like 'transient:%'",
                            [run_id]).fetchall()[0][0]
    if transient:
        return False
    con.execute("create schema if not exists reference")
    con.execute(f"create or replace table {STATE_TABLE} as select ? as fingerprint, ? as run_id, "
                "now() as recorded_at", [inputs.fingerprint, run_id])
    import polars as pl

    kept = [f for f in inputs.files if not f.sha256.startswith("special:")]
    frame = pl.DataFrame({"path": [f.path for f in kept], "size": [f.size for f in kept],
                          "mtime_ns": [f.mtime_ns for f in kept], "sha256": [f.sha256 for f in kept]},
                         schema={"path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "sha256": pl.String})
    con.register("_landing_files", frame.to_arrow())
    try:
        con.execute(f"create or replace table {FILES_TABLE} as select * from _landing_files")
    finally:
        con.unregister("_landing_files")
    return True
