"""What people decided, as ``provreport audit`` and the leaders' report show it: the corrections,
confirmations and rejections of figures, the sign-off status of each unit-period, and for a reopened
sign-off what changed figure by figure."""

from __future__ import annotations

import html
from pathlib import Path

from orchestration.review import review_text, reviews
from orchestration.signoff.approvals import reopened, statuses, value_of
from sources.warehouse import open_warehouse


def load_decisions(warehouse: Path) -> dict:
    with open_warehouse(warehouse, read_only=True) as con:
        return {"reviews": reviews(con), "statuses": statuses(con), "reopened": reopened(con)}


def _change_text(change: dict) -> str:
    key = change["figure_key"].replace("|", " ").strip()
    return (f"{key}: {value_of(change['figure_key'], change['before'])} → "
            f"{value_of(change['figure_key'], change['after'])}")


def decisions_text(decisions: dict) -> str:
    lines = [f"Corrections and reviews ({len(decisions['reviews'])})"]
    lines += [f"    {review_text(r)}" for r in decisions["reviews"]] or ["    none"]
    signed = [s for s in decisions["statuses"] if s["approval_status"] != "none"]
    lines += ["", f"Sign-off ({len(signed)} of {len(decisions['statuses'])} unit-periods signed off)"]
    for s in signed:
        who = ", ".join(filter(None, (f"checked by {s['checked_by']}" if s["checked_by"] else "",
                                      f"approved by {s['approved_by']}" if s["approved_by"] else "")))
        lines.append(f"    {s['unit_name']} ({s['province_name']}) {s['period']}: {s['approval_status']} · {who}")
    for r in decisions["reopened"]:
        lines.append(f"    reopened {r['unit_name']} {r['period']}: {r['signed_off']['level']} by "
                     f"{r['signed_off']['approved_by']} on {r['signed_off']['approved_at']:%Y-%m-%d %H:%M}; "
                     f"{len(r['changes'])} figure(s) changed since:")
        for change in r["changes"]:
            lines.append(f"        {_change_text(change)}")
            if change["after_quote"]:
                lines.append(f"            now “{change['after_quote']}”")
    return "\n".join(lines) + "\n"


def decisions_html(decisions: dict) -> str:
    rows = "".join(f"<tr><td>{html.escape(review_text(r))}</td></tr>" for r in decisions["reviews"])
    parts = ["<h2>Hiệu chỉnh / Corrections and reviews</h2>",
             f"<table><tbody>{rows}</tbody></table>" if rows else "<p class='empty'>none</p>",
             "<h2>Phê duyệt / Sign-off per unit and period</h2><table><thead><tr><th>Tỉnh / province</th>"
             "<th>Đơn vị / unit</th><th>Kỳ / period</th><th>Trạng thái / status</th><th>Kiểm tra / checked by</th>"
             "<th>Phê duyệt / approved by</th><th>Số liệu / figures</th></tr></thead><tbody>"]
    for s in decisions["statuses"]:
        parts.append("<tr>" + "".join(f"<td>{html.escape(str(v or ''))}</td>" for v in (
            s["province_name"], s["unit_name"], s["period"], s["approval_status"], s["checked_by"],
            s["approved_by"], s["figures_count"])) + "</tr>")
    parts.append("</tbody></table>")
    for r in decisions["reopened"]:
        parts.append(f"<h3>{html.escape(str(r['unit_name']))} {html.escape(r['period'])}: reopened</h3><ul>")
        parts += [f"<li>{html.escape(_change_text(c))}</li>" for c in r["changes"]]
        parts.append("</ul>")
    return "".join(parts)
