"""Reading each supported format, and refusing what cannot be read with a clear reason."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest

from sources.readers import UnreadableFile, decode_text_bytes, read_narrative

PHRASE = "Huyện giải ngân 28,757 tỷ đồng vốn đầu tư được giao (đạt 46%)."
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text: str) -> bytes:
    """Encode as Windows-1258 writes Vietnamese: base letters precomposed, tone marks combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def _docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(PHRASE.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + PHRASE.encode("utf-8"), "utf-8-sig", id="utf-8-bom"),
        pytest.param(PHRASE.encode("utf-16"), "utf-16", id="utf-16-bom"),
        pytest.param(windows_1258(PHRASE), "cp1258", id="windows-1258"),
    ],
)
def test_decode_text_bytes_recovers_the_sentence(data: bytes, encoding: str) -> None:
    text, used = decode_text_bytes("r.txt", data)
    assert used == encoding
    assert unicodedata.normalize("NFC", text) == PHRASE


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        pytest.param("empty.txt", b"", "empty_file", id="empty"),
        pytest.param("blank.txt", b"  \n\t\n", "empty_file", id="whitespace-only"),
        pytest.param("junk.txt", bytes(range(256)) * 8, "binary_content", id="binary-junk"),
        pytest.param("latin.txt", "Grüße aus Köln, schön".encode("latin-1"), "bad_encoding", id="not-vietnamese"),
        pytest.param("broken.docx", b"PK\x03\x04 truncated", "corrupt_docx", id="truncated-docx"),
        pytest.param("broken.pdf", b"%PDF-1.4\n1 0 obj\n<<", "corrupt_pdf", id="truncated-pdf"),
        pytest.param("report.exe", b"MZ\x90\x00", "unsupported_format", id="unsupported-extension"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableFile) as exc:
        read_narrative(Path(name), data)
    assert exc.value.reason == reason
    assert name in exc.value.detail


def test_docx_paragraphs_and_tables_are_read_in_order() -> None:
    data = _docx_bytes(
        ["Báo cáo tình hình kinh tế - xã hội", PHRASE],
        table=[["Chỉ tiêu", "Kế hoạch", "Thực hiện"], ["Thu ngân sách (tỷ đồng)", "5,0", "3,93"]],
    )
    decoded = read_narrative(Path("r.docx"), data)
    assert decoded.file_format == "docx"
    lines = decoded.text.splitlines()
    assert lines[1] == PHRASE
    assert "Thu ngân sách (tỷ đồng) | 5,0 | 3,93" in lines


def test_html_drops_scripts_and_menus_and_keeps_paragraphs() -> None:
    html = (
        "<html><head><style>p{}</style><script>var x='giải ngân 99 tỷ đồng';</script></head><body>"
        "<nav>Trang chủ | Tin tức</nav><h1>Kết luận</h1><p>" + PHRASE + "</p><footer>© 2023</footer></body></html>"
    )
    decoded = read_narrative(Path("r.html"), html.encode("utf-8"))
    assert PHRASE in decoded.text
    assert "99 tỷ" not in decoded.text
    assert "Trang chủ" not in decoded.text
    assert "© 2023" not in decoded.text
