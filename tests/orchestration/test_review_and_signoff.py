"""Reviewers' input, the review queue's reasons, sign-off refusals and differences (pure parts)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from orchestration.cli import build_parser
from orchestration.review import parse_amount, parse_changes, parse_period, reasons
from orchestration.signoff import approvals
from orchestration.signoff.approvals import SignOffRefused, differences
from orchestration.signoff.assets import state_table


@pytest.mark.parametrize(("text", "vnd"), [
    ("106.164 triệu đồng", 106_164_000_000), ("106,164 tỷ", 106_164_000_000), ("106164000000", 106_164_000_000),
    ("24.275 triệu", 24_275_000_000), ("1,5 tỷ đồng", 1_500_000_000)])
def test_amounts_are_read_as_reviewers_type_them(text: str, vnd: int) -> None:
    assert parse_amount(text) == vnd


def test_changes_become_review_columns() -> None:
    assert parse_changes("funding", ["value=106.164 triệu đồng", "measure=allocated", "programme=ntm",
                                     "period=2016-01-01..2019-12-31"]) == {
        "amount_vnd": 106_164_000_000, "measure": "allocated", "programme_code": "NTM",
        "period_start": date(2016, 1, 1), "period_end": date(2019, 12, 31)}
    assert parse_changes("indicator", ["value=35,62", "role=target"]) == {"value_number": 35.62, "role": "target"}
    # an indicator of money takes an amount as the reports write it
    assert parse_changes("indicator", ["value=3,95 tỷ đồng"], "VND") == {"value_number": 3_950_000_000.0}
    assert parse_period("2019-02") == (date(2019, 2, 1), date(2019, 2, 28))
    for bad in (["measure=given"], ["colour=red"], ["value"], ["programme=XYZ"]):
        with pytest.raises(ValueError):
            parse_changes("funding", bad)
    with pytest.raises(ValueError):
        parse_changes("indicator", ["measure=allocated"])


def _figure(**overrides) -> dict:
    return {"figure_id": "r-1", "rule": "funding_amount", "place_method": "named", "district_name": "Hướng Hóa",
            "kind": "funding", "subject": "NTM", "unit": "VND", "value": 106_182_000_000, **overrides}


def test_the_queue_says_why_a_figure_needs_a_person() -> None:
    assert reasons(_figure(), {}) == []
    assert reasons(_figure(rule="funding_rate_only"), {})[0].startswith("weak rule funding_rate_only")
    assert reasons(_figure(place_method="ambiguous", district_name=None), {}) == ["place ambiguous"]
    assert reasons(_figure(value=5_000), {}) == ["suspicious amount (under 1 triệu or over 100.000 tỷ đồng)"]
    assert reasons(_figure(rule="indicator_level+suspect_format"), {}) == [
        "number written against the usual separators (read as written; check the source)"]
    assert reasons(_figure(kind="indicator", subject="UNMAPPED", unit="commune", value=5), {}) == [
        "indicator not in the catalogue (UNMAPPED)"]
    assert reasons(_figure(), {"r-1": ["F-1 (components_sum_to_total)"]}) == [
        "in open finding F-1 (components_sum_to_total)"]


def test_review_commands_parse() -> None:
    parser = build_parser()
    args = parser.parse_args(["correct", "r-1", "value=106.164 triệu đồng", "measure=allocated", "--reason", "x",
                              "--by", "y"])
    assert args.changes == ["value=106.164 triệu đồng", "measure=allocated"]
    assert parser.parse_args(["findings", "accept", "F-1", "--reason", "r", "--by", "b", "--until",
                              "2026-12-31"]).until == "2026-12-31"
    assert parser.parse_args(["approve", "--unit", "Hướng Hóa", "--period", "2019", "--level", "check",
                              "--by", "x"]).level == "check"


def test_differences_are_listed_figure_by_figure() -> None:
    signed = [["funding|NTM|2016", "24257000000|", "a-1", "năm 2016: 24.257"],
              ["funding|NTM|2019", "36295000000|", "a-2", "năm 2019: 36.295"],
              ["funding|NTM|2020", "1000000|", "a-3", "gone"]]
    current = [{"figure_key": "funding|NTM|2016", "figure_value": "24257000000|", "figure_id": "b-1",
                "source_quote": ""},
               {"figure_key": "funding|NTM|2019", "figure_value": "36300000000|", "figure_id": "b-2",
                "source_quote": "năm 2019: 36.300"}]
    changes = differences(signed, current)
    assert [(c["figure_key"], c["before"], c["after"]) for c in changes] == [
        ("funding|NTM|2019", "36295000000|", "36300000000|"), ("funding|NTM|2020", "1000000|", None)]
    assert approvals.value_of("funding|NTM|2019", "36300000000|") == "36.300 triệu đồng"
    # the hash's six-decimal text (the same on DuckDB and PostgreSQL) reads without its trailing zeros
    assert approvals.value_of("indicator|X|2019", "50.000000|46.500000|93.000000") == "50 / 46.5 / 93"
    assert approvals.value_of("indicator|X|2019", "|46.000000|") == "46"


class _Finding:
    def __init__(self, severity: str) -> None:
        self.severity, self.finding_id, self.figure_ids = severity, f"F-{severity}", ["r-1"]


@pytest.mark.parametrize(("severity", "note", "refused"), [("ERROR", "why", True), ("WARN", None, True),
                                                           ("WARN", "why", False)])
def test_an_error_finding_refuses_a_sign_off_and_a_warn_one_needs_a_note(monkeypatch, severity, note,
                                                                        refused) -> None:
    status = {"unit_key": "465", "unit_name": "Hướng Hóa", "province_name": "Quảng Trị", "period": "2019",
              "approval_status": "none", "figures_hash": "h", "figures_count": 1}
    monkeypatch.setattr(approvals, "statuses", lambda con, unit=None, period=None: [status])
    monkeypatch.setattr(approvals, "figures_of", lambda con, unit_key, period: [
        {"figure_key": "k", "figure_value": "v", "figure_id": "r-1", "source_quote": "q"}])
    monkeypatch.setattr(approvals, "_open_findings_on", lambda con, ids: [_Finding(severity)])
    inserted = []

    class Rows:  # what the journal's lookup of the database file finds here: none (an in-memory database)
        def fetchall(self):
            return []

    class Con:
        def execute(self, sql, params=None):
            if "duckdb_databases" not in sql:
                inserted.append(params)
            return Rows()

    call = dict(unit="Hướng Hóa", period="2019", level="check", by="x", note=note, now=datetime(2026, 1, 1))
    if refused:
        with pytest.raises(SignOffRefused):
            approvals.sign_off(Con(), **call)
        assert inserted == []
    else:
        assert approvals.sign_off(Con(), **call)["figures"] == 1 and len(inserted) == 1


def test_the_approval_state_is_counted_per_province_and_period() -> None:
    rows = [{"province_name": "Quảng Trị", "period": "2019", "approval_status": s} for s in ("approved", "none")]
    counts, table = state_table(rows)
    assert counts[("Quảng Trị", "2019")] == {"none": 1, "checked": 0, "approved": 1, "reopened": 0}
    assert "| Quảng Trị | 2019 | 1 | 0 | 1 | 0 |" in table
