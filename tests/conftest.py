"""Shared fixtures: the reference reports in ../shared, read in place (never copied in)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from hypothesis.configuration import set_hypothesis_home_dir

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("PROVREPORT_SHARED_DIR", PROJECT_ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED_DIR / "seeds").is_dir():
        pytest.skip(f"the reference reports are not beside the project ({SHARED_DIR}/seeds is absent)")
    return SHARED_DIR


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    return shared_dir / "seeds"


@pytest.fixture(scope="session")
def gold_path(shared_dir: Path) -> Path:
    return shared_dir / "eval" / "seeds_gold.jsonl"


# Hypothesis keeps its example database and caches under the system's temporary folder, not in
# .hypothesis/ of the checkout (no test writes into the source tree)
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "provreport-hypothesis")
# Property tests that leave max_examples to the profile (tests/expectations/test_check_models.py) draw 150
# examples in `make test` and 15 in the fast tier (-m "not slow ..."); --hypothesis-profile overrides
hypothesis_settings.register_profile("full", max_examples=150)
hypothesis_settings.register_profile("fast", max_examples=15)


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--hypothesis-profile", None):
        return
    fast_tier = "not slow" in (config.getoption("markexpr", "") or "")
    hypothesis_settings.load_profile("fast" if fast_tier else "full")


@pytest.fixture(scope="session")
def artifacts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Screenshots and reports the tests make, for people to look at: under pytest's temporary
    folder (``/tmp/pytest-of-<user>/pytest-current/artifacts``, the last three runs kept), never
    in the source tree."""
    folder = tmp_path_factory.getbasetemp() / "artifacts"
    folder.mkdir(exist_ok=True)
    return folder


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None or getattr(factory, "_basetemp", None) is None:
        return
    folder = factory.getbasetemp() / "artifacts"
    if folder.is_dir() and any(folder.iterdir()):
        terminalreporter.write_line(f"screenshots and reports for people to look at: {folder}")


def run_provreport(args: list[str], env: dict, timeout: int = 900):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "orchestration.cli", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="session")
def seeds_warehouse(tmp_path_factory, seeds_dir: Path) -> dict:
    """The five seeds run through the whole pipeline twice (the second run must add nothing). The
    second is forced through every step: without ``--force`` a run with nothing new stops before
    Dagster (tests/test_noop.py), and these tests look at what an incremental run over no new
    report writes (a validation of no unit).

    Shared by every test that needs a real warehouse, so the pipeline runs once per session.
    """
    tmp = tmp_path_factory.mktemp("seeds_pipeline")
    warehouse = tmp / "provincial.duckdb"
    env = {**os.environ, "DAGSTER_HOME": str(tmp / "dagster_home"), "PROVREPORT_DOCS_DIR": str(tmp / "docs"),
           "DUCKDB_PATH": str(warehouse)}
    first = run_provreport(["run", "--landing", str(seeds_dir), "--warehouse", str(warehouse)], env)
    assert first.returncode == 0, first.stdout + first.stderr
    counts_after_first = table_counts(warehouse)
    second = run_provreport(["run", "--landing", str(seeds_dir), "--warehouse", str(warehouse), "--force"], env)
    assert second.returncode == 0, second.stdout + second.stderr
    return {"warehouse": warehouse, "first": first, "second": second, "env": env, "tmp": tmp,
            "counts_after_first": counts_after_first}


def query_warehouse(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of a query on a warehouse opened read-only (and closed: DuckDB has one writer or readers)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def table_counts(warehouse: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            t: con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("raw.reports", "raw.figures", "marts.fct_programme_funding",
                      "marts.fct_indicator_attainment", "marts.fct_district_scorecard")
        }
    finally:
        con.close()
