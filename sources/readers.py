"""Reading the files districts send: bytes in, decoded text (or a clear refusal) out.

Each format is read with a well-kept library (python-docx, pypdf, selectolax). A file that
cannot be read raises :class:`UnreadableFile` with a short ``reason`` code for the audit table
and a sentence a user can act on; nothing here modifies, moves or deletes the file.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

NARRATIVE_FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}
SUBMISSION_FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
# a container (.docx, .xlsx) may unpack to this share of the memory budget: parsing XML into a tree
# takes several times its size
UNPACKED_SHARE = 8
MAX_CONTAINER_ENTRIES = 10_000

# Letters that only Vietnamese text has: a decoding that yields none of them is not Vietnamese.
_VIETNAMESE_MARKS = set("ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


class UnreadableFile(Exception):
    """A landed file the pipeline refuses; ``reason`` is a short code, the message says why."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def shown(text: str) -> str:
    """A file name or path as stored: bytes that are not UTF-8 (held by Python as surrogates) are
    written as ``\\xff`` escapes, so ``b"a\\xff.exe"`` is stored as ``a\\xff.exe`` and nothing fails
    to encode; any other character is kept as it is."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def open_landed(path: Path):
    """Open a landed file for reading, never blocking (a FIFO swapped in after the scan) and never
    following a symlink swapped in after the scan."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(f"{shown(str(path))} is no longer a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def sha256_of(fh) -> str:
    """The content hash of a landed file (:func:`open_landed`), read from where ``fh`` stands: what identifies
    a file, under any name (remembered by path, size and modification time: ``sources.warehouse``)."""
    digest = hashlib.sha256()
    while block := fh.read(1 << 20):
        digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    file_format: str
    encoding: str | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    """What one landed file may take: its size, the time and resident memory its reading may take, and how
    long it must keep its size and modification time before it is read. The defaults are these fields';
    the caller hands them down (``orchestration.settings.Settings.limits`` reads them from the environment,
    with their bounds), nothing here reads the environment."""

    max_file_bytes: int = 50 * 1024 * 1024
    file_time_budget_s: float = 60.0
    file_memory_budget_bytes: int = 1536 * 1024 * 1024
    settle_s: float = 1.0

    @property
    def max_unpacked_bytes(self) -> int:
        """What a .docx or .xlsx may unpack to, in all: an eighth of the memory budget (192 MB by default)."""
        return self.file_memory_budget_bytes // UNPACKED_SHARE


DEFAULT_LIMITS = Limits()


