"""Every setting is an environment variable with a sane default, shared by Dagster and dbt.

dbt's profiles.yml reads ``DUCKDB_PATH`` too, so both always open the same file.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


_BUILDING = re.compile(r"^\.(.+)\.building$")
WAREHOUSE_TAG = "provreport/warehouse"


def published_warehouse(path: Path) -> Path:
    """The published file a path stands for: a run builds in ``.<name>.building`` beside ``<name>``."""
    path = Path(path)
    match = _BUILDING.match(path.name)
    return path.with_name(match[1]) if match else path


def beside_warehouse(warehouse: Path, suffix: str) -> Path:
    """A folder of this warehouse's runtime state, beside it: ``<warehouse dir>/<name><suffix>``
    (``provincial.duckdb`` -> ``provincial.gx``), the same for its working copy during a run."""
    published = published_warehouse(Path(warehouse).resolve())
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

    @property
    def dagster_home_dir(self) -> Path:
        """``DAGSTER_HOME`` when set, else ``<warehouse dir>/.dagster``."""
        if self.dagster_home is not None:
            return Path(self.dagster_home)
        return published_warehouse(Path(self.warehouse).resolve()).parent / ".dagster"

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
        )

    def env(self) -> dict[str, str]:
        """The settings as the environment variables dbt, Dagster and ``provreport`` read."""
        return {"DUCKDB_PATH": str(self.warehouse), "PROVREPORT_LANDING": str(self.landing),
                "DAGSTER_HOME": str(self.dagster_home_dir), "PROVREPORT_DOCS_DIR": str(self.data_docs_dir),
                "PROVREPORT_DBT_TARGET": self.dbt_target}

    def export(self) -> None:
        """Publish the settings to the environment, where dbt subprocesses read them."""
        os.environ.update(self.env())
        os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        os.environ.setdefault("DAGSTER_TELEMETRY_DISABLED", "true")


def dbt_executable() -> str:
    """The dbt of this virtualenv: DbtCliResource refuses to build when dbt is not on PATH."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


DAGSTER_YAML = """\
# Written by provreport: nothing in this project may wait on the network.
telemetry:
  enabled: false
"""


def ensure_dagster_home(home: Path | None) -> Path:
    """The Dagster instance folder, with a dagster.yaml that turns telemetry off. ``None``: the
    ``DAGSTER_HOME`` that :meth:`Settings.export` published (beside the warehouse unless set)."""
    home = Path(home if home is not None else os.environ["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return home
