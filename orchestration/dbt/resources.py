"""The dbt CLI resource, without the `dbt --version` subprocess dagster-dbt starts before every build."""

from __future__ import annotations

from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource
from packaging import version


class ProvreportDbtCliResource(DbtCliResource):
    """``DbtCliResource`` answering its dbt version from the installed dbt-core package.

    dagster-dbt asks the dbt executable for its version (``dbt --version``, 3 s here, and a lookup
    on the package index) before each build, to tell dbt-core from the fusion engine. This project
    pins dbt-core and runs the dbt of its own virtualenv, so the installed package answers the same
    question at no cost: a fifth of the time budget of one new report. ``_cli_version`` is not public
    API; tests/orchestration/test_dbt_assets.py fails if dagster-dbt stops consulting it.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))
