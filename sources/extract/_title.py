"""The title grammar: a document's title is past the furniture above it (issuing body in capitals,
national motto, document number, place and date line); a document type alone on its line names
the document together with the line after it."""

from __future__ import annotations

import re

# the furniture above an administrative document's title: the issuing body in capitals, the
# national motto, the document number, and the place and date line
_ISSUER = re.compile(r"^(?:ỦY|UỶ|UBND|HỘI ĐỒNG|HĐND|ĐẢNG|BAN |HUYỆN [ỦU]Y|TỈNH [ỦU]Y|THỊ [ỦU]Y|THÀNH [ỦU]Y|"
                     r"MẶT TRẬN|CỘNG H[ÒO]A|SỞ |PHÒNG )")
# an issuing body in mixed case is a whole line of the body's name: "UBND xã Tân An", not
# "UBND tỉnh làm việc với huyện ..." (a title)
_ISSUER_LINE = re.compile(
    r"^(?i:ubnd|ủy ban nhân dân|uỷ ban nhân dân|hđnd|hội đồng nhân dân|đảng ủy|đảng uỷ|đảng bộ)\s+"
    r"(?i:xã|phường|đặc khu|thị trấn|huyện|quận|thị xã|thành phố|tỉnh)\s+"
    r"[A-ZĐÀ-Ỹ0-9][\wÀ-ỹ'’-]*(?:\s*[-–]?\s*[A-ZĐÀ-Ỹ0-9][\wÀ-ỹ'’-]*)*$")
_FURNITURE = re.compile(r"^(?:độc lập\s*[-–]\s*tự do|số\s*:|[^,\n]{1,40},\s*ngày\s+\d)", re.IGNORECASE)
# a document type alone on its line names the document together with the line after it
_DOCUMENT_TYPE = re.compile(r"^(?:BÁO CÁO|KẾT LUẬN|THÔNG BÁO|NGHỊ QUYẾT|TỜ TRÌNH|KẾ HOẠCH|CHƯƠNG TRÌNH|QUYẾT ĐỊNH)$",
                            re.IGNORECASE)


# a news page's furniture above its headline: site banners and menus, the publication line, photo
# captions ("Quang cảnh hội nghị. Ảnh: ..."), share and font-size buttons, visitor counters
_PAGE_FURNITURE = re.compile(
    r"(?:theo\s+dõi|google\s+news|xuất\s+bản\s+thông\s+tin|^tin\s+tức|chi\s+tiết\s+bài\s+viết|block_|portal|"
    r"cỡ\s+chữ|ảnh\s*:|^\s*ảnh\s|^quang\s+cảnh|^toàn\s+cảnh|^các\s+đại\s+biểu|^đại\s+biểu\s+dự|video|podcast|"
    r"emagazine|infographic|đăng\s+nhập|truy\s+cập|gmt|^\W*\(?[\w.-]+\.(?:vn|com|net)\)?\W*$|"
    r"^\D{0,40}\d{1,2}[/-]\d{1,2}[/-]\d{4}\D{0,25}$)", re.IGNORECASE)


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
        if len(line) > 15 and not _PAGE_FURNITURE.search(line):
            return line[:300]
    return next((line[:300] for line in lines if len(line) > 15), None)
