"""Every setting is an environment variable with a sane default, shared by Dagster and dbt.

dbt's profiles.yml reads ``DUCKDB_PATH`` too, so both always open the same file.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


@dataclass(frozen=True, slots=True)
class Settings:
    warehouse: Path
    landing: Path
    dagster_home: Path
    docs_dir: Path
    dbt_target: str

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            warehouse=Path(env.get("DUCKDB_PATH", PROJECT_ROOT / "warehouse" / "provincial.duckdb")).resolve(),
            landing=Path(env.get("PROVREPORT_LANDING", PROJECT_ROOT / "samples" / "landing")).resolve(),
            dagster_home=Path(env.get("DAGSTER_HOME", PROJECT_ROOT / ".dagster_home")).resolve(),
            docs_dir=Path(env.get("PROVREPORT_DOCS_DIR", PROJECT_ROOT / "warehouse" / "data_docs")).resolve(),
            dbt_target=env.get("PROVREPORT_DBT_TARGET", "duckdb"),
        )

    def env(self) -> dict[str, str]:
        """The settings as the environment variables dbt, Dagster and ``provreport`` read."""
        return {"DUCKDB_PATH": str(self.warehouse), "PROVREPORT_LANDING": str(self.landing),
                "DAGSTER_HOME": str(self.dagster_home), "PROVREPORT_DOCS_DIR": str(self.docs_dir),
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


def ensure_dagster_home(home: Path) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return home
