"""The synthetic corpus is deterministic and its gold is true to its text and its spreadsheets."""

from __future__ import annotations

import calendar
import csv
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sources import warehouse
from sources.ingest import ingest_landing
from sources.numbers import to_base
from sources.periods import find_report_date
from sources.places import REFORM_DATE, Gazetteer, key
from sources.reference import seed_path
from sources.submissions import parse_submission
from synthetic.generator import CorpusInfo, generate_corpus

SUBMISSION_SUFFIXES = (".csv", ".xlsx")


def _read(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _gold(folder: Path) -> dict[str, list[dict]]:
    by_doc: dict[str, list[dict]] = {}
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        by_doc.setdefault(record["doc"], []).append(record)
    return by_doc


def _province_code(gazetteer: Gazetteer, name: str, on: date) -> str:
    """The code of a province as the list of its side of the 2025 reform names it (codes were reused)."""
    codes = (gazetteer.new if on >= REFORM_DATE else gazetteer.old).province_by_key.get(key(name)) or []
    assert len(codes) == 1, name
    return codes[0]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module", params=[0.0, 0.5], ids=["before_reform", "half_after_reform"])
def corpus(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """Half prose, half submissions: 30 spreadsheets (15 CSV, 15 XLSX); then the same with half of
    each dated after the 1 July 2025 reform."""
    folder = tmp_path_factory.mktemp("corpus")
    generate_corpus(folder, n_reports=60, seed=1, submission_share=0.5, reform_share=request.param)
    return folder


def _parsed(path: Path, gazetteer: Gazetteer):
    parsed = parse_submission(path, path.read_bytes(), gazetteer.lookup_place)
    assert parsed.header_error is None and parsed.errors == [], (path.name, parsed.header_error, parsed.errors)
    assert len(parsed.groups) == 1, path.name  # one district and one period a file
    return parsed.groups[0]


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "a", n_reports=30, seed=5)
    generate_corpus(tmp_path / "b", n_reports=30, seed=5)
    generate_corpus(tmp_path / "c", n_reports=30, seed=6)
    a = _read(tmp_path / "a")
    assert a == _read(tmp_path / "b")
    assert a != _read(tmp_path / "c")
    assert sum(name.endswith(".xlsx") for name in a) == 3  # the workbooks are byte-identical too
    assert sum(name.endswith(".csv") for name in a) == 3


def test_submission_share_is_a_share_of_the_n_documents(tmp_path: Path) -> None:
    info = generate_corpus(tmp_path / "d", n_reports=50, seed=2, submission_share=0.2)
    names = [p.name for p in (tmp_path / "d").iterdir() if p.name != "gold.jsonl"]
    assert info.reports == len(names) == 50 and info.submissions == 10
    assert sum(n.endswith(".csv") for n in names) == 5 and sum(n.endswith(".xlsx") for n in names) == 5
    assert set(_gold(tmp_path / "d")) == set(names)  # every document has gold
    assert generate_corpus(tmp_path / "e", n_reports=7, seed=2, submission_share=1).submissions == 7
    generate_corpus(tmp_path / "f", n_reports=30, seed=5, submission_share=0)
    prose = _read(tmp_path / "f")
    assert all(name.endswith((".txt", ".jsonl")) for name in prose)
    with pytest.raises(ValueError):
        generate_corpus(tmp_path / "g", n_reports=5, submission_share=1.5)


def test_submission_share_leaves_the_prose_reports_as_they_were(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "all_prose", n_reports=10, seed=4, submission_share=0)
    generate_corpus(tmp_path / "mixed", n_reports=10, seed=4, submission_share=0.5)
    prose, mixed = _read(tmp_path / "all_prose"), _read(tmp_path / "mixed")
    assert sorted(mixed) == sorted(["gold.jsonl"] + [f"synthetic_4_{i:06d}.txt" for i in range(0, 10, 2)]
                                   + [f"synthetic_4_{i:06d}.{s}" for i, s in ((1, "csv"), (3, "xlsx"), (5, "csv"),
                                                                              (7, "xlsx"), (9, "csv"))])
    assert mixed["synthetic_4_000000.txt"] == prose["synthetic_4_000000.txt"]


def test_every_gold_quote_is_in_its_document_and_amounts_parse_back(tmp_path: Path) -> None:
    info = generate_corpus(tmp_path, n_reports=200, seed=1, submission_share=0)
    records = [json.loads(line) for line in (tmp_path / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == info.figures and info.reports == 200
    for r in records:
        assert r["quote"] in (tmp_path / r["doc"]).read_text(encoding="utf-8")
        if r["kind"] == "funding" and r["measure"] == "allocated":
            number, scale = r["quote"].split(" là ")[1].split()[:2]
            assert to_base(number, scale) == r["value"]
    assert {r["kind"] for r in records} == {"funding", "indicator", "scorecard"}


def test_every_submission_parses_without_a_refused_row_and_its_gold_is_what_is_stored(
    corpus: Path, gazetteer: Gazetteer
) -> None:
    gold = _gold(corpus)
    sheets = sorted(p for p in corpus.iterdir() if p.suffix in SUBMISSION_SUFFIXES)
    assert len(sheets) == 30 and {p.suffix for p in sheets} == {".csv", ".xlsx"}
    periods = set()
    for path in sheets:
        group = _parsed(path, gazetteer)
        records = gold[path.name]
        # the generator names a province as today's list does; the warehouse names it as it was on the
        # submission's date ("Thừa Thiên Huế" until the end of 2024, then "Huế"): the same province
        assert {(r["district"], _province_code(gazetteer, r["province"], group.period_end))
                for r in records} == {
            (group.place.district_name, group.place.province_code)}
        periods.add((group.place.district_code, group.period_start, group.period_end))
        stored = []
        for fig in group.figures:
            if fig.kind == "funding":
                stored.append(("funding", fig.source_quote, fig.programme_code, fig.capital_source, fig.measure,
                               fig.amount_vnd, None if fig.rate_pct is None else float(fig.rate_pct)))
                continue
            for column, role in (("target_value", "target"), ("actual_value", "actual"),
                                 ("attainment_pct", "attainment_pct")):
                if getattr(fig, column) is not None:
                    unit = "percent" if role == "attainment_pct" else fig.unit
                    stored.append(("indicator", fig.source_quote, fig.indicator_name, role, unit,
                                   float(getattr(fig, column))))
        expected = [("funding", r["quote"], r["programme"], r["capital_source"], r["measure"], r["value"],
                     r["rate_pct"]) if r["kind"] == "funding" else
                    ("indicator", r["quote"], r["indicator"], r["role"], r["unit"], float(r["value"]))
                    for r in records]
        assert stored == expected, path.name
        assert all(isinstance(r["value"], int) for r in records if r["kind"] == "funding" and r["value"] is not None)
    assert len(periods) == len(sheets)  # no submission would supersede another as its corrected version
    # the variety the template allows is there: date cells, ';' and ',' CSV, a BOM, three header styles
    quotes = [r["quote"] for path in sheets for r in gold[path.name]]
    assert any("period_end=" in q and " 00:00:00" in q for q in quotes)
    first_lines = [p.read_bytes().split(b"\n")[0] for p in sheets if p.suffix == ".csv"]
    assert any(b";" in line for line in first_lines) and any(b"," in line for line in first_lines)
    assert any(line.startswith("\ufeff".encode()) for line in first_lines)
    assert {re.split(r"[,;]", line.decode("utf-8-sig"))[0] for line in first_lines} == {"province", "Tỉnh", "Tinh"}


def test_specific_submission_rows(tmp_path: Path, gazetteer: Gazetteer) -> None:
    generate_corpus(tmp_path, n_reports=10, seed=2024, submission_share=0.5)
    gold = _gold(tmp_path)

    # a CSV with Vietnamese headers: triệu đồng plain ('13791') and grouped ('8.962'), tỷ đồng with a
    # decimal point ('109.21') and with a decimal comma ('47,884'), and a disbursement rate '99,44'
    group = _parsed(tmp_path / "synthetic_2024_000001.csv", gazetteer)
    assert (group.place.district_name, group.place.province_name) == ("Ân Thi", "Hưng Yên")
    assert (str(group.period_start), str(group.period_end)) == ("2018-08-01", "2018-08-31")
    rows = gold["synthetic_2024_000001.csv"]
    assert [r["value"] for r in rows] == [13_791_000_000, 8_962_000_000, 5_739_000_000, 109_210_000_000,
                                          47_884_000_000, 119_035_000_000, 118_364_000_000]
    assert [f.amount_vnd for f in group.figures] == [r["value"] for r in rows]
    assert rows[0]["quote"] == ("row 2: province=Hưng Yên; district=Ân Thi; period_start=2018-08-01; "
                                "period_end=2018-08-31; kind=vốn; programme_code=PUBLIC_INVESTMENT; "
                                "measure=allocated; unit=triệu đồng; value=13791")
    assert rows[0]["capital_source"] == group.figures[0].capital_source == "unspecified"
    assert rows[6]["rate_pct"] == 99.44 and group.figures[6].rate_pct == Decimal("99.44")

    # an XLSX with a disbursement stated as a rate only, amounts in đồng grouped the Vietnamese way
    group = _parsed(tmp_path / "synthetic_2024_000003.xlsx", gazetteer)
    rows = gold["synthetic_2024_000003.xlsx"]
    assert rows[0]["period"] == "2019-01-01..2019-09-30" and group.figures[0].source_quote.endswith(
        "unit=đồng; value=59.600.000.000")
    assert rows[0]["value"] == group.figures[0].amount_vnd == 59_600_000_000
    assert rows[1]["value"] is None and group.figures[1].amount_vnd is None
    assert rows[1]["rate_pct"] == 59.76 and group.figures[1].rate_pct == Decimal("59.76")

    # an XLSX indicator row with a target and an actual with its attainment rate (numeric cells)
    group = _parsed(tmp_path / "synthetic_2024_000007.xlsx", gazetteer)
    rows = gold["synthetic_2024_000007.xlsx"]
    poor = [r for r in rows if r.get("indicator") == "Số hộ nghèo"]
    assert [(r["role"], r["value"]) for r in poor] == [("target", 1042), ("actual", 1014), ("attainment_pct", 97.31)]
    actual = next(f for f in group.figures if f.indicator_name == "Số hộ nghèo" and f.actual_value is not None)
    assert (actual.actual_value, actual.attainment_pct, actual.indicator_code) == (
        Decimal("1014"), Decimal("97.31"), "POOR_HOUSEHOLDS")
    assert poor[1]["quote"] == poor[2]["quote"] == actual.source_quote

    # an English-header CSV: a thousands group in a count ('1.349') and a decimal comma ('55,4')
    group = _parsed(tmp_path / "synthetic_2024_000005.csv", gazetteer)
    rows = gold["synthetic_2024_000005.csv"]
    assert [(r["indicator"], r["role"], r["value"]) for r in rows[:3]] == [
        ("Tỷ lệ che phủ rừng", "target", 55.4), ("Thu ngân sách nội địa", "target", 69_463_800_000),
        ("Số hộ nghèo", "actual", 1349)]
    assert [group.figures[0].target_value, group.figures[1].target_value, group.figures[2].actual_value] == [
        Decimal("55.4"), Decimal("69463800000"), Decimal("1349")]


# --- documents from after the 1 July 2025 reform -------------------------------------------------

REFORM = date(2025, 7, 1)


def _new_map() -> dict[str, tuple[str, str, str, str]]:
    """commune code -> (name, type, new province, the word before the province: tỉnh or thành phố)"""
    with seed_path("admin/admin_provinces_post2025.csv").open(encoding="utf-8") as fh:
        provinces = {r["province_code"]: (r["province_name"], "tỉnh" if r["province_type"] == "tỉnh" else "thành phố")
                     for r in csv.DictReader(fh)}
    with seed_path("admin/admin_communes_post2025.csv").open(encoding="utf-8") as fh:
        return {r["commune_code"]: (r["commune_name"], r["commune_type"], *provinces[r["province_code"]])
                for r in csv.DictReader(fh)}


def _period_bounds(period: str) -> tuple[date, date]:
    if ".." in period:
        start, end = period.split("..")
        return date.fromisoformat(start), date.fromisoformat(end)
    return date(int(period[:4]), 1, 1), date(int(period[-4:]), 12, 31)


def test_reform_share_zero_is_the_corpus_of_before_and_the_other_documents_do_not_depend_on_it(
    tmp_path: Path,
) -> None:
    # with reform_share=0 the generator writes what it wrote before post-reform documents existed
    # (checked against the previous generator's output when the option was added); here: the
    # default is 0, and the post-reform documents, drawn from streams of their own, leave every
    # other document as it was
    generate_corpus(tmp_path / "default", n_reports=40, seed=3)
    info = generate_corpus(tmp_path / "zero", n_reports=40, seed=3, reform_share=0)
    reform = generate_corpus(tmp_path / "half", n_reports=40, seed=3, reform_share=0.5)
    again = generate_corpus(tmp_path / "again", n_reports=40, seed=3, reform_share=0.5)
    default, zero, half = _read(tmp_path / "default"), _read(tmp_path / "zero"), _read(tmp_path / "half")
    assert zero == default and info.post_reform == {}
    assert half == _read(tmp_path / "again") and reform.post_reform == again.post_reform
    assert sorted(half) == sorted(zero)  # same names, same formats
    # floor(32 * 0.5) of the 32 prose reports, floor(8 * 0.5) of the 8 submissions (2 CSV, 2 XLSX)
    assert sum(n.endswith(".txt") for n in reform.post_reform) == 16
    assert sorted(n.rsplit(".", 1)[1] for n in reform.post_reform if not n.endswith(".txt")) == ["csv", "csv",
                                                                                               "xlsx", "xlsx"]
    changed = {n for n in zero if half[n] != zero[n]}
    assert changed == set(reform.post_reform) | {"gold.jsonl"}
    with pytest.raises(ValueError):
        generate_corpus(tmp_path / "bad", n_reports=5, reform_share=-0.1)


def test_post_reform_gold_names_a_commune_of_the_new_map_in_its_new_province(tmp_path: Path) -> None:
    info = generate_corpus(tmp_path, n_reports=60, seed=8, submission_share=0.2, reform_share=0.5)
    new_map = _new_map()
    gold = _gold(tmp_path)
    assert len(info.post_reform) == 24 + 6
    for doc, records in gold.items():
        if doc not in info.post_reform:
            assert all(_period_bounds(r["period"])[1] < REFORM for r in records), doc
            continue
        name, kind, province, province_word = new_map[info.post_reform[doc]]
        assert records and {(r["district"], r["province"]) for r in records} == {(name, province)}, doc
        if doc.endswith(".txt"):
            text = (tmp_path / doc).read_text(encoding="utf-8")
            assert REFORM <= find_report_date(text) <= date(2026, 12, 31), doc
            assert f"{kind} {name}".upper() in text.upper() and f"{name}, ngày " in text
            assert f"{kind} {name}, {province_word} {province}" in text  # "thành phố Huế" for a municipality
            assert "BÁO CÁO" in text
            assert all(_period_bounds(r["period"])[1] >= REFORM for r in records), doc
            for r in records:
                assert r["quote"] in text
        else:
            assert all(_period_bounds(r["period"])[0] >= REFORM for r in records), doc


@pytest.fixture(scope="module")
def reform_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[CorpusInfo, dict[str, list[tuple]]]:
    """400 documents (80 submissions), half of each after the reform, through the real ingest."""
    folder = tmp_path_factory.mktemp("reform")
    info = generate_corpus(folder / "landing", n_reports=400, seed=1, submission_share=0.2, reform_share=0.5)
    (folder / "landing" / "gold.jsonl").rename(folder / "gold.jsonl")
    with warehouse.open_warehouse(folder / "w.duckdb") as con:
        summary = ingest_landing(folder / "landing", con, "reform-run")
        rows = con.execute("select source_file, admin_level, admin_unit_code, district_name, province_name, "
                           "place_method, place_candidates, text from raw.reports").fetchall()
    assert summary.rejected == []
    placed: dict[str, list[tuple]] = {}
    for row in rows:
        placed.setdefault(row[0], []).append(row)
    return info, placed


def _misplaced(info: CorpusInfo, placed: dict[str, list[tuple]], suffixes: tuple[str, ...]) -> tuple[list, int]:
    """The post-reform documents not placed in their commune and new province, and how many there were."""
    new_map = _new_map()
    docs = [d for d in info.post_reform if d.endswith(suffixes)]
    wrong = []
    for doc in docs:
        code = info.post_reform[doc]
        rows = placed.get(doc, [])
        if not (len(rows) == 1 and rows[0][1:3] == ("commune", code) and rows[0][4] == new_map[code][2]):
            wrong.append((doc, new_map[code], [r[1:7] for r in rows], rows[0][7][:300] if rows else None))
    return wrong, len(docs)


@pytest.mark.slow  # its fixture ingests a generated corpus through the sandboxed reader process (5-10 s)
def test_post_reform_documents_are_placed_in_their_commune_through_the_ingest(reform_warehouse) -> None:
    info, placed = reform_warehouse
    assert len(info.post_reform) == 160 + 40
    wrong, n = _misplaced(info, placed, (".csv", ".xlsx"))
    assert n == 40 and wrong == []  # a submission names its commune and new province in its columns
    wrong, n = _misplaced(info, placed, (".txt",))
    # prose: the issuing commune in the header, homonyms settled by the province written beside
    # them, names with numbers and dashes ("Đam Rông 4", "Xuân Hương - Đà Lạt"), former units skipped
    assert n == 160 and wrong == []


def test_the_bench_corpus_is_spread_over_the_reform(tmp_path: Path) -> None:
    """The bench's corpus (benchmarks.pipeline.REFORM_SHARE): districts dated 2016-2024 and, spread over
    the whole run of documents rather than bunched at one end, communes dated from July 2025 on."""
    from benchmarks.pipeline import REFORM_SHARE

    n = 400
    info = generate_corpus(tmp_path, n_reports=n, seed=7, reform_share=REFORM_SHARE)
    gold = _gold(tmp_path)
    after = set(info.post_reform)
    assert len(after) == int(320 * REFORM_SHARE) + int(80 * REFORM_SHARE)  # of the prose and of the submissions
    def span(period: str) -> tuple[date, date]:  # "2024", "2024-03", "2024-01-01..2024-06-30"
        first, _, last = period.partition("..")
        last = last or first
        start = date.fromisoformat(first if len(first) == 10 else (first + "-01-01")[:10])
        if len(last) == 10:
            end = date.fromisoformat(last)
        elif len(last) == 7:  # a month
            end = date(int(last[:4]), int(last[5:]), calendar.monthrange(int(last[:4]), int(last[5:]))[1])
        else:
            end = date(int(last[:4]), 12, 31)
        return start, end

    for doc, records in gold.items():
        spans = [span(r["period"]) for r in records]
        if doc in after:  # about the months after the reform
            assert all(end >= REFORM_DATE for _, end in spans), (doc, [r["period"] for r in records])
        else:  # a district's report of 2016-2024 (an annual report's targets are for the next year)
            assert all(start < REFORM_DATE for start, _ in spans), (doc, [r["period"] for r in records])
            assert min(start.year for start, _ in spans) <= 2024
    index = sorted(int(re.search(r"_(\d{6})\.", d).group(1)) for d in after)
    for fifth in range(5):  # each fifth of the documents has its share of communes
        inside = [i for i in index if fifth * n // 5 <= i < (fifth + 1) * n // 5]
        assert len(inside) >= len(index) // 5 - 2, (fifth, index)
