"""The findings register: every failing group a check has found, with a stable id, when it was first
and last seen, and its status (open, resolved, accepted).

A *finding* is one failing row of a check: a stated total and its parts, a rate and its amounts, a
figure outside its bounds, a reporting unit that missed months or sent reports late. Its id is a hash of
the check and the figures (same check, same figures: same id in every run), or of the check and the
reporting unit for completeness (the same id while the unit stays incomplete, whichever months it
misses), so a finding keeps its history across runs, and a resubmitted report (new figures) gives new
findings while the old ones resolve.

Whether a finding is open is the state of the data, not of the last run: for each check, the groups
of its latest full validation, replaced unit by unit by the incremental runs after it (a run covering
no unit changes nothing), less the groups whose figures have left the marts (a superseded report, a
figure a reviewer rejected). Its status then follows from the appended rows of
``audit.finding_events``: accepted while an acceptance is the latest event and has not lapsed, open
otherwise, resolved when the data no longer fail. Validation appends the changes the data decide
(open, resolved, an acceptance that lapsed); people append acceptances. Nothing is updated in place.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sources.connection import Connection, as_connection
from sources.schema import FINDING_EVENTS, FINDING_OBSERVATIONS

# the columns of a failing group as audit.finding_observations holds them (after run, time, check)
FINDING_COLUMNS = ("finding_id", "unit_key", "unit_name", "province_name", "period_start", "period_end",
                   "figure_ids", "stated", "stated_text", "computed", "difference", "difference_pct",
                   "value_unit", "tolerance")
STATUSES = ("open", "resolved", "accepted")

_RUNS = """
with last_full as (  -- per check: its latest run over every row
    select mart, expectation, max(validated_at) as validated_at
    from audit.validation_results where scope_units is null group by mart, expectation
)
select v.run_id, v.mart, v.expectation, v.severity, v.success, v.scope_units, v.details, v.validated_at
from audit.validation_results as v
left join last_full as f on v.mart = f.mart and v.expectation = f.expectation
where v.validated_at >= coalesce(f.validated_at, timestamp '1900-01-01')
"""
RUNS_SQL = _RUNS + "order by v.validated_at, v.run_id"
# the groups those runs observed, and no other (a check validated over every row in every run, such as
# completeness, has one run in force however many came before)
RUN_OBSERVATIONS_SQL = f"""
select o.* from audit.finding_observations as o
inner join ({_RUNS}) as r on o.run_id = r.run_id and o.mart = r.mart and o.expectation = r.expectation
"""
FIGURE_UNITS_SQL = """
select figure_id, unit_key from marts.fct_programme_funding
union all select figure_id, unit_key from marts.fct_indicator_attainment
union all select figure_id, unit_key from marts.fct_district_scorecard
"""
_OBSERVED = ", ".join(FINDING_OBSERVATIONS.column_names)
LATEST_SQL = f"""
select {_OBSERVED}, first_seen, last_seen from (
    select o.*, row_number() over (partition by finding_id order by observed_at desc) as latest,
           min(observed_at) over (partition by finding_id) as first_seen,
           max(observed_at) over (partition by finding_id) as last_seen
    from audit.finding_observations as o
) as ranked where latest = 1
"""


def finding_id(mart: str, check: str, figure_ids: list[str]) -> str:
    """Stable id of a finding: its check and its set of figures, or for a check over reporting units
    the unit's key in place of the figures (pure)."""
    key = "|".join([mart, check, *sorted(figure_ids)])
    return "F-" + hashlib.sha256(key.encode()).hexdigest()[:10]


@dataclass(slots=True)
class Finding:
    finding_id: str
    mart: str
    check: str
    severity: str
    description: str
    status: str  # open | resolved | accepted
    figure_ids: list[str]
    first_seen: datetime
    last_seen: datetime
    last_run_id: str
    unit_key: str | None = None
    unit_name: str | None = None
    province_name: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    stated: float | None = None
    stated_text: str | None = None
    computed: float | None = None
    difference: float | None = None
    difference_pct: float | None = None
    value_unit: str | None = None
    tolerance: str = ""
    accepted: dict | None = None  # the acceptance in force, or the one that lapsed: by, reason, until, at
    history: list[dict] = field(default_factory=list)  # every event of this finding, oldest first

    @property
    def counts_as_failure(self) -> bool:
        return self.status == "open"


