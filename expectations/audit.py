"""What auditors read: every failed check of the latest validation run, with the figures involved,
their report, district, period and source quotes, ERROR before WARN."""

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
       amount_vnd as amount, 'VND' as unit, source_quote
from marts.fct_programme_funding
union all
select figure_id, report_id, source_file, district_name, province_name, period_start, period_end,
       coalesce(actual_value, target_value, attainment_pct, exceed_pct, change_value), unit, source_quote
from marts.fct_indicator_attainment
union all
select figure_id, report_id, source_file, district_name, province_name, period_start, period_end,
       cast(indicators_met_or_exceeded as double), 'count', source_quote
from marts.fct_district_scorecard
"""


def vn_amount(value: float | int | None, unit: str | None) -> str:
    if value is None:
        return "–"
    if unit == "VND":
        return format_vnd(value)
    if unit == "percent":
        return f"{format_vn(value, 2)}%"
    return format_vn(value, 2)


def findings(warehouse: Path) -> list[dict]:
    """Failed checks of the latest run, each with the figures it names."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        latest = con.execute(
            "select run_id from audit.validation_results order by validated_at desc limit 1"
        ).fetchone()
        if latest is None:
            return []
        rows = con.execute(
            "select severity, mart, expectation, failing_figure_ids, observed_value, details from "
            "audit.validation_results where run_id = ? and not success "
            "order by case severity when 'ERROR' then 0 else 1 end, mart, expectation",
            [latest[0]],
        ).fetchall()
        figures = {r[0]: r for r in con.execute(FIGURES_SQL).fetchall()}
    finally:
        con.close()
    out = []
    for severity, mart, expectation, ids, observed, details in rows:
        involved = [figures[i] for i in json.loads(ids or "[]") if i in figures]
        out.append({"run_id": latest[0], "severity": severity, "mart": mart, "check": expectation,
                    "description": json.loads(details or "{}").get("description", ""),
                    "observed": json.loads(observed or "{}"), "figures": involved})
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
        return "No failed checks in the latest validation run.\n"
    lines = [f"{len(items)} failed check(s) in validation run {items[0]['run_id']}", ""]
    for f in items:
        lines.append(f"[{f['severity']}] {f['mart']} · {f['check']}: {f['description']}")
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
