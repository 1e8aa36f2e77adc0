"""Each reconciliation check catches a planted fault and passes clean data; results reach the
audit table; Data Docs are built with no off-machine reference."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from expectations import check_specs, run_validation
from orchestration.outputs.audit import render_audit

# every test validates through Great Expectations (about 2-5 s each), one renders in Chromium: make test only
pytestmark = pytest.mark.slow

FUNDING_COLUMNS = ("figure_id varchar, report_id varchar, source_file varchar, province_name varchar, "
                   "district_name varchar, admin_unit_code varchar, current_province_name varchar, "
                   "programme_code varchar, capital_source varchar, measure varchar, amount_vnd bigint, "
                   "reported_rate_pct double, computed_rate_pct double, period_start date, period_end date, "
                   "parent_figure_id varchar, per_unit varchar, sentence varchar, source_quote varchar")
INDICATOR_COLUMNS = ("figure_id varchar, report_id varchar, source_file varchar, province_name varchar, "
                     "district_name varchar, period_start date, period_end date, indicator_code varchar, unit varchar, "
                     "target_value double, actual_value double, attainment_pct double, "
                     "computed_attainment_pct double, exceed_pct double, change_value double, status varchar, "
                     "sentence varchar, source_quote varchar")
SCORECARD_COLUMNS = ("figure_id varchar, report_id varchar, source_file varchar, province_name varchar, "
                     "district_name varchar, period_start date, period_end date, indicators_total integer, "
                     "indicators_met_or_exceeded integer, indicators_exceeded integer, source_quote varchar")

CLEAN_FUNDING = [
    # a total and its parts that add up; an allocation and a disbursement with a consistent rate
    ("r1-1", "r1", "a.txt", "Quảng Trị", "Hướng Hóa", "465", "Quảng Trị", "NTM", "investment", "allocated",
     100_000_000_000, None, None, "2016-01-01", "2019-12-31", None, None, "s1", "q total"),
    ("r1-2", "r1", "a.txt", "Quảng Trị", "Hướng Hóa", "465", "Quảng Trị", "NTM", "investment", "allocated",
     60_000_000_000, None, None, "2016-01-01", "2016-12-31", "r1-1", None, "s1", "q part 1"),
    ("r1-3", "r1", "a.txt", "Quảng Trị", "Hướng Hóa", "465", "Quảng Trị", "NTM", "investment", "allocated",
     40_000_000_000, None, None, "2017-01-01", "2017-12-31", "r1-1", None, "s1", "q part 2"),
    ("r2-1", "r2", "b.txt", "Quảng Trị", "Đa Krông", "467", "Quảng Trị", "PUBLIC_INVESTMENT", "investment",
     "allocated", 154_228_000_000, None, 70.98, "2020-01-01", "2020-08-30", None, None, "s2", "q alloc"),
    ("r2-2", "r2", "b.txt", "Quảng Trị", "Đa Krông", "467", "Quảng Trị", "PUBLIC_INVESTMENT", "investment",
     "disbursed", 109_475_000_000, 70.98, 70.98, "2020-01-01", "2020-08-30", None, None, "s3", "q disb"),
]
CLEAN_INDICATORS = [
    ("r3-1", "r3", "c.txt", "Trà Vinh", "Trà Cú", "2023-01-01", "2023-08-31", "BUDGET_REVENUE_DOMESTIC", "VND",
     None, 3_930_000_000, 78.17, None, None, None, "not_met", "s4", "q revenue"),
    ("r3-2", "r3", "c.txt", "Trà Vinh", "Trà Cú", "2023-01-01", "2023-08-31", "POVERTY_RATE", "percent",
     5.0, 4.0, 80.0, 80.0, None, None, "met", "s5", "q poverty"),
]
CLEAN_SCORECARDS = [("r4-1", "r4", "d.txt", "Thanh Hóa", "Mường Lát", "2023-01-01", "2023-12-31", 27, 24, 10, "q sc")]
# intermediate.int_reporting_units__completeness (dbt builds it from fct_reporting_completeness)
UNIT_COLUMNS = ("admin_unit_key varchar, admin_unit_code varchar, admin_level varchar, district_name varchar, "
                "province_name varchar, current_province_name varchar, first_expected_month date, "
                "last_expected_month_end date, months_expected bigint, months_reported bigint, months_on_time bigint, "
                "months_missing bigint, months_late bigint, reported_minus_expected bigint, "
                "reported_minus_expected_pct double, on_time_minus_reported bigint, on_time_minus_reported_pct double, "
                "first_missing_month date, last_missing_month_end date, missing_months varchar, first_late_month date, "
                "last_late_month_end date, late_months varchar, report_due_days integer")
CLEAN_UNITS = [("district:467:pre2025", "467", "district", "Đa Krông", "Quảng Trị", "Quảng Trị", "2020-08-01",
                "2020-08-31", 1, 1, 1, 0, 0, 0, 0.0, 0, 0.0, None, None, None, None, None, None, 10)]
# Hướng Hóa: expected 2016-01..2020-10 (58 months), reported 2019-11..2020-10 (12), two of them late
FAULTY_UNIT = ("district:465:pre2025", "465", "district", "Hướng Hóa", "Quảng Trị", "Quảng Trị", "2016-01-01",
               "2020-10-31", 58, 12, 10, 46, 2, -46, -46 / 58 * 100, -2, -2 / 12 * 100, "2016-01-01", "2019-10-31",
               "2016-01..2019-10", "2019-12-01", "2020-03-31", "2019-12, 2020-03", 10)


def build(path: Path, check_views, funding=CLEAN_FUNDING, indicators=CLEAN_INDICATORS, scorecards=CLEAN_SCORECARDS,
          units=CLEAN_UNITS) -> Path:
    """The marts, by hand; the reconciliation models on them as dbt compiles them (``check_views``)."""
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(f"create table marts.fct_programme_funding ({FUNDING_COLUMNS})")
    con.execute(f"create table marts.fct_indicator_attainment ({INDICATOR_COLUMNS})")
    con.execute(f"create table marts.fct_district_scorecard ({SCORECARD_COLUMNS})")
    con.execute("create table marts.dim_indicator (indicator_code varchar, unit varchar, min_value double, "
                "max_value double)")
    con.executemany("insert into marts.dim_indicator values (?,?,?,?)", [
        ("BUDGET_REVENUE_DOMESTIC", "VND", 0, None), ("POVERTY_RATE", "percent", 0, 100),
        ("UNMAPPED", "other", None, None)])
    con.execute("create schema intermediate")
    con.execute(f"create table intermediate.int_reporting_units__completeness ({UNIT_COLUMNS})")
    con.executemany(f"insert into intermediate.int_reporting_units__completeness values ({','.join('?' * 24)})",
                    units)
    # the report versions give validation its watermark (the newest report validated)
    con.execute("create table marts.fct_report_versions (report_id varchar, unit_key varchar, ingested_at timestamp)")
    con.execute("insert into marts.fct_report_versions values ('r1', '467', '2020-09-01 08:00:00')")
    con.executemany(f"insert into marts.fct_programme_funding values ({','.join('?' * 19)})", funding)
    con.executemany(f"insert into marts.fct_indicator_attainment values ({','.join('?' * 18)})", indicators)
    con.executemany(f"insert into marts.fct_district_scorecard values ({','.join('?' * 11)})", scorecards)
    for fact in ("fct_programme_funding", "fct_indicator_attainment", "fct_district_scorecard"):
        columns = {r[0] for r in con.execute(f"describe marts.{fact}").fetchall()}
        unit = "coalesce(admin_unit_code, report_id)" if "admin_unit_code" in columns else "report_id"
        con.execute(f"alter table marts.{fact} add column unit_key varchar")
        con.execute(f"update marts.{fact} set unit_key = {unit}")
        # where each figure stands in its report (the order a row's figures are listed in)
        con.execute(f"alter table marts.{fact} add column char_start integer")
        con.execute(f"update marts.{fact} set char_start = cast(split_part(figure_id, '-', 2) as integer)")
    check_views(con)
    con.close()
    return path


def outcomes(summary) -> dict:
    return {(r.mart, r.name): r for r in summary.results}


@pytest.fixture(scope="module")
def clean(tmp_path_factory, check_views) -> dict:
    tmp = tmp_path_factory.mktemp("clean")
    summary = run_validation(build(tmp / "w.duckdb", check_views), run_id="clean-run", docs_dir=tmp / "docs")
    return {"summary": summary, "tmp": tmp}


def test_every_declared_check_runs(clean) -> None:
    declared = {(s.mart, s.name) for s in check_specs()}
    assert set(outcomes(clean["summary"])) == declared


def test_clean_data_passes_every_check(clean) -> None:
    failed = [(r.mart, r.name, r.observed) for r in clean["summary"].results if not r.success]
    assert failed == []


def test_results_reach_the_audit_table(clean) -> None:
    con = duckdb.connect(str(clean["tmp"] / "w.duckdb"), read_only=True)
    rows = con.execute("select count(*), count(distinct run_id), bool_and(success) from audit.validation_results")
    assert rows.fetchone() == (len(check_specs()), 1, True)
    con.close()


def test_data_docs_reference_nothing_off_machine(clean) -> None:
    docs = clean["tmp"] / "docs"
    pages = list(docs.rglob("*.html"))
    assert (docs / "index.html").exists() and len(pages) > 1
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href)=["']https?://""", html), page


