"""The auditor's workflow on the seeds, as a sequence of runs on one warehouse: a failing run, a run
with nothing new, an accepted exception and its expiry, a resubmission that fixes the figure, a full
validation. After each step Dagster's asset-check status, ``summary``, ``audit``, the findings
register and the HTML report must say the same thing about Hướng Hóa's NTM total (stated 106.182
triệu đồng, its four years add to 106.164: −18 triệu đồng, −0,017%), and about Hướng Hóa's completeness:
one finding for the unit (1 of the 20 months 2019-01..2020-08 reported, 2019-09, and that one late), kept
under one id while the unit stays incomplete."""

from __future__ import annotations

import csv
import io
import os
import shutil
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import pytest

from tests.conftest import query_warehouse, run_provreport

pytestmark = pytest.mark.slow

HUONG_HOA = "000_5e65d710216a68d6.txt"
DAKRONG = "003_0d145819312b56d9.txt"
CHECK = ("fct_programme_funding", "components_sum_to_total")
COMPLETENESS = ("fct_reporting_completeness", "district_reported_for_period")
TIMELINESS = ("fct_reporting_completeness", "report_arrived_on_time")
MISSING = "every unit reports every month (missing: 2019-01..2019-08, 2019-10..2020-08)"


@contextmanager
def dagster_instance(dagster_home: Path):
    """The runs' Dagster instance, opened as Dagster's UI opens it: with DAGSTER_HOME pointing at it (the
    run storage of its dagster.yaml reads it)."""
    from dagster import DagsterInstance

    with mock.patch.dict(os.environ, {"DAGSTER_HOME": str(dagster_home)}), \
            DagsterInstance.from_config(str(dagster_home)) as instance:
        yield instance


def dagster_check_status(dagster_home: Path, mart: str, check: str) -> str:
    """What Dagster's UI shows for the check: the status of its latest execution."""
    from dagster import AssetCheckKey, AssetKey

    key = AssetCheckKey(AssetKey(["marts", mart]), check)
    with dagster_instance(dagster_home) as instance:
        record = instance.event_log_storage.get_latest_asset_check_execution_by_key([key])[key]
    return record.status.value


def state(flow: dict) -> dict:
    """What each surface says about the Hướng Hóa finding, and the finding's register entry."""
    from expectations.register import load_register
    from sources.warehouse import open_warehouse

    env, warehouse = flow["env"], flow["warehouse"]
    summary = run_provreport(["summary", "--warehouse", str(warehouse)], env).stdout
    audit = run_provreport(["audit", "--warehouse", str(warehouse)], env).stdout
    report_path = flow["tmp"] / "report.html"
    run_provreport(["report", "--warehouse", str(warehouse), "--out", str(report_path)], env)
    csv_text = run_provreport(["audit", "--format", "csv", "--warehouse", str(warehouse)], env).stdout
    with open_warehouse(warehouse, read_only=True) as con:
        findings = load_register(con)
    register = [f for f in findings if (f.mart, f.check) == CHECK]
    units = {f.check: f for f in findings if f.mart == COMPLETENESS[0] and f.unit_name == "Hướng Hóa"}
    return {"dagster": dagster_check_status(flow["dagster_home"], *CHECK), "summary": summary, "audit": audit,
            "report": report_path.read_text(encoding="utf-8"), "register": register, "units": units,
            "completeness_dagster": dagster_check_status(flow["dagster_home"], *COMPLETENESS),
            "csv": {r["finding_id"]: r for r in csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))},
            "findings": findings}


@pytest.fixture(scope="module")
def flow(tmp_path_factory, seeds_dir: Path) -> dict:
    tmp = tmp_path_factory.mktemp("audit_flow")
    landing = tmp / "landing"
    landing.mkdir()
    for name in (HUONG_HOA, DAKRONG):
        shutil.copy(seeds_dir / name, landing / name)
    env = {**os.environ, "DAGSTER_HOME": str(tmp / "dagster_home"), "PROVREPORT_DOCS_DIR": str(tmp / "docs"),
           "DUCKDB_PATH": str(tmp / "w.duckdb")}
    flow = {"tmp": tmp, "landing": landing, "env": env, "warehouse": tmp / "w.duckdb",
            "dagster_home": tmp / "dagster_home", "steps": {}}

    def run(*extra: str) -> None:
        proc = run_provreport(["run", "--landing", str(landing), "--warehouse", str(flow["warehouse"]), *extra], env)
        assert proc.returncode == 0, proc.stdout + proc.stderr

    flow["run"] = run
    return flow


