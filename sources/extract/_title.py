"""The title grammar: a document's title is past the furniture above it (issuing body in capitals,
national motto, document number, place and date line); a document type alone on its line names
the document together with the line after it."""

from __future__ import annotations

import re

from sources.lexicon import periods as lex
from sources.patterns import alternation, fold_case

# the furniture above an administrative document's title: the issuing body in capitals, the
# national motto, the document number, and the place and date line
_ISSUER = re.compile(rf"^{alternation(lex.ISSUER_HEADS)}(?=\s|$)", re.IGNORECASE)
# an issuing body in mixed case is a whole line of the body's name: "UBND xã Tân An", not
# "UBND tỉnh làm việc với huyện ..." (a title)
_ISSUER_LINE = re.compile(
    rf"^(?i:{alternation(lex.ISSUER_BODIES)})\s+(?i:{alternation(lex.UNIT_TYPES)})\s+"
    r"[A-ZĐÀ-Ỹ0-9][\wÀ-ỹ'’-]*(?:\s*[-–]?\s*[A-ZĐÀ-Ỹ0-9][\wÀ-ỹ'’-]*)*$")
_FURNITURE = re.compile(r"^(?:độc lập\s*[-–]\s*tự do|số\s*:|[^,\n]{1,40},\s*ngày\s+\d)", re.IGNORECASE)
# a document type alone on its line names the document together with the line after it
_DOCUMENT_TYPE = re.compile(rf"^{alternation(lex.DOCUMENT_TYPES)}$", re.IGNORECASE)


# a news page's furniture above its headline: site banners and menus, the publication line, photo
# captions ("Quang cảnh hội nghị. Ảnh: ..."), share and font-size buttons, visitor counters
# (what may stand anywhere in the line is looked for in the line folded as re.IGNORECASE compares letters,
# by a pattern without the flag: a text of one long line is read once, several times faster)
_PAGE_FURNITURE_OPENING = re.compile(
    rf"(?:^{alternation(lex.TITLE_FURNITURE_OPENERS)}|^\s*ảnh\s|"
    r"^\W*\(?[\w.-]+\.(?:vn|com|net)\)?\W*$|"
    r"^\D{0,40}\d{1,2}[/-]\d{1,2}[/-]\d{4}\D{0,25}$)", re.IGNORECASE)
_PAGE_FURNITURE_ANYWHERE = re.compile(rf"{alternation(lex.TITLE_FURNITURE_WORDS)}|ảnh\s*:")


def _page_furniture(line: str) -> bool:
    return bool(_PAGE_FURNITURE_OPENING.match(line) or _PAGE_FURNITURE_ANYWHERE.search(fold_case(line)))


def document_title(text: str) -> str | None:
    """The document's title: its type and subject ("BÁO CÁO Tình hình ... tháng 9 năm 2025"),
    past the issuing body, motto, number and date lines; a news item's headline (or lead), past the
    page's furniture; else its first line of some length."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines[:12]):
        if (_ISSUER.match(line) and line.isupper()) or _ISSUER_LINE.match(line) or _FURNITURE.match(line):
            continue
        if _DOCUMENT_TYPE.match(line) and i + 1 < len(lines):
            return f"{line} {lines[i + 1]}"[:300]
        if len(line) > 15 and not _page_furniture(line):
            return line[:300]
    return next((line[:300] for line in lines if len(line) > 15), None)