@pytest.mark.parametrize(("mart", "check", "change", "expected_ids"), [
    ("fct_programme_funding", "components_sum_to_total", {"r1-3": {"amount_vnd": 39_982_000_000}},
     {"r1-1", "r1-2", "r1-3"}),
    ("fct_programme_funding", "stated_rate_matches_amounts", {"r2-2": {"reported_rate_pct": 75.0}}, {"r2-2", "r2-1"}),
    ("fct_programme_funding", "disbursed_not_above_allocated", {"r2-2": {"amount_vnd": 200_000_000_000}},
     {"r2-1", "r2-2"}),
    ("fct_programme_funding", "programme_code_allowed", {"r1-1": {"programme_code": "XYZ"}}, {"r1-1"}),
    ("fct_programme_funding", "amount_vnd_not_negative", {"r1-1": {"amount_vnd": -5}}, {"r1-1"}),
    ("fct_indicator_attainment", "attainment_matches_actual_over_target", {"r3-2": {"attainment_pct": 95.0}},
     {"r3-2"}),
    ("fct_indicator_attainment", "value_within_catalogue_bounds", {"r3-2": {"actual_value": 140.0}}, {"r3-2"}),
    ("fct_district_scorecard", "met_not_above_total", {"r4-1": {"indicators_met_or_exceeded": 30}}, {"r4-1"}),
])
def test_a_planted_fault_is_caught_with_its_figures(tmp_path: Path, check_views, mart, check, change,
                                                   expected_ids) -> None:
    columns = {"fct_programme_funding": FUNDING_COLUMNS, "fct_indicator_attainment": INDICATOR_COLUMNS,
               "fct_district_scorecard": SCORECARD_COLUMNS}[mart]
    names = [c.split()[0] for c in columns.split(", ")]
    base = {"fct_programme_funding": CLEAN_FUNDING, "fct_indicator_attainment": CLEAN_INDICATORS,
            "fct_district_scorecard": CLEAN_SCORECARDS}[mart]
    rows = []
    for row in base:
        values = dict(zip(names, row, strict=True))
        values.update(change.get(values["figure_id"], {}))
        rows.append(tuple(values[n] for n in names))
    kwargs = {"fct_programme_funding": "funding", "fct_indicator_attainment": "indicators",
              "fct_district_scorecard": "scorecards"}[mart]
    summary = run_validation(build(tmp_path / "w.duckdb", check_views, **{kwargs: rows}), run_id="faulty")
    outcome = outcomes(summary)[(mart, check)]
    assert outcome.success is False
    assert set(outcome.failing_figure_ids) == expected_ids
    report = render_audit(tmp_path / "w.duckdb", "text")
    assert check in report and next(iter(expected_ids)) in report


