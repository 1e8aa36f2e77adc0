"""A hostile landing folder, built by the test: every bad file is refused with a reason, every
readable one arrives once, and no file in the landing folder is modified, moved or deleted."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import unicodedata
from pathlib import Path

import pytest

from orchestration.settings import Settings
from sources import warehouse
from sources.ingest import ingest_landing

REPORT = (
    "Báo cáo tình hình kinh tế - xã hội 9 tháng đầu năm 2023 của huyện Trà Cú, tỉnh Trà Vinh\n\n"
    "Ngày 05/10/2023, Ủy ban nhân dân huyện Trà Cú báo cáo như sau. Thu ngân sách nội địa đạt 3,93 tỷ đồng, "
    "đạt 78,17% nghị quyết. Chương trình mục tiêu quốc gia xây dựng nông thôn mới, huyện giải ngân "
    "12,5 tỷ đồng vốn đầu tư được giao (đạt 46%).\n"
)
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text: str) -> bytes:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONE_MARKS)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS)) + tones)
    return "".join(out).encode("cp1258")


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


HEADER = ["province", "district", "period_start", "period_end", "kind", "programme_code", "capital_source",
          "measure", "value", "unit"]
GOOD_ROW = ["Trà Vinh", "Trà Cú", "2023-01-01", "2023-09-30", "funding", "NTM", "investment", "allocated",
            "12,5", "tỷ đồng"]
BAD_ROW = ["Trà Vinh", "Atlantis", "2023-01-01", "2023-09-30", "funding", "NTM", "investment", "allocated",
           "1", "tỷ đồng"]

# digit-heavy text (#19): 100 KB of numbers and separators without a unit, 2,000 to a line
_TOKENS = ["1.2.3,4/5-6", "7.000,25", "12/2023", "3-4", "45,6", "0,1.2", "99", "2.019-2.020", "1/2/3"]
DIGITS = "\n".join(" ".join(_TOKENS[(i * 7 + j * 3) % len(_TOKENS)] for j in range(2000)) for i in range(7)) + "\n"

# file name -> (bytes, expected outcome: 'report' or the rejection reason)
HOSTILE: dict[str, tuple[bytes, str]] = {
    "rong.txt": (b"", "empty_file"),
    "khoang trang.txt": (b"  \n\n\t ", "empty_file"),
    "rac.txt": (os.urandom(2048).replace(b"\x00", b"\x01") + b"\x00" * 16, "binary_content"),
    "cut.docx": (_docx(REPORT)[:300], "corrupt_docx"),
    "not-a-zip.docx": (b"this is not a word document", "corrupt_docx"),
    "cut.pdf": (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "corrupt_pdf"),
    "scan.pdf": (_blank_pdf(), "no_text_layer"),
    "hong.xlsx": (b"PK\x03\x04 broken workbook", "bad_submission"),
    "empty.xlsx": (b"", "empty_file"),
    "wrong-columns.csv": (_csv([["name", "amount"], ["x", "1"]]), "bad_submission"),
    "all-bad-rows.csv": (_csv([HEADER, BAD_ROW]), "no_valid_rows"),
    "virus.exe": (b"MZ\x90\x00\x03", "unsupported_format"),
    "no-extension": (REPORT.encode(), "unsupported_format"),
    "latin1.txt": ("Grüße aus Köln, schöne Grüße".encode("latin-1"), "bad_encoding"),
    "tcvn3.txt": ("B¸o c¸o t×nh h×nh kinh tÕ - x· héi cña huyÖn".encode("latin-1"), "legacy_encoding"),
    "only-script.html": (b"<html><script>var a = 1;</script></html>", "empty_file"),
    # readable, in every disguise
    "utf8.txt": (REPORT.encode("utf-8"), "report"),
    "bom.txt": (b"\xef\xbb\xbf" + REPORT.replace("3,93", "4,01").encode("utf-8"), "report"),
    "utf16.txt": (REPORT.replace("3,93", "4,02").encode("utf-16"), "report"),
    "windows-1258.txt": (windows_1258(REPORT.replace("3,93", "4,03")), "report"),
    "nfd.txt": (unicodedata.normalize("NFD", REPORT.replace("3,93", "4,04")).encode(), "report"),
    "mixed nfc nfd.md": (
        (REPORT[:80] + unicodedata.normalize("NFD", REPORT[80:].replace("3,93", "4,05"))).encode(), "report"
    ),
    "báo cáo 'quý' \"III\".txt": (REPORT.replace("3,93", "4,06").encode(), "report"),
    "bao..cao.txt": (REPORT.replace("3,93", "4,07").encode(), "report"),
    "word.docx": (_docx(REPORT.replace("3,93", "4,08")), "report"),
    "page.html": (("<html><body><nav>Trang chủ</nav><p>" + REPORT.replace("3,93", "4,09") + "</p></body></html>")
                  .encode(), "report"),
    "no-district.txt": ("Thu ngân sách đạt 3,5 tỷ đồng, đạt 80% dự toán.".encode(), "report"),
    "some-bad-rows.csv": (_csv([HEADER, GOOD_ROW, BAD_ROW]), "report"),
    "digits.txt": (DIGITS.encode(), "report"),
    "mot dong.txt": (REPORT.replace("3,93", "4,11").replace("\n", " ").encode(), "report"),
    "same content other name.txt": (REPORT.encode("utf-8"), "report or duplicate"),
}


@pytest.fixture()
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    (folder / "sub dir").mkdir(parents=True)
    for name, (data, _) in HOSTILE.items():
        (folder / name).write_bytes(data)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "sub dir" / "nested.txt").write_bytes(REPORT.replace("3,93", "4,10").encode())
    os.symlink("/etc/hostname", folder / "link.txt")
    return folder


def _fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()
    }


def test_hostile_corpus(landing: Path, tmp_path: Path) -> None:
    before = _fingerprint(landing)
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        summary = ingest_landing(landing, con, "run-1")
        reports = dict(con.execute("select source_file, place_method from raw.reports").fetchall())
        rejected = {}
        for name, reason, row in con.execute(
            "select source_file, reason, row_number from raw.rejections"
        ).fetchall():
            rejected.setdefault(name, []).append((reason, row))
        texts = [r[0] for r in con.execute("select text from raw.reports").fetchall()]
        figures = dict(con.execute("select r.source_file, count(f.report_id) from raw.reports r left join "
                                   "raw.figures f using (report_id) group by r.source_file").fetchall())
        second = ingest_landing(landing, con, "run-2")
        counts = con.execute(
            "select (select count(*) from raw.reports), (select count(*) from raw.rejections)"
        ).fetchone()

    assert _fingerprint(landing) == before, "the landing folder was changed"
    outcomes = {}
    for name in HOSTILE:
        if name in reports:
            outcomes[name] = "report"
        elif name in rejected:
            outcomes[name] = rejected[name][0][0]
        else:
            outcomes[name] = "duplicate"
    # the same content under two names is read once, whichever name comes first
    pair = sorted([outcomes.pop("utf8.txt"), outcomes.pop("same content other name.txt")])
    assert pair == ["duplicate", "report"]
    assert outcomes == {name: expected for name, (_, expected) in HOSTILE.items()
                        if name not in ("utf8.txt", "same content other name.txt")}
    assert "nested.txt" in reports and "link.txt" not in reports and ".DS_Store" not in reports
    assert reports["no-district.txt"] in ("unresolved", "ambiguous")
    # a report written on one line reads as the same report on its lines; numbers without units are no figures
    assert figures["mot dong.txt"] == figures["nested.txt"] > 0
    assert figures["digits.txt"] == 0
    assert rejected["some-bad-rows.csv"] == [("unknown_district", 3)]
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)
    assert summary.reports_written == len(reports)
    # a second run over the same folder reads nothing again
    assert second.reports_written == 0 and second.rejected == []
    assert counts == (len(reports), sum(len(v) for v in rejected.values()))


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "landing"
    folder.mkdir()
    (folder / "big.txt").write_bytes(REPORT.encode() * 200)
    monkeypatch.setenv("PROVREPORT_MAX_FILE_MB", "0.01")  # read by Settings, as a run reads it
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        summary = ingest_landing(folder, con, "run-1", limits=Settings.from_env().limits)
    assert [r["reason"] for r in summary.rejected] == ["too_large"]
    assert "over the 0 MB limit (PROVREPORT_MAX_FILE_MB)" in summary.rejected[0]["detail"]
