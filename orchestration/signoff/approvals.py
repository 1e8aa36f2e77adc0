"""Sign-off per reporting unit and period, in two levels as provinces work: the unit's officer checks
(``--level check``), the province approves (``--level approve``).

A sign-off is an appended row of ``audit.approvals`` (this module is its only writer) holding the hash
of the unit-period's figures then and the figures themselves. The status is dbt's
(``marts.fct_unit_approvals``, a view: none, checked, approved, reopened), which compares that hash with
the hash of the figures now: a resubmission or a correction that changes a signed-off figure reopens
it, and :func:`differences` lists what changed, figure by figure.

Refused: any sign-off while an ERROR finding on the unit-period's figures is open (not accepted); a
sign-off over open WARN findings without a note saying why; an approval of figures nobody checked.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import duckdb

from orchestration import journal

STATUS_SQL = "select * from marts.fct_unit_approvals"
FIGURES_SQL = """
select figure_key, figure_value, figure_id, source_quote from intermediate.int_unit_periods__figures
where unit_key = ? and (period_year = ? or period_month = ?) order by figure_key, figure_value
"""
LEVELS = ("check", "approve")


class SignOffRefused(ValueError):
    pass


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def statuses(con: duckdb.DuckDBPyConnection, *, unit: str | None = None, period: str | None = None) -> list[dict]:
    """The unit-periods and their sign-off status; ``unit`` matches the name, code or unit key (any case)."""
    try:
        rows = _rows(con, STATUS_SQL + " order by province_name, unit_name, period")
    except duckdb.Error:
        return []
    wanted = unit.casefold() if unit else None
    return [r for r in rows if (not wanted or wanted in {str(r["unit_key"]).casefold(), str(r["unit_name"]).casefold()})
            and (not period or r["period"] == period)]


def figures_of(con: duckdb.DuckDBPyConnection, unit_key: str, period: str) -> list[dict]:
    return _rows(con, FIGURES_SQL, [unit_key, period, period])


def _open_findings_on(con: duckdb.DuckDBPyConnection, figure_ids: set[str]) -> list:
    from expectations.register import load_register

    return [f for f in load_register(con) if f.status == "open" and figure_ids & set(f.figure_ids)]


def sign_off(con: duckdb.DuckDBPyConnection, *, unit: str, period: str, level: str, by: str, note: str | None,
             now: datetime) -> dict:
    """Record a check or an approval of a unit-period, with the hash of its figures now."""
    if level not in LEVELS:
        raise SignOffRefused(f"--level {level}: check or approve")
    matched = statuses(con, unit=unit, period=period)
    if len(matched) != 1:
        known = ", ".join(sorted({f"{r['unit_name']} {r['period']}" for r in statuses(con, unit=unit)})) or "none"
        raise SignOffRefused(f"no single unit-period {unit} {period} (known for this unit: {known})")
    status = matched[0]
    figures = figures_of(con, status["unit_key"], period)
    findings = _open_findings_on(con, {f["figure_id"] for f in figures})
    errors = [f for f in findings if f.severity == "ERROR"]
    if errors:
        raise SignOffRefused(f"refused: ERROR finding(s) open on these figures: "
                             f"{', '.join(f.finding_id for f in errors)} (correct the figures, or accept the "
                             "finding with `provreport findings accept`)")
    if findings and not (note or "").strip():
        raise SignOffRefused(f"WARN finding(s) open on these figures: {', '.join(f.finding_id for f in findings)}; "
                             "sign off with --note saying why, or resolve them first")
    if level == "approve" and status["approval_status"] not in ("checked", "approved"):
        raise SignOffRefused(f"refused: {status['unit_name']} {period} is {status['approval_status']}; "
                             "its figures are approved once the unit has checked them (--level check)")
    approval_id = uuid.uuid4().hex[:12]
    snapshot = [[f["figure_key"], f["figure_value"], f["figure_id"], f["source_quote"]] for f in figures]
    con.execute("insert into audit.approvals (approval_id, unit_key, unit_name, province_name, period, level, "
                "figures_hash, figures, note, approved_by, approved_at) values (?,?,?,?,?,?,?,?,?,?,?)",
                [approval_id, status["unit_key"], status["unit_name"], status["province_name"], period, level,
                 status["figures_hash"], json.dumps(snapshot, ensure_ascii=False), note, by, now])
    # a sign-off cannot be rebuilt from the landing folder: kept in the journal beside the warehouse too
    journal.append(con, "approval", "approval_id = ?", [approval_id])
    return {**status, "approval_id": approval_id, "figures": len(figures), "findings": findings}


def differences(signed: list[list], current: list[dict]) -> list[dict]:
    """What changed between the figures signed off and the figures now, figure by figure (pure):
    figures are paired by what they are (their key), in value order within a key."""
    before: dict[str, list[list]] = {}
    for row in signed:
        before.setdefault(row[0], []).append(row)
    after: dict[str, list[dict]] = {}
    for row in current:
        after.setdefault(row["figure_key"], []).append(row)
    changes = []
    for key in sorted(set(before) | set(after)):
        old, new = sorted(before.get(key, []), key=lambda r: r[1]), sorted(after.get(key, []),
                                                                           key=lambda r: r["figure_value"])
        for index in range(max(len(old), len(new))):
            was = old[index] if index < len(old) else None
            now = new[index] if index < len(new) else None
            if was and now and was[1] == now["figure_value"]:
                continue
            changes.append({"figure_key": key, "before": was[1] if was else None,
                            "after": now["figure_value"] if now else None,
                            "before_figure_id": was[2] if was else None,
                            "after_figure_id": now["figure_id"] if now else None,
                            "before_quote": was[3] if was else None,
                            "after_quote": now["source_quote"] if now else None})
    return changes


def reopened(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every reopened unit-period with the differences from its latest sign-off."""
    out = []
    for status in statuses(con):
        if status["approval_status"] != "reopened":
            continue
        latest = _rows(con, "select * from audit.approvals where unit_key = ? and period = ? "
                            "order by approved_at desc limit 1", [status["unit_key"], status["period"]])[0]
        current = figures_of(con, status["unit_key"], status["period"])
        out.append({**status, "signed_off": latest, "changes": differences(json.loads(latest["figures"]), current)})
    return out


def value_of(figure_key: str | None, value: str | None) -> str:
    """A figure's stored value as people read it (amounts the Vietnamese way)."""
    if value is None:
        return "(none)"
    from sources.numbers import in_millions, value_text

    if figure_key and figure_key.startswith("funding|"):
        amount = value.split("|")[0]
        return value_text(float(amount), "VND", millions=in_millions([float(amount)])) if amount else value
    return " / ".join(_plain(part) for part in value.split("|") if part)


def _plain(number: str) -> str:
    """A number as the sign-off hash writes it (six decimals, ``46.000000``) without its trailing zeros."""
    return number.rstrip("0").rstrip(".") if "." in number else number
