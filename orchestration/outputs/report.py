"""``provreport report``: one self-contained HTML file for provincial leaders.

Charts are drawn by Plotly, whose JavaScript is inlined once in the file, so the page opens
from disk on a closed network with no request leaving the machine. Labels are Vietnamese with
the English beside them; amounts are written the Vietnamese way (106,182 tỷ đồng).

What the page promises its reader:

- every chart and table says its period, and for money its capital source and measure; a unit
  with several figures for one programme shows each of them (its own bar, its own period), never
  a maximum or a sum across them;
- the attainment heatmap shows each cell's real status (counts where several figures share a
  cell), rows named as the indicator catalogue names them in Vietnamese, English beside;
- per-unit norms ("1 tỷ đồng/năm" per commune) are marked as such and never summed;
- completeness is a share of units per province and month, with the units that are missing;
- every text that comes from a report or a file name is escaped (Plotly renders a subset of HTML
  in its labels, so labels are escaped too);
- each chart is at most one A4 page high, and a chart with more rows than a page holds is split.
"""

from __future__ import annotations

import html
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import plotly.graph_objects as go
import polars as pl

from orchestration.outputs.page import html_page
from sources.connection import Connection, Warehouse, as_warehouse
from sources.numbers import format_vn, format_vnd

# --- words -----------------------------------------------------------------------------------------

STATUS_LABEL = {
    "exceeded": "Vượt / exceeded", "met": "Đạt / met", "not_met": "Không đạt / not met",
    "unknown": "Chưa rõ / unknown", "mixed": "Khác nhau / mixed",
}
STATUS_SHORT = {"exceeded": "vượt", "met": "đạt", "not_met": "không đạt", "unknown": "chưa rõ"}
# heatmap categories, from bad to good; 'mixed' is a cell whose known statuses disagree
STATUS_Z = {"not_met": 0, "mixed": 1, "unknown": 2, "met": 3, "exceeded": 4}
STATUS_COLOUR = {"not_met": "#c8102e", "mixed": "#e3a008", "unknown": "#c9ced6", "met": "#7fb77e",
                 "exceeded": "#1a7f37"}
CAPITAL_LABEL = {"investment": ("vốn đầu tư", "investment"), "recurrent": ("vốn sự nghiệp", "recurrent"),
                 "unspecified": ("nguồn vốn không nêu", "source not stated")}
MEASURE_LABEL = {"allocated": ("vốn giao", "allocated"), "disbursed": ("giải ngân", "disbursed"),
                 "requested": ("đề nghị", "requested"), "planned": ("kế hoạch", "planned"),
                 "spent": ("đã chi", "spent")}
PER_UNIT_LABEL = {"commune": ("xã", "commune"), "village": ("thôn, bản", "village"), "person": ("người", "person"),
                  "household": ("hộ", "household"), "year": ("năm", "year")}
UNMAPPED_ROW = "Chỉ tiêu ngoài danh mục / not in the catalogue"

# --- page geometry: A4 landscape, 12 mm margins -> 273 x 186 mm printable = 1031 x 703 CSS px -----------
CHART_WIDTH = 1000
MAX_CHART_HEIGHT = 560  # + the chart's title and note: one block stays within a printed page
BAR_PX, ROW_PX = 24, 32
MAX_BARS = 18  # bars per disbursement chart
MAX_ROWS, MAX_COLS = 13, 8  # indicators x unit-years per heatmap
MAX_MONTHS, MAX_PROVINCES = 24, 16  # per completeness chart
MAX_TABLE_ROWS = 400
MAX_MISSING_NAMES = 12

def vn_number(value: float | Decimal | int | None, decimals: int = 2) -> str:
    return format_vn(value, decimals)


def vn_amount(vnd: float | int | None) -> str:
    return format_vnd(vnd)


def esc(value: object) -> str:
    """Text from a report or a file name, safe in HTML and in Plotly's labels (which render a subset of
    HTML: a unit named '<b>' would otherwise turn bold, an '&' start an entity)."""
    return html.escape("" if value is None else str(value), quote=True)


# --- the period ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str  # as the user wrote it, normalised: 2023, 2023-Q1, 2023-01..2023-06

    def text(self) -> str:
        return f"{self.label} ({self.start.isoformat()}..{self.end.isoformat()})"


PERIOD_FORMS = ("a year (2023), a quarter (2023-Q1 or Q1-2023), or a month range (2023-01..2023-06, "
                "or one month 2023-05)")
_YEAR, _MONTH = r"(\d{4})", r"(\d{4})-(\d{1,2})"