def test_data_docs_render_in_chromium_with_the_network_blocked(clean, artifacts_dir: Path) -> None:
    from tests.browser import offline_page

    with offline_page() as (page, traffic):
        page.goto((clean["tmp"] / "docs" / "index.html").as_uri())
        page.wait_for_load_state("load")
        page.wait_for_timeout(1000)
        page.screenshot(path=str(artifacts_dir / "data_docs_index.png"), full_page=True)
        assert "fct_programme_funding" in page.content()  # the suites' table, filled in by bootstrap-table
        assert traffic.blocked == [], traffic.blocked
        assert traffic.failed == [], traffic.failed


def test_data_docs_show_the_runs_of_their_own_warehouse_only(clean, tmp_path: Path, check_views) -> None:
    """Two warehouses validated in turn: the second's Data Docs hold no page of the first's runs."""
    run_validation(build(tmp_path / "other.duckdb", check_views), run_id="other-run", docs_dir=tmp_path / "docs")
    pages = [str(p.relative_to(tmp_path / "docs")) for p in (tmp_path / "docs").rglob("*.html")]
    assert any("other-run" in p for p in pages)
    assert not any("clean-run" in p for p in pages)
    index = (tmp_path / "docs" / "index.html").read_text(encoding="utf-8")
    assert "other-run" in index and "clean-run" not in index


