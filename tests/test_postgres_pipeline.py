"""``provreport run --target postgres`` runs the whole pipeline on a real PostgreSQL server (#15 point 3).

The seeds go through the command line twice, once per target, each from scratch: on DuckDB, and on
PostgreSQL (ingest into a local DuckDB file, raw copied to the server, dbt builds the marts there, Great
Expectations validates the marts read from there, audit.* written there). Then every mart, the audit
findings and the report's figures are compared value by value, each read from its own engine, and the
read commands are run with --target postgres. The server is tests/dbt/conftest.py's (Debian's
PostgreSQL on 127.0.0.1, or the one PROVREPORT_PG_HOST names).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from sources.connection import Warehouse
from tests.conftest import run_provreport
from tests.dbt.conftest import postgres_dsn  # noqa: F401  (the session's server)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

# what differs between two runs of the same files: when they ran
RUN_COLUMNS = ("run_id", "ingested_at", "landed_at", "built_at", "validated_at", "observed_at", "first_seen",
               "last_seen", "reports_through", "changed_at", "reason")


def _server_dsn(parts: dict, dbname: str) -> str:
    from psycopg2.extensions import make_dsn

    return make_dsn(**{k: v for k, v in {**parts, "dbname": dbname}.items() if v})


@pytest.fixture(scope="module")
def pipeline_dsn(postgres_dsn: dict) -> str:  # noqa: F811
    """A database of its own on the test server, made anew: this test starts from an empty server."""
    import psycopg2

    name = "provreport_pipeline"
    con = psycopg2.connect(_server_dsn(postgres_dsn, "postgres"))
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(f"drop database if exists {name}")
        cur.execute(f"create database {name}")
    con.close()
    return _server_dsn(postgres_dsn, name)


@pytest.fixture(scope="module")
def both_runs(tmp_path_factory, seeds_dir: Path, pipeline_dsn: str) -> dict:
    """The seeds run once on each target through ``provreport run``, each timed."""
    out: dict = {}
    for target in ("duckdb", "postgres"):
        tmp = tmp_path_factory.mktemp(f"pipeline_{target}")
        warehouse = tmp / "provincial.duckdb"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PROVREPORT_PG_")}
        env |= {"DAGSTER_HOME": str(tmp / "dagster_home"), "PROVREPORT_DOCS_DIR": str(tmp / "docs"),
                "DUCKDB_PATH": str(warehouse), "PROVREPORT_DBT_TARGET": "duckdb"}
        if target == "postgres":
            env["PROVREPORT_PG_DSN"] = pipeline_dsn
        started = time.perf_counter()
        proc = run_provreport(["run", "--target", target, "--landing", str(seeds_dir), "--warehouse",
                               str(warehouse)], env)
        elapsed = time.perf_counter() - started
        assert proc.returncode == 0, proc.stdout + proc.stderr
        print(f"provreport run --target {target} on the seeds: {elapsed:.1f} s", file=sys.stderr)
        out[target] = {"warehouse": Warehouse(warehouse, pipeline_dsn if target == "postgres" else None),
                       "env": env, "stdout": proc.stdout, "seconds": elapsed, "tmp": tmp}
    return out


def _plain(value):
    """A value as both engines' drivers can agree on: numbers as floats to 9 significant digits."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return None if math.isnan(number) else float(f"{number:.9g}")
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _table(warehouse: Warehouse, relation: str) -> tuple[list[str], list[tuple]]:
    """The rows of a relation, sorted, less the columns that say when a run happened (every timestamp:
    the dates a report states are dates)."""
    with warehouse.connect(read_only=True) as con:
        cursor = con.execute(f"select * from {relation}")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    when = {i for row in rows for i, v in enumerate(row) if isinstance(v, dt.datetime)}
    keep = [i for i, n in enumerate(names) if n not in RUN_COLUMNS and i not in when]
    plain = [tuple(_plain(row[i]) for i in keep) for row in rows]
    return [names[i] for i in keep], sorted(plain, key=repr)