def parse_period(text: str, *, today: date | None = None) -> Period:
    """``--period`` as a leader writes it; anything else raises ValueError saying what is accepted.

    A year '2023', a quarter '2023-Q1' / 'Q1-2023' (q or Q), a month range '2023-01..2023-06' (or one
    month '2023-05'). Years before 2000 and periods that have not begun yet (after ``today``) are
    refused: no report can state what happened in them.
    """
    today = today or date.today()
    raw = (text or "").strip()
    s = raw.upper().replace(" ", "")
    start = end = None
    label = s
    if m := re.fullmatch(_YEAR, s):
        year = int(m.group(1))
        start, end, label = _month_start(year, 1), _month_end(year, 12), str(year)
    elif m := (re.fullmatch(rf"{_YEAR}-?Q([1-4])", s) or re.fullmatch(rf"Q([1-4])[-/]?{_YEAR}", s)):
        a, b = m.groups()
        year, quarter = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
        start, end = _month_start(year, 3 * quarter - 2), _month_end(year, 3 * quarter)
        label = f"{year}-Q{quarter}"
    elif m := re.fullmatch(rf"{_MONTH}(?:\.\.{_MONTH})?", s):
        y1, m1 = int(m.group(1)), int(m.group(2))
        y2, m2 = (int(m.group(3)), int(m.group(4))) if m.group(3) else (y1, m1)
        for month in (m1, m2):
            if not 1 <= month <= 12:
                raise ValueError(f"--period '{raw}': month {month} is not a month (01 to 12)")
        start, end = _month_start(y1, m1), _month_end(y2, m2)
        if start > end:
            raise ValueError(f"--period '{raw}': the range ends before it starts (write the earlier month first)")
        label = f"{y1}-{m1:02d}" + (f"..{y2}-{m2:02d}" if m.group(3) else "")
    else:
        raise ValueError(f"--period '{raw}' is not a period: write {PERIOD_FORMS}")
    if start.year < 2000:
        raise ValueError(f"--period '{raw}': the warehouse holds reports from 2000 on")
    if start > today:
        raise ValueError(f"--period '{raw}' has not begun yet (today is {today.isoformat()}): "
                         "no report can state what happened in it")
    return Period(start, end, label)


def _month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def period_text(start: date | None, end: date | None) -> str:
    """A figure's period as a reader says it: 'năm 2023', '1/1–29/5/2023', '1/1/2016–24/10/2019'."""
    if start is None or end is None:
        return "kỳ không rõ"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"năm {start.year}" if start.year == end.year else f"{start.year}–{end.year}"
    if start.year == end.year:
        return f"{start.day}/{start.month}–{end.day}/{end.month}/{end.year}"
    return f"{start.day}/{start.month}/{start.year}–{end.day}/{end.month}/{end.year}"


def scope_text(period: Period | None) -> str:
    return (f"kỳ / period {period.label}: số liệu có kỳ kết thúc từ {period.start.isoformat()} đến "
            f"{period.end.isoformat()} / figures whose period ends in it" if period
            else "mọi kỳ / all periods")


# --- data ------------------------------------------------------------------------------------------


def _frame(con: Connection, sql: str, params: list | None = None) -> pl.DataFrame:
    try:
        return con.frame(sql, params)
    except con.Error:
        return pl.DataFrame()


def load_report_data(warehouse: Path | Warehouse, period: Period | str | None = None) -> dict:
    """What the report shows, every section cut to ``period`` (figures whose period ends in it; the
    months of completeness that lie in it), from the DuckDB file or the PostgreSQL server."""
    warehouse = as_warehouse(warehouse)
    if isinstance(period, str):
        period = parse_period(period)
    where, cwhere, params = "", "", []
    if period:
        where = "where period_end between ? and ?"
        cwhere = "where period_start >= ? and period_end <= ?"
        params = [period.start, period.end]
    with warehouse.connect(read_only=True) as con:
        funding = _frame(con, f"""
            select figure_id, coalesce(district_name, '(chưa xác định)') as district_name, province_name,
                   programme_code, capital_source, measure, amount_vnd, reported_rate_pct, computed_rate_pct,
                   per_unit, period_start, period_end, source_quote, source_file
            from marts.fct_programme_funding {where}""", params)
        indicators = _frame(con, f"""
            select f.figure_id, coalesce(f.district_name, '(chưa xác định)') as district_name, f.indicator_code,
                   f.indicator_name, d.indicator_name as name_vi, d.indicator_name_en as name_en, f.status,
                   f.target_value, f.actual_value, f.attainment_pct, f.period_start, f.period_end
            from marts.fct_indicator_attainment f
            left join marts.dim_indicator d on d.indicator_code = f.indicator_code
            {where.replace('period_end', 'f.period_end')}""", params)
        completeness = _frame(con, f"""
            select province_name, district_name, admin_level, period_start, period_end, has_reported, is_on_time
            from marts.fct_reporting_completeness {cwhere}""", params)
    return {"funding": funding, "indicators": indicators, "completeness": completeness,
            "findings": open_findings(warehouse, period), "period": period}


