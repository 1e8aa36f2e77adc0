"""The short summary printed after a run: reports read, figures per mart, checks passed/failed."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TextIO

from sources.connection import Connection, Warehouse, as_warehouse

MART_COUNTS = (
    ("fct_programme_funding", "funding figures"),
    ("fct_indicator_attainment", "indicator observations"),
    ("fct_district_scorecard", "scorecards"),
)


def _scalar(con: Connection, sql: str, params: list | None = None):
    try:
        return con.scalar(sql, params)
    except con.Error:
        return None


def collect_summary(warehouse: Path | Warehouse, run_id: str | None, sign_off: dict[str, int] | None = None,
                    register: list | None = None) -> dict:
    """What the warehouse holds, from the DuckDB file or the PostgreSQL server.

    From a run that published what it built, instead of reading them again: ``sign_off``, the unit-periods per
    sign-off status as its approval_state step counted them from the same view (statuses with none left out),
    and ``register``, the findings register as its validation left it (expectations.register.left_by_run)."""
    with as_warehouse(warehouse).connect(read_only=True) as con:
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
        # the checks' state is the findings register's (the state of the data), as audit and Dagster say
        from expectations.register import check_states, load_register
        from expectations.suites import CHECKS

        if register is None:
            try:
                register = load_register(con)
            except con.Error:
                register = []
        validated = _scalar(con, "select count(*) from audit.validation_results")
        states = check_states(register)
        severity = {(c.mart, c.name): c.severity for c in CHECKS}
        failed: dict[str, int] = {}
        for key, state in states.items():
            if state == "failed":
                failed[severity.get(key, "WARN")] = failed.get(severity.get(key, "WARN"), 0) + 1
        summary["checks_passed"] = len(CHECKS) - sum(failed.values()) if validated else 0
        summary["checks_failed"] = failed
        summary["checks_accepted"] = sum(1 for s in states.values() if s == "accepted")
        summary["findings_open"] = sum(1 for f in register if f.status == "open")
        summary["findings_accepted"] = sum(1 for f in register if f.status == "accepted")
        signed = sign_off
        if signed is None:
            signed = {}
            with contextlib.suppress(con.Error):  # warehouses built before sign-off existed
                signed = dict(con.execute("select approval_status, count(*) from marts.fct_unit_approvals "
                                          "group by approval_status").fetchall())
        summary["sign_off"] = signed
    return summary


def print_run_summary(warehouse: Path | Warehouse, run_id: str | None, elapsed: float | None, out: TextIO, *,
                      nothing_new: bool = False, sign_off: dict[str, int] | None = None,
                      register: list | None = None) -> dict:
    warehouse = as_warehouse(warehouse)
    if warehouse.engine == "duckdb" and not warehouse.file.exists():
        out.write(f"no warehouse at {warehouse.file}\n")
        return {}
    s = collect_summary(warehouse, run_id, sign_off, register)
    if nothing_new:
        s["reports_this_run"] = 0
    took = f" in {elapsed:.1f} s" if elapsed is not None else ""
    out.write(f"provreport: warehouse {warehouse.describe()}{took}\n")
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
    accepted = f", {s['checks_accepted']} accepted" if s.get("checks_accepted") else ""
    out.write(f"  checks            {s['checks_passed']} passed, {failed_txt} failed{accepted}\n")
    out.write(f"  findings          {s.get('findings_open', 0)} open, {s.get('findings_accepted', 0)} accepted"
              f"{'  (provreport audit lists them)' if s.get('findings_open') else ''}\n")
    if s.get("sign_off"):
        out.write("  sign-off          " + ", ".join(f"{s['sign_off'].get(k, 0)} {k}" for k in
                                                     ("approved", "checked", "reopened", "none"))
                  + " unit-periods\n")
    return s
