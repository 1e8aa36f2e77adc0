"""Words of quantities: counted nouns and measure units, hedges, and the words around a number
that make it a date, a label or a duration rather than a figure.

Data only; lowercase NFC Vietnamese, matched on word boundaries.
"""

from __future__ import annotations

# Counted nouns after a number, with the unit they give. Longest first at match time.
COUNT_UNITS: dict[str, str] = {
    "xã, thị trấn": "commune", "xã, phường, thị trấn": "commune", "xã": "commune", "thị trấn": "commune",
    "phường": "commune", "hộ nghèo": "household", "hộ cận nghèo": "household", "hộ gia đình": "household",
    "hộ": "household", "lao động": "person", "người": "person", "đảng viên": "person", "học sinh": "person",
    "lượt người": "person", "nhân khẩu": "person", "cán bộ": "person", "hội viên": "person",
    "bệnh nhân": "person", "trẻ em": "person",
    "thôn": "count", "bản": "count", "ấp": "count", "khóm": "count", "tổ dân phố": "count",
    "doanh nghiệp": "count", "hợp tác xã": "count", "tổ hợp tác": "count", "công trình": "count",
    "dự án": "count", "tiêu chí": "count", "chỉ tiêu": "count", "nội dung": "count", "nhà văn hóa": "count",
    "căn nhà": "count", "nhà": "count", "căn": "count", "cơ quan": "count", "trường": "count", "cuốn": "count",
    "sản phẩm": "count", "mô hình": "count", "cơ sở": "count", "chi bộ": "count", "đảng ủy": "count",
    "đảng bộ": "count", "tổ chức cơ sở đảng": "count", "km": "count", "con": "count", "chiếc": "count",
    "tuyến": "count", "cầu": "count", "phòng học": "count", "trạm": "count", "điểm": "count", "vụ": "count",
    "ca": "count", "đơn vị": "count", "làng": "count", "khu": "count", "hợp đồng": "count",
}

MEASURE_UNITS: dict[str, str] = {
    "nghìn tấn": "tonne", "ngàn tấn": "tonne", "tấn": "tonne", "ha": "ha", "héc-ta": "ha", "hecta": "ha",
    "m2": "other", "m3": "other", "con": "count",
}

# Words after a number that make it a duration, an age, an ordinal or a label: never a figure.
NOT_QUANTITIES = ("năm", "tháng", "ngày", "quý", "tuần", "giờ", "phút", "lần", "tuổi", "kỳ", "khóa", "khoá",
                  "đợt", "nhiệm kỳ", "giai đoạn", "chương trình", "nhóm", "mặt", "bước", "nhiệm vụ", "giải pháp",
                  "đột phá", "lĩnh vực", "vấn đề", "ý kiến", "nội dung trọng tâm", "điểm cầu")

# Words right before a number that make it a label, a parameter, an ordinal or a document.
NOT_AFTER = ("thứ", "lần", "số", "hệ số", "khóa", "khoá", "quân khu", "quốc lộ", "tỉnh lộ", "đường", "tổ",
             "khu phố", "phòng", "điều", "khoản", "mục", "chương", "phụ lục", "tờ trình", "kế hoạch số",
             "nghị quyết", "quyết định", "chỉ thị", "kết luận", "thông báo", "công văn", "tuổi", "dưới 5 tuổi")

HEDGES = ("hơn", "trên", "khoảng", "gần", "ước đạt", "ước tính", "ước", "dưới", "tới", "gần như", "xấp xỉ",
          "tối thiểu", "tối đa", "ít nhất", "không dưới", "không quá", "chưa đến", "trên dưới")

TRAILING_HEDGES = ("trở lên", "trở xuống", "trở đi")

PER_UNITS: dict[str, str] = {
    "xã": "commune", "thôn": "village", "bản": "village", "người": "person", "hộ": "household",
    "lao động": "person", "năm": "year", "tháng": "month", "ha": "ha", "công trình": "work", "dự án": "project",
    "khẩu": "person", "học sinh": "person",
}