def open_findings(warehouse: Path | Warehouse, period: Period | None = None) -> list[dict]:
    """The auditors' findings in force (orchestration.outputs.audit): open and accepted, one per failing group;
    with a period, those whose figures' period overlaps it and those of every period."""
    from orchestration.outputs.audit import finding_rows

    rows = finding_rows(warehouse)
    if period is None:
        return rows
    return [r for r in rows if not r["period_start"] or (r["period_start"] <= period.end
                                                          and r["period_end"] >= period.start)]


# --- charts ----------------------------------------------------------------------------------------


@dataclass
class Chart:
    title: str  # HTML, already escaped
    note: str  # HTML, already escaped: the period, what is shown and what is left out
    figure: go.Figure


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def disbursement_charts(funding: pl.DataFrame, period: Period | None = None) -> list[Chart]:
    """One bar per stated disbursement rate: unit, programme, capital source and period on its label.

    The rate is the one the report states, else disbursed / allocated as the marts computed it. Norms
    (per_unit) are left out: a rate is never a norm's. Several figures of one unit and programme are
    several bars (Hà Quảng's DTTS_MN: 46% investment and 49,52% recurrent in 2022, 24,28% investment in
    2023), ordered by unit, programme, capital source and period.
    """
    if funding.is_empty():
        return []
    rates = (
        funding.filter((pl.col("measure") == "disbursed") & pl.col("per_unit").is_null())
        .with_columns(pl.coalesce("reported_rate_pct", "computed_rate_pct").cast(pl.Float64).alias("rate"),
                      pl.col("reported_rate_pct").is_null().alias("is_computed"))
        .filter(pl.col("rate").is_not_null())
        .sort("district_name", "programme_code", "capital_source", "period_end", "period_start")
    )
    if rates.is_empty():
        return []
    rows = list(rates.iter_rows(named=True))
    charts = []
    pages = _chunks(rows, MAX_BARS)
    for n, page in enumerate(pages, 1):
        fig = go.Figure()
        labels = []
        for r in page:
            label = (f"{esc(r['district_name'])} · {esc(r['programme_code'])} · "
                     f"{CAPITAL_LABEL.get(r['capital_source'], (esc(r['capital_source']),))[0]} · "
                     f"{period_text(r['period_start'], r['period_end'])}")
            while label in labels:  # two figures alike in every respect stay two bars
                label += " "
            labels.append(label)
        for programme in dict.fromkeys(r["programme_code"] for r in page):
            idx = [i for i, r in enumerate(page) if r["programme_code"] == programme]
            fig.add_bar(
                orientation="h", y=[labels[i] for i in idx], x=[page[i]["rate"] for i in idx], name=esc(programme),
                text=[vn_number(page[i]["rate"], 2) + "%" + (" (tính lại)" if page[i]["is_computed"] else "")
                      for i in idx],
                textposition="outside", cliponaxis=False,
                customdata=[[CAPITAL_LABEL.get(page[i]["capital_source"], ("", esc(page[i]["capital_source"])))[1],
                             vn_amount(page[i]["amount_vnd"]) if page[i]["amount_vnd"] is not None else "–",
                             esc(page[i]["source_file"]), esc((page[i]["source_quote"] or "")[:160])] for i in idx],
                hovertemplate=("%{y}<br>tỷ lệ giải ngân / disbursement rate %{text}<br>capital source: "
                               "%{customdata[0]}<br>giải ngân / disbursed: %{customdata[1]}<br>"
                               "%{customdata[2]}: “%{customdata[3]}”<extra></extra>"))
        fig.add_vline(x=100, line_dash="dash", line_color="#c8102e")
        top = max(r["rate"] for r in page)
        fig.update_layout(
            barmode="group", width=CHART_WIDTH, height=min(MAX_CHART_HEIGHT, 150 + BAR_PX * len(page)),
            margin={"t": 20, "b": 50, "r": 90}, legend_title="Chương trình / programme",
            xaxis={"title": {"text": "Tỷ lệ giải ngân (%) / disbursement rate", "standoff": 8},
                   "range": [0, max(110, top * 1.15)], "automargin": True},
            yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
            font={"family": "Noto Sans, DejaVu Sans, Arial, sans-serif", "size": 12})
        part = f" ({n}/{len(pages)})" if len(pages) > 1 else ""
        charts.append(Chart(
            title=f"Tỷ lệ giải ngân theo đơn vị, chương trình, nguồn vốn và kỳ{part} "
                  f"<span class='en'>/ Disbursement rate by unit, programme, capital source and period</span>",
            note=(f"{scope_text(period)}. Mỗi thanh là một tỷ lệ giải ngân (giải ngân so với vốn giao) báo cáo "
                  "nêu cho một nguồn vốn và một kỳ; “tính lại” = giải ngân / vốn giao khi báo cáo không nêu "
                  "tỷ lệ; định mức theo xã, thôn không có ở đây. / Each bar is one disbursement rate "
                  "(disbursed against allocated) as stated for one capital source and period; "
                  "'tính lại' = recomputed; per-unit norms are not shown."),
            figure=fig))
    return charts


