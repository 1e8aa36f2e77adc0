"""Vietnamese text hygiene: one Unicode form, tidy whitespace, no web-page furniture.

Offsets of every figure point into the text this module returns, so it is applied once,
before extraction, and the result is what the warehouse keeps (``raw.reports.text``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Lines that are page furniture, not report: visitor counters, log-in links, share buttons.
_FURNITURE = re.compile(
    r"""^\s*(?:[•·\-*]\s*)?(?:
        thống\s+kê\s+truy\s+cập|đang\s+(?:truy\s+cập|online)|hôm\s+nay|hôm\s+qua|trong\s+tuần|
        tháng\s+hiện\s+tại|tháng\s+trước|tổng\s+lượt\s+truy\s+cập|lượt\s+truy\s+cập|lượt\s+xem|
        đăng\s+nhập|đăng\s+ký|đăng\s+xuất|chia\s+sẻ|in\s+bài(?:\s+viết)?|gửi\s+(?:email|bài)|bản\s+in|
        go\s+top|về\s+đầu\s+trang|trang\s+chủ|tin\s+liên\s+quan|xem\s+thêm|
        facebook|twitter|zalo|bình\s+luận|lên\s+đầu\s+trang
    )\b[^\n]{0,60}$""",
    re.IGNORECASE | re.VERBOSE,
)
_BARE_COUNTER = re.compile(r"^\s*\d+\s*(?:go\s+top)?\s*$", re.IGNORECASE)
# Counter widgets list "• Khách 538", "• Tổng 539": only bulleted short lines ending in a number.
_COUNTER_ITEM = re.compile(r"^\s*[•·]\s*(?:khách|thành\s+viên|tổng)\b[^\n]{0,40}\d+\s*$", re.IGNORECASE)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Letters that case-insensitive matching takes for Latin ones (dotless ı and dotted İ for i, long ſ for s,
# the Kelvin sign for K): no Vietnamese word holds them, and a word list looked up by the lowercase of
# what a pattern matched would miss "gıảm nghèo". Written as the letters they stand for.
_LOOKALIKES = str.maketrans({"\u0131": "i", "\u0130": "I", "\u017f": "s", "\u212a": "K"})
_CHARACTERS = {**_INVISIBLE, **_LOOKALIKES}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n{3,}")


def normalise_text(raw: str) -> str:
    """NFC, Latin letters for their look-alikes, one kind of space and line break, furniture lines dropped,
    blank runs collapsed."""
    text = unicodedata.normalize("NFC", raw).translate(_CHARACTERS)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if line and (_FURNITURE.match(line) or _BARE_COUNTER.match(line) or _COUNTER_ITEM.match(line)):
            continue
        lines.append(line)
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


# A sentence ends at '.', '!' or '?' followed by a space and a capital or an opening mark,
# or at a line break. '.' inside numbers ("106.182") is never followed by a space.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“(*\-–•]?\s*[A-ZÀ-Ỹ0-9Đ])|\n+")


# Bounded work per sentence (issue #19): the grammar reads each number of a sentence against the
# sentence (or clause) before it, so a "sentence" of thousands of numbers costs their square. Real
# reports stay far below these (longest sentence of the seeds and the dev set: 2,207 characters,
# most numbers in one: 16); anything longer is cut, at a space, into pieces within both.
MAX_SENTENCE_CHARS = 3000
MAX_SENTENCE_NUMBERS = 64
# A run of numbers without a single letter (no unit, no name, no verb) holds no figure the grammar
# can read; from this many numbers on it is not handed to it at all.
LETTERLESS_NUMBERS = 20
_NUMBER = re.compile(r"\d+")
_LETTER = re.compile(r"[^\W\d_]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of ``text``, in order, never empty; a sentence over
    MAX_SENTENCE_CHARS characters or MAX_SENTENCE_NUMBERS numbers is cut into pieces within them.

    Every layer of the extractor (clauses, periods, assembly) splits the same text: the spans are
    computed once per text and cached."""
    return list(_sentence_spans(text))


@lru_cache(maxsize=16)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if e - s > MAX_SENTENCE_CHARS or e - s > 2 * MAX_SENTENCE_NUMBERS:
            out.extend(span for span in _cut(text, s, e) if not _letterless_numbers(text, *span))
        elif text[s:e].strip() and not (e - s > 2 * LETTERLESS_NUMBERS and _letterless_numbers(text, s, e)):
            out.append((s, e))
    return tuple(out)


def _letterless_numbers(text: str, s: int, e: int) -> bool:
    """A span of at least LETTERLESS_NUMBERS numbers and not one letter."""
    if _LETTER.search(text, s, e):
        return False
    return sum(1 for _ in zip(_NUMBER.finditer(text, s, e), range(LETTERLESS_NUMBERS), strict=False)) \
        >= LETTERLESS_NUMBERS


def _cut(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Pieces of the over-long span (s, e), each within both limits, cut at a space where there is one."""
    pieces: list[tuple[int, int]] = []
    piece = s
    count = 0
    for m in _NUMBER.finditer(text, s, e):
        count += 1
        if count > MAX_SENTENCE_NUMBERS or m.end() - piece > MAX_SENTENCE_CHARS:
            piece = _emit(text, piece, m.start(), pieces)
            count = 1
        while m.end() - piece > MAX_SENTENCE_CHARS:  # one number longer than a sentence may be
            pieces.append((piece, piece + MAX_SENTENCE_CHARS))
            piece += MAX_SENTENCE_CHARS
    while e - piece > MAX_SENTENCE_CHARS:
        piece = _emit(text, piece, piece + MAX_SENTENCE_CHARS, pieces)
    if piece < e:
        pieces.append((piece, e))
    return [(a, b) for a, b in pieces if b > a and text[a:b].strip()]


def _emit(text: str, piece: int, limit: int, pieces: list[tuple[int, int]]) -> int:
    """Close the piece starting at ``piece`` at the last space before ``limit``; the next one's start."""
    cut = text.rfind(" ", piece + 1, limit)
    if cut <= piece:
        cut = limit
    pieces.append((piece, cut))
    return cut + 1 if text[cut:cut + 1] == " " else cut


def fold(text: str) -> str:
    """Lowercase without diacritics (đ -> d): for matching names typed without accents."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d").replace("\u0111", "d")
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))
