"""What auditors read: every finding in force, in the figures' own terms, ERROR before WARN.

Per failing group (a stated total and its parts, a rate and its amounts ...): the unit and period, the
figures with their quotes, the stated value, the computed one, the difference in the value's unit and
in percent, and the tolerance; its stable id, status, and when it was first and last seen. Which
findings are in force, and their status, come from the findings register
(:mod:`expectations.register`); text, CSV and HTML render the same rows (:func:`finding_rows`).
"""

from __future__ import annotations

import csv
import html
import io
from datetime import date
from pathlib import Path

from expectations.register import Finding, load_register
from orchestration.outputs.page import html_page
from sources.connection import Warehouse, as_warehouse
from sources.numbers import format_vn, in_millions, percent_text, value_text

FIGURES_SQL = """
select figure_id, report_id, source_file, district_name, province_name, period_start, period_end,
       cast(amount_vnd as double precision) as amount, 'VND' as unit, source_quote
from marts.fct_programme_funding
union all
select figure_id, report_id, source_file, district_name, province_name, period_start, period_end,
       cast(coalesce(actual_value, target_value, attainment_pct, exceed_pct, change_value) as double precision),
       unit, source_quote
from marts.fct_indicator_attainment
union all
select figure_id, report_id, source_file, district_name, province_name, period_start, period_end,
       cast(indicators_met_or_exceeded as double precision), 'count', source_quote
from marts.fct_district_scorecard
"""
FIGURE_FIELDS = ("figure_id", "report_id", "source_file", "district_name", "province_name", "period_start",
                 "period_end", "amount", "unit", "source_quote")
# the CSV's columns (the HTML table shows the same); *_vnd and *_value are numbers, the rest text
CSV_COLUMNS = ("finding_id", "status", "severity", "mart", "check", "description", "unit", "province",
               "period_start", "period_end", "stated", "computed", "difference", "difference_pct", "tolerance",
               "stated_vnd", "computed_vnd", "difference_vnd", "stated_value", "computed_value", "difference_value",
               "difference_percent", "value_unit", "first_seen", "last_seen", "accepted_by", "accepted_until",
               "accepted_reason", "figure_ids", "source_files", "source_quotes")
# a spreadsheet takes a text cell starting with these for a formula
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def finding_texts(f: Finding) -> dict[str, str | bool]:
    """A finding's values written the Vietnamese way, in one scale (triệu đồng when the amounts are
    whole millions, as the reports write them)."""
    millions = f.value_unit == "VND" and in_millions([f.stated, f.computed, f.difference])
    return {
        "millions": millions,
        "stated": f.stated_text if f.stated is None and f.stated_text else value_text(f.stated, f.value_unit,
                                                                                      millions=millions),
        "computed": value_text(f.computed, f.value_unit, millions=millions),
        "difference": value_text(f.difference, f.value_unit, millions=millions, difference=True),
        "difference_pct": percent_text(f.difference_pct),
    }


def counts_only(f: Finding) -> bool:
    """A finding that names neither figures nor a unit: a check's failing rows counted (validation makes
    one only when Great Expectations lists no failing row); every other finding has its values."""
    return not f.figure_ids and f.unit_key is None


def values_text(f: Finding) -> str:
    """A finding's values on one line: stated, computed, difference (in the value's unit and percent) and
    the tolerance; for a count-only finding, how many rows failed of how many."""
    if counts_only(f):
        return f"failing {format_vn(f.stated, 0)} of {format_vn(f.computed, 0)} {f.value_unit or ''} · " \
               f"tolerance {f.tolerance}"
    texts = finding_texts(f)
    return (f"stated {texts['stated']} · computed {texts['computed']} · difference {texts['difference']} "
            f"({texts['difference_pct']}) · tolerance {f.tolerance}")


def _figures(con) -> dict[str, dict]:
    try:
        rows = con.execute(FIGURES_SQL).fetchall()
    except con.Error:
        return {}
    return {r[0]: dict(zip(FIGURE_FIELDS, r, strict=True)) for r in rows}


def load_findings(warehouse: Path | Warehouse, *, today: date | None = None,
                  statuses=("open", "accepted")) -> list[Finding]:
    with as_warehouse(warehouse).connect(read_only=True) as con:
        return [f for f in load_register(con, today=today) if f.status in statuses]


