"""What auditors read: every open finding, with the figures involved, their report, district, period
and source quotes, ERROR before WARN.

A finding is open when the latest validation that covered its figures failed them. A full run
(the first one, or the daily ``full_validation``) covers every row; an incremental run after new
reports covers only their units (``scope_units``), so for each check the latest full run's failing
figures are kept except in the units a later incremental run re-validated, where its verdict wins.
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import duckdb

from sources.numbers import format_vn, format_vnd

FIGURES_SQL = """
select figure_id, report_id, source_file, district_name, province_name, period_start, period_end,
       amount_vnd as amount, 'VND' as unit, source_quote, unit_key
from marts.fct_programme_funding
union all
select figure_id, report_id, source_file, district_name, province_name, period_start, period_end,
       coalesce(actual_value, target_value, attainment_pct, exceed_pct, change_value), unit, source_quote, unit_key
from marts.fct_indicator_attainment
union all
select figure_id, report_id, source_file, district_name, province_name, period_start, period_end,
       cast(indicators_met_or_exceeded as double), 'count', source_quote, unit_key
from marts.fct_district_scorecard
"""
RESULTS_SQL = """
with last_full as (  -- per check: its latest run over every row
    select mart, expectation, max(validated_at) as validated_at
    from audit.validation_results where {full} group by mart, expectation
)
select v.run_id, v.severity, v.mart, v.expectation, v.success, v.failing_figure_ids, v.observed_value, v.details,
       {scope}
from audit.validation_results as v
left join last_full as f on v.mart = f.mart and v.expectation = f.expectation
where v.validated_at >= coalesce(f.validated_at, timestamp '1900-01-01')
order by v.validated_at, v.run_id
"""


def vn_amount(value: float | int | None, unit: str | None) -> str:
    if value is None:
        return "–"
    if unit == "VND":
        return format_vnd(value)
    if unit == "percent":
        return f"{format_vn(value, 2)}%"
    return format_vn(value, 2)


def merge_results(rows: list[tuple], unit_of: dict[str, str]) -> dict[tuple[str, str], dict]:
    """The open state of each check, from the results since the latest full run, oldest first
    (pure: unit-tested). ``rows``: (run_id, severity, mart, expectation, success, failing ids JSON,
    observed JSON, details JSON, scope units JSON or None); ``unit_of``: figure_id -> unit_key of the
    figures still in the marts (a superseded report's figures are no longer findings)."""
    state: dict[tuple[str, str], dict] = {}
    for run_id, severity, mart, expectation, success, ids, observed, details, scope in rows:
        key = (mart, expectation)
        named = json.loads(ids or "[]")
        failing = [i for i in named if i in unit_of]
        entry = {"run_id": run_id, "severity": severity, "mart": mart, "check": expectation,
                 "description": json.loads(details or "{}").get("description", ""),
                 "observed": json.loads(observed or "{}"),
                 # a failure that names no figure (a count, a completeness rate) stands until the next run
                 "unattributed": not success and not named}
        if scope is not None and key in state:
            units = set(json.loads(scope))
            kept = [i for i in state[key]["ids"] if unit_of[i] not in units]
            entry["ids"] = kept + [i for i in failing if i not in kept]
            if kept:  # the counts describe the merged figures, not one run's frame
                entry["observed"] = {"unexpected_count": len(entry["ids"])}
        else:
            entry["ids"] = failing
        state[key] = entry
    return state


def findings(warehouse: Path) -> list[dict]:
    """Open findings: each failing check with the figures it names (see the module docstring)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        columns = {r[0] for r in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'audit' and table_name = 'validation_results'").fetchall()}
        if not columns:
            return []
        scoped = "scope_units" in columns  # warehouses validated before runs were scoped
        rows = con.execute(RESULTS_SQL.format(scope="v.scope_units" if scoped else "null",
                                              full="scope_units is null" if scoped else "true")).fetchall()
        figures = {r[0]: r for r in con.execute(FIGURES_SQL).fetchall()}
    finally:
        con.close()
    state = merge_results(rows, {fid: r[10] for fid, r in figures.items()})
    out = []
    for entry in state.values():
        if not entry["ids"] and not entry["unattributed"]:
            continue
        out.append({"run_id": entry["run_id"], "severity": entry["severity"], "mart": entry["mart"],
                    "check": entry["check"], "description": entry["description"], "observed": entry["observed"],
                    "figure_ids": entry["ids"], "figures": [figures[i][:10] for i in entry["ids"]]})
    out.sort(key=lambda f: (0 if f["severity"] == "ERROR" else 1, f["mart"], f["check"]))
    return out


def render_audit(warehouse: Path, fmt: str = "text") -> str:
    items = findings(Path(warehouse))
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["severity", "mart", "check", "description", "figure_id", "source_file", "district",
                         "province", "period_start", "period_end", "amount", "source_quote"])
        for f in items:
            for fig in f["figures"] or [(None,) * 10]:
                writer.writerow([f["severity"], f["mart"], f["check"], f["description"], fig[0], fig[2], fig[3],
                                 fig[4], fig[5], fig[6], vn_amount(fig[7], fig[8]) if fig[0] else "", fig[9]])
        return buf.getvalue()
    if fmt == "html":
        parts = ["<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>Audit findings</title>"
                 "<style>body{font-family:sans-serif;margin:2rem}td,th{border:1px solid #ccc;padding:.3rem}"
                 "table{border-collapse:collapse}.ERROR{color:#b00020}.WARN{color:#9a6700}</style></head><body>",
                 f"<h1>Phát hiện kiểm tra / Audit findings ({len(items)})</h1>"]
        for f in items:
            parts.append(f"<h2 class='{f['severity']}'>{f['severity']} · {html.escape(f['mart'])} · "
                         f"{html.escape(f['check'])}</h2><p>{html.escape(f['description'])}</p><table>"
                         "<tr><th>figure</th><th>district</th><th>period</th><th>amount</th><th>quote</th></tr>")
            for fig in f["figures"]:
                parts.append(f"<tr><td>{fig[0]}</td><td>{html.escape(fig[3] or '')}</td><td>{fig[5]}..{fig[6]}</td>"
                             f"<td>{vn_amount(fig[7], fig[8])}</td><td>“{html.escape(fig[9] or '')}”</td></tr>")
            parts.append("</table>")
        return "".join(parts) + "</body></html>"
    if not items:
        return "No open findings: the latest validation of every figure passed.\n"
    lines = [f"{len(items)} failed check(s): open findings of the latest full validation and the runs after it", ""]
    for f in items:
        lines.append(f"[{f['severity']}] {f['mart']} · {f['check']}: {f['description']}  (run {f['run_id']})")
        observed = f["observed"]
        if observed.get("unexpected_count") is not None and observed.get("element_count"):
            lines.append(f"    failing rows: {observed['unexpected_count']} of {observed['element_count']}")
        values = [v for v in observed.get("unexpected_values") or [] if v not in ("True", "False", "None")]
        if values:
            lines.append(f"    observed: {', '.join(values[:5])}")
        for fig in f["figures"]:
            lines.append(f"    {fig[0]}  {fig[2]}  {fig[3] or '(district unresolved)'}, {fig[4] or ''}  "
                         f"{fig[5]}..{fig[6]}  {vn_amount(fig[7], fig[8])}")
            lines.append(f"        “{fig[9]}”")
        lines.append("")
    return "\n".join(lines)
