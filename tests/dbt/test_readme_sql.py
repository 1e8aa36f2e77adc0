"""Every SQL block in README.md runs on both engines (#15 point 4): on the seeds warehouse in DuckDB and
on the same marts built on PostgreSQL by the fixtures of tests/dbt/test_postgres.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, query_warehouse

pytestmark = pytest.mark.slow

_BLOCK = re.compile(r"^```sql\n(.*?)^```", re.S | re.M)


def readme_statements() -> list[str]:
    """Each statement of each ```sql block of README.md, comments kept, in order."""
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    statements = []
    for block in _BLOCK.findall(text):
        for part in re.split(r";[ \t]*(?:\n|$)", block):
            code = "\n".join(line for line in part.splitlines() if not line.strip().startswith("--")).strip()
            if code:
                statements.append(part.strip())
    return statements


def _label(sql: str) -> str:
    return next((line.strip("- ") for line in sql.splitlines() if line.startswith("--")), sql.split("\n")[0])[:60]


STATEMENTS = readme_statements()


def test_readme_has_sql_to_run() -> None:
    assert len(STATEMENTS) >= 5, STATEMENTS


@pytest.mark.parametrize("sql", STATEMENTS, ids=_label)
def test_readme_sql_runs_on_duckdb(seeds_warehouse: dict, sql: str) -> None:
    rows = query_warehouse(seeds_warehouse["warehouse"], sql)
    assert rows, "the seeds give every sample query something to show"


@pytest.fixture(scope="module")
def postgres_seeds_marts(seeds_warehouse: dict, postgres_dsn: dict, tmp_path_factory):
    """The seeds' raw tables copied to the test server and the marts built there (test_postgres's way)."""
    import psycopg2

    from sources.postgres import copy_raw_to_postgres
    from tests.dbt.test_postgres import _build_on_postgres, _dsn

    dsn = _dsn(postgres_dsn)
    copy_raw_to_postgres(seeds_warehouse["warehouse"], dsn)
    _build_on_postgres(postgres_dsn, Path(tmp_path_factory.mktemp("readme_pg")), "--full-refresh")
    pg = psycopg2.connect(dsn)
    pg.autocommit = True
    try:
        yield pg
    finally:
        pg.close()


@pytest.mark.postgres
@pytest.mark.parametrize("sql", STATEMENTS, ids=_label)
def test_readme_sql_runs_on_postgres(postgres_seeds_marts, seeds_warehouse: dict, sql: str) -> None:
    with postgres_seeds_marts.cursor() as cur:
        cur.execute(sql)
        got = cur.fetchall()
    want = query_warehouse(seeds_warehouse["warehouse"], sql)
    assert len(got) == len(want)
