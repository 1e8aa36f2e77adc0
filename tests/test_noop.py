"""A run with nothing new (same files, same dbt project, same suites) says so and changes nothing;
a new file, a setting that changes the build, or a change to the dbt project still rebuilds."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

from orchestration.ingest import noop
from tests.conftest import run_provreport


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(seeds_dir: Path, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("noop")
    landing = tmp / "landing"
    shutil.copytree(seeds_dir, landing)
    past = time.time() - 60  # settled files: nothing is left waiting for the settle time
    for f in landing.iterdir():
        os.utime(f, (past, past))
    env = {**os.environ, "DAGSTER_HOME": str(tmp / "dh"), "PROVREPORT_DOCS_DIR": str(tmp / "docs")}
    env.pop("PROVREPORT_PROVINCES", None)
    warehouse = tmp / "w.duckdb"
    first = run_provreport(["run", "--landing", str(landing), "--warehouse", str(warehouse)], env)
    assert first.returncode == 0, first.stdout + first.stderr
    return {"landing": landing, "warehouse": warehouse, "env": env}


@pytest.mark.slow
def test_a_run_with_nothing_new_says_so_and_changes_nothing(built: dict) -> None:
    warehouse = built["warehouse"]
    before = (_digest(warehouse), warehouse.stat().st_mtime_ns)
    again = run_provreport(["run", "--landing", str(built["landing"]), "--warehouse", str(warehouse)], built["env"])
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("nothing new since the last run (5 files")
    assert "(0 new this run)" in again.stdout
    assert "funding figures" in again.stdout  # the summary follows
    assert again.stderr == ""
    assert (_digest(warehouse), warehouse.stat().st_mtime_ns) == before
    # no working copy, lock or stray file beside the warehouse (its runtime state sits in w.gx and w.dbt)
    assert sorted(p.name for p in warehouse.parent.iterdir() if "duckdb" in p.name or "lock" in p.name) == [
        "w.duckdb"]


@pytest.mark.slow
def test_a_touched_file_with_the_same_content_is_still_nothing_new(built: dict) -> None:
    touched = next(built["landing"].iterdir())
    past = time.time() - 30
    os.utime(touched, (past, past))
    again = run_provreport(["run", "--landing", str(built["landing"]), "--warehouse", str(built["warehouse"])],
                           built["env"])
    assert again.stdout.startswith("nothing new"), again.stdout


@pytest.mark.slow
def test_a_setting_that_changes_the_build_runs_again_then_is_remembered(built: dict) -> None:
    env = {**built["env"], "PROVREPORT_PROVINCES": "Quảng Trị"}
    args = ["run", "--landing", str(built["landing"]), "--warehouse", str(built["warehouse"])]
    changed = run_provreport(args, env)
    assert changed.returncode == 0, changed.stderr
    assert not changed.stdout.startswith("nothing new")
    assert "(0 new this run)" in changed.stdout
    assert run_provreport(args, env).stdout.startswith("nothing new")


def test_the_fingerprint_follows_the_dbt_project_and_the_suites(tmp_path: Path, monkeypatch) -> None:
    """A changed model (or suite) gives another fingerprint: the run that follows rebuilds (and dbt's
    own fingerprint makes it a full refresh, tests/orchestration/test_dbt_assets.py)."""
    import json
    from dataclasses import replace

    from orchestration.dbt import fingerprint as dbt_fingerprint
    from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT, Settings

    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "a.txt").write_text("báo cáo", encoding="utf-8")
    files = noop.scan(landing, {}).files
    settings = Settings(warehouse=tmp_path / "w.duckdb", landing=landing, dbt_target="duckdb", provinces="")
    base = noop.fingerprint(landing, files, "none", settings)
    assert noop.fingerprint(landing, files, "none", settings) == base
    # the shape a warehouse recorded before Settings owned the provinces: the same inputs, the same fingerprint
    recorded = {"landing": str(landing.resolve()), "files": [["a.txt", files[0].sha256]],
                "dbt": dbt_fingerprint.project_fingerprint(), "suites": noop.suites_fingerprint(),
                "env": {"PROVREPORT_PROVINCES": "", "PROVREPORT_DBT_TARGET": "duckdb"}, "reviews": "none"}
    assert base == hashlib.sha256(json.dumps(recorded, sort_keys=True).encode()).hexdigest()
    assert noop.fingerprint(landing, files, "none", replace(settings, provinces="Quảng Trị")) != base
    monkeypatch.setenv("PROVREPORT_PROVINCES", "Quảng Trị")  # read by Settings only: the one handed over counts
    assert noop.fingerprint(landing, files, "none", settings) == base

    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    monkeypatch.setattr(dbt_fingerprint, "DBT_PROJECT_DIR", project)
    assert noop.fingerprint(landing, files, "none", settings) == base  # the same project elsewhere
    model = next((project / "models" / "marts").glob("*.sql"))
    model.write_text(model.read_text(encoding="utf-8") + "\n-- changed\n", encoding="utf-8")
    assert noop.fingerprint(landing, files, "none", settings) != base
    monkeypatch.setattr(dbt_fingerprint, "DBT_PROJECT_DIR", DBT_PROJECT_DIR)

    suites = tmp_path / "root"
    shutil.copytree(PROJECT_ROOT / "expectations", suites / "expectations",
                    ignore=shutil.ignore_patterns("uncommitted", "__pycache__"))
    monkeypatch.setattr(noop, "PROJECT_ROOT", suites)
    assert noop.fingerprint(landing, files, "none", settings) == base
    (suites / "expectations" / "suites.py").write_text("# changed\n", encoding="utf-8")
    changed = noop.fingerprint(landing, files, "none", settings)
    assert changed != base
    (suites / "expectations" / "checks.py").write_text("# a new module of validation\n", encoding="utf-8")
    assert noop.fingerprint(landing, files, "none", settings) != changed
    reviewed = noop.fingerprint(landing, files, "1 2026-01-01", settings)
    assert reviewed != noop.fingerprint(landing, files, "none", settings)


def test_the_hash_cache_spares_reading_unchanged_files(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.txt").write_bytes(b"one")
    (tmp_path / ".hidden").write_bytes(b"skipped")
    first = noop.scan(tmp_path, {}).files
    assert [f.path for f in first] == ["a.txt"]
    cache = {(f.path, f.size, f.mtime_ns): f.sha256 for f in first}
    monkeypatch.setattr(noop, "_sha256", lambda path: pytest.fail(f"{path} read again"))
    assert noop.scan(tmp_path, cache).files == first


def test_a_file_still_being_written_is_never_nothing_new(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"now")
    inputs = noop.scan(tmp_path, {})
    inputs.fingerprint = "x"
    assert inputs.settling
    assert not noop.nothing_to_do(inputs, "x")


def test_the_no_op_check_reads_the_hashes_the_ingest_survey_remembered(tmp_path: Path, monkeypatch) -> None:
    from dataclasses import replace

    from orchestration.settings import Settings
    from sources import ingest, warehouse
    from sources.readers import Limits

    landing = tmp_path / "landing"
    (landing / "sub").mkdir(parents=True)
    (landing / "a.txt").write_bytes(b"one")
    (landing / "sub" / "b.txt").write_bytes(b"two")
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        plan = ingest.plan_ingest(landing, con, "run-1", limits=Limits(settle_s=0))
    assert plan.files_hashed == 2
    monkeypatch.setattr(noop, "_sha256", lambda path: pytest.fail(f"{path} hashed again"))
    settings = Settings(warehouse=tmp_path / "w.duckdb", landing=landing, limits=Limits(settle_s=0))
    inputs, last = noop.read_inputs(landing, settings.warehouse, settings)
    assert last is None  # no completed run recorded
    assert {f.path: f.sha256 for f in inputs.files} == {
        "a.txt": hashlib.sha256(b"one").hexdigest(), os.path.join("sub", "b.txt"): hashlib.sha256(b"two").hexdigest()}
    assert not inputs.settling
    assert inputs.fingerprint == noop.fingerprint(landing, inputs.files, "none", settings)
    postgres = noop.read_inputs(landing, settings.warehouse, replace(settings, dbt_target="postgres"))[0]
    assert postgres.fingerprint != inputs.fingerprint  # the target is an input, handed over by Settings
    declared = noop.read_inputs(landing, settings.warehouse, replace(settings, provinces="44"))[0]
    assert declared.fingerprint not in (inputs.fingerprint, postgres.fingerprint)  # and so are the provinces


def test_a_warehouse_held_by_another_process_is_said_so(tmp_path: Path) -> None:
    import subprocess
    import sys

    from sources.warehouse import WarehouseLockedError, connect

    path = tmp_path / "w.duckdb"
    connect(path).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
                               "print('holding', flush=True); time.sleep(60)", str(path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(WarehouseLockedError, match="is in use by another process"):
            noop.read_inputs(tmp_path, path)
        from orchestration.ingest.partitions import known_contents

        with pytest.raises(WarehouseLockedError, match="is in use by another process"):
            known_contents(path)
    finally:
        holder.kill()
        holder.wait()


def _walked(landing: Path, cache: dict) -> list[noop.LandingFile]:
    """What scan listed when it walked the folder with os.walk and pathlib (the reference its order, paths and
    kinds are kept against)."""
    import stat

    files = []
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
                files.append(noop.LandingFile(rel, -1, -1, "special:vanished"))
                continue
            if not stat.S_ISREG(st.st_mode):
                kind = "symlink" if stat.S_ISLNK(st.st_mode) else "other"
                files.append(noop.LandingFile(rel, st.st_size, st.st_mtime_ns, f"special:{kind}"))
                continue
            sha = cache.get((rel, st.st_size, st.st_mtime_ns)) or _digest(path)
            files.append(noop.LandingFile(rel, st.st_size, st.st_mtime_ns, sha))
    return files


def test_the_scan_lists_what_a_walk_of_the_folder_lists(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    for rel in ("b.txt", "a.txt", "a.b.txt", "a/z.txt", "a/a/deep.csv", "a b/x.md", "B/upper.txt", ".hidden.txt",
                ".cache/in_hidden.txt", "a/.part.txt", "ý/tiếng việt.txt"):
        (landing / rel).parent.mkdir(parents=True, exist_ok=True)
        (landing / rel).write_text(rel, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.txt").write_text("o")
    (landing / "link_to_file.txt").symlink_to(landing / "b.txt")
    (landing / "link_to_folder").symlink_to(outside, target_is_directory=True)
    (landing / "broken_link.txt").symlink_to(tmp_path / "nowhere")
    os.mkfifo(landing / "a" / "pipe")
    known = {("a.txt", 5, (landing / "a.txt").stat().st_mtime_ns): "remembered"}
    scanned = noop.scan(landing, known).files
    assert scanned == _walked(landing, known)
    files = {f.path: f.sha256 for f in scanned}
    assert files["a.txt"] == "remembered" and files["link_to_file.txt"] == "special:symlink"
    assert files[os.path.join("a", "pipe")] == "special:other" and files["broken_link.txt"] == "special:symlink"
    assert files[os.path.join("ý", "tiếng việt.txt")] == _digest(landing / "ý" / "tiếng việt.txt")
    assert not any(p.startswith((".", "link_to_folder")) or f"{os.sep}." in p for p in files)
