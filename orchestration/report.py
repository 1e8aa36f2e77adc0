"""``provreport report``: one self-contained HTML file for provincial leaders.

Charts are drawn by Plotly, whose JavaScript is inlined once in the file, so the page opens
from disk on a closed network with no request leaving the machine. Labels are Vietnamese with
the English beside them; amounts are written the Vietnamese way (106,182 tỷ đồng).
"""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import plotly.graph_objects as go
import polars as pl

from sources.numbers import format_vn, format_vnd
from sources.warehouse import open_warehouse

STATUS_ORDER = {"not_met": 0, "unknown": 1, "met": 2, "exceeded": 3}
STATUS_LABEL = {
    "exceeded": "Vượt / exceeded", "met": "Đạt / met", "not_met": "Không đạt / not met", "unknown": "Chưa rõ / unknown",
}

CSS = """
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; margin: 2rem; color: #1d2733; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 2px solid #c8102e; }
.en { color: #5b6770; font-weight: normal; font-size: .9em; }
.meta { color: #5b6770; } .chart { width: 100%; min-height: 420px; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f5f7; } td.num { text-align: right; white-space: nowrap; }
.sev-ERROR { color: #b00020; font-weight: bold; } .sev-WARN { color: #9a6700; font-weight: bold; }
.empty { color: #5b6770; font-style: italic; }
@media print {
  body { margin: 0; } .chart { page-break-inside: avoid; }
  h2 { page-break-after: avoid; } table { page-break-inside: auto; } tr { page-break-inside: avoid; }
  .modebar, .modebar-container { display: none !important; }
}
@page { size: A4 landscape; margin: 12mm; }
"""


def vn_number(value: float | Decimal | int | None, decimals: int = 2) -> str:
    return format_vn(value, decimals)


def vn_amount(vnd: float | int | None) -> str:
    return format_vnd(vnd)


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    try:
        return pl.from_arrow(con.sql(sql, params=params or None).to_arrow_table())
    except duckdb.Error:
        return pl.DataFrame()


def load_report_data(warehouse: Path, period: str | None = None) -> dict[str, pl.DataFrame]:
    """Read what the report shows; ``period`` ('2023' or '2023-05') keeps figures ending in it."""
    where, params = "", []
    if period:
        where = "where strftime(period_end, '%Y-%m') like ?"
        params = [period + "%"]
    with open_warehouse(warehouse, read_only=True) as con:
        funding = _frame(con, f"""
            select coalesce(district_name, '(chưa xác định)') as district_name, programme_code, capital_source,
                   measure, amount_vnd, reported_rate_pct, computed_rate_pct, period_start, period_end, source_quote
            from marts.fct_programme_funding {where}""", params)
        indicators = _frame(con, f"""
            select coalesce(district_name, '(chưa xác định)') as district_name, indicator_code, indicator_name,
                   status, target_value, actual_value, attainment_pct, period_end, source_quote
            from marts.fct_indicator_attainment {where}""", params)
        completeness = _frame(con, "select * from marts.fct_reporting_completeness")
    return {"funding": funding, "indicators": indicators, "completeness": completeness,
            "findings": open_findings(warehouse)}


def open_findings(warehouse: Path) -> list[dict]:
    """The auditors' findings in force (expectations.audit): open and accepted, one per failing group."""
    from expectations.audit import finding_rows

    return finding_rows(warehouse)


def disbursement_chart(funding: pl.DataFrame) -> go.Figure | None:
    """Disbursement rate by district and programme: the stated rate, else disbursed/allocated."""
    if funding.is_empty():
        return None
    rates = (
        funding.filter(pl.col("measure") == "disbursed")
        .with_columns(pl.coalesce("reported_rate_pct", "computed_rate_pct").cast(pl.Float64).alias("rate"))
        .filter(pl.col("rate").is_not_null())
        .group_by("district_name", "programme_code")
        .agg(pl.col("rate").max())
        .sort("district_name", "programme_code")
    )
    if rates.is_empty():
        return None
    fig = go.Figure()
    for (programme,), part in rates.group_by("programme_code", maintain_order=True):
        fig.add_bar(x=part["district_name"].to_list(), y=part["rate"].to_list(), name=programme,
                    text=[vn_number(v, 2) + "%" for v in part["rate"].to_list()], textposition="outside")
    fig.add_hline(y=100, line_dash="dash", line_color="#c8102e", annotation_text="kế hoạch / plan 100%")
    fig.update_layout(barmode="group", yaxis_title="Tỷ lệ giải ngân (%) / disbursement rate",
                      xaxis_title="Huyện / district", legend_title="Chương trình / programme",
                      margin={"t": 30}, height=460)
    return fig


def attainment_heatmap(indicators: pl.DataFrame) -> go.Figure | None:
    if indicators.is_empty():
        return None
    # the catalogue's indicators only: names as written would make a row per phrasing
    mapped = indicators.filter(pl.col("indicator_code") != "UNMAPPED")
    indicators = mapped if not mapped.is_empty() else indicators
    cells = (
        indicators.with_columns(
            pl.coalesce(pl.col("indicator_code").replace("UNMAPPED", None), pl.col("indicator_name")).alias("label"),
            pl.col("status").replace_strict(STATUS_ORDER, default=1).alias("score"),
        )
        .group_by("district_name", "label")
        .agg(pl.col("score").min(), pl.col("status").first())
    )
    districts = sorted(cells["district_name"].unique().to_list())
    labels = sorted(cells["label"].unique().to_list())
    index = {(r["district_name"], r["label"]): r for r in cells.iter_rows(named=True)}
    z = [[index.get((d, lab), {}).get("score") for d in districts] for lab in labels]
    text = [[STATUS_LABEL.get(index.get((d, lab), {}).get("status"), "") for d in districts] for lab in labels]
    fig = go.Figure(go.Heatmap(
        z=z, x=districts, y=labels, text=text, hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
        zmin=0, zmax=3, colorscale=[[0, "#c8102e"], [0.33, "#c9ced6"], [0.66, "#7fb77e"], [1, "#1a7f37"]],
        colorbar={"tickvals": [0, 1, 2, 3], "ticktext": [STATUS_LABEL[s] for s in STATUS_ORDER]},
    ))
    fig.update_layout(height=max(360, 22 * len(labels) + 120), margin={"t": 30, "l": 260},
                      xaxis_title="Huyện / district")
    return fig


