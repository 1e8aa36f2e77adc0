"""The short summary printed after a run: reports read, figures per mart, checks passed/failed."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import duckdb

from sources.warehouse import open_warehouse

MART_COUNTS = (
    ("fct_programme_funding", "funding figures"),
    ("fct_indicator_attainment", "indicator observations"),
    ("fct_district_scorecard", "scorecards"),
)


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    try:
        row = con.execute(sql, params or []).fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def collect_summary(warehouse: Path, run_id: str | None) -> dict:
    with open_warehouse(warehouse, read_only=True) as con:
        summary = {
            "reports": _scalar(con, "select count(*) from raw.reports"),
            "reports_this_run": _scalar(con, "select count(*) from raw.reports where run_id = ?", [run_id])
            if run_id else None,
            "rejected_files": _scalar(con, "select count(distinct content_sha256) from raw.rejections"),
            "unresolved_places": _scalar(
                con, "select count(*) from raw.reports where place_method in ('unresolved', 'ambiguous')"
            ),
            "marts": {mart: _scalar(con, f"select count(*) from marts.{mart}") for mart, _ in MART_COUNTS},
        }
        if run_id is None:
            run_id = _scalar(con, "select run_id from audit.validation_results order by validated_at desc limit 1")
        rows = []
        if run_id:
            try:
                rows = con.execute(
                    "select severity, success, count(*) from audit.validation_results "
                    "where run_id = ? group by all",
                    [run_id],
                ).fetchall()
            except duckdb.Error:
                rows = []
        summary["checks_passed"] = sum(n for _sev, ok, n in rows if ok)
        summary["checks_failed"] = {sev: n for sev, ok, n in rows if not ok}
    return summary


def print_run_summary(warehouse: Path, run_id: str | None, elapsed: float | None, out: TextIO) -> dict:
    if not warehouse.exists():
        out.write(f"no warehouse at {warehouse}\n")
        return {}
    s = collect_summary(warehouse, run_id)
    took = f" in {elapsed:.1f} s" if elapsed is not None else ""
    out.write(f"provreport: warehouse {warehouse}{took}\n")
    new = f" ({s['reports_this_run']} new this run)" if s.get("reports_this_run") is not None else ""
    out.write(f"  reports read      {s['reports'] or 0}{new}\n")
    out.write(f"  files refused     {s['rejected_files'] or 0}  (audit.rejected_files)\n")
    if s["unresolved_places"]:
        out.write(f"  unplaced reports  {s['unresolved_places']}  (district not resolved; kept and flagged)\n")
    for mart, label in MART_COUNTS:
        n = s["marts"].get(mart)
        out.write(f"  marts.{mart:<26} {'-' if n is None else n:>6} {label}\n")
    failed = s["checks_failed"]
    failed_txt = ", ".join(f"{n} {sev}" for sev, n in sorted(failed.items())) or "0"
    out.write(f"  checks            {s['checks_passed']} passed, {failed_txt} failed"
              f"{'  (provreport audit lists them)' if failed else ''}\n")
    return s
