"""Every setting is an environment variable with a sane default, shared by Dagster and dbt.

dbt's profiles.yml reads ``DUCKDB_PATH`` too, so both always open the same file.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sources.readers import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from sources.connection import Warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


WAREHOUSE_TAG = "provreport/warehouse"
# a run started by `provreport run/validate/watch` says here whether dbt's own lines are shown ("1", --verbose)
# or only feed the progress line ("0"); a run launched from Dagster's UI has no such tag and shows them
VERBOSE_TAG = "provreport/verbose"
# on every step that opens the DuckDB file (ingest's plan and load, dbt, validation, sign-off): the parallel
# executor runs one of them at a time, since only one process may hold the file
DUCKDB_TAG = "provreport/duckdb"
# the smallest number of new files read in parallel partitions: below it one step reads them in the run's own
# process. A parallel run pays more in fixed costs (a step server importing the definitions, a process per step:
# about 10 s when this was set on 28 November, less since orchestration.step_server starts early) and a file takes
# 3-6 ms of CPU to read: from about 5000 new files the second core pays that back
DEFAULT_INGEST_PARALLEL_FROM = 5000


def beside_warehouse(warehouse: Path, suffix: str) -> Path:
    """A folder of this warehouse's runtime state, beside it: ``<warehouse dir>/<name><suffix>``
    (``provincial.duckdb`` -> ``provincial.gx``), the same for its working copy during a run."""
    from sources.warehouse import published_path

    published = published_path(Path(warehouse).resolve())
    return published.with_name(published.stem + suffix)


@dataclass(frozen=True, slots=True)
class Settings:
    """``dagster_home`` and ``docs_dir`` left None default to folders beside the warehouse
    (``<warehouse dir>/.dagster`` and ``<warehouse dir>/<name>.gx/data_docs``): no run writes into
    the source tree, and each warehouse keeps its own run history and Data Docs."""

    warehouse: Path
    landing: Path
    dagster_home: Path | None = None
    docs_dir: Path | None = None
    dbt_target: str = "duckdb"
    # the PostgreSQL server of ``--target postgres`` (libpq DSN or URI): the marts, audit.* and raw's copy
    pg_dsn: str | None = None
    # ingest reads the new files in ``ingest_workers`` partitions, each in its own step process, when there
    # are at least ``ingest_parallel_from`` of them (PROVREPORT_INGEST_WORKERS, default one per core, and
    # PROVREPORT_INGEST_PARALLEL_FROM): read from the environment even when the other fields are given
    ingest_workers: int = field(default_factory=lambda: _env_int(os.environ, "PROVREPORT_INGEST_WORKERS",
                                                                 os.cpu_count() or 1))
    ingest_parallel_from: int = field(default_factory=lambda: _env_int(
        os.environ, "PROVREPORT_INGEST_PARALLEL_FROM", DEFAULT_INGEST_PARALLEL_FROM))
    # what one landed file may take (its size, time and memory budgets, its settle time): ingest_limits,
    # read from the environment even when the other fields are given
    limits: Limits = field(default_factory=lambda: ingest_limits(os.environ))
    # the provinces of today's map this warehouse consolidates (PROVREPORT_PROVINCES: codes or names, comma-
    # separated; empty: inferred from the reports), which dbt reads: read from the environment even when the
    # other fields are given
    provinces: str = field(default_factory=lambda: os.environ.get("PROVREPORT_PROVINCES", ""))
    # dbt runs in this process (False: in a ``dbt`` subprocess, as dagster-dbt runs it, to compare with or to
    # fall back on; PROVREPORT_DBT_SUBPROCESS=1)
    dbt_in_process: bool = True

    def ingest_partitions(self, new_files: int) -> int:
        """Into how many partitions, read in parallel, ingest splits ``new_files`` new files (1: read in
        one step, and the run stays in one process)."""
        return max(1, self.ingest_workers) if new_files >= self.ingest_parallel_from else 1

    @property
    def target(self) -> Warehouse:
        """Where the marts and audit tables are: the DuckDB file, or with ``dbt_target`` postgres the
        server of ``pg_dsn`` (ingest writes the DuckDB file in both cases)."""
        from sources.connection import Warehouse

        if self.dbt_target == "postgres":
            if not self.pg_dsn:
                raise MissingDsnError(MISSING_DSN)
            return Warehouse(Path(self.warehouse), self.pg_dsn)
        return Warehouse(Path(self.warehouse))

    @property
    def dagster_on_postgres(self) -> bool:
        """Dagster's instance (runs, events, schedules) in the PostgreSQL server too: on the postgres target
        when dagster-postgres is installed, so that several workers and the UI share one history."""
        if self.dbt_target != "postgres" or not self.pg_dsn:
            return False
        import importlib.util

        return importlib.util.find_spec("dagster_postgres") is not None

    @property
    def dagster_home_dir(self) -> Path:
        """``DAGSTER_HOME`` when set, else ``<warehouse dir>/.dagster`` (``.dagster-postgres`` when the
        instance's storage is the PostgreSQL server: :attr:`dagster_on_postgres`)."""
        if self.dagster_home is not None:
            return Path(self.dagster_home)
        folder = ".dagster-postgres" if self.dagster_on_postgres else ".dagster"
        from sources.warehouse import published_path

        return published_path(Path(self.warehouse).resolve()).parent / folder

    @property
    def data_docs_dir(self) -> Path:
        """``PROVREPORT_DOCS_DIR`` when set, else ``<warehouse dir>/<name>.gx/data_docs``."""
        if self.docs_dir is not None:
            return Path(self.docs_dir)
        return beside_warehouse(self.warehouse, ".gx") / "data_docs"

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            warehouse=Path(env.get("DUCKDB_PATH", PROJECT_ROOT / "warehouse" / "provincial.duckdb")).resolve(),
            landing=Path(env.get("PROVREPORT_LANDING", PROJECT_ROOT / "samples" / "landing")).resolve(),
            dagster_home=Path(env["DAGSTER_HOME"]).resolve() if env.get("DAGSTER_HOME") else None,
            docs_dir=Path(env["PROVREPORT_DOCS_DIR"]).resolve() if env.get("PROVREPORT_DOCS_DIR") else None,
            dbt_target=env.get("PROVREPORT_DBT_TARGET", "duckdb"),
            pg_dsn=pg_dsn_from_env(env),
            dbt_in_process=env.get("PROVREPORT_DBT_SUBPROCESS", "") != "1",
        )

    def build_env(self) -> dict[str, str]:
        """The settings that change what dbt builds or what validation decides without touching a file, as the
        environment variables that carry them (a run's inputs: ``orchestration.ingest.noop``)."""
        return {"PROVREPORT_PROVINCES": self.provinces, "PROVREPORT_DBT_TARGET": self.dbt_target}

    def env(self) -> dict[str, str]:
        """The settings as the environment variables dbt, Dagster and ``provreport`` read (PROVREPORT_PROVINCES
        only when provinces are declared)."""
        env = {"DUCKDB_PATH": str(self.warehouse), "PROVREPORT_LANDING": str(self.landing),
               "DAGSTER_HOME": str(self.dagster_home_dir), "PROVREPORT_DOCS_DIR": str(self.data_docs_dir),
               **{name: value for name, value in self.build_env().items() if value},
               "PROVREPORT_INGEST_WORKERS": str(self.ingest_workers),
               "PROVREPORT_INGEST_PARALLEL_FROM": str(self.ingest_parallel_from), **limits_env(self.limits)}
        if not self.dbt_in_process:
            env["PROVREPORT_DBT_SUBPROCESS"] = "1"
        if self.pg_dsn:  # dbt's profiles.yml reads the server's parts
            env["PROVREPORT_PG_DSN"] = self.pg_dsn
            env.update(dbt_pg_env(self.pg_dsn))
        return env

    def export(self) -> None:
        """Publish the settings to the environment, where dbt subprocesses read them."""
        os.environ.update(self.env())
        os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        os.environ.setdefault("DAGSTER_TELEMETRY_DISABLED", "true")