def merge_groups(runs: list[tuple], groups_of: dict[tuple[str, str, str], list[dict]],
                 unit_of: dict[str, str]) -> dict[tuple[str, str], dict[str, dict]]:
    """The failing groups in force per check (pure: unit-tested).

    ``runs``: (run_id, mart, expectation, scope units JSON or None), oldest first, from each check's
    latest full run on; ``groups_of``: (run_id, mart, expectation) -> the run's failing groups
    (dicts with finding_id and figure_ids); ``unit_of``: figure_id -> unit_key of the figures in the
    marts now. A full run sets a check's groups; an incremental run replaces the groups touching its
    units and leaves the others (a run over no unit changes nothing). Groups whose figures have left
    the marts are dropped; a group that names no figure (a reporting unit's completeness, validated
    over every unit in every run, or a count) stands until a run of its check replaces it."""
    state: dict[tuple[str, str], dict[str, dict]] = {}
    for run_id, mart, check, scope in runs:
        key = (mart, check)
        new = {g["finding_id"]: g for g in groups_of.get((run_id, mart, check), [])}
        if scope is None or key not in state:
            state[key] = new
            continue
        units = set(json.loads(scope))
        kept = {fid: g for fid, g in state[key].items()
                if not any(unit_of.get(i) in units for i in g["figure_ids"])}
        state[key] = {**kept, **new}
    return {key: {fid: g for fid, g in groups.items() if all(i in unit_of for i in g["figure_ids"])}
            for key, groups in state.items()}


def effective_status(failing: bool, events: list[dict], today: date) -> tuple[str, dict | None]:
    """A finding's status from whether its figures fail now and its events (pure): resolved when they
    pass; accepted while the latest event is an acceptance that has not lapsed (``valid_until`` is the
    last day it holds); open otherwise. Also returns the latest acceptance, if any."""
    acceptance = next((e for e in reversed(events) if e["status"] == "accepted"), None)
    if not failing:
        return "resolved", acceptance
    latest = events[-1] if events else None
    if latest and latest["status"] == "accepted" and (latest["valid_until"] is None or latest["valid_until"] >= today):
        return "accepted", acceptance
    return "open", acceptance


def _table_exists(con: Connection, table: str) -> bool:
    return con.table_exists("audit", table)


def _rows(con: Connection, sql: str, params: list | None = None) -> list[dict]:
    return con.rows(sql, params)


# the figures figure_units reads with one placeholder each; with more than this many it reads every figure's unit
MAX_FIGURE_KEYS = 2000


def figure_units(con: Connection, figure_ids: set[str]) -> dict[str, str]:
    """figure_id -> unit_key of these figures that are in the marts now (of every figure when they are more than
    MAX_FIGURE_KEYS): what merge_groups looks up for the groups observed, not the 49 260 figures of 10 000 reports
    (0.06-0.14 s a validation, 0.02-0.05 s for the 419 figures the groups named there)."""
    try:
        if len(figure_ids) > MAX_FIGURE_KEYS:
            return dict(con.execute(FIGURE_UNITS_SQL).fetchall())
        if not figure_ids:
            return {}
        ids = sorted(figure_ids)
        return dict(con.execute(f"select figure_id, unit_key from ({FIGURE_UNITS_SQL}) as f "
                                f"where figure_id in ({', '.join('?' * len(ids))})", ids).fetchall())
    except con.Error:  # no marts yet
        return {}


def open_groups(con) -> tuple[dict[str, dict], dict[tuple[str, str], dict]]:
    """The failing groups in force (finding_id -> group) and each check's latest verdict row (a
    connection to either engine, :mod:`sources.connection`)."""
    con = as_connection(con)
    runs = _rows(con, RUNS_SQL)
    if not runs:
        return {}, {}
    observations = _rows(con, RUN_OBSERVATIONS_SQL)
    groups_of: dict[tuple[str, str, str], list[dict]] = {}
    for o in observations:
        o["figure_ids"] = json.loads(o["figure_ids"] or "[]")
        groups_of.setdefault((o["run_id"], o["mart"], o["expectation"]), []).append(o)
    unit_of = figure_units(con, {i for o in observations for i in o["figure_ids"]})
    merged = merge_groups([(r["run_id"], r["mart"], r["expectation"], r["scope_units"]) for r in runs],
                          groups_of, unit_of)
    checks = {(r["mart"], r["expectation"]): r for r in runs}
    return {fid: g for groups in merged.values() for fid, g in groups.items()}, checks


def load_register(con, today: date | None = None) -> list[Finding]:
    """Every finding ever observed, with its status today, ERROR before WARN, open before accepted
    before resolved (a connection to either engine)."""
    con = as_connection(con)
    if not _table_exists(con, "finding_observations"):
        return []
    today = today or date.today()
    in_force, checks = open_groups(con)
    events: dict[str, list[dict]] = {}
    for e in _rows(con, f"select * from audit.finding_events order by changed_at, {con.row_order}"):
        events.setdefault(e["finding_id"], []).append(e)
    findings = []
    for latest in _rows(con, LATEST_SQL):
        fid = latest["finding_id"]
        group = in_force.get(fid, latest)
        if isinstance(group["figure_ids"], str):
            group["figure_ids"] = json.loads(group["figure_ids"] or "[]")
        status, acceptance = effective_status(fid in in_force, events.get(fid, []), today)
        verdict = checks.get((latest["mart"], latest["expectation"]), {})
        findings.append(Finding(
            finding_id=fid, mart=latest["mart"], check=latest["expectation"], severity=latest["severity"],
            description=json.loads(verdict.get("details") or "{}").get("description", ""), status=status,
            figure_ids=group["figure_ids"], first_seen=latest["first_seen"], last_seen=latest["last_seen"],
            last_run_id=latest["run_id"], accepted=acceptance, history=events.get(fid, []),
            **{c: group[c] for c in FINDING_COLUMNS if c not in ("finding_id", "figure_ids")}))
    order = {"open": 0, "accepted": 1, "resolved": 2}
    findings.sort(key=lambda f: (order[f.status], 0 if f.severity == "ERROR" else 1, f.mart, f.check,
                                 f.unit_name or "", f.finding_id))
    return findings