def _marts(warehouse: Warehouse) -> list[str]:
    with warehouse.connect(read_only=True) as con:
        return sorted(r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall())


def test_the_run_went_to_postgres(both_runs: dict) -> None:
    pg = both_runs["postgres"]
    assert "postgresql " in pg["stdout"].splitlines()[0], pg["stdout"]
    with pg["warehouse"].connect(read_only=True) as con:
        schemas = {r[0] for r in con.execute("select schema_name from information_schema.schemata").fetchall()}
        assert {"raw", "marts", "audit", "reference"} <= schemas
        assert con.scalar("select count(*) from raw.reports") == 5
        assert con.scalar("select count(distinct run_id) from audit.validation_results") == 1
    # the DuckDB file holds what ingest wrote, and no marts: they are on the server
    local = Warehouse(pg["warehouse"].file)
    with local.connect(read_only=True) as con:
        assert con.scalar("select count(*) from raw.reports") == 5
        assert not con.table_exists("marts", "fct_programme_funding")


def test_dagster_keeps_its_runs_on_the_server(both_runs: dict) -> None:
    """With dagster-postgres installed, the instance of a postgres run is the server's (schema public):
    another worker or the UI pointed at the same database sees the run."""
    pytest.importorskip("dagster_postgres")
    pg = both_runs["postgres"]
    home = Path(pg["env"]["DAGSTER_HOME"])  # the fixture's; unset, <warehouse dir>/.dagster-postgres
    assert "postgres_db:" in (home / "dagster.yaml").read_text(encoding="utf-8")
    assert "password" not in (home / "dagster.yaml").read_text(encoding="utf-8").split("postgres_db:")[0]
    with pg["warehouse"].connect(read_only=True) as con:
        assert con.scalar("select count(*) from public.runs where status = 'SUCCESS'") == 1
        assert con.scalar("select count(*) from public.run_tags where key = 'provreport/warehouse' and value = ?",
                          [str(pg["warehouse"].file)]) == 1


def test_every_mart_equals_duckdb(both_runs: dict) -> None:
    duck, pg = both_runs["duckdb"]["warehouse"], both_runs["postgres"]["warehouse"]
    marts = _marts(duck)
    assert marts == _marts(pg)
    assert {"fct_programme_funding", "fct_indicator_attainment", "fct_district_scorecard", "dim_admin_unit",
            "fct_reporting_completeness"} <= set(marts)
    for mart in marts:
        want_columns, want = _table(duck, f"marts.{mart}")
        got_columns, got = _table(pg, f"marts.{mart}")
        assert got_columns == want_columns, mart
        assert len(got) == len(want), mart
        assert got == want, mart


def test_sign_off_hashes_equal_duckdb(both_runs: dict) -> None:
    want = _table(both_runs["duckdb"]["warehouse"], "marts.fct_unit_approvals")
    assert _table(both_runs["postgres"]["warehouse"], "marts.fct_unit_approvals") == want


def test_audit_findings_equal_duckdb(both_runs: dict) -> None:
    from orchestration.outputs.audit import findings

    def keyed(warehouse):
        return {f["finding_id"]: (f["status"], f["severity"], f["mart"], f["check"], sorted(f["figure_ids"]),
                                  _plain(f["stated"]), _plain(f["computed"]), _plain(f["difference"]))
                for f in findings(warehouse)}

    want, got = keyed(both_runs["duckdb"]["warehouse"]), keyed(both_runs["postgres"]["warehouse"])
    assert want, "the seeds have findings (a total whose parts differ by 18 triệu đồng)"
    assert got == want
    for table in ("audit.validation_results", "audit.finding_observations", "audit.finding_events"):
        assert _table(both_runs["postgres"]["warehouse"], table) == _table(both_runs["duckdb"]["warehouse"], table)