def _env_int(env, name: str, default: int) -> int:
    """A whole number of at least 1 from the environment; the default when unset or not such a number."""
    try:
        value = int(env.get(name) or default)
    except ValueError:
        return default
    return value if value >= 1 else default


_MB = 1024 * 1024
# the environment variables of the ingest limits: (name, Limits field, unit in the field per unit in the variable,
# the largest value kept: None, none; a value over it is clamped to it). A value that is not a number, or not
# above 0 (the settle time: below 0), leaves the default.
LIMIT_VARIABLES = (
    ("PROVREPORT_MAX_FILE_MB", "max_file_bytes", _MB, None),
    ("PROVREPORT_FILE_TIME_BUDGET_S", "file_time_budget_s", 1, None),
    ("PROVREPORT_FILE_MEMORY_BUDGET_MB", "file_memory_budget_bytes", _MB, None),
    ("PROVREPORT_SETTLE_S", "settle_s", 1, 60.0),  # 0: files are read however recently modified
)


def ingest_limits(env) -> Limits:
    """The ingest limits the environment sets (:data:`LIMIT_VARIABLES`), the defaults of
    :class:`sources.readers.Limits` for the others."""
    values = {}
    for name, attribute, unit, highest in LIMIT_VARIABLES:
        try:
            value = float(env.get(name) or "nan")
        except ValueError:
            continue
        if highest is not None:  # a time to wait: 0 is a value, below it is 0, over the bound is the bound
            value = min(max(value, 0.0), highest)
        elif not 0 < value < float("inf"):
            continue
        if value == value:  # not NaN
            default = getattr(DEFAULT_LIMITS, attribute)
            values[attribute] = int(value * unit) if isinstance(default, int) else value * unit
    return Limits(**values)


