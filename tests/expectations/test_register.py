"""The findings register on a small warehouse: events appended as the data and the calendar decide."""

from __future__ import annotations

import json
from datetime import date, datetime

import duckdb
import pytest

from expectations.register import accept, finding_id, load_register, sync_events
from sources.warehouse import ensure_audit_schema

CHECK = ("fct_programme_funding", "components_sum_to_total")
IDS = ["r1-0011", "r1-0012"]


@pytest.fixture
def con():
    con = duckdb.connect()
    ensure_audit_schema(con)
    con.execute("create schema marts")
    for mart in ("fct_programme_funding", "fct_indicator_attainment", "fct_district_scorecard"):
        con.execute(f"create table marts.{mart} (figure_id varchar, unit_key varchar)")
    con.executemany("insert into marts.fct_programme_funding values (?, '465')", [[i] for i in IDS])
    yield con
    con.close()


def _validate(con, run: str, at: datetime, failing: bool, scope: list[str] | None = None) -> None:
    con.execute("insert into audit.validation_results (run_id, validated_at, suite, mart, expectation, severity, "
                "success, failing_count, scope_units) values (?, ?, 's', ?, ?, 'WARN', ?, ?, ?)",
                [run, at, *CHECK, not failing, len(IDS) if failing else 0,
                 None if scope is None else json.dumps(scope)])
    if failing:
        con.execute("insert into audit.finding_observations (run_id, observed_at, finding_id, mart, expectation, "
                    "severity, unit_key, unit_name, figure_ids, stated, computed, difference, value_unit) "
                    "values (?, ?, ?, ?, ?, 'WARN', '465', 'Hướng Hóa', ?, 106182e6, 106164e6, -18e6, 'VND')",
                    [run, at, finding_id(*CHECK, IDS), *CHECK, json.dumps(IDS)])
    left = sync_events(con, run_id=run, now=at)
    # what the run's check states are taken from: the register as a reader finds it after the run
    assert left == load_register(con, today=at.date())


def _events(con) -> list[tuple]:
    return con.execute("select status, changed_by from audit.finding_events order by changed_at, rowid").fetchall()


def test_open_noop_accept_lapse_and_resolve(con) -> None:
    _validate(con, "full", datetime(2026, 11, 1, 6), failing=True)
    _validate(con, "noop", datetime(2026, 11, 2, 6), failing=False, scope=[])
    [finding] = load_register(con, today=date(2026, 11, 2))
    assert finding.status == "open" and finding.last_seen == datetime(2026, 11, 1, 6)
    accept(con, finding.finding_id, reason="rounding", by="auditor.lan", until=date(2026, 11, 30),
           now=datetime(2026, 11, 2, 7))
    assert load_register(con, today=date(2026, 11, 30))[0].status == "accepted"
    _validate(con, "after-expiry", datetime(2026, 12, 1, 6), failing=False, scope=[])
    assert load_register(con, today=date(2026, 12, 1))[0].status == "open"
    assert _events(con) == [("open", "validation"), ("accepted", "auditor.lan"), ("open", "validation")]
    lapsed = con.execute("select reason from audit.finding_events order by changed_at desc limit 1").fetchall()[0][0]
    assert "lapsed after 2026-11-30" in lapsed
    _validate(con, "fixed", datetime(2026, 12, 2, 6), failing=False, scope=["465"])
    assert load_register(con, today=date(2026, 12, 2))[0].status == "resolved"
    assert _events(con)[-1] == ("resolved", "validation")
    with pytest.raises(ValueError, match="resolved"):
        accept(con, finding.finding_id, reason="x", by="y", until=None, now=datetime(2026, 12, 3))


def test_figure_units_reads_the_units_of_the_figures_asked_for(con, monkeypatch) -> None:
    """The register looks up the units of the figures its groups name, not of every figure in the marts: those
    still in the marts (a figure gone has none), every figure's past MAX_FIGURE_KEYS, none without marts."""
    from expectations import register

    con.execute("insert into marts.fct_indicator_attainment values ('r2-0001', '467'), ('r2-0002', '467')")
    assert register.figure_units(register.as_connection(con), {"r1-0011", "r2-0002", "gone-0001"}) == {
        "r1-0011": "465", "r2-0002": "467"}
    assert register.figure_units(register.as_connection(con), set()) == {}
    monkeypatch.setattr(register, "MAX_FIGURE_KEYS", 1)
    assert register.figure_units(register.as_connection(con), {"r1-0011", "r2-0002"}) == {
        "r1-0011": "465", "r1-0012": "465", "r2-0001": "467", "r2-0002": "467"}
    empty = duckdb.connect()
    try:
        assert register.figure_units(register.as_connection(empty), {"r1-0011"}) == {}
    finally:
        empty.close()


def test_a_validation_opening_many_findings_appends_their_events_in_one_statement(con, monkeypatch) -> None:
    """A first validation opens a finding per failing group (thousands at 10 000 reports): their events are one
    append (DuckDB's executemany binds a row at a time), in the register's order, each with its run and reason,
    and read back into the register's history."""
    from sources.connection import DuckConnection

    at = datetime(2026, 11, 1, 6)
    groups = [[f"r{n}-0001"] for n in range(300)]
    con.executemany("insert into marts.fct_programme_funding values (?, '465')", groups)
    con.execute("insert into audit.validation_results (run_id, validated_at, suite, mart, expectation, severity, "
                "success, failing_count) values ('full', ?, 's', ?, ?, 'WARN', false, 300)", [at, *CHECK])
    con.executemany("insert into audit.finding_observations (run_id, observed_at, finding_id, mart, expectation, "
                    "severity, unit_key, figure_ids) values ('full', ?, ?, ?, ?, 'WARN', '465', ?)",
                    [[at, finding_id(*CHECK, ids), *CHECK, json.dumps(ids)] for ids in groups])
    appends = []
    append = DuckConnection.append
    monkeypatch.setattr(DuckConnection, "append", lambda self, *a: appends.append(a[0]) or append(self, *a))
    register = sync_events(con, run_id="full", now=at)
    assert appends == ["audit.finding_events"]
    rows = con.execute("select finding_id, status, changed_at, changed_by, reason, valid_until, run_id "
                       "from audit.finding_events order by rowid").fetchall()
    assert [r[0] for r in rows] == [f.finding_id for f in register] and len(rows) == 300
    assert set(r[1:] for r in rows) == {("open", at, "validation", f"{CHECK[1]} failed in run full", None, "full")}
    assert all(f.status == "open" and [e["status"] for e in f.history] == ["open"] for f in register)
    assert register == load_register(con, today=at.date())