def test_data_docs_compile_their_templates_once_and_render_the_same_pages(tmp_path: Path, check_views,
                                                                         monkeypatch) -> None:
    """Great Expectations renders Data Docs with a new jinja environment each build: its templates are compiled
    once (kept beside the context and in the process) and give the pages Great Expectations' own compile gives."""
    from jinja2 import Environment

    from expectations import docs, validate

    compiled: list[str] = []
    compile_ = Environment.compile
    monkeypatch.setattr(Environment, "compile",
                        lambda self, source, name=None, *a, **k: compiled.append(name) or compile_(self, source, name,
                                                                                                     *a, **k))
    warehouse = build(tmp_path / "w.duckdb", check_views)
    run_validation(warehouse, run_id="first", docs_dir=tmp_path / "docs")
    first = len(compiled)
    run_validation(warehouse, run_id="second", docs_dir=tmp_path / "docs")
    assert any(compiled[:first]) and not any(compiled[first:]), compiled[first:]

    def pages(folder: Path) -> dict[str, str]:  # every page, without the build's time and random element ids
        drawn = re.compile(r"\?d=\d{8}T\d{6}\.\d+Z|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
        return {str(p.relative_to(folder)): drawn.sub("", p.read_text(encoding="utf-8"))
                for p in folder.rglob("*.html")}

    # read now: the docs folder links the pages of Great Expectations' site, which the next build rewrites in place
    cached = pages(tmp_path / "docs")
    # every stored result rendered again by Great Expectations' own compile
    monkeypatch.setattr(docs, "compiled_templates", lambda folder: setattr(docs, "_current", None))
    root = validate.context_root(warehouse)
    validate._build_docs(validate.get_context(warehouse), root, tmp_path / "docs-plain", [])
    assert len(cached) > 2 and cached == pages(tmp_path / "docs-plain")


def test_a_unit_at_fault_is_one_finding_with_its_months(tmp_path: Path, check_views) -> None:
    """Completeness and timeliness name each failing reporting unit: its counts, the span of its months at
    fault and their list; the finding is the check's and the unit's (the same id in the next run), and the
    Data Docs' failing rows carry the same columns."""
    from expectations.register import finding_id, load_register

    warehouse = build(tmp_path / "w.duckdb", check_views, units=[*CLEAN_UNITS, FAULTY_UNIT])
    summary = run_validation(warehouse, run_id="units-1", docs_dir=tmp_path / "docs")
    missing = outcomes(summary)[("fct_reporting_completeness", "district_reported_for_period")]
    late = outcomes(summary)[("fct_reporting_completeness", "report_arrived_on_time")]
    assert missing.success is False and late.success is False
    [group] = missing.groups
    assert group["finding_id"] == finding_id("fct_reporting_completeness", "district_reported_for_period",
                                             ["district:465:pre2025"])
    assert (group["unit_key"], group["unit_name"], group["province_name"]) == (
        "district:465:pre2025", "Hướng Hóa", "Quảng Trị")
    assert (str(group["period_start"]), str(group["period_end"])) == ("2016-01-01", "2019-10-31")
    assert (group["stated"], group["computed"], group["difference"]) == (12, 58, -46)
    assert group["difference_pct"] == pytest.approx(-79.31, abs=0.01)
    assert group["figure_ids"] == [] and group["value_unit"] == "months"
    assert group["tolerance"] == "every unit reports every month (missing: 2016-01..2019-10)"
    [timely] = late.groups
    assert (str(timely["period_start"]), str(timely["period_end"])) == ("2019-12-01", "2020-03-31")
    assert (timely["stated"], timely["computed"], timely["difference"]) == (10, 12, -2)
    assert timely["difference_pct"] == pytest.approx(-16.667, abs=0.001)
    assert timely["tolerance"] == "within 10 days after the month (late: 2019-12, 2020-03)"
    # Data Docs: the failing unit's row with its unit, period and values
    page = next(p for p in (tmp_path / "docs").rglob("*.html") if "unit_completeness" in str(p)
                and "units-1" in str(p)).read_text(encoding="utf-8")
    for text in ("Hướng Hóa, Quảng Trị", "2016-01-01..2019-10-31", "district:465:pre2025",
                 "every unit reports every month (missing: 2016-01..2019-10)"):
        assert text in page, text
    assert "Đa Krông" not in page  # a unit that reported every month is no finding
    # the next run finds the same unit at fault: the same finding, seen twice, still open
    run_validation(warehouse, run_id="units-2")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        units = [f for f in load_register(con) if f.mart == "fct_reporting_completeness"]
    finally:
        con.close()
    assert sorted((f.check, f.unit_name, f.status) for f in units) == [
        ("district_reported_for_period", "Hướng Hóa", "open"), ("report_arrived_on_time", "Hướng Hóa", "open")]
    assert {f.finding_id for f in units} == {group["finding_id"], timely["finding_id"]}
    assert all(f.first_seen < f.last_seen and f.last_run_id == "units-2" for f in units)
    # an incremental run with nothing new validates no unit: the findings stand as they were, not seen again
    noop = run_validation(warehouse, run_id="units-3", full=False)
    assert noop.scope.units == frozenset()
    assert [o.groups for o in noop.results if o.mart == "fct_reporting_completeness"] == [[], []]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        after = [f for f in load_register(con) if f.mart == "fct_reporting_completeness"]
        scopes = con.execute("select distinct scope_units from audit.validation_results where run_id = 'units-3' "
                             "and mart = 'fct_reporting_completeness'").fetchall()
    finally:
        con.close()
    assert [(f.finding_id, f.status, f.last_seen, f.last_run_id) for f in after] == [
        (f.finding_id, "open", f.last_seen, "units-2") for f in units]
    assert scopes == [("[]",)]
    text = render_audit(warehouse, "text")
    assert ("stated 12 months · computed 58 months · difference −46 months (−79,31%) · tolerance every unit "
            "reports every month (missing: 2016-01..2019-10)") in text


def _findings(summary, in_scope=lambda group: True) -> set[tuple]:
    return {(o.mart, o.name, g["finding_id"], tuple(g["figure_ids"]), g["stated"], g["computed"], g["difference"],
             g["tolerance"], g.get("unit_key"), g.get("unit_name"), g.get("province_name"), g.get("period_start"),
             g.get("period_end")) for o in summary.results for g in o.groups if in_scope(g)}


def test_validating_the_units_of_a_new_report_finds_what_a_full_validation_finds_there(tmp_path: Path,
                                                                                     check_views) -> None:
    """An incremental validation (the units with a new report) reads the reconciliation views narrowed to
    those units: its findings are exactly those a full validation of the same warehouse makes on them."""
    import shutil

    funding = [row if row[0] != "r1-3" else (*row[:10], 39_982_000_000, *row[11:]) for row in CLEAN_FUNDING]
    funding = [row if row[0] != "r2-2" else (*row[:11], 75.0, *row[12:]) for row in funding]
    warehouse = build(tmp_path / "w.duckdb", check_views, funding=funding, units=[*CLEAN_UNITS, FAULTY_UNIT])
    run_validation(warehouse, run_id="first")
    con = duckdb.connect(str(warehouse))
    con.execute("insert into marts.fct_report_versions values ('r1b', '465', '2020-10-01 08:00:00')")
    figure_units = dict(con.execute("select figure_id, unit_key from marts.fct_programme_funding union all "
                                    "select figure_id, unit_key from marts.fct_indicator_attainment union all "
                                    "select figure_id, unit_key from marts.fct_district_scorecard").fetchall())
    con.close()
    shutil.copyfile(warehouse, tmp_path / "copy.duckdb")
    scoped = run_validation(warehouse, run_id="scoped", full=False)
    full = run_validation(tmp_path / "copy.duckdb", run_id="full", full=True)
    assert scoped.scope.units == frozenset({"465"})

    def in_scope(group) -> bool:  # completeness is checked on every unit whenever a unit has news
        return not group["figure_ids"] or any(figure_units[f] in scoped.scope.units for f in group["figure_ids"])

    assert _findings(scoped) == _findings(full, in_scope)
    assert {(m, c, ids) for m, c, _, ids, *_ in _findings(scoped)} == {
        ("fct_programme_funding", "components_sum_to_total", ("r1-1", "r1-2", "r1-3")),
        ("fct_reporting_completeness", "district_reported_for_period", ()),
        ("fct_reporting_completeness", "report_arrived_on_time", ())}
    assert ("fct_programme_funding", "stated_rate_matches_amounts") in {(m, c) for m, c, *_ in _findings(full)}


def test_an_incremental_validation_reads_the_rows_it_validates_and_their_places(tmp_path: Path, check_views,
                                                                             monkeypatch) -> None:
    """An incremental validation reads of the facts the rows of its units and of the figures its reconciliation
    rows name, not every row: each suite gets the frame it would get from every row, and each failing row the
    same place (a reconciliation row in scope may name a figure of another unit first)."""
    from expectations import validate

    # Cam Lộ's allocation (unit 464) is the total whose parts Hướng Hóa (465) states: a row across two units
    funding = [*CLEAN_FUNDING, ("r5-1", "r5", "e.txt", "Quảng Trị", "Cam Lộ", "464", "Quảng Trị", "NTM",
                                "investment", "allocated", 10_000_000_000, None, None, "2016-01-01", "2016-12-31",
                                None, None, "s6", "q other unit")]
    funding = [row if row[0] != "r1-2" else (*row[:15], "r5-1", *row[16:]) for row in funding]
    warehouse = build(tmp_path / "w.duckdb", check_views, funding=funding, units=[*CLEAN_UNITS, FAULTY_UNIT])
    run_validation(warehouse, run_id="first")
    con = duckdb.connect(str(warehouse))
    con.execute("insert into marts.fct_report_versions values ('r1b', '465', '2020-10-01 08:00:00')")
    con.close()
    narrowed, scope = validate.read_marts(warehouse, full=False)
    every, _ = validate.read_marts(warehouse, full=True)
    assert scope.units == frozenset({"465"})
    assert len(narrowed["fct_programme_funding"]) < len(every["fct_programme_funding"])
    places_narrowed, places_every = validate.figure_places(narrowed), validate.figure_places(every)
    for name, checks in validate._suites().items():
        first = checks[0]
        if first.frame in validate.UNIT_FRAMES:
            frames = [validate.scoped_units(m[validate.UNIT_FRAMES[first.frame]], scope).to_pandas()
                      for m in (narrowed, every)]
        elif first.frame in validate.CHECK_FRAMES:
            frames = [validate.check_rows(m[validate.CHECK_FRAMES[first.frame]], scope) for m in (narrowed, every)]
        else:
            frames = [validate.scoped(m[first.mart], first.mart, scope).to_pandas() for m in (narrowed, every)]
        if first.mart in validate.FACT_MARTS or first.unit_key:
            frames = [validate.with_domain_columns(f, first, p) for f, p in zip(frames, (places_narrowed,
                                                                                         places_every), strict=True)]
        assert frames[0].equals(frames[1]), name
    # the reconciliation rows of the unit name a figure of Cam Lộ: its place is read too
    assert places_narrowed["r5-1"] == places_every["r5-1"]
    # more keys than a query should bind: every row, as before
    monkeypatch.setattr(validate, "MAX_SCOPED_KEYS", 0)
    assert validate.read_marts(warehouse, full=False)[0]["fct_programme_funding"].equals(every["fct_programme_funding"])


def test_a_process_keeps_a_warehouse_context_until_its_suites_change(tmp_path: Path, check_views,
                                                                     monkeypatch) -> None:
    """``provreport watch`` validates run after run in one process: the warehouse's Great Expectations context
    is declared once, and again when the suites it holds change (another commit's suites.sha)."""
    import shutil

    from expectations import validate

    warehouse = build(tmp_path / "w.duckdb", check_views)
    declared: list[Path] = []
    declare = validate.declare_suites
    monkeypatch.setattr(validate, "declare_suites", lambda root: declared.append(root) or declare(root))
    monkeypatch.setattr(validate, "_CONTEXTS", {})
    first = run_validation(warehouse, run_id="kept-1")
    second = run_validation(warehouse, run_id="kept-2")
    assert declared == [validate.context_root(warehouse)]
    assert [(o.mart, o.name, o.success) for o in second.results] == [(o.mart, o.name, o.success)
                                                                      for o in first.results]
    committed = tmp_path / "committed"
    shutil.copytree(validate.COMMITTED, committed)
    (committed / "suites.sha").write_text("another commit's suites")
    monkeypatch.setattr(validate, "COMMITTED", committed)
    run_validation(warehouse, run_id="kept-3")
    assert declared == [validate.context_root(warehouse)] * 2
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("select run_id, count(*) from audit.validation_results group by run_id "
                           "order by run_id").fetchall()
    finally:
        con.close()
    assert rows == [(f"kept-{i}", len(check_specs())) for i in (1, 2, 3)]


def test_a_checkpoint_runs_as_great_expectations_runs_it(tmp_path: Path, check_views, monkeypatch) -> None:
    """``run_checkpoint`` (each suite's validation definitions run without the checkpoint's freshness check, which
    reads the checkpoint back from its store) and ``failing_rows_by_column`` give the result ids, the results and
    the stored results files that ``Checkpoint.run`` gives with GE's own listing of failing rows, for suites that
    pass and for suites that list their failing rows."""
    import datetime as dt
    import importlib
    import json

    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.expectations.metrics import util

    from expectations import validate

    module = importlib.import_module(validate._FAILING_ROWS_MODULE)

    warehouse = build(tmp_path / "w.duckdb", check_views, units=[*CLEAN_UNITS, FAULTY_UNIT])
    frames: list[tuple] = []
    run_checkpoint = validate.run_checkpoint
    monkeypatch.setattr(validate, "run_checkpoint",
                        lambda checkpoint, frame, run_id: frames.append((checkpoint, frame))
                        or run_checkpoint(checkpoint, frame, run_id))
    summary = run_validation(warehouse, run_id="first")
    assert [c.name for c, _ in frames] == list(validate._suites()) and summary.failed == 2
    stored = validate.context_root(warehouse) / "gx" / "uncommitted" / "validations"
    at = dt.datetime(2026, 11, 29, 1, 2, 3, tzinfo=dt.UTC)

    def timeless(result: dict) -> dict:  # the batch's load time is the clock's
        assert result["meta"]["batch_markers"].pop("ge_load_time")
        return result

    def files(run_name: str) -> list[dict]:
        found = sorted(p for p in stored.rglob("*.json") if run_name in p.parts)
        return [timeless(json.loads(p.read_text(encoding="utf-8").replace(run_name, "RUN"))) for p in found]

    listed = 0
    for checkpoint, frame in frames:
        ours = run_checkpoint(checkpoint, frame, RunIdentifier(run_name=f"ours-{checkpoint.name}", run_time=at))
        with monkeypatch.context() as plain:  # Great Expectations' own listing of failing rows
            plain.setattr(module, "compute_unexpected_pandas_indices", util.compute_unexpected_pandas_indices)
            theirs = checkpoint.run(batch_parameters={"dataframe": frame},
                                    run_id=RunIdentifier(run_name=f"theirs-{checkpoint.name}", run_time=at)).run_results
        assert [k.to_tuple()[:-3] + k.to_tuple()[-2:] for k in ours] == [k.to_tuple()[:-3] + k.to_tuple()[-2:]
                                                                         for k in theirs]
        [(ours_result, theirs_result)] = zip(ours.values(), theirs.values(), strict=True)
        assert json.loads(json.dumps(timeless(ours_result.to_json_dict())).replace(f"ours-{checkpoint.name}", "RUN")) \
            == json.loads(json.dumps(timeless(theirs_result.to_json_dict())).replace(f"theirs-{checkpoint.name}",
                                                                                    "RUN"))
        assert files(f"ours-{checkpoint.name}") == files(f"theirs-{checkpoint.name}") != []
        listed += sum(bool((r.result or {}).get("unexpected_index_list")) for r in ours_result.results)
    assert listed >= 2  # the unit that missed months and sent reports late, row by row


def test_the_docs_folder_mirrors_the_built_site(tmp_path: Path) -> None:
    """The docs folder holds the built site's files (linked) and nothing else: new files are linked, files and
    folders gone from the site are removed, a file the site rewrites in place reads anew, the offline mark stays
    in the site."""
    from expectations.validate import OFFLINE_MARK, _mirror

    built, docs = tmp_path / "built", tmp_path / "docs"
    (built / "validations" / "a" / "run-1").mkdir(parents=True)
    (built / "validations" / "a" / "run-1" / "page.html").write_text("run 1")
    (built / "index.html").write_text("index 1")
    (built / OFFLINE_MARK).touch()
    _mirror(built, docs)
    assert sorted(str(p.relative_to(docs)) for p in docs.rglob("*")) == [
        "index.html", "validations", "validations/a", "validations/a/run-1", "validations/a/run-1/page.html"]
    assert (docs / "index.html").samefile(built / "index.html")
    inode = (docs / "index.html").stat().st_ino
    (built / "index.html").write_text("index 2")  # rewritten in place, as Great Expectations writes pages
    (built / "validations" / "a" / "run-1" / "page.html").unlink()
    (built / "validations" / "a" / "run-1").rmdir()
    (built / "validations" / "a" / "run-2").mkdir()
    (built / "validations" / "a" / "run-2" / "page.html").write_text("run 2")
    (docs / "stray.html").write_text("not the site's")
    _mirror(built, docs)
    assert sorted(str(p.relative_to(docs)) for p in docs.rglob("*")) == [
        "index.html", "validations", "validations/a", "validations/a/run-2", "validations/a/run-2/page.html"]
    assert (docs / "index.html").read_text() == "index 2" and (docs / "index.html").stat().st_ino == inode
    assert (docs / "validations" / "a" / "run-2" / "page.html").read_text() == "run 2"


def _failing_rows_frame():
    from datetime import date

    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({
        "row_key": [0, 1, 2, 3, 4, 5],
        "figure_id": ["a-1", None, "c-3", "d-4", "e-5", "f-6"],
        "stated": [1.5, float("nan"), 3.0, None, 5.25, 6.0],
        "count": pd.array([1, None, 3, 4, 5, 6], dtype="Int64"),
        "months": np.array([12, 0, 7, 3, 1, 2], dtype="int64"),
        "flag": [True, False, True, False, True, False],
        "day": pd.to_datetime(["2020-01-31", None, "2021-02-28", "2022-03-31", "2023-04-30", "2024-05-31"]),
        "period_start": [date(2020, 1, 1), None, *[date(2021, 1, 1)] * 4],
        "tolerance": ["± 1", "± 2", None, "± 4", "± 5", "± 6"],
    })
    return frame


@pytest.mark.parametrize(("domain", "listed", "rows"), [
    (["stated"], ["row_key", "figure_id", "tolerance"], [1, 3, 4]),
    (["months", "stated"], ["row_key", "count", "day", "months"], [0, 2, 5]),  # a domain column is listed too
    (["period_start"], ["row_key", "flag", "day", "period_start", "count"], [0, 1, 2, 3, 4, 5]),
    (["stated"], ["row_key"], []),  # nothing fails
])
def test_failing_rows_are_listed_as_great_expectations_lists_them(domain, listed, rows) -> None:
    """``failing_rows_by_column`` gives Great Expectations' own list of failing rows (the same dicts, keys in the
    same order, values of the same types) for a frame of every kind of column; GE routes its pandas failing rows
    through the name it replaces, and GE's function is the one it was written against (GE is pinned: a new GE fails
    here until the replacement is checked again)."""
    import hashlib
    import importlib
    import inspect

    import great_expectations as gx
    from great_expectations.expectations.metrics import util

    from expectations import validate

    frame = _failing_rows_frame()
    failing = frame[frame["row_key"].isin(rows)]  # GE hands over the failing rows under their own labels
    kwargs = {"domain_records_df": failing, "expectation_domain_column_list": domain,
              "result_format": {"result_format": "COMPLETE", "unexpected_index_column_names": listed},
              "execution_engine": None, "metrics": {"table.columns": list(frame.columns)}}
    ours, theirs = validate.failing_rows_by_column(**kwargs), util.compute_unexpected_pandas_indices(**kwargs)
    def shown(found: list[dict]) -> list[list[tuple]]:  # keys in order, each value's type and repr (NaN != NaN)
        return [[(k, type(v), repr(v), v is None) for k, v in r.items()] for r in found]

    assert shown(ours) == shown(theirs) and len(ours) == len(rows)
    with pytest.raises(Exception, match="unexpected_index_column") as caught:
        util.compute_unexpected_pandas_indices(**{**kwargs, "domain_records_df": frame, "result_format": {
            "result_format": "COMPLETE", "unexpected_index_column_names": ["nowhere"]}})
    with pytest.raises(type(caught.value), match="unexpected_index_column"):
        validate.failing_rows_by_column(**{**kwargs, "domain_records_df": frame, "result_format": {
            "result_format": "COMPLETE", "unexpected_index_column_names": ["nowhere"]}})
    # what was checked against: GE 1.24.1's function, called by that name from the module that lists failing rows
    assert gx.__version__ == "1.24.1"
    assert hashlib.sha256(inspect.getsource(util.compute_unexpected_pandas_indices).encode()).hexdigest()[:16] \
        == "9945d77907b79bef"
    module = importlib.import_module(validate._FAILING_ROWS_MODULE)
    assert "compute_unexpected_pandas_indices(" in inspect.getsource(module._pandas_map_condition_index)
    validate.list_failing_rows_by_column()
    assert module.compute_unexpected_pandas_indices is validate.failing_rows_by_column
    assert util.compute_unexpected_pandas_indices is not validate.failing_rows_by_column
    # a case it hands to GE's own: the failing values left out (one dict of lists)
    left_out = {**kwargs, "result_format": {**kwargs["result_format"], "exclude_unexpected_values": True}}
    assert repr(validate.failing_rows_by_column(**left_out)) == repr(util.compute_unexpected_pandas_indices(**left_out))


def test_great_expectations_is_imported_without_what_these_suites_never_use(tmp_path: Path, check_views) -> None:
    """A new process validates (Data Docs included) without importing SciPy's statistics or Altair: Great
    Expectations' modules that import them hold a stand-in that imports the real module at its first use (as the KL
    divergence's ``stats.entropy`` does here), and any other import in the process is the usual one. GE is pinned:
    the modules of another GE that import them at import time differ, and this fails until it is checked again."""
    import json
    import re
    import subprocess
    import sys

    import great_expectations as gx

    warehouse = build(tmp_path / "w.duckdb", check_views, units=[*CLEAN_UNITS, FAULTY_UNIT])
    code = f"""
import json, math, sys
from expectations import validate, validation_run
summary = validation_run.run_validation({str(warehouse)!r}, run_id="deferred", docs_dir={str(tmp_path / "docs")!r})
seen = {{"failed": summary.failed, "loaded": sorted(n for n in validate.DEFERRED_BY_GE if n in sys.modules)}}
from great_expectations.expectations.core import expect_column_kl_divergence_to_be_less_than as kl
seen["stand_ins"] = [type(kl.stats).__name__, type(kl.alt).__name__]
seen["entropy"] = kl.stats.entropy([1, 0], [0.5, 0.5])
import scipy.stats
seen["same"] = scipy.stats.entropy is kl.stats.entropy and type(kl.alt.Chart).__name__ != "NoneType"
print(json.dumps(seen))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["failed"] == 2 and seen["loaded"] == []
    assert seen["stand_ins"] == ["_Deferred", "_Deferred"]
    assert seen["entropy"] == pytest.approx(0.693147, abs=1e-6) and seen["same"] is True
    assert (tmp_path / "docs" / "index.html").exists()
    # the GE these stand-ins were checked against: which of its modules import them at import time
    assert gx.__version__ == "1.24.1"
    package = Path(gx.__file__).parent
    importing = sorted(str(p.relative_to(package)) for p in package.rglob("*.py")
                       if re.search(r"^\s*(?:import|from)\s+(?:scipy|altair)\b", p.read_text(encoding="utf-8"), re.M))
    assert importing == ["expectations/core/expect_column_kl_divergence_to_be_less_than.py",
                         "expectations/metrics/column_aggregate_metrics/column_bootstrapped_ks_test_p_value.py",
                         "expectations/metrics/column_aggregate_metrics/column_parameterized_distribution_ks_test_p_value.py"]