def check_container(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a zip container (.docx, .xlsx) that would unpack to more than ``limits`` allow, or that
    holds too many entries, before anything inflates it. Reading the central directory costs nothing;
    zipfile then never inflates an entry past the size declared there (a lying entry fails its CRC)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip: the format's own reader says what is wrong with it
    if len(infos) > MAX_CONTAINER_ENTRIES:
        raise UnreadableFile(
            "too_large_unpacked",
            f"{name}: holds {len(infos)} entries, over the {MAX_CONTAINER_ENTRIES} a document may hold",
        )
    unpacked = sum(max(info.file_size, 0) for info in infos)
    limit = limits.max_unpacked_bytes
    if unpacked > limit:
        raise UnreadableFile(
            "too_large_unpacked",
            f"{name}: {len(data) / 1e6:.1f} MB that unpacks to {unpacked / 1e6:.0f} MB, over the "
            f"{limit / 1e6:.0f} MB allowed (an eighth of PROVREPORT_FILE_MEMORY_BUDGET_MB); split it and send "
            f"the parts",
        )


def file_format(path: Path) -> str | None:
    suffix = path.suffix.lower()
    return NARRATIVE_FORMATS.get(suffix) or SUBMISSION_FORMATS.get(suffix)


def read_narrative(path: Path, data: bytes, limits: Limits = DEFAULT_LIMITS) -> DecodedText:
    """Decode a narrative report (txt, md, html, docx, pdf) to text (a .docx within ``limits``)."""
    fmt = NARRATIVE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnreadableFile(
            "unsupported_format",
            f"{path.name}: files ending in '{path.suffix or '(none)'}' are not read; send .txt, .md, "
            f".html, .docx or .pdf for reports, .csv or .xlsx for the submission template",
        )
    if not data.strip():
        raise UnreadableFile("empty_file", f"{path.name} is empty: ask the district to send it again")
    if fmt in ("txt", "md"):
        text, encoding = decode_text_bytes(path.name, data)
        return DecodedText(text, fmt, encoding)
    if fmt == "html":
        text, encoding = decode_text_bytes(path.name, data)
        return DecodedText(html_to_text(text), fmt, encoding)
    if fmt == "docx":
        return DecodedText(docx_to_text(path.name, data, limits), fmt)
    return DecodedText(pdf_to_text(path.name, data), fmt)


def decode_text_bytes(name: str, data: bytes) -> tuple[str, str]:
    """Decode plain text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1258.

    Binary junk is refused rather than decoded into noise.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableFile("bad_encoding", f"{name}: declares UTF-16 but does not decode ({exc})") from exc
    if b"\x00" in data[:4096]:
        raise UnreadableFile(
            "binary_content",
            f"{name}: holds binary data (NUL bytes), not text; it may be a mislabelled document",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            "bad_encoding", f"{name}: neither UTF-8 nor Windows-1258; save it as UTF-8 and send it again"
        ) from exc
    text = unicodedata.normalize("NFC", text)
    letters = sum(1 for ch in text if ch.isalpha())
    marks = sum(1 for ch in text.lower() if ch in _VIETNAMESE_MARKS)
    # Real Windows-1258 Vietnamese decodes to Vietnamese letters only; a legacy font encoding
    # (TCVN3/ABC, VNI) decoded the same way yields other Latin letters (Ö, µ, ¸ ...).
    foreign = sum(1 for ch in text if ch.isalpha() and not ch.isascii() and ch.lower() not in _VIETNAMESE_MARKS)
    if letters == 0 or marks / letters < 0.02:
        raise UnreadableFile(
            "bad_encoding",
            f"{name}: not UTF-8, and no legacy Vietnamese encoding could be recognised with confidence; "
            f"save it as UTF-8 and send it again",
        )
    if foreign > 0.1 * max(marks, 1):
        raise UnreadableFile(
            "legacy_encoding",
            f"{name}: looks like a legacy Vietnamese font encoding (TCVN3/ABC or VNI), which is not "
            f"converted automatically; convert it to Unicode (UTF-8), e.g. with UniKey's converter, "
            f"and send it again",
        )
    return text, "cp1258"


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one block element a line; scripts, styles and menus dropped."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    for selector in ("script", "style", "noscript", "nav", "header", "footer", "form", "iframe", "svg"):
        for node in tree.css(selector):
            node.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    blocks = "p, div, li, h1, h2, h3, h4, h5, h6, tr, br, section, article, blockquote, td, th"
    for node in root.css(blocks):
        node.insert_after("\n")
    return root.text(separator="", strip=False)


def docx_to_text(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    """Paragraphs and table rows of a .docx, in document order.

    The unpacked size is checked first (:func:`check_container`); python-docx parses with lxml
    configured never to resolve entities (``resolve_entities=False``), so no entity is expanded."""
    check_container(name, data, limits)
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile(
            "corrupt_docx", f"{name}: not a readable Word document (truncated or damaged: {exc})"
        ) from exc
    except Exception as exc:  # python-docx raises several lxml/opc errors on damaged parts
        raise UnreadableFile("corrupt_docx", f"{name}: the Word document could not be opened ({exc})") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = cell.text.strip()
                    if not cells or cells[-1] != value:  # merged cells repeat their text
                        cells.append(value)
                lines.append(" | ".join(cells))
    return "\n".join(lines)


def pdf_to_text(name: str, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise UnreadableFile("corrupt_pdf", f"{name}: not a readable PDF (truncated or damaged: {exc})") from exc
    except Exception as exc:  # pypdf raises assorted errors on damaged streams
        raise UnreadableFile("corrupt_pdf", f"{name}: the PDF could not be read ({exc})") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise UnreadableFile(
            "no_text_layer",
            f"{name}: the PDF has no text layer (a scan?); send the original document or a text PDF",
        )
    return text