def test_report_figures_equal_duckdb(both_runs: dict) -> None:
    from orchestration.outputs.report import load_report_data

    want = load_report_data(both_runs["duckdb"]["warehouse"])
    got = load_report_data(both_runs["postgres"]["warehouse"])
    for part in ("funding", "indicators", "completeness"):
        assert got[part].columns == want[part].columns, part
        rows = [sorted((tuple(_plain(v) for v in r) for r in frame.iter_rows()), key=repr)
                for frame in (want[part], got[part])]
        assert rows[1] == rows[0], part
    assert [(f["finding_id"], f["stated"], f["computed"]) for f in got["findings"]] == \
        [(f["finding_id"], f["stated"], f["computed"]) for f in want["findings"]]


def test_read_commands_take_target_postgres(both_runs: dict) -> None:
    pg, duck = both_runs["postgres"], both_runs["duckdb"]
    base = ["--warehouse", str(pg["warehouse"].file), "--target", "postgres"]
    summary = run_provreport(["summary", *base], pg["env"])
    assert summary.returncode == 0, summary.stderr
    duck_summary = run_provreport(["summary", "--warehouse", str(duck["warehouse"].file)], duck["env"])
    # the same counts, checks and findings; only the first line (where) differs
    assert summary.stdout.splitlines()[1:] == duck_summary.stdout.splitlines()[1:]
    audit = run_provreport(["audit", *base, "--format", "csv"], pg["env"])
    assert audit.returncode == 0 and audit.stdout.count("\n") >= 2, audit.stderr
    listed = run_provreport(["findings", *base], pg["env"])
    assert listed.returncode == 0 and " open, " in listed.stdout, listed.stderr
    report = run_provreport(["report", *base, "--out", str(pg["tmp"] / "report.html")], pg["env"])
    assert report.returncode == 0, report.stderr
    assert "Báo cáo tổng hợp" in (pg["tmp"] / "report.html").read_text(encoding="utf-8")
    export = run_provreport(["export", *base, str(pg["tmp"] / "parquet")], pg["env"])
    assert export.returncode == 0, export.stderr
    assert (pg["tmp"] / "parquet" / "fct_programme_funding.parquet").exists()
    validate = run_provreport(["validate", *base], pg["env"])
    assert validate.returncode == 0, validate.stdout + validate.stderr
    with pg["warehouse"].connect(read_only=True) as con:
        assert con.scalar("select count(distinct run_id) from audit.validation_results") == 2


def test_accepting_a_finding_on_postgres(both_runs: dict) -> None:
    pg = both_runs["postgres"]
    base = ["--warehouse", str(pg["warehouse"].file), "--target", "postgres"]
    from orchestration.outputs.audit import findings

    first = findings(pg["warehouse"])[0]["finding_id"]
    accepted = run_provreport(["findings", *base, "accept", first, "--reason", "làm tròn số", "--by", "kiểm toán"],
                              pg["env"])
    assert accepted.returncode == 0, accepted.stderr
    assert {f["finding_id"]: f["status"] for f in findings(pg["warehouse"])}[first] == "accepted"


def test_a_missing_dsn_or_an_unreachable_server_is_said_clearly(both_runs: dict, tmp_path: Path) -> None:
    env = {k: v for k, v in both_runs["postgres"]["env"].items() if not k.startswith("PROVREPORT_PG_")}
    missing = run_provreport(["summary", "--target", "postgres"], env)
    assert missing.returncode == 2
    assert "PROVREPORT_PG_DSN" in missing.stderr and len(missing.stderr.strip().splitlines()) == 1
    env["PROVREPORT_PG_DSN"] = "postgresql://nobody:secret@127.0.0.1:1/nowhere"
    unreachable = run_provreport(["run", "--target", "postgres", "--landing", str(tmp_path),
                                  "--warehouse", str(tmp_path / "w.duckdb")], env)
    assert unreachable.returncode == 2
    assert "cannot reach the PostgreSQL server nobody@127.0.0.1:1/nowhere" in unreachable.stderr
    assert "secret" not in unreachable.stderr
    assert len(unreachable.stderr.strip().splitlines()) == 1