def test_the_check_state_is_the_state_of_the_data_through_the_sequence(flow: dict, seeds_dir: Path) -> None:
    run, steps = flow["run"], flow["steps"]
    # 1. a failing run
    run()
    first = steps["failing run"] = state(flow)
    [finding] = first["register"]
    assert finding.status == "open" and first["dagster"] == "FAILED"
    assert finding.stated == 106_182_000_000 and finding.computed == 106_164_000_000
    assert finding.difference == -18_000_000 and finding.difference_pct == pytest.approx(-0.016952, abs=1e-6)
    assert finding.unit_name == "Hướng Hóa" and len(finding.figure_ids) == 5
    assert "stated 106.182 triệu đồng · computed 106.164 triệu đồng · difference −18 triệu đồng (−0,017%)" \
        in first["audit"]
    assert "tolerance ±0,005% of the total" in first["audit"]
    assert finding.finding_id in first["audit"] and finding.finding_id in first["report"]
    assert "106.164 triệu đồng" in first["report"] and "−18 triệu đồng" in first["report"]
    assert "WARN failed" in first["summary"]
    # Hướng Hóa's completeness: one finding for the unit, its counts and months, in every surface
    unit = first["units"][COMPLETENESS[1]]
    assert (unit.status, unit.province_name, unit.figure_ids) == ("open", "Quảng Trị", [])
    assert (str(unit.period_start), str(unit.period_end)) == ("2019-01-01", "2020-08-31")
    assert (unit.stated, unit.computed, unit.difference, unit.difference_pct) == (1, 20, -19, -95)
    assert unit.tolerance == MISSING
    assert ("unit: Hướng Hóa, Quảng Trị · period: 2019-01-01..2020-08-31\n"
            f"    stated 1 month · computed 20 months · difference −19 months (−95%) · tolerance {MISSING}"
            ) in first["audit"]
    row = first["csv"][unit.finding_id]
    assert (row["unit"], row["province"], row["period_start"], row["period_end"], row["stated_value"],
            row["computed_value"], row["difference_value"], row["difference_percent"], row["value_unit"]) == (
        "Hướng Hóa", "Quảng Trị", "2019-01-01", "2020-08-31", "1.0", "20.0", "-19.0", "-95.0", "months")
    assert unit.finding_id in first["report"] and MISSING in first["report"]
    late = first["units"][TIMELINESS[1]]
    assert (str(late.period_start), str(late.period_end), late.stated, late.computed, late.difference) == (
        "2019-09-01", "2019-09-30", 0, 1, -1)
    assert late.tolerance == "within 10 days after the month (late: 2019-09)"
    # one finding per unit at fault: the ten districts of Quảng Trị, no count over every unit-month
    incomplete = [f for f in first["findings"] if (f.mart, f.check) == COMPLETENESS]
    assert len(incomplete) == 10 and all(f.unit_key and f.status == "open" for f in incomplete)
    assert "unit-months" not in first["audit"] and first["completeness_dagster"] == "FAILED"

    # 2. a run with nothing new validates no unit: the finding stays open everywhere, seen when it was
    run()
    noop = steps["no-op run"] = state(flow)
    [same] = noop["register"]
    assert same.finding_id == finding.finding_id and same.status == "open"
    assert same.first_seen == finding.first_seen and same.last_seen == finding.last_seen
    assert noop["dagster"] == "FAILED" and "WARN failed" in noop["summary"]
    assert finding.finding_id in noop["audit"] and finding.finding_id in noop["report"]
    assert f"first seen {finding.first_seen:%Y-%m-%d %H:%M:%S}" in noop["audit"]
    assert noop["units"][COMPLETENESS[1]].finding_id == unit.finding_id
    assert noop["units"][COMPLETENESS[1]].last_seen == unit.last_seen

    # 3. accepted until today: no longer a failure; the day after, open again
    today = date.today()
    proc = run_provreport(["findings", "accept", finding.finding_id, "--reason", "the district confirmed its sum",
                           "--by", "auditor.lan", "--until", today.isoformat(), "--warehouse",
                           str(flow["warehouse"])], flow["env"])
    assert proc.returncode == 0, proc.stderr
    accepted = steps["accepted"] = state(flow)
    assert accepted["register"][0].status == "accepted"
    assert "accepted by auditor.lan until" in accepted["audit"] and "1 accepted" in accepted["summary"]
    listing = run_provreport(["findings", "--warehouse", str(flow["warehouse"]), "--today",
                              (today + timedelta(days=1)).isoformat()], flow["env"]).stdout
    assert f"{finding.finding_id}  open" in listing  # the acceptance lapsed
    assert "accepted by auditor.lan until" in listing  # and its row is kept

    # 4. the district resubmits its report with the total fixed: the figures pass, the finding resolves
    text = (seeds_dir / HUONG_HOA).read_text(encoding="utf-8")
    assert text.count("106.182 triệu đồng") == 1
    (flow["landing"] / "000_sua.txt").write_text(text.replace("106.182 triệu đồng", "106.164 triệu đồng"),
                                                 encoding="utf-8")
    run()
    fixed = steps["resubmission"] = state(flow)
    assert [f.status for f in fixed["register"]] == ["resolved"]
    assert fixed["dagster"] == "SUCCEEDED"
    assert "components_sum_to_total" not in fixed["audit"] and finding.finding_id not in fixed["report"]
    assert "WARN failed" not in fixed["summary"] or "components" not in fixed["summary"]
    # the resubmission covers the same month: the unit stays incomplete, under the same finding, seen again
    again = fixed["units"][COMPLETENESS[1]]
    assert (again.finding_id, again.status, again.first_seen) == (unit.finding_id, "open", unit.first_seen)
    assert again.last_seen > unit.last_seen and again.stated == 1 and again.computed == 20

    # 5. the full validation agrees
    proc = run_provreport(["validate", "--warehouse", str(flow["warehouse"])], flow["env"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    full = steps["full validate"] = state(flow)
    assert [f.status for f in full["register"]] == ["resolved"] and full["dagster"] == "SUCCEEDED"
    assert full["units"][COMPLETENESS[1]].finding_id == unit.finding_id
    assert full["units"][COMPLETENESS[1]].status == "open" and full["completeness_dagster"] == "FAILED"
    events = query_warehouse(flow["warehouse"], "select status, changed_by from audit.finding_events "
                             "where finding_id = ? order by changed_at", [finding.finding_id])
    assert events == [("open", "validation"), ("accepted", "auditor.lan"), ("resolved", "validation")]


def test_the_csv_has_a_bom_numbers_and_no_formulas(flow: dict) -> None:
    from orchestration.outputs.audit import render_csv, safe_cell

    assert safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and safe_cell("-5 xã") == "'-5 xã"
    assert safe_cell("@SUM") == "'@SUM" and safe_cell("\tx") == "'\tx" and safe_cell(-18_000_000) == -18_000_000
    text = render_csv([])
    assert text.startswith("\ufeff") and "stated_vnd,computed_vnd,difference_vnd" in text
    proc = run_provreport(["audit", "--format", "csv", "--warehouse", str(flow["warehouse"])], flow["env"])
    rows = list(csv.DictReader(io.StringIO(proc.stdout.lstrip("\ufeff"))))
    for row in rows:
        assert not any(v.startswith(("=", "+", "@")) for v in row.values() if v)


def _funding(flow: dict, quote: str) -> tuple:
    rows = query_warehouse(flow["warehouse"], "select figure_id, report_id, amount_vnd, original_amount_vnd, "
                           "is_corrected, review_status from marts.fct_programme_funding where source_quote = ? "
                           "and district_name = 'Hướng Hóa'", [quote])
    assert len(rows) == 1, rows
    return rows[0]


def _approval(flow: dict) -> str:
    return query_warehouse(flow["warehouse"], "select approval_status from marts.fct_unit_approvals "
                           "where unit_name = 'Hướng Hóa' and period = '2019'")[0][0]


def test_corrections_and_sign_off_through_reruns_reextraction_and_resubmission(flow: dict, seeds_dir: Path) -> None:
    run, env, warehouse = flow["run"], flow["env"], str(flow["warehouse"])
    if not flow["steps"]:
        run()
    sign = ["approve", "--unit", "Hướng Hóa", "--period", "2019", "--warehouse", warehouse]
    # a province cannot approve what the unit has not checked
    refused = run_provreport([*sign, "--level", "approve", "--by", "province.qt"], env)
    assert refused.returncode != 0 and "check" in refused.stderr
    note = ["--note", "the NTM total is the district's own rounding"]
    for level, who in (("check", "officer.hh"), ("approve", "province.qt")):
        proc = run_provreport([*sign, "--level", level, "--by", who, *note], env)
        assert proc.returncode == 0, proc.stderr
    assert _approval(flow) == "approved"

    # a reviewer corrects the 2016 allocation: the marts carry it after a rerun, the original kept
    figure_id, report_id, amount, *_ = _funding(flow, "năm 2016: 24.257 triệu đồng")
    assert amount == 24_257_000_000
    proc = run_provreport(["correct", figure_id, "value=24.275 triệu đồng", "--reason", "the province ledger",
                           "--by", "reviewer.hoa", "--warehouse", warehouse], env)
    assert proc.returncode == 0, proc.stderr
    run()
    assert _funding(flow, "năm 2016: 24.257 triệu đồng")[2:] == (24_275_000_000, 24_257_000_000, True, "corrected")
    run()  # a rerun with nothing new keeps it
    assert _funding(flow, "năm 2016: 24.257 triệu đồng")[2] == 24_275_000_000
    # the correction changed approved figures: the sign-off is reopened, the audit says what changed
    assert _approval(flow) == "reopened"
    audit = run_provreport(["audit", "--warehouse", warehouse], env).stdout
    assert "24.257 triệu đồng → 24.275 triệu đồng" in audit and "reviewer.hoa" in audit
    assert "reopened Hướng Hóa 2019" in audit

    # the same file extracted again (its raw rows gone, the file read anew): the correction still applies
    import duckdb

    con = duckdb.connect(warehouse)
    con.execute("delete from raw.figures where report_id = ?", [report_id])
    con.execute("delete from raw.reports where report_id = ?", [report_id])
    con.close()
    run()
    assert _funding(flow, "năm 2016: 24.257 triệu đồng")[1:3] == (report_id, 24_275_000_000)

    # Dagster's asset check names the open finding by id
    from dagster import AssetCheckKey, AssetKey

    from expectations.register import load_register
    from sources.warehouse import open_warehouse

    with open_warehouse(flow["warehouse"], read_only=True) as con:
        open_ids = [f.finding_id for f in load_register(con) if f.status == "open" and (f.mart, f.check) == CHECK]
    assert open_ids  # 24.275 breaks the sum again
    key = AssetCheckKey(AssetKey(["marts", CHECK[0]]), CHECK[1])
    with dagster_instance(flow["dagster_home"]) as instance:
        record = instance.event_log_storage.get_latest_asset_check_execution_by_key([key])[key]
        metadata = record.event.dagster_event.event_specific_data.metadata
    assert metadata["open_findings"].value == open_ids
    # and the completeness check names each incomplete unit's finding, Hướng Hóa's among them
    key = AssetCheckKey(AssetKey(["marts", COMPLETENESS[0]]), COMPLETENESS[1])
    with dagster_instance(flow["dagster_home"]) as instance:
        record = instance.event_log_storage.get_latest_asset_check_execution_by_key([key])[key]
        metadata = record.event.dagster_event.event_specific_data.metadata
    with open_warehouse(flow["warehouse"], read_only=True) as con:
        incomplete = {f.finding_id: f for f in load_register(con) if f.status == "open"
                      and (f.mart, f.check) == COMPLETENESS}
    assert sorted(metadata["open_findings"].value) == sorted(incomplete) and len(incomplete) == 10
    hh = next(f for f in incomplete.values() if f.unit_name == "Hướng Hóa")
    assert f"| {hh.finding_id} | open | Hướng Hóa | 2019-01-01..2020-08-31 |" in metadata["findings"].value

    # signed off again, then the district resubmits with a changed 2019 figure: reopened, difference listed
    for level, who in (("check", "officer.hh"), ("approve", "province.qt")):
        proc = run_provreport([*sign, "--level", level, "--by", who, *note], env)
        assert proc.returncode == 0, proc.stderr
    assert _approval(flow) == "approved"
    text = (flow["landing"] / "000_sua.txt").read_text(encoding="utf-8")
    (flow["landing"] / "000_sua_2.txt").write_text(text.replace("36.295 triệu đồng", "36.300 triệu đồng"),
                                                   encoding="utf-8")
    run()
    assert _approval(flow) == "reopened"
    audit = run_provreport(["audit", "--warehouse", warehouse], env).stdout
    assert "36.295 triệu đồng → 36.300 triệu đồng" in audit
    report = flow["tmp"] / "report.html"
    run_provreport(["report", "--warehouse", warehouse, "--out", str(report)], env)
    assert "reopened" in report.read_text(encoding="utf-8")