def finding_row(f: Finding, figures: dict[str, dict]) -> dict:
    """One finding as auditors read it (pure): the register's fields, its values written the Vietnamese
    way, and the figures it cites (``figures``: figure_id -> its row of FIGURES_SQL)."""
    cited = [figures[i] for i in f.figure_ids if i in figures]
    vnd = f.value_unit == "VND"
    return {
        **finding_texts(f), "finding": f, "figure_id_list": f.figure_ids, "figure_rows": cited,
        "finding_id": f.finding_id, "status": f.status, "severity": f.severity, "mart": f.mart, "check": f.check,
        "description": f.description, "unit": f.unit_name or ("(unresolved)" if f.figure_ids else "(all units)"),
        "province": f.province_name or "",
        "period_start": f.period_start or "", "period_end": f.period_end or "",
        "tolerance": f.tolerance,
        "stated_vnd": round(f.stated) if vnd and f.stated is not None else None,
        "computed_vnd": round(f.computed) if vnd and f.computed is not None else None,
        "difference_vnd": round(f.difference) if vnd and f.difference is not None else None,
        "stated_value": None if vnd else f.stated, "computed_value": None if vnd else f.computed,
        "difference_value": None if vnd or f.difference is None else round(f.difference, 6),
        "difference_percent": round(f.difference_pct, 6) if f.difference_pct is not None else None,
        "value_unit": f.value_unit or "",
        "first_seen": f.first_seen.isoformat(sep=" ", timespec="seconds"),
        "last_seen": f.last_seen.isoformat(sep=" ", timespec="seconds"),
        "accepted_by": (f.accepted or {}).get("changed_by", "") if f.status == "accepted" else "",
        "accepted_until": ((f.accepted or {}).get("valid_until") or "") if f.status == "accepted" else "",
        "accepted_reason": (f.accepted or {}).get("reason", "") if f.status == "accepted" else "",
        "figure_ids": " | ".join(f.figure_ids),
        "source_files": " | ".join(dict.fromkeys(c["source_file"] or "" for c in cited)),
        "source_quotes": " | ".join(f"“{c['source_quote']}”" for c in cited),
    }


def finding_rows(warehouse: Path | Warehouse, *, today: date | None = None,
                 statuses=("open", "accepted")) -> list[dict]:
    """The findings as auditors read them, one dict per finding (the text, CSV and HTML all render
    these): the register's fields, the values written the Vietnamese way, and the figures. From the
    DuckDB file or the PostgreSQL server (:class:`~sources.connection.Warehouse`)."""
    with as_warehouse(warehouse).connect(read_only=True) as con:
        figures = _figures(con)
        register = [f for f in load_register(con, today=today) if f.status in statuses]
    return [finding_row(f, figures) for f in register]


def safe_cell(value):
    """A text cell a spreadsheet will not run as a formula: quoted when it starts with = + - @ or a
    tab or carriage return. Numbers are written as numbers (a negative amount stays a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _figure_text(fig: dict, millions: bool) -> str:
    amount = value_text(fig["amount"], fig["unit"] if fig["unit"] in ("VND", "percent", "count") else None,
                        millions=millions) if fig["amount"] is not None else "–"
    return (f"{fig['figure_id']}  {fig['source_file']}  {fig['period_start']}..{fig['period_end']}  {amount}"
            + ("" if fig["unit"] in ("VND", "percent", "count", None) else f" {fig['unit']}"))


def render_text(rows: list[dict]) -> str:
    open_rows = [r for r in rows if r["status"] == "open"]
    accepted = [r for r in rows if r["status"] == "accepted"]
    if not rows:
        return "No open findings: the latest validation of every figure passed.\n"
    by_severity = {s: sum(1 for r in open_rows if r["severity"] == s) for s in ("ERROR", "WARN")}
    lines = [f"{len(open_rows)} open finding(s) ({by_severity['ERROR']} ERROR, {by_severity['WARN']} WARN), "
             f"{len(accepted)} accepted: each check's latest full validation and the runs after it", ""]
    for r in rows:
        lines.append(f"[{r['severity']}] {r['finding_id']} · {r['status']} · {r['mart']} · {r['check']}")
        lines.append(f"    {r['description']}")
        where = f"{r['unit']}{', ' + r['province'] if r['province'] else ''}"
        period = f"{r['period_start']}..{r['period_end']}" if r["period_start"] else "every period"
        lines.append(f"    unit: {where} · period: {period}")
        lines.append(f"    {values_text(r['finding'])}")
        lines.append(f"    first seen {r['first_seen']} · last seen {r['last_seen']} "
                     f"(run {r['finding'].last_run_id[:8]})")
        if r["status"] == "accepted":
            until = f" until {r['accepted_until']}" if r["accepted_until"] else ""
            lines.append(f"    accepted by {r['accepted_by']}{until}: {r['accepted_reason']}")
        for fig in r["figure_rows"]:
            lines.append(f"    {_figure_text(fig, r['millions'])}")
            lines.append(f"        “{fig['source_quote']}”")
        lines.append("")
    return "\n".join(lines)


def render_csv(rows: list[dict]) -> str:
    """UTF-8 with a byte-order mark (Excel then reads Vietnamese right), one row per finding."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([safe_cell(str(r[c]) if isinstance(r[c], date) else r[c]) for c in CSV_COLUMNS])
    return "\ufeff" + buf.getvalue()