def limits_env(limits: Limits) -> dict[str, str]:
    """``limits`` as the environment variables :func:`ingest_limits` reads back (for the step processes)."""
    return {name: repr(getattr(limits, attribute) / unit) for name, attribute, unit, _ in LIMIT_VARIABLES}


class MissingDsnError(ValueError):
    pass


MISSING_DSN = (
    "--target postgres needs the PostgreSQL server: set PROVREPORT_PG_DSN to a libpq connection string or URI, "
    "e.g. export PROVREPORT_PG_DSN='postgresql://provreport:secret@db.example.org:5432/provreport' (README, "
    "'Run on a shared PostgreSQL', creates the role and database with psql). The marts, audit tables and a copy "
    "of the raw tables are written there; ingest still writes the DuckDB file given by --warehouse.")

# libpq's keywords -> the variables dbt_project/profiles.yml reads for the postgres target
_DBT_PG_VARS = {"host": "PROVREPORT_PG_HOST", "port": "PROVREPORT_PG_PORT", "user": "PROVREPORT_PG_USER",
                "password": "PROVREPORT_PG_PASSWORD", "dbname": "PROVREPORT_PG_DBNAME"}


def pg_dsn_from_env(env) -> str | None:
    """``PROVREPORT_PG_DSN``; without it, a DSN made of the older PROVREPORT_PG_HOST/_PORT/_USER/_PASSWORD/
    _DBNAME when PROVREPORT_PG_HOST is set (the psycopg2 key=value form, values quoted)."""
    if env.get("PROVREPORT_PG_DSN"):
        return env["PROVREPORT_PG_DSN"]
    if not env.get("PROVREPORT_PG_HOST"):
        return None
    from psycopg2.extensions import make_dsn

    defaults = {"port": "5432", "user": "postgres", "dbname": "provreport"}  # profiles.yml's
    parts = {k: env.get(var) or defaults.get(k) for k, var in _DBT_PG_VARS.items()}
    return make_dsn(**{k: v for k, v in parts.items() if v})


def dbt_pg_env(dsn: str) -> dict[str, str]:
    """The parts of a DSN as dbt's profiles.yml reads them (libpq's defaults where the DSN is silent)."""
    from psycopg2.extensions import parse_dsn

    parts = parse_dsn(dsn)
    values = {"host": parts.get("host", "localhost"), "port": parts.get("port", "5432"),
              "user": parts.get("user", os.environ.get("USER", "postgres")), "password": parts.get("password", ""),
              "dbname": parts.get("dbname") or parts.get("user") or os.environ.get("USER", "postgres")}
    return {_DBT_PG_VARS[k]: str(v) for k, v in values.items()}


def dbt_executable() -> str:
    """The dbt of this virtualenv: DbtCliResource refuses to build when dbt is not on PATH."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


DAGSTER_YAML = """\
# Written by provreport: nothing in this project may wait on the network.
telemetry:
  enabled: false
"""
# the run history in SQLite through one engine per database, not one per event (orchestration/instance.py)
POOLED_EVENT_LOG_YAML = """\
event_log_storage:
  module: orchestration.instance
  class: PooledSqliteEventLogStorage
"""


# the instance's storage in the warehouse's PostgreSQL database (dagster-postgres makes its tables in schema
# public): the server's address comes from the environment provreport sets from PROVREPORT_PG_DSN, so no
# password is written to disk
DAGSTER_POSTGRES_YAML = DAGSTER_YAML + """\
storage:
  postgres:
    postgres_db:
      hostname: {env: PROVREPORT_PG_HOST}
      port: {env: PROVREPORT_PG_PORT}
      username: {env: PROVREPORT_PG_USER}
      password: {env: PROVREPORT_PG_PASSWORD}
      db_name: {env: PROVREPORT_PG_DBNAME}
      scheme: postgresql+psycopg2  # SQLAlchemy 2.1's postgresql:// means psycopg 3, not installed here
"""


def ensure_dagster_home(home: Path | None, *, postgres: bool = False) -> Path:
    """The Dagster instance folder, with a dagster.yaml that turns telemetry off and keeps the run history
    in SQLite through :mod:`orchestration.instance` (with ``postgres``: in the PostgreSQL server).
    ``None``: the ``DAGSTER_HOME`` that :meth:`Settings.export` published (beside the warehouse unless
    set). An existing dagster.yaml is the user's and is left as it is, but for one provreport wrote before
    the pooled storage existed, which is brought up to date."""
    home = Path(home if home is not None else os.environ["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or (not postgres and config.read_text(encoding="utf-8") == DAGSTER_YAML):
        config.write_text(DAGSTER_POSTGRES_YAML if postgres else DAGSTER_YAML + POOLED_EVENT_LOG_YAML,
                          encoding="utf-8")
    return home