def indicator_label(row: dict) -> str:
    """The catalogue's Vietnamese name, English beside it; names outside the catalogue share one row."""
    if row.get("indicator_code") in (None, "UNMAPPED") or not row.get("name_vi"):
        return UNMAPPED_ROW
    en = f"<br><span style='color:#5b6770;font-size:10px'>{esc(row['name_en'])}</span>" if row.get("name_en") else ""
    return esc(row["name_vi"]) + en


def cell_status(counts: dict[str, int]) -> str:
    """The colour of a cell: the status its figures agree on; a cell with known and unknown figures
    takes the known one (an exceeded target is not hidden by a target without its result); known
    statuses that disagree are 'mixed'."""
    known = [s for s in ("exceeded", "met", "not_met") if counts.get(s)]
    if not known:
        return "unknown"
    return known[0] if len(known) == 1 else "mixed"


def cell_text(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    if total == 1:
        return next(STATUS_SHORT[s] for s, c in counts.items() if c)
    return " · ".join(f"{c} {STATUS_SHORT[s]}" for s in ("exceeded", "met", "not_met", "unknown")
                      if (c := counts.get(s)))


def attainment_cells(indicators: pl.DataFrame) -> list[dict]:
    """One cell per indicator, unit and year (the year the figures' period ends), with the count of
    figures of each status."""
    if indicators.is_empty():
        return []
    cells: dict[tuple[str, str, int], dict] = {}
    for r in indicators.iter_rows(named=True):
        year = r["period_end"].year if r["period_end"] else 0
        key = (indicator_label(r), r["district_name"], year)
        cell = cells.setdefault(key, {"row": key[0], "unit": key[1], "year": year, "counts": {}, "names": []})
        status = r["status"] if r["status"] in STATUS_SHORT else "unknown"
        cell["counts"][status] = cell["counts"].get(status, 0) + 1
        if key[0] == UNMAPPED_ROW:
            cell["names"].append(r["indicator_name"] or "")
    for cell in cells.values():
        cell["status"] = cell_status(cell["counts"])
        cell["text"] = cell_text(cell["counts"])
    return list(cells.values())


def attainment_heatmaps(indicators: pl.DataFrame, period: Period | None = None) -> list[Chart]:
    cells = attainment_cells(indicators)
    if not cells:
        return []
    rows = sorted({c["row"] for c in cells}, key=lambda r: (r == UNMAPPED_ROW, r.lower()))
    cols = sorted({(c["unit"], c["year"]) for c in cells})
    index = {(c["row"], c["unit"], c["year"]): c for c in cells}
    colorscale = []
    for status, z in STATUS_Z.items():
        colorscale += [[z / 5, STATUS_COLOUR[status]], [(z + 1) / 5, STATUS_COLOUR[status]]]
    charts = []
    row_pages, col_pages = _chunks(rows, MAX_ROWS), _chunks(cols, MAX_COLS)
    total = len(row_pages) * len(col_pages)
    for cpage in col_pages:
        for rpage in row_pages:
            # keep only rows/cols of this page that hold a figure
            page_rows = [r for r in rpage if any((r, u, y) in index for u, y in cpage)]
            page_cols = [(u, y) for u, y in cpage if any((r, u, y) in index for r in rpage)]
            if not page_rows or not page_cols:
                continue
            z, text, hover = [], [], []
            for row in page_rows:
                for grid in (z, text, hover):
                    grid.append([])
                for unit, year in page_cols:
                    c = index.get((row, unit, year))
                    z[-1].append(STATUS_Z[c["status"]] + 0.5 if c else None)
                    text[-1].append(c["text"] if c else "")
                    extra = ("<br>" + "<br>".join(esc(n[:80]) for n in c["names"][:8])) if c and c["names"] else ""
                    hover[-1].append(f"{STATUS_LABEL[c['status']]} ({c['text']}){extra}" if c else "")
            x = [f"{esc(u)}<br>{y or '?'}" for u, y in page_cols]
            fig = go.Figure(go.Heatmap(
                z=z, x=x, y=page_rows, text=text, customdata=hover, texttemplate="%{text}",
                textfont={"size": 10}, xgap=2, ygap=2, zmin=0, zmax=5, colorscale=colorscale,
                hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
                colorbar={"tickvals": [z + 0.5 for z in STATUS_Z.values()],
                          "ticktext": [STATUS_LABEL[s] for s in STATUS_Z], "len": 1, "thickness": 14}))
            fig.update_layout(
                width=CHART_WIDTH, height=min(MAX_CHART_HEIGHT, 140 + ROW_PX * len(page_rows)),
                margin={"t": 20, "b": 10}, font={"family": "Noto Sans, DejaVu Sans, Arial, sans-serif", "size": 12},
                xaxis={"side": "top", "automargin": True, "type": "category", "tickangle": 0},
                yaxis={"autorange": "reversed", "automargin": True, "type": "category"})
            part = f" ({len(charts) + 1}/{total})" if total > 1 else ""
            charts.append(Chart(
                title=f"Tình trạng thực hiện chỉ tiêu theo đơn vị và năm{part} "
                      f"<span class='en'>/ Attainment of targets by unit and year</span>",
                note=(f"{scope_text(period)}. Cột: đơn vị và năm kết thúc kỳ của số liệu; ô: trạng thái của các "
                      "số liệu (số lượng khi có nhiều số liệu); “chưa rõ” = chỉ có mục tiêu hoặc chỉ có kết quả. "
                      "/ Columns: unit and the year the figures' period ends; a cell shows the status of its "
                      "figures, with counts where several share it; 'chưa rõ' = target or result alone."),
                figure=fig))
    return charts


def completeness_runs(completeness: pl.DataFrame) -> list[dict]:
    """Per province, runs of consecutive months in which the same units reported: the share that
    reported and who is missing (12 names, then how many more)."""
    if completeness.is_empty():
        return []
    runs: list[dict] = []
    frame = completeness.with_columns(pl.col("has_reported").fill_null(False))
    per_month = (frame.group_by("province_name", "period_start", "period_end")
                 .agg(pl.col("district_name").filter(pl.col("has_reported")).sort().alias("reported"),
                      pl.col("district_name").filter(~pl.col("has_reported")).sort().alias("missing"))
                 .sort("province_name", "period_start"))
    for r in per_month.iter_rows(named=True):
        last = runs[-1] if runs else None
        if (last and last["province"] == r["province_name"] and last["reported"] == r["reported"]
                and last["missing"] == r["missing"]):
            last["end"] = r["period_end"]
            last["months"] += 1
            continue
        runs.append({"province": r["province_name"] or "(chưa xác định)", "start": r["period_start"],
                     "end": r["period_end"], "months": 1, "reported": r["reported"], "missing": r["missing"]})
    return runs


def _names(names: list[str], limit: int = MAX_MISSING_NAMES) -> str:
    shown = ", ".join(esc(n) for n in names[:limit])
    more = len(names) - limit
    return shown + (f" và {vn_number(more, 0)} đơn vị khác / and {vn_number(more, 0)} more" if more > 0 else "")


def completeness_charts(completeness: pl.DataFrame, period: Period | None = None) -> list[Chart]:
    """Share of units that reported, per province (rows) and month (columns): light grey where none
    did, green where all did, the count in the cell ('1/11'); the missing units on hover and in the
    table below the chart."""
    if completeness.is_empty():
        return []
    frame = completeness.with_columns(pl.col("has_reported").fill_null(False))
    per = (frame.group_by("province_name", "period_start")
           .agg(pl.col("has_reported").sum().alias("reported"), pl.len().alias("expected"),
                pl.col("district_name").filter(~pl.col("has_reported")).sort().alias("missing"))
           .with_columns(pl.col("province_name").fill_null("(chưa xác định)"))
           .sort("province_name", "period_start"))
    months = sorted(per["period_start"].unique().to_list())
    provinces = sorted(per["province_name"].unique().to_list())
    index = {(r["province_name"], r["period_start"]): r for r in per.iter_rows(named=True)}
    charts = []
    m_pages, p_pages = _chunks(months, MAX_MONTHS), _chunks(provinces, MAX_PROVINCES)
    total = len(m_pages) * len(p_pages)
    for mpage in m_pages:
        for ppage in p_pages:
            z, text, hover = [], [], []
            for prov in ppage:
                for grid in (z, text, hover):
                    grid.append([])
                for m in mpage:
                    r = index.get((prov, m))
                    if r is None:
                        z[-1].append(None)
                        text[-1].append("")
                        hover[-1].append("")
                        continue
                    z[-1].append(r["reported"] / r["expected"] if r["expected"] else None)
                    text[-1].append(f"{r['reported']}/{r['expected']}")
                    hover[-1].append(f"đã báo cáo / reported {r['reported']}/{r['expected']}<br>chưa báo cáo / "
                                     f"missing: {_names(r['missing'], 8) or '–'}")
            fig = go.Figure(go.Heatmap(
                z=z, x=[m.strftime("%Y-%m") for m in mpage], y=[esc(p) for p in ppage], text=text,
                customdata=hover, texttemplate="%{text}", textfont={"size": 10}, zmin=0, zmax=1, xgap=1, ygap=1,
                colorscale=[[0, "#f1f3f5"], [0.001, "#dcefdc"], [1, "#1a7f37"]],
                hovertemplate="%{y} · %{x}<br>%{customdata}<extra></extra>",
                colorbar={"title": {"text": "đã báo cáo<br>reported", "side": "top"}, "tickformat": ".0%",
                          "thickness": 14}))
            fig.update_layout(
                width=CHART_WIDTH, height=min(MAX_CHART_HEIGHT, 170 + 34 * len(ppage)),
                margin={"t": 20, "b": 10}, font={"family": "Noto Sans, DejaVu Sans, Arial, sans-serif", "size": 12},
                xaxis={"type": "category", "tickangle": -60, "automargin": True,
                       "title": {"text": "Tháng / month", "standoff": 6}},
                yaxis={"type": "category", "automargin": True, "autorange": "reversed",
                       "title": {"text": "Tỉnh / province", "standoff": 6}})
            part = f" ({len(charts) + 1}/{total})" if total > 1 else ""
            first, last = mpage[0].strftime("%m/%Y"), mpage[-1].strftime("%m/%Y")
            charts.append(Chart(
                title=f"Tỷ lệ đơn vị đã gửi báo cáo theo tỉnh và tháng, {first}–{last}{part} "
                      f"<span class='en'>/ Share of units that reported, by province and month</span>",
                note=(f"{scope_text(period)}. Ô: số đơn vị đã báo cáo / số đơn vị phải báo cáo (huyện đến 6/2025, "
                      "xã từ 7/2025); danh sách đơn vị chưa báo cáo ở bảng dưới. / Cell: units that reported "
                      "of those expected (districts until June 2025, communes from July 2025); the table below "
                      "names the units missing."),
                figure=fig))
    return charts


# --- tables ----------------------------------------------------------------------------------------


def completeness_table(completeness: pl.DataFrame) -> str:
    runs = completeness_runs(completeness)
    if not runs:
        return '<p class="empty">Chưa có số liệu / no data.</p>'
    rows = []
    for r in runs[:MAX_TABLE_ROWS]:
        n_rep, n_all = len(r["reported"]), len(r["reported"]) + len(r["missing"])
        months = r["start"].strftime("%m/%Y") + ("" if r["months"] == 1 else "–" + r["end"].strftime("%m/%Y"))
        rows.append(f"<tr><td>{esc(r['province'])}</td><td>{months} ({r['months']} tháng / months)</td>"
                    f"<td class='num'>{n_rep}/{n_all} ({vn_number(100 * n_rep / n_all if n_all else 0, 0)}%)</td>"
                    f"<td>{_names(r['reported']) or '–'}</td><td>{_names(r['missing']) or '–'}</td></tr>")
    left = len(runs) - MAX_TABLE_ROWS
    more = (f"<p class='note'>{left} dòng nữa không hiện; chọn --period để thu hẹp / {left} more rows; "
            "narrow with --period.</p>" if left > 0 else "")
    return ("<table class='completeness'><thead><tr><th>Tỉnh / province</th><th>Tháng / months</th>"
            "<th>Đã báo cáo / reported</th><th>Đơn vị đã báo cáo / units that reported</th>"
            "<th>Chưa báo cáo / missing</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>" + more)


def finding_what_failed(r: dict, completeness: pl.DataFrame | None = None) -> str:
    """A finding without figures said in words: a reporting unit's (completeness) how many of its months
    failed (the shortfall, of the months it is measured on) and which; one that only counts failing rows
    (audit.counts_only), the count, and the count in the selected period when it is about completeness."""
    f = r["finding"]
    unit = esc(r["value_unit"] or "")
    if f.unit_key is not None and f.difference is not None:
        short = vn_number(abs(f.difference), 0)
        return (f"{esc(r['description'])}: không đạt ở {short} trên {vn_number(f.computed, 0)} {unit} / failed "
                f"for {short} of {vn_number(f.computed, 0)} {unit} ({esc(r['tolerance'])})")
    words = (f"{esc(r['description'])}: không đạt ở {vn_number(f.stated, 0)} trên {vn_number(f.computed, 0)} "
             f"{unit} / failed for {vn_number(f.stated, 0)} of {vn_number(f.computed, 0)} {unit} "
             "(mọi kỳ / every period)")
    if completeness is not None and not completeness.is_empty() and r["mart"] == "fct_reporting_completeness":
        reported = completeness["has_reported"].fill_null(False)
        if r["check"] == "district_reported_for_period":
            failing = int((~reported).sum())
        elif r["check"] == "report_arrived_on_time":
            failing = int((reported & ~completeness["is_on_time"].fill_null(True)).sum())
        else:
            return words
        words += (f"; trong kỳ đã chọn / in the selected period: {vn_number(failing, 0)} trên / of "
                  f"{vn_number(completeness.height, 0)} {unit}")
    return words


def findings_table(findings: list[dict], completeness: pl.DataFrame | None = None) -> str:
    """The findings in force, one row each: check, unit, period, values, and the figures with their
    quotes; a finding without figures (a reporting unit's completeness, with its values; one that only
    counts failing rows) says what failed in words."""
    from orchestration.outputs.audit import counts_only

    if not findings:
        return '<p class="empty">Không có phát hiện nào / no open findings.</p>'
    body = []
    for r in findings:
        if not counts_only(r["finding"]):
            values = (f"báo cáo / stated {esc(r['stated'])}<br>tính lại / computed {esc(r['computed'])}<br>"
                      f"chênh lệch / difference {esc(r['difference'])} ({esc(r['difference_pct'])})")
            quotes = "<br>".join(
                f"<code>{esc(fig['figure_id'])}</code> {esc(fig['source_file'])} "
                f"{period_text(fig['period_start'], fig['period_end'])}: “{esc(fig['source_quote'] or '')}”"
                for fig in r["figure_rows"]) or (finding_what_failed(r) if not r["figure_id_list"] else "–")
        else:
            values, quotes = "–", finding_what_failed(r, completeness)
        status = esc(r["status"]) + (f"<br><small>{esc(r['accepted_by'])} → {esc(r['accepted_until'])}: "
                                     f"{esc(r['accepted_reason'])}</small>" if r["status"] == "accepted" else "")
        unit = esc(r["unit"]) + (", " + esc(r["province"]) if r["province"] else "")
        period = period_text(r["period_start"], r["period_end"]) if r["period_start"] else "mọi kỳ / every period"
        body.append(f"<tr><td class='sev-{esc(r['severity'])}'>{esc(r['severity'])}</td><td>{esc(r['finding_id'])}"
                    f"<br>{status}</td><td>{esc(r['check'])}<br><small>{esc(r['description'])}</small></td>"
                    f"<td>{unit}</td><td>{period}</td><td>{values}</td><td>{esc(r['tolerance'])}</td>"
                    f"<td>{quotes}</td></tr>")
    return ("<table class='findings'><thead><tr><th>Mức / severity</th><th>Mã / id</th><th>Kiểm tra / check</th>"
            "<th>Đơn vị / unit</th><th>Kỳ / period</th><th>Giá trị / values</th><th>Dung sai / tolerance</th>"
            "<th>Số liệu, trích dẫn / figures, quotes — hoặc điều không đạt / or what failed</th></tr></thead>"
            "<tbody>" + "".join(body) + "</tbody></table>")


def per_unit_text(per_unit: str) -> str:
    vi, en = PER_UNIT_LABEL.get(per_unit, (per_unit, per_unit))
    return f"<span class='badge per-unit'>định mức mỗi {esc(vi)} / per {esc(en)}</span>"


def funding_table(funding: pl.DataFrame, period: Period | None = None) -> str:
    """Every funding figure with its period, capital source and measure; norms marked, never summed."""
    if funding.is_empty():
        return '<p class="empty">Chưa có số liệu / no figures.</p>'
    rows = []
    ordered = funding.sort("district_name", "programme_code", "capital_source", "period_end", "measure")
    for r in ordered.head(MAX_TABLE_ROWS).iter_rows(named=True):
        rate = r["reported_rate_pct"] if r["reported_rate_pct"] is not None else r["computed_rate_pct"]
        capital = CAPITAL_LABEL.get(r["capital_source"])
        measure = MEASURE_LABEL.get(r["measure"])
        amount = "–" if r["amount_vnd"] is None else vn_amount(r["amount_vnd"])
        if r["per_unit"]:
            each = PER_UNIT_LABEL.get(r["per_unit"], (r["per_unit"],))[0]
            amount += f" / {esc(each)}<br>{per_unit_text(r['per_unit'])}"
        rows.append(
            f"<tr class='{'per-unit' if r['per_unit'] else 'total'}'><td>{esc(r['district_name'])}</td>"
            f"<td>{period_text(r['period_start'], r['period_end'])}</td><td>{esc(r['programme_code'])}</td>"
            f"<td>{f'{capital[0]} / {capital[1]}' if capital else esc(r['capital_source'])}</td>"
            f"<td>{f'{measure[0]} / {measure[1]}' if measure else esc(r['measure'])}</td>"
            f"<td class='num'>{amount}</td>"
            f"<td class='num'>{'' if rate is None else vn_number(rate) + '%'}</td>"
            f"<td>{esc(r['source_quote'])}<br><small>{esc(r['source_file'])}</small></td></tr>")
    more = (f"<p class='note'>{funding.height - MAX_TABLE_ROWS} số liệu nữa không hiện / more figures not shown: "
            "provreport export --format parquet.</p>" if funding.height > MAX_TABLE_ROWS else "")
    return (f"<p class='note'>{scope_text(period)}. Định mức (mỗi xã, mỗi thôn) là mức cho từng đơn vị, không phải "
            "tổng, và không được cộng / per-unit norms are amounts for each unit, not totals, and are never summed."
            "</p><table class='funding'><thead><tr><th>Đơn vị / unit</th><th>Kỳ / period</th>"
            "<th>Chương trình / programme</th><th>Nguồn vốn / capital source</th><th>Loại / measure</th>"
            "<th>Số tiền / amount</th><th>Tỷ lệ / rate</th><th>Trích dẫn, tệp / quote, file</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>" + more)


# --- the page --------------------------------------------------------------------------------------


def _figure_html(chart: Chart, number: int, include_plotlyjs: bool) -> str:
    div = chart.figure.to_html(full_html=False, include_plotlyjs=include_plotlyjs, div_id=f"fig-{number}",
                               config={"displaylogo": False, "responsive": False, "displayModeBar": False},
                               default_width=f"{CHART_WIDTH}px")
    return (f"<div class='figure' id='figure-{number}'><h3>Biểu đồ {number} / Fig. {number}: {chart.title}</h3>"
            f"<div class='chart'>{div}</div><p class='note'>Fig. {number} — {chart.note}</p></div>")


def render_report(warehouse: Path | Warehouse, period: Period | str | None = None) -> str:
    warehouse = as_warehouse(warehouse)
    if isinstance(period, str):
        period = parse_period(period)
    data = load_report_data(warehouse, period)
    sections = [
        ("Tỷ lệ giải ngân", "Disbursement rate", "chart-disbursement", disbursement_charts(data["funding"], period)),
        ("Tình trạng thực hiện chỉ tiêu", "Attainment of targets", "chart-attainment",
         attainment_heatmaps(data["indicators"], period)),
        ("Tình hình gửi báo cáo", "Reporting completeness", "chart-completeness",
         completeness_charts(data["completeness"], period)),
    ]
    parts, number = [], 0
    for title_vi, title_en, section_id, charts in sections:
        parts.append(f"<section id='{section_id}'><h2>{title_vi} <span class='en'>/ {title_en}</span></h2>")
        if not charts:
            parts.append(f'<p class="empty">Không có số liệu cho biểu đồ này ({scope_text(period)}) '
                         '/ no data for this chart.</p>')
        for chart in charts:
            number += 1
            parts.append(_figure_html(chart, number, include_plotlyjs=number == 1))
        if section_id == "chart-completeness":
            parts.append(completeness_table(data["completeness"]))
        parts.append("</section>")
    parts.append(f"<h2>Phát hiện kiểm tra <span class='en'>/ Open audit findings</span></h2>"
                 f"<p class='note'>{scope_text(period)}</p>")
    parts.append(findings_table(data["findings"], data["completeness"] if period else None))
    from orchestration.outputs.decisions import decisions_html, load_decisions

    parts.append(decisions_html(load_decisions(warehouse.file)))  # decided in the DuckDB file (either target)
    parts.append("<h2>Số liệu kinh phí <span class='en'>/ Programme funding figures</span></h2>")
    parts.append(funding_table(data["funding"], period))
    return html_page(
        "Báo cáo tổng hợp các huyện / District report",
        "Báo cáo tổng hợp số liệu các đơn vị <span class='en'>/ Consolidated figures of the reporting units</span>",
        f"<p class='meta'>{scope_text(period)} · lập ngày / generated {date.today().isoformat()} · "
        f"nguồn / source: {esc(warehouse.file.name if warehouse.engine == 'duckdb' else warehouse.describe())}</p>"
        + "".join(parts),
    )


def write_report(warehouse: Path | Warehouse, out: Path, period: Period | str | None = None) -> Path:
    """Write the report; a ``period`` string is parsed here (ValueError with the accepted forms)."""
    if isinstance(period, str):
        period = parse_period(period)
    html_text = render_report(warehouse, period)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html_text, encoding="utf-8")
    return out
