"""Dagster resources: where the warehouse and the landing folder are."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource

from orchestration.settings import Settings


class WarehouseResource(ConfigurableResource):
    """The DuckDB warehouse file (``DUCKDB_PATH``). Connections are opened per step and closed."""

    path: str

    @property
    def file(self) -> Path:
        return Path(self.path)


class LandingFolderResource(ConfigurableResource):
    """The folder districts' files land in (``PROVREPORT_LANDING``); only ever read."""

    path: str

    @property
    def folder(self) -> Path:
        return Path(self.path)


class DataDocsResource(ConfigurableResource):
    """Where Great Expectations Data Docs are built (``PROVREPORT_DOCS_DIR``)."""

    path: str


def default_resources(settings: Settings) -> dict:
    return {
        "warehouse": WarehouseResource(path=str(settings.warehouse)),
        "landing": LandingFolderResource(path=str(settings.landing)),
        "data_docs": DataDocsResource(path=str(settings.data_docs_dir)),
    }
