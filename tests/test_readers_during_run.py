"""BI tools read the published warehouse: with DuckDB 1.x drivers too, and while a run goes on.

A run builds in a working copy and publishes it by one rename: a reader holding the published file
open neither blocks the run nor sees it half built; a connection opened afterwards sees the new data.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from sources.warehouse import STORAGE_VERSION_NUMBER, storage_version_number
from tests.conftest import PROJECT_ROOT, run_provreport

pytestmark = pytest.mark.slow

# the oldest DuckDB the warehouse is written for, and the newest 1.x (the shell BI users install)
OLD_DUCKDB_VERSIONS = ("1.1.3", "1.5.6")


def readme_queries() -> list[str]:
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"Sample queries:\n\n```sql\n(.*?)```", text, re.S)
    assert block, "README's sample queries not found"
    statements = [s.strip() for s in block.group(1).split(";")]
    return [s for s in statements if any(line.strip() and not line.strip().startswith("--") for line in s.splitlines())]


@pytest.fixture(scope="module")
def published(seeds_dir: Path, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("readers")
    landing = tmp / "landing"
    landing.mkdir()
    seeds = sorted(seeds_dir.iterdir())
    past = time.time() - 60
    for seed in seeds[:-1]:
        shutil.copy(seed, landing / seed.name)
        os.utime(landing / seed.name, (past, past))
    env = {**os.environ, "DAGSTER_HOME": str(tmp / "dh"), "PROVREPORT_DOCS_DIR": str(tmp / "docs")}
    warehouse = tmp / "w.duckdb"
    first = run_provreport(["run", "--landing", str(landing), "--warehouse", str(warehouse)], env)
    assert first.returncode == 0, first.stdout + first.stderr
    return {"landing": landing, "warehouse": warehouse, "env": env, "late_seed": seeds[-1],
            "reports": len(seeds) - 1}


def _venv_with(package: str, version: str, works: list[str]) -> Path:
    """A virtualenv holding only package==version (cached between runs); ``works`` (a command in it) says
    whether it is installed; skips when it cannot install."""
    venv = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "provreport-tests" / f"{package}-{version}"
    probe = [str(venv / "bin" / works[0]), *works[1:]]
    if not Path(probe[0]).exists() or subprocess.run(probe, capture_output=True, check=False).returncode:
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", f"{package}=={version}"]
        proc = subprocess.run(pip, capture_output=True, text=True, check=False)
        if proc.returncode:
            shutil.rmtree(venv, ignore_errors=True)
            pytest.skip(f"{package}=={version} cannot be installed here: {proc.stderr.strip()[-300:]}")
    return venv


def _venv_with_duckdb(version: str) -> Path:
    return _venv_with("duckdb", version, ["python", "-c", "import duckdb"]) / "bin" / "python"


def _row_counts(warehouse: Path, queries: list[str]) -> list[int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return [len(con.execute(q).fetchall()) for q in queries]
    finally:
        con.close()


def test_the_duckdb_shell_from_the_package_index_runs_the_readme_queries(published: dict) -> None:
    """The DuckDB command-line shell BI users install (pip install duckdb-cli==1.5.6, the newest on the index)
    opens the warehouse read-only and answers every README query with the rows of this project's DuckDB."""
    warehouse, queries = published["warehouse"], readme_queries()
    shell = _venv_with("duckdb-cli", "1.5.6", ["duckdb", "--version"]) / "bin" / "duckdb"
    version = subprocess.run([str(shell), "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1.5.6"), version
    got = []
    for query in queries:
        proc = subprocess.run([str(shell), "-readonly", "-csv", "-noheader", str(warehouse), "-c",
                               f"select count(*) from ({query})"], capture_output=True, text=True, check=False)
        assert proc.returncode == 0, (query, proc.stderr)
        got.append(int(proc.stdout.strip()))
    assert got == _row_counts(warehouse, queries)
    assert all(n > 0 for n in got)


@pytest.mark.parametrize("version", OLD_DUCKDB_VERSIONS)
def test_duckdb_1x_opens_the_warehouse_and_runs_the_readme_queries(published: dict, version: str) -> None:
    warehouse = published["warehouse"]
    assert storage_version_number(warehouse) == STORAGE_VERSION_NUMBER
    queries = readme_queries()
    expected = _row_counts(warehouse, queries)
    python = _venv_with_duckdb(version)
    script = textwrap.dedent("""
        import duckdb, json, sys
        queries = json.loads(sys.argv[2])
        con = duckdb.connect(sys.argv[1], read_only=True)
        print(json.dumps({"version": duckdb.__version__, "rows": [len(con.execute(q).fetchall()) for q in queries]}))
    """)
    proc = subprocess.run([str(python), "-c", script, str(warehouse), json.dumps(queries)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer == {"version": version, "rows": expected}
    assert all(n > 0 for n in expected)


READER = textwrap.dedent("""
    import duckdb, json, sys, time
    con = duckdb.connect(sys.argv[1], read_only=True)
    seen, slowest, errors, started = set(), 0.0, [], time.perf_counter()
    print("open", flush=True)
    queries = 0
    while True:
        t = time.perf_counter()
        try:
            seen.add(con.execute("select count(*) from raw.reports").fetchall()[0][0])
            seen_marts = con.execute("select count(distinct report_id) from marts.fct_report_versions").fetchall()
            seen.add(seen_marts[0][0])
        except Exception as exc:
            errors.append(str(exc))
        slowest = max(slowest, time.perf_counter() - t)
        queries += 1
        if sys.stdin.readline().strip() == "stop":
            break
    print(json.dumps({"seen": sorted(seen), "errors": errors, "queries": queries, "slowest_s": slowest,
                      "held_s": time.perf_counter() - started}), flush=True)
""")


def test_a_reader_held_open_across_a_run_neither_blocks_it_nor_sees_it_half_built(published: dict) -> None:
    warehouse, landing = published["warehouse"], published["landing"]
    reader = subprocess.Popen([sys.executable, "-c", READER, str(warehouse)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "open"
        shutil.copy(published["late_seed"], landing / published["late_seed"].name)
        past = time.time() - 60
        os.utime(landing / published["late_seed"].name, (past, past))
        run = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "run", "--landing", str(landing),
                                "--warehouse", str(warehouse)], cwd=PROJECT_ROOT, env=published["env"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started = time.perf_counter()
        while run.poll() is None:  # the reader keeps querying its open connection all along
            reader.stdin.write("go\n")
            reader.stdin.flush()
            time.sleep(0.2)
        run_s = time.perf_counter() - started
        out, err = run.communicate()
        reader.stdin.write("stop\n")
        reader.stdin.flush()
        held = json.loads(reader.stdout.readline())
    finally:
        reader.kill()
        reader.wait()
    assert run.returncode == 0, out + err
    assert "(1 new this run)" in out
    assert held["errors"] == []
    assert held["seen"] == [published["reports"]]  # the snapshot it opened, whole, throughout
    con = duckdb.connect(str(warehouse), read_only=True)  # a new connection sees the new report
    try:
        assert con.execute("select count(*) from raw.reports").fetchall()[0][0] == published["reports"] + 1
        assert con.execute("select count(distinct report_id) from marts.fct_report_versions").fetchall()[0][0] \
            == published["reports"] + 1
    finally:
        con.close()
    assert sorted(p.name for p in warehouse.parent.iterdir() if "duckdb" in p.name) == ["w.duckdb"]
    print(f"\nreader held the warehouse open {held['held_s']:.1f} s, {held['queries']} queries, slowest "
          f"{held['slowest_s'] * 1000:.0f} ms, no error; the run beside it took {run_s:.1f} s")


def test_an_older_format_warehouse_is_migrated_when_a_run_writes_it(tmp_path: Path) -> None:
    from sources.warehouse import building

    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))  # DuckDB 2's own default format
    con.execute("create schema raw; create table raw.t (k varchar primary key, v integer); "
                "insert into raw.t values ('a', 1); create view raw.v as select * from raw.t")
    con.close()
    assert storage_version_number(old) > STORAGE_VERSION_NUMBER
    with building(old) as working:
        con = duckdb.connect(str(working))
        con.execute("insert into raw.t values ('b', 2)")
        con.close()
    assert storage_version_number(old) == STORAGE_VERSION_NUMBER
    con = duckdb.connect(str(old), read_only=True)
    try:
        assert con.execute("select * from raw.v order by k").fetchall() == [("a", 1), ("b", 2)]
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.duckdb"]