def completeness_chart(completeness: pl.DataFrame) -> go.Figure | None:
    if completeness.is_empty():
        return None
    cols = set(completeness.columns)
    period_col = next((c for c in ("period_start", "month_start", "period_month", "period") if c in cols), None)
    flag_col = next((c for c in ("has_reported", "is_reported", "report_received", "reported") if c in cols), None)
    if period_col is None or flag_col is None:
        return None
    per_period = (
        completeness.group_by(period_col)
        .agg(pl.col(flag_col).cast(pl.Int32).sum().alias("reported"), pl.len().alias("expected"))
        .sort(period_col)
    )
    fig = go.Figure()
    fig.add_bar(x=[str(p) for p in per_period[period_col]], y=per_period["reported"].to_list(),
                name="Đã báo cáo / reported")
    fig.add_bar(x=[str(p) for p in per_period[period_col]],
                y=(per_period["expected"] - per_period["reported"]).to_list(), name="Chưa báo cáo / missing")
    fig.update_layout(barmode="stack", height=380, margin={"t": 30},
                      yaxis_title="Đơn vị (huyện; xã từ 7/2025) / units (districts; communes from 7/2025)",
                      xaxis_title="Kỳ / period")
    return fig


def findings_table(findings: list[dict]) -> str:
    """The same table as ``provreport audit --format html``."""
    from expectations.audit import findings_table_html

    return findings_table_html(findings)


def funding_table(funding: pl.DataFrame) -> str:
    if funding.is_empty():
        return '<p class="empty">Chưa có số liệu / no figures.</p>'
    rows = []
    for r in funding.sort("district_name", "programme_code").head(200).iter_rows(named=True):
        rate = r["reported_rate_pct"] if r["reported_rate_pct"] is not None else r["computed_rate_pct"]
        rows.append(
            f"<tr><td>{html.escape(r['district_name'])}</td><td>{html.escape(r['programme_code'] or '')}</td>"
            f"<td>{html.escape(r['measure'] or '')}</td><td class='num'>{vn_amount(r['amount_vnd'])}</td>"
            f"<td class='num'>{'' if rate is None else vn_number(rate) + '%'}</td>"
            f"<td>{html.escape(r['source_quote'] or '')}</td></tr>"
        )
    return ("<table><thead><tr><th>Huyện / district</th><th>Chương trình / programme</th><th>Loại / measure</th>"
            "<th>Số tiền / amount</th><th>Tỷ lệ / rate</th><th>Trích dẫn / quote</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def render_report(warehouse: Path, period: str | None = None) -> str:
    data = load_report_data(warehouse, period)
    sections = [
        ("Tỷ lệ giải ngân theo huyện và chương trình", "Disbursement rate by district and programme",
         "chart-disbursement", disbursement_chart(data["funding"])),
        ("Tình trạng thực hiện chỉ tiêu", "Attainment of targets by district",
         "chart-attainment", attainment_heatmap(data["indicators"])),
        ("Tình hình gửi báo cáo theo kỳ", "Reporting completeness by period",
         "chart-completeness", completeness_chart(data["completeness"])),
    ]
    parts, plotly_included = [], False
    for title_vi, title_en, div_id, fig in sections:
        parts.append(f"<h2>{title_vi} <span class='en'>/ {title_en}</span></h2>")
        if fig is None:
            parts.append('<p class="empty">Chưa có số liệu / no data for this chart.</p>')
            continue
        parts.append(fig.to_html(full_html=False, include_plotlyjs=not plotly_included, div_id=div_id,
                                 config={"displaylogo": False, "responsive": True},
                                 default_width="100%"))
        plotly_included = True
    parts.append("<h2>Phát hiện kiểm tra <span class='en'>/ Open audit findings</span></h2>")
    parts.append(findings_table(data["findings"]))
    from orchestration.decisions import decisions_html, load_decisions

    parts.append(decisions_html(load_decisions(warehouse)))
    parts.append("<h2>Số liệu kinh phí <span class='en'>/ Programme funding figures</span></h2>")
    parts.append(funding_table(data["funding"]))
    scope = f"kỳ / period {html.escape(period)}" if period else "mọi kỳ / all periods"
    return (
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Báo cáo tổng hợp các huyện / District report</title>"
        f"<style>{CSS}</style></head><body>"
        "<h1>Báo cáo tổng hợp số liệu các huyện <span class='en'>/ Consolidated district figures</span></h1>"
        f"<p class='meta'>{scope} · lập ngày / generated {date.today().isoformat()} · "
        f"nguồn / source: {html.escape(warehouse.name)}</p>"
        + "".join(parts) + "</body></html>"
    )


def write_report(warehouse: Path, out: Path, period: str | None = None) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(warehouse, period), encoding="utf-8")
    return out
