"""Dagster resources: where the warehouse and the landing folder are."""

from __future__ import annotations

import os
from dataclasses import asdict, fields
from pathlib import Path

from dagster import ConfigurableResource, EnvVar

from orchestration.settings import Settings
from sources.connection import Warehouse
from sources.postgres import CopyResult
from sources.readers import Limits


class WarehouseResource(ConfigurableResource):
    """The DuckDB warehouse file (``DUCKDB_PATH``), which ingest writes, and with the postgres target
    the server (``PROVREPORT_PG_DSN``) where dbt builds the marts and validation writes audit.*.
    Connections are opened per step and closed."""

    path: str
    dsn: str = ""  # empty: the DuckDB target

    @property
    def file(self) -> Path:
        return Path(self.path)

    @property
    def target(self) -> Warehouse:
        """Where the marts and the audit tables are (:mod:`sources.connection`)."""
        return Warehouse(self.file, self.dsn or None)

    def connect_duckdb(self, *, read_only: bool = False):
        """The DuckDB file, whatever the target (ingest writes it), as a DuckDB connection closed at the end
        of the ``with`` block; another process holding it is ``WarehouseLockedError``'s message."""
        from sources.warehouse import open_warehouse

        return open_warehouse(self.file, read_only=read_only)

    def sync_raw(self) -> CopyResult | None:
        """Before dbt builds on PostgreSQL: the server's raw tables made equal to the DuckDB file's
        (COPY, one transaction). Returns the result of the copy; None on the DuckDB target."""
        if not self.dsn:
            return None
        from sources.postgres import copy_raw_to_postgres

        return copy_raw_to_postgres(self.file, self.dsn)


class LandingFolderResource(ConfigurableResource):
    """The folder districts' files land in (``PROVREPORT_LANDING``), only ever read, and what one of its
    files may take when it is read: the fields of :class:`sources.readers.Limits`, given by
    ``Settings.limits`` (:func:`default_resources`)."""

    path: str
    max_file_bytes: int
    file_time_budget_s: float
    file_memory_budget_bytes: int
    settle_s: float

    @property
    def folder(self) -> Path:
        return Path(self.path)

    @property
    def limits(self) -> Limits:
        return Limits(**{f.name: getattr(self, f.name) for f in fields(Limits)})


class DataDocsResource(ConfigurableResource):
    """Where Great Expectations Data Docs are built (``PROVREPORT_DOCS_DIR``)."""

    path: str


def _dsn_config(settings: Settings):
    """The DSN as an EnvVar when the environment holds it (Dagster never shows its value: it may carry a
    password); empty on the DuckDB target."""
    if settings.dbt_target != "postgres" or not settings.pg_dsn:
        return ""
    return EnvVar("PROVREPORT_PG_DSN") if os.environ.get("PROVREPORT_PG_DSN") == settings.pg_dsn else settings.pg_dsn


def default_resources(settings: Settings) -> dict:
    return {
        "warehouse": WarehouseResource(path=str(settings.warehouse), dsn=_dsn_config(settings)),
        "landing": LandingFolderResource(path=str(settings.landing), **asdict(settings.limits)),
        "data_docs": DataDocsResource(path=str(settings.data_docs_dir)),
    }