def check_states(findings: list[Finding]) -> dict[tuple[str, str], str]:
    """Per check with findings: 'failed' while one of its findings is open, 'accepted' when every
    finding in force is accepted. A check not listed passes."""
    states: dict[tuple[str, str], str] = {}
    for f in findings:
        key = (f.mart, f.check)
        if f.status == "open":
            states[key] = "failed"
        elif f.status == "accepted":
            states.setdefault(key, "accepted")
    return states


EVENT_COLUMNS = FINDING_EVENTS.column_names  # _event makes its rows in this order


def _event(fid: str, status: str, at: datetime, by: str, reason: str, until: date | None = None,
           run_id: str | None = None) -> tuple:
    """A row of audit.finding_events (EVENT_COLUMNS)."""
    return fid, status, at, by, reason, until, run_id


# the register as the last validation of this process left it, by its run: the run's summary reads the same
# register from it instead of reading it again (remember() is called once the validation's rows are committed)
_LEFT_BY_RUN: dict[str, list[Finding]] = {}


def remember(run_id: str, register: list[Finding]) -> None:
    _LEFT_BY_RUN.clear()
    _LEFT_BY_RUN[run_id] = register


def left_by_run(run_id: str | None) -> list[Finding] | None:
    """The register as the validation of run ``run_id`` in this process left it (None: not validated here)."""
    return _LEFT_BY_RUN.get(run_id) if run_id else None


def sync_events(con, *, run_id: str, now: datetime) -> list[Finding]:
    """Append the changes of status the data decided with this run: a new or recurring finding opens,
    a finding whose figures pass (or left the marts) resolves, an acceptance past its day lapses.

    Returns the register as these events leave it (what :func:`load_register` reads next, each finding's
    status, groups and history, the events appended included): the run's check states are taken from it
    instead of reading the register again."""
    con = as_connection(con)
    register = load_register(con, today=now.date())
    events: list[tuple] = []  # appended at once (a first validation opens thousands)
    for f in register:
        latest = f.history[-1]["status"] if f.history else None
        if f.status == "resolved":
            if latest in ("open", "accepted"):
                events.append(_event(f.finding_id, "resolved", now, "validation",
                                     f"no longer fails after run {run_id}: its figures pass, or left the marts "
                                     "(a newer version of the report, a rejected figure)", run_id=run_id))
        elif f.status == "open":
            if latest is None or latest == "resolved":
                why = f"{f.check} failed in run {f.last_run_id}" if latest is None else f"failed again in run {run_id}"
                events.append(_event(f.finding_id, "open", now, "validation", why, run_id=run_id))
            elif latest == "accepted":
                until = f.history[-1]["valid_until"]
                events.append(_event(f.finding_id, "open", now, "validation",
                                     f"the acceptance by {f.history[-1]['changed_by']} lapsed after {until}",
                                     run_id=run_id))
    con.append("audit.finding_events", EVENT_COLUMNS, events)
    appended: dict[str, list[dict]] = {}
    for e in _rows(con, f"select * from audit.finding_events where run_id = ? and changed_at = ? "
                        f"order by changed_at, {con.row_order}", [run_id, now]):
        appended.setdefault(e["finding_id"], []).append(e)
    for f in register:
        f.history.extend(appended.get(f.finding_id, []))
    return register


def accept(con, fid: str, *, reason: str, by: str, until: date | None,
           now: datetime) -> Finding:
    """Record an accepted exception: the finding stops counting as a failure until ``until`` (inclusive;
    none: until the data change). Only a finding in force (open or accepted) can be accepted."""
    if not reason.strip() or not by.strip():
        raise ValueError("an acceptance needs a reason and who accepts it")
    if until is not None and until < now.date():
        raise ValueError(f"--until {until} is already past")
    con = as_connection(con)
    found = {f.finding_id: f for f in load_register(con, today=now.date())}
    finding = found.get(fid)
    if finding is None:
        raise LookupError(f"no finding {fid} (provreport findings lists them)")
    if finding.status == "resolved":
        raise ValueError(f"{fid} is resolved: its figures pass, there is nothing to accept")
    con.append("audit.finding_events", EVENT_COLUMNS, [_event(fid, "accepted", now, by, reason, until=until)])
    return finding  # the caller journals it beside a DuckDB warehouse (orchestration.journal)