HTML_COLUMNS = (("finding_id", "Mã / id"), ("status", "Trạng thái / status"), ("check", "Kiểm tra / check"),
                ("unit", "Đơn vị / unit"), ("period", "Kỳ / period"), ("stated", "Số báo cáo / stated"),
                ("computed", "Số tính lại / computed"), ("difference", "Chênh lệch / difference"),
                ("difference_pct", "%"), ("tolerance", "Dung sai / tolerance"), ("seen", "Phát hiện / seen"),
                ("quotes", "Số liệu và trích dẫn / figures and quotes"))


def findings_table_html(rows: list[dict]) -> str:
    """The findings as one HTML table (``provreport audit --format html`` and the leaders' report)."""
    if not rows:
        return '<p class="empty">Không có phát hiện nào / no open findings.</p>'
    head = "".join(f"<th>{html.escape(label)}</th>" for _key, label in HTML_COLUMNS)
    body = []
    for r in rows:
        cells = {
            **{k: html.escape(str(r[k])) for k in ("finding_id", "check", "stated", "computed", "difference",
                                                  "difference_pct", "tolerance")},
            "status": html.escape(r["status"]) + (
                f"<br><small>{html.escape(r['accepted_by'])} → {html.escape(str(r['accepted_until']))}: "
                f"{html.escape(r['accepted_reason'])}</small>" if r["status"] == "accepted" else ""),
            "unit": html.escape(r["unit"] + (", " + r["province"] if r["province"] else "")),
            "period": html.escape(f"{r['period_start']}..{r['period_end']}" if r["period_start"] else "–"),
            "seen": html.escape(f"{r['first_seen']} → {r['last_seen']}"),
            "quotes": "<br>".join(f"<code>{html.escape(fig['figure_id'])}</code> "
                                  f"{html.escape(value_text(fig['amount'], fig['unit'], millions=r['millions']))}: "
                                  f"“{html.escape(fig['source_quote'] or '')}”" for fig in r["figure_rows"]) or "–",
        }
        if counts_only(r["finding"]):
            f = r["finding"]
            cells["stated"] = html.escape(f"{format_vn(f.stated, 0)} / {format_vn(f.computed, 0)} {r['value_unit']}")
            cells["computed"] = cells["difference"] = "–"
        body.append(f"<tr class='sev-{html.escape(r['severity'])}'>"
                    + "".join(f"<td>{cells[k]}</td>" for k, _label in HTML_COLUMNS) + "</tr>")
    return f"<table class='findings'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_html(rows: list[dict], *, extra: str = "") -> str:
    """The findings table on the report's page; ``extra`` (HTML) follows it (the decisions)."""
    return html_page("Audit findings", f"Phát hiện kiểm tra <span class='en'>/ Audit findings ({len(rows)})</span>",
                findings_table_html(rows) + extra)


def render_audit(warehouse: Path | Warehouse, fmt: str = "text", *, today: date | None = None) -> str:
    rows = finding_rows(warehouse, today=today)
    if fmt == "csv":
        return render_csv(rows)
    if fmt == "html":
        return render_html(rows)
    return render_text(rows)


def findings(warehouse: Path | Warehouse, *, today: date | None = None) -> list[dict]:
    """The findings in force (open or accepted), one dict per finding: its check, figure ids and values."""
    return [{"finding_id": r["finding_id"], "status": r["status"], "severity": r["severity"], "mart": r["mart"],
             "check": r["check"], "description": r["description"], "figure_ids": r["figure_id_list"],
             "unit": r["unit"], "stated": r["finding"].stated, "computed": r["finding"].computed,
             "difference": r["finding"].difference, "row": r}
            for r in finding_rows(warehouse, today=today)]
