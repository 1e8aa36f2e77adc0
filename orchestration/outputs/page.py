"""The one page every HTML output is drawn in (the leaders' report, ``provreport audit --format html`` with
the decisions): the document around a body, and its stylesheet (A4 landscape when printed)."""

from __future__ import annotations

import html

STYLESHEET = """
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; margin: 2rem; color: #1d2733; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 2px solid #c8102e; }
h3 { font-size: 1rem; margin: .6rem 0 .2rem; }
.en { color: #5b6770; font-weight: normal; font-size: .9em; }
.meta, .note { color: #5b6770; } .note { font-size: .8rem; margin: .2rem 0 0; }
.figure { margin: 1rem 0 1.5rem; width: 1000px; max-width: 100%; }
.chart { width: 1000px; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f5f7; } td.num { text-align: right; white-space: nowrap; }
tr.per-unit td { background: #fff8e1; }
.badge { display: inline-block; border: 1px solid #9a6700; color: #9a6700; border-radius: 3px;
         padding: 0 .3rem; font-size: .75rem; white-space: nowrap; }
td.sev-ERROR, tr.sev-ERROR > td:first-child { color: #b00020; font-weight: bold; }
td.sev-WARN, tr.sev-WARN > td:first-child { color: #9a6700; font-weight: bold; }
.empty { color: #5b6770; font-style: italic; }
@media print {
  body { margin: 0; }
  .figure { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  table { page-break-inside: auto; } tr { break-inside: avoid; page-break-inside: avoid; }
  .modebar, .modebar-container { display: none !important; }
}
@page { size: A4 landscape; margin: 12mm; }
"""


def html_page(title: str, heading: str, body: str, *, lang: str = "vi") -> str:
    """A self-contained HTML document: ``title`` is text (escaped here), ``heading`` and ``body`` are HTML
    already escaped by their renderer."""
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{STYLESHEET}</style></head><body>"
            f"<h1>{heading}</h1>{body}</body></html>")
