"""Versions by what the report says (#19 point 3): the report's own date decides which version of a
unit-period is current, then when it was received, then its content hash: never the file name or the
order the files were listed in. The same report in two files (another format, another line wrap) is one
report: its figures are counted once and the copy is listed as a duplicate with its reason."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import duckdb
import pytest

from sources.submissions import TEMPLATE_COLUMNS
from tests.conftest import PROJECT_ROOT, run_provreport

pytestmark = pytest.mark.slow

NARRATIVE = (PROJECT_ROOT / "samples" / "landing" / "synthetic_2024_000000.txt").read_text(encoding="utf-8")


def _submission(path: Path, disbursed: str, report_date: str) -> None:
    base = {"province": "Quảng Trị", "district": "Đakrông", "period_start": "2023-01-01",
            "period_end": "2023-09-30", "kind": "funding", "programme_code": "NTM",
            "capital_source": "investment", "unit": "tỷ đồng", "report_date": report_date}
    rows = [{**base, "measure": "allocated", "value": "45,5"}, {**base, "measure": "disbursed", "value": disbursed}]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([cols[0] for cols in TEMPLATE_COLUMNS.values()])
        for row in rows:
            writer.writerow([row.get(key, "") for key in TEMPLATE_COLUMNS])


def _env(tmp_path: Path) -> dict:
    return {**os.environ, "DAGSTER_HOME": str(tmp_path / "dh"), "PROVREPORT_DOCS_DIR": str(tmp_path / "docs")}


def _run(landing: Path, warehouse: Path, env: dict) -> None:
    done = run_provreport(["run", "--landing", str(landing), "--warehouse", str(warehouse)], env)
    assert done.returncode == 0, done.stdout + done.stderr


def _query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _funding(warehouse: Path) -> list[tuple]:
    return _query(warehouse, "select measure, sum(amount_vnd), string_agg(distinct source_file, ',') "
                             "from marts.fct_programme_funding group by measure order by measure")


def _versions(warehouse: Path) -> list[tuple]:
    # the version in force has no end; every other one has
    assert _query(warehouse, "select count(*) from marts.fct_report_versions "
                             "where is_current = (valid_to is not null)") == [(0,)]
    return _query(warehouse, "select source_file, is_current, superseded_reason from marts.fct_report_versions "
                             "order by source_file")


def test_an_earlier_dated_report_landing_later_does_not_replace_the_later_dated(tmp_path: Path) -> None:
    landing, warehouse, env = tmp_path / "landing", tmp_path / "w.duckdb", _env(tmp_path)
    landing.mkdir()
    _submission(landing / "a_bao_cao_20_10.csv", "30", "2023-10-20")
    _run(landing, warehouse, env)
    # the report dated 5 October arrives afterwards, under a name that sorts last
    _submission(landing / "z_bao_cao_05_10.csv", "20", "2023-10-05")
    _run(landing, warehouse, env)
    assert _funding(warehouse) == [("allocated", 45_500_000_000, "a_bao_cao_20_10.csv"),
                                   ("disbursed", 30_000_000_000, "a_bao_cao_20_10.csv")]
    assert _versions(warehouse) == [("a_bao_cao_20_10.csv", True, None),
                                    ("z_bao_cao_05_10.csv", False, "later_report_date")]


def test_two_submissions_in_one_run_the_later_dated_wins_whatever_the_names(tmp_path: Path) -> None:
    landing, warehouse, env = tmp_path / "landing", tmp_path / "w.duckdb", _env(tmp_path)
    landing.mkdir()
    # the later-dated one's name sorts first, and it is written first
    _submission(landing / "a_moi.csv", "30", "2023-10-20")
    _submission(landing / "z_cu.csv", "20", "2023-10-05")
    _run(landing, warehouse, env)
    assert _funding(warehouse) == [("allocated", 45_500_000_000, "a_moi.csv"),
                                   ("disbursed", 30_000_000_000, "a_moi.csv")]
    assert _versions(warehouse) == [("a_moi.csv", True, None), ("z_cu.csv", False, "later_report_date")]
    # and the other way round: the later-dated one sorts last
    landing2, warehouse2 = tmp_path / "landing2", tmp_path / "w2.duckdb"
    landing2.mkdir()
    _submission(landing2 / "z_moi.csv", "30", "2023-10-20")
    _submission(landing2 / "a_cu.csv", "20", "2023-10-05")
    _run(landing2, warehouse2, env)
    assert _funding(warehouse2) == [("allocated", 45_500_000_000, "z_moi.csv"),
                                    ("disbursed", 30_000_000_000, "z_moi.csv")]


def test_the_same_report_as_txt_docx_and_rewrapped_counts_once(tmp_path: Path) -> None:
    import docx

    landing, warehouse, env = tmp_path / "landing", tmp_path / "w.duckdb", _env(tmp_path)
    landing.mkdir()
    (landing / "huong_khe.txt").write_text(NARRATIVE, encoding="utf-8")
    document = docx.Document()
    for paragraph in NARRATIVE.split("\n"):
        document.add_paragraph(paragraph)
    document.save(str(landing / "huong_khe.docx"))
    _run(landing, warehouse, env)
    one_copy = _funding(warehouse)
    # the title wrapped onto two lines, received in a later run
    title, rest = NARRATIVE.split("\n", 1)
    cut = title.index(" về ")
    (landing / "huong_khe_wrapped.txt").write_text(title[:cut] + "\n" + title[cut + 1:] + "\n" + rest,
                                                   encoding="utf-8")
    _run(landing, warehouse, env)

    allocated = [row for row in _funding(warehouse) if row[0] == "allocated"]
    assert allocated == [("allocated", 102_699_000_000, "huong_khe.txt")] or \
        allocated == [("allocated", 102_699_000_000, "huong_khe.docx")]
    assert _funding(warehouse) == one_copy
    _versions(warehouse)
    versions = _query(warehouse, "select file_format, is_current, superseded_reason, duplicate_of is not null "
                                 "from marts.fct_report_versions order by source_file")
    assert sorted(v[1] for v in versions) == [False, False, True]
    assert sorted((v[2], v[3]) for v in versions if not v[1]) == [("duplicate", True), ("duplicate", True)]
    kept = _query(warehouse, "select report_id from marts.fct_report_versions where is_current")[0][0]
    assert {r[0] for r in _query(warehouse, "select duplicate_of from marts.fct_report_versions "
                                            "where not is_current")} == {kept}


def _text_pdf(text: str, lines_per_page: int = 60) -> bytes:
    """A text PDF of ``text`` (one PDF line per line), written by hand: a Type0 font without a font
    program whose ToUnicode map gives each character back, which is all a text layer needs."""
    lines = text.split("\n")
    chars = sorted({c for line in lines for c in line})
    code = {c: i + 1 for i, c in enumerate(chars)}
    bfchars = [f"<{code[c]:04X}> <{ord(c):04X}>" for c in chars]
    cmap_blocks = "".join(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n"
                          for chunk in (bfchars[i:i + 100] for i in range(0, len(bfchars), 100)))
    cmap = ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + cmap_blocks +
            "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode()
    pages = [lines[i:i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes) -> bytes:
        return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    tounicode = add(stream(cmap))
    descriptor = add(b"<< /Type /FontDescriptor /FontName /Hand /Flags 32 /FontBBox [0 -200 1000 900] "
                     b"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>")
    cidfont = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Hand /CIDSystemInfo << /Registry (Adobe) "
                  b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 500 >>" % descriptor)
    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /Hand /Encoding /Identity-H /DescendantFonts [%d 0 R] "
               b"/ToUnicode %d 0 R >>" % (cidfont, tounicode))
    kids = []
    for page_lines in pages:
        ops = [b"BT /F1 9 Tf 12 TL 36 806 Td"]
        for line in page_lines:
            ops.append(b"<" + "".join(f"{code[c]:04X}" for c in line).encode() + b"> Tj T*")
        ops.append(b"ET")
        content = add(stream(b"\n".join(ops)))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R "
                        b">> >> /Contents %d 0 R >>" % (pages_obj, font, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                              + b"] /Count %d >>" % len(kids))
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def test_the_same_report_as_docx_and_as_a_pdf_with_its_title_wrapped_counts_once(tmp_path: Path) -> None:
    """The case of the issue: the report sent as .docx, and later as a .pdf (a text layer, read by pypdf)
    whose title wraps onto two lines: one report, counted once, the PDF listed as its duplicate."""
    import docx

    landing, warehouse, env = tmp_path / "landing", tmp_path / "w.duckdb", _env(tmp_path)
    landing.mkdir()
    document = docx.Document()
    for paragraph in NARRATIVE.split("\n"):
        document.add_paragraph(paragraph)
    document.save(str(landing / "huong_khe.docx"))
    _run(landing, warehouse, env)
    one_copy = _funding(warehouse)
    assert one_copy == [("allocated", 102_699_000_000, "huong_khe.docx"),
                        ("disbursed", 82_609_000_000, "huong_khe.docx"),
                        ("requested", 8_108_000_000, "huong_khe.docx")]
    title, rest = NARRATIVE.split("\n", 1)
    cut = title.index(" về ")
    (landing / "huong_khe.pdf").write_bytes(_text_pdf(title[:cut] + "\n" + title[cut + 1:] + "\n" + rest))
    _run(landing, warehouse, env)

    assert _funding(warehouse) == one_copy
    _versions(warehouse)
    versions = _query(warehouse, "select file_format, is_current, superseded_reason, duplicate_of is not null "
                                 "from marts.fct_report_versions order by source_file")
    assert sorted(versions) == [("docx", True, None, False), ("pdf", False, "duplicate", True)]
