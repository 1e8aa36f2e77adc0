"""``provreport export``: every mart as a typed Parquet file, column descriptions in its metadata.

The descriptions come from dbt's manifest (the same text as the dbt docs), so a BI tool that
reads Parquet metadata shows what each column means.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.settings import DBT_PROJECT_DIR
from sources.connection import Warehouse, as_warehouse


def mart_descriptions(manifest_path: Path = DBT_PROJECT_DIR / "target" / "manifest.json") -> dict[str, dict]:
    """{model name: {"description": ..., "columns": {column: description}}} for the marts."""
    if not manifest_path.exists():
        return {}
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    out: dict[str, dict] = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model" or node.get("config", {}).get("schema") != "marts":
            continue
        out[node["name"]] = {
            "description": node.get("description", ""),
            "columns": {name: col.get("description", "") for name, col in node.get("columns", {}).items()},
        }
    return out


def export_parquet(warehouse: Path | Warehouse, out_dir: Path) -> list[tuple[str, int, Path]]:
    """Write one Parquet file per table of schema ``marts`` (DuckDB file or PostgreSQL server); returns
    (mart, rows, path)."""
    warehouse = as_warehouse(warehouse)
    out_dir.mkdir(parents=True, exist_ok=True)
    docs = mart_descriptions()
    written = []
    source = warehouse.file.name if warehouse.engine == "duckdb" else warehouse.describe()
    with warehouse.connect(read_only=True) as con:
        marts = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()]
        for mart in marts:
            table: pa.Table = con.arrow(f'select * from marts."{mart}"')
            info = docs.get(mart, {"description": "", "columns": {}})
            fields = [
                f.with_metadata({"description": info["columns"].get(f.name, "")}) for f in table.schema
            ]
            schema = pa.schema(fields, metadata={
                "description": info["description"], "source": f"{source}:marts.{mart}",
            })
            path = out_dir / f"{mart}.parquet"
            pq.write_table(table.cast(schema), path)
            written.append((mart, table.num_rows, path))
    return written
