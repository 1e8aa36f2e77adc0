"""A reviewer corrects a figure's place (#14 point 4): ``provreport correct ID "place=Đa Krông, Quảng Trị"``.

The name is resolved in the gazetteer on the figure's period, never guessed (an unknown or ambiguous name
is refused, exit 2, with the candidates). On the Hướng Hóa and Đa Krông seeds: the Hướng Hóa report's
"11.270 triệu đồng" of NTM support moved to Đa Krông (467) leaves Hướng Hóa (465) — its allocated sum
drops by exactly 11.270 triệu đồng — and joins Đa Krông, with the original place kept; both units are
rebuilt by the incremental facts, the sign-off of the unit a figure leaves and of the unit it joins is
reopened, and the correction survives a rerun, a re-extraction of the file and a restore from the journal."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.review import PLACE_COLUMNS, parse_changes, place_columns
from sources import schema, warehouse
from tests.conftest import query_warehouse, run_provreport

HUONG_HOA = "000_5e65d710216a68d6.txt"
DAKRONG = "003_0d145819312b56d9.txt"
NTM_SUPPORT = "Từ năm 2019, huyện Hướng Hóa có 05 xã (Hướng Lập, Hướng Phùng, Thanh, A Dơi, Ba Tầng) còn được " \
              "hỗ trợ thêm 11.270 triệu đồng"
NTM_COMMUNES = "Ngoài 05 xã đã đạt chuẩn nông thôn mới thì 15 xã"
HAPPINESS = "dự án khác để xây dựng nông thôn mới như: Chương trình Hạnh phúc Quảng Trị hỗ trợ trên địa bàn xã " \
            "Thuận là 13.377 triệu đồng"
DAKRONG_467 = {"corrected_admin_unit_code": "467", "corrected_admin_level": "district",
               "corrected_district_name": "Đa Krông", "corrected_province_name": "Quảng Trị",
               "corrected_province_code": "45", "corrected_current_province_name": "Quảng Trị",
               "corrected_current_province_code": "44"}


# ---- the place a reviewer types, resolved (fast) ---------------------------------------------------------
def test_a_place_is_resolved_on_the_figures_period() -> None:
    assert parse_changes("funding", ["place=Đa Krông, Quảng Trị"]) == {"place": "Đa Krông, Quảng Trị"}
    assert place_columns("Đa Krông, Quảng Trị", date(2019, 10, 24)) == DAKRONG_467
    assert place_columns("huyện Đakrông", date(2019, 10, 24)) == DAKRONG_467  # its other spelling, its type
    assert tuple(DAKRONG_467) == PLACE_COLUMNS
    # after 1 July 2025 the reporting units are communes, in the provinces of the new map
    after = place_columns("xã Đakrông, Quảng Trị", date(2025, 9, 30))
    assert (after["corrected_admin_unit_code"], after["corrected_admin_level"], after["corrected_district_name"]) \
        == ("19564", "commune", "Đakrông")


@pytest.mark.parametrize(("typed", "said"), [
    ("Atlantis", "no reporting unit of that name on 24/10/2019"),
    ("Đa Krông, Hà Nội", "no reporting unit of that name in Hà Nội"),
    ("Châu Thành", "huyện Châu Thành, Tây Ninh (708); huyện Châu Thành, Long An (808)"),
    ("Kỳ Anh", "names several units on 24/10/2019: huyện Kỳ Anh, Hà Tĩnh (447); thị xã Kỳ Anh, Hà Tĩnh (449)"),
])
def test_an_unknown_or_ambiguous_place_is_refused_never_guessed(typed: str, said: str) -> None:
    with pytest.raises(ValueError, match=r"^place=") as refused:
        place_columns(typed, date(2019, 10, 24))
    assert said in str(refused.value)


def test_an_old_reviews_table_gains_the_place_columns_once(tmp_path: Path) -> None:
    con = warehouse.connect(tmp_path / "old.duckdb")
    con.execute("create schema audit")
    old = dataclasses.replace(schema.FIGURE_REVIEWS, columns=tuple(
        c for c in schema.FIGURE_REVIEWS.columns if c.name not in PLACE_COLUMNS))
    con.execute(old.ddl())
    warehouse.ensure_audit_schema(con)
    warehouse.ensure_audit_schema(con)
    assert [r[0] for r in con.execute("describe audit.figure_reviews").fetchall()] \
        == list(schema.FIGURE_REVIEWS.column_names)
    assert 3 in {r[0] for r in con.execute("select version from meta.schema_version").fetchall()}
    con.close()


# ---- on the seeds, through the pipeline (slow) -----------------------------------------------------------
def _funding(warehouse_file: Path, quote: str) -> dict:
    rows = query_warehouse(warehouse_file, "select figure_id, report_id, unit_key, district_name, province_name, "
                           "admin_unit_code, admin_unit_key, amount_vnd, is_corrected, review_status, "
                           "original_unit_key, original_admin_unit_code, original_district_name, "
                           "original_province_name from marts.fct_programme_funding where source_quote = ?", [quote])
    assert len(rows) == 1, rows  # in one unit only, never in both
    return dict(zip(("figure_id", "report_id", "unit_key", "district_name", "province_name", "admin_unit_code",
                     "admin_unit_key", "amount_vnd", "is_corrected", "review_status", "original_unit_key",
                     "original_admin_unit_code", "original_district_name", "original_province_name"), rows[0],
                    strict=True))


def _indicator_units(warehouse_file: Path, quote: str) -> list[tuple]:
    return query_warehouse(warehouse_file, "select unit_key, district_name, is_corrected from "
                           "marts.fct_indicator_attainment where source_quote = ?", [quote])


def _allocated(warehouse_file: Path) -> dict[str, int]:
    return dict(query_warehouse(warehouse_file, "select unit_key, cast(sum(amount_vnd) as bigint) from "
                                "marts.fct_programme_funding where measure = 'allocated' group by unit_key"))


def _approvals(warehouse_file: Path) -> dict[tuple[str, str], str]:
    return {(u, p): s for u, p, s in query_warehouse(warehouse_file, "select unit_key, period, approval_status "
                                                     "from marts.fct_unit_approvals")}


@pytest.mark.slow
def test_a_figure_moved_to_another_unit_through_reruns_reextraction_and_restore(tmp_path: Path,
                                                                                  seeds_dir: Path) -> None:
    landing, warehouse_file = tmp_path / "landing", tmp_path / "w.duckdb"
    landing.mkdir()
    for name in (HUONG_HOA, DAKRONG):
        shutil.copy(seeds_dir / name, landing / name)
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home"), "PROVREPORT_DOCS_DIR": str(tmp_path / "docs"),
           "DUCKDB_PATH": str(warehouse_file)}
    where = ["--warehouse", str(warehouse_file)]

    def ok(*args: str) -> str:
        done = run_provreport([*args, *where], env)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def run() -> None:
        ok("run", "--landing", str(landing))

    run()
    before = _funding(warehouse_file, NTM_SUPPORT)
    assert (before["unit_key"], before["district_name"], before["amount_vnd"], before["is_corrected"]) \
        == ("465", "Hướng Hóa", 11_270_000_000, False)
    allocated_before = _allocated(warehouse_file)
    assert allocated_before == {"465": 253_824_000_000, "467": 154_228_000_000}
    [indicator_id] = [r[0] for r in query_warehouse(warehouse_file, "select figure_id from "
                                                    "marts.fct_indicator_attainment where source_quote = ?",
                                                    [NTM_COMMUNES])]
    # Hướng Hóa 2019 checked by its officer (its open WARN findings noted)
    ok("approve", "--unit", "Hướng Hóa", "--period", "2019", "--level", "check", "--by", "officer.hh",
       "--note", "the NTM total is the district's own rounding")
    assert _approvals(warehouse_file)[("465", "2019")] == "checked"

    # an unknown or ambiguous place is refused, exit 2, nothing recorded
    for typed, said in (("Atlantis", "no reporting unit of that name"),
                        ("Châu Thành", "huyện Châu Thành, Tây Ninh (708)")):
        refused = run_provreport(["correct", before["figure_id"], f"place={typed}", "--reason", "r", "--by",
                                  "reviewer.x", *where], env)
        assert refused.returncode == 2 and said in refused.stderr, refused.stderr
    assert query_warehouse(warehouse_file, "select count(*) from audit.figure_reviews") == [(0,)]

    # the NTM support moved to Đa Krông, and one indicator with it; an incremental run rebuilds both units
    ok("correct", before["figure_id"], "place=Đa Krông, Quảng Trị", "--reason", "the support went to Đa Krông",
       "--by", "reviewer.x")
    ok("correct", indicator_id, "place=huyện Đa Krông", "--reason", "Đa Krông's communes", "--by", "reviewer.x")
    run()
    moved = _funding(warehouse_file, NTM_SUPPORT)
    assert {k: moved[k] for k in ("figure_id", "unit_key", "district_name", "province_name", "admin_unit_code",
                                  "admin_unit_key", "amount_vnd", "is_corrected", "review_status")} == {
        "figure_id": before["figure_id"], "unit_key": "467", "district_name": "Đa Krông", "province_name": "Quảng Trị",
        "admin_unit_code": "467", "admin_unit_key": "district:467:pre2025", "amount_vnd": 11_270_000_000,
        "is_corrected": True, "review_status": "corrected"}
    assert (moved["original_unit_key"], moved["original_admin_unit_code"], moved["original_district_name"],
            moved["original_province_name"]) == ("465", "465", "Hướng Hóa", "Quảng Trị")
    assert _allocated(warehouse_file) == {"465": 253_824_000_000 - 11_270_000_000,
                                          "467": 154_228_000_000 + 11_270_000_000}
    assert _indicator_units(warehouse_file, NTM_COMMUNES) == [("467", "Đa Krông", True)]
    # the approval of the unit it left is reopened; the unit it joined has it in its 2019
    approvals = _approvals(warehouse_file)
    assert approvals[("465", "2019")] == "reopened" and approvals[("467", "2019")] == "none"
    audit = ok("audit")
    assert "place Hướng Hóa → Đa Krông, Quảng Trị (467) — the support went to Đa Krông" in audit
    assert "reopened Hướng Hóa 2019" in audit
    # the last validation covered both units
    [(scope,)] = query_warehouse(warehouse_file, "select scope_units from audit.validation_results "
                                 "order by validated_at desc limit 1")
    assert {"465", "467"} <= set(json.loads(scope))

    # a rerun with nothing new keeps it
    run()
    assert _funding(warehouse_file, NTM_SUPPORT)["unit_key"] == "467"
    # Đa Krông's 2019 (the figures moved there) checked by its officer
    ok("approve", "--unit", "Đa Krông", "--period", "2019", "--level", "check", "--by", "officer.dk",
       "--note", "the two figures moved here")
    assert _approvals(warehouse_file)[("467", "2019")] == "checked"

    # the same file extracted again (its raw rows gone), the indicator moved back to Hướng Hóa and another
    # funding figure moved to Đa Krông: the first correction still applies, the indicator leaves Đa Krông
    # (its only indicator there), and the figure joining Đa Krông reopens its check
    happiness = _funding(warehouse_file, HAPPINESS)
    assert (happiness["unit_key"], happiness["amount_vnd"]) == ("465", 13_377_000_000)
    ok("correct", indicator_id, "place=Hướng Hóa, Quảng Trị", "--reason", "Hướng Hóa's after all", "--by", "reviewer.y")
    ok("correct", happiness["figure_id"], "place=Đa Krông", "--reason", "spent in Đa Krông", "--by", "reviewer.y")
    con = duckdb.connect(str(warehouse_file))
    con.execute("delete from raw.figures where report_id = ?", [before["report_id"]])
    con.execute("delete from raw.reports where report_id = ?", [before["report_id"]])
    con.close()
    run()
    again = _funding(warehouse_file, NTM_SUPPORT)
    assert (again["report_id"], again["unit_key"], again["is_corrected"]) == (before["report_id"], "467", True)
    assert _indicator_units(warehouse_file, NTM_COMMUNES) == [("465", "Hướng Hóa", True)]
    assert _funding(warehouse_file, HAPPINESS)["unit_key"] == "467"
    assert _allocated(warehouse_file) == {"465": 242_554_000_000 - 13_377_000_000,
                                          "467": 165_498_000_000 + 13_377_000_000}
    assert _approvals(warehouse_file)[("467", "2019")] == "reopened"
    assert "reopened Đa Krông 2019" in ok("audit")

    # the journal carries the place; restore brings the warehouse back with the figure in Đa Krông
    journal = sorted((tmp_path / "w.duckdb.journal").glob("*.json"))
    entries = [json.loads(p.read_text(encoding="utf-8")) for p in journal]
    places = [e["row"]["corrected_admin_unit_code"] for e in entries if e["kind"] == "review"]
    assert places == ["467", "467", "465", "467"]
    reviews = "select review_id, figure_id, action, corrected_admin_unit_code, corrected_district_name, " \
              "reviewed_by, reviewed_at from audit.figure_reviews order by reviewed_at"
    kept = query_warehouse(warehouse_file, reviews)
    warehouse_file.unlink()
    (tmp_path / ".previous" / "w.duckdb").unlink()
    out = ok("restore", "--landing", str(landing))
    assert "4 review(s)" in out and "2 approval(s)" in out, out
    assert query_warehouse(warehouse_file, reviews) == kept
    restored = _funding(warehouse_file, NTM_SUPPORT)
    assert (restored["unit_key"], restored["district_name"], restored["original_district_name"]) \
        == ("467", "Đa Krông", "Hướng Hóa")
    assert _allocated(warehouse_file) == {"465": 229_177_000_000, "467": 178_875_000_000}
    assert {k: v for k, v in _approvals(warehouse_file).items() if k[1] == "2019"} == {
        ("465", "2019"): "reopened", ("467", "2019"): "reopened"}
