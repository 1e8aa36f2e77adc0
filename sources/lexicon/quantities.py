"""Words of quantities: the nouns a count may count and their class, measure units, scale words,
hedges, and the words around a number that make it a date, a label or a duration rather than a figure.

Data only; lowercase NFC Vietnamese, matched on word boundaries. How they combine is
``_grammar``'s business.
"""

from __future__ import annotations

# Spelling: the reports write both tone-mark placements ("hóa"/"hoá", "ủy"/"uỷ", "quý"/"quí", "kỳ"/"kì")
# and the text is not folded, so each list names both where a word has them.
#
# Counted nouns whose class the marts use. Any other noun after a count is still counted (an open
# class, unit "count"): this table only names the class of the nouns that have one. Longest first at
# match time, so "hộ nghèo" wins over "hộ" and "lượt hộ" over "lượt".
COUNT_UNITS: dict[str, str] = {
    "xã, thị trấn": "commune", "xã, phường, thị trấn": "commune", "xã": "commune", "thị trấn": "commune",
    "phường": "commune", "hộ nghèo": "household", "hộ cận nghèo": "household", "hộ gia đình": "household",
    "hộ": "household", "lượt hộ": "household", "lượt hộ nghèo": "household", "lượt hộ cận nghèo": "household",
    "lao động": "person", "người": "person", "đảng viên": "person", "học sinh": "person",
    "lượt người": "person", "nhân khẩu": "person", "cán bộ": "person", "hội viên": "person",
    "bệnh nhân": "person", "trẻ em": "person", "công an": "person", "quần chúng": "person",
    "thanh niên": "person", "sinh viên": "person", "công nhân": "person", "bác sĩ": "person",
    "giáo viên": "person", "đoàn viên": "person", "người lao động": "person", "công dân": "person",
    "tân binh": "person",
    "thôn": "count", "bản": "count", "ấp": "count", "khóm": "count", "tổ dân phố": "count",
    "doanh nghiệp": "count", "hợp tác xã": "count", "tổ hợp tác": "count", "công trình": "count",
    "dự án": "count", "tiêu chí": "count", "chỉ tiêu": "count", "nội dung": "count",
    "nhà văn hóa": "count", "nhà văn hoá": "count",
    "căn nhà": "count", "nhà": "count", "căn": "count", "cơ quan": "count", "trường": "count", "cuốn": "count",
    "sản phẩm": "count", "mô hình": "count", "cơ sở": "count", "chi bộ": "count",
    "đảng ủy": "count", "đảng uỷ": "count",
    "đảng bộ": "count", "tổ chức cơ sở đảng": "count", "con": "count", "chiếc": "count",
    "tuyến": "count", "cầu": "count", "phòng học": "count", "trạm": "count", "điểm": "count", "vụ": "count",
    "ca": "count", "đơn vị": "count", "làng": "count", "khu": "count", "hợp đồng": "count", "cây": "count",
    # visits are counted events, not people: "400.120 lượt khách" (unit other, as the annotation has it)
    "lượt": "other", "lượt khách": "other", "lượt khách tham quan": "other",
}

# Measure units: a number and its unit, spaced or glued ("139,3km", "82.352ha"). Lengths, volumes,
# masses other than the tonne and foreign currencies have no mart unit of their own: "other" (a
# foreign-currency amount is never VND: "12,3 triệu USD").
MEASURE_UNITS: dict[str, str] = {
    "nghìn tấn": "tonne", "ngàn tấn": "tonne", "tấn": "tonne", "ha": "ha", "héc-ta": "ha", "hecta": "ha",
    "héc ta": "ha", "m2": "other", "m3": "other", "m²": "other", "m³": "other", "km": "other", "m": "other",
    "kg": "other", "tạ": "other", "lít": "other", "kw": "other", "kwh": "other", "mw": "other",
    "usd": "other", "đô la": "other", "đô la mỹ": "other", "đô-la": "other", "euro": "other",
}

# Words of percent after a number: a change of a rate is often put in percentage points
# ("tăng 1,2 điểm phần trăm", "giảm 0,5 điểm %").
PERCENT_WORDS = ("phần trăm", "điểm phần trăm", "điểm %")

# Units after which a number written against the usual separators is still read (and flagged):
# money scales, đồng, hectares, tonnes ("1 250 tỷ đồng", "1.25 tỷ").
FORMAT_CHECKED_UNITS = ("tỷ", "tỉ", "triệu", "nghìn", "ngàn", "đồng", "ha", "tấn")

# Units written glued to their number ("139,3km", "82.352ha", "7km"): what may follow a digit directly.
GLUED_UNITS = ("km", "ha", "m2", "m3", "m²", "m³", "kg", "m", "tấn", "kw", "kwh", "mw", "đ", "đồng", "vnđ")

# Scale words multiply the number; the money scales make a bare amount VND ("2,5 tỷ" is money in
# these reports) unless a non-money unit follows ("10,5 triệu sản phẩm", "2,5 triệu kg").
MONEY_SCALES = ("triệu", "tỷ", "tỉ", "nghìn tỷ", "ngàn tỷ", "nghìn tỉ", "ngàn tỉ")

# What a money scale word may count instead of đồng: products, visits, people, animals and plants
# ("10,5 triệu sản phẩm", "270 nghìn lượt khách"); with a measure unit ("2,5 triệu kg", "12,3 triệu USD").
SCALED_NOUNS = ("sản phẩm", "lượt", "lượt khách", "lượt khách tham quan", "lượt người", "khách", "người",
                "lao động", "con", "con giống", "cây", "cây giống", "quả", "liều", "viên", "chiếc", "bóng",
                "bao", "thẻ", "cuốn", "lượt truy cập")

# The words of "đồng" (VND) after a number or a scale word.
DONG_WORDS = ("đồng", "đ", "vnđ", "vnd")

# A scale word and "đồng" written short in one, as tables and the prose copied from them write money:
# "1.250 trđ", "55 tr.đồng/người/năm", "35,6 tỷđ" -> the scale word.
MONEY_ABBREVIATIONS: dict[str, str] = {
    "trđ": "triệu", "tr.đ": "triệu", "tr.đồng": "triệu", "tr. đồng": "triệu", "tr đồng": "triệu", "trđồng": "triệu",
    "tỷđ": "tỷ", "tỉđ": "tỉ", "tỷ.đ": "tỷ", "ngđ": "nghìn", "ng.đ": "nghìn",
}

# Words after a number that make it a duration, an age, an ordinal or a label: never a figure.
NOT_QUANTITIES = ("năm", "tháng", "ngày", "quý", "quí", "tuần", "giờ", "phút", "giây", "lần", "tuổi", "kỳ", "kì",
                  "khóa", "khoá", "đợt", "nhiệm kỳ", "giai đoạn", "chương trình", "nhóm", "mặt", "bước", "nhiệm vụ",
                  "giải pháp", "đột phá", "lĩnh vực", "vấn đề", "ý kiến", "nội dung trọng tâm", "điểm cầu",
                  "buổi", "phiên", "kỳ họp", "hội nghị", "độ", "thế kỷ", "tập", "số", "tầng", "lớp", "cấp")

# Nouns that a count counts but that are not figures a warehouse records: the documents and
# speakers and votes of the meeting being reported ("thông qua 8 nghị quyết", "nghe 18 báo cáo và 6 tờ trình",
# "200 đại biểu tham dự", "05 phiếu"), sources and directions of a plan ("2 nguồn", "3 khâu đột phá").
NOT_COUNTED = ("nghị quyết", "báo cáo", "tờ trình", "văn bản", "quyết định", "công văn", "kế hoạch", "thông báo",
               "chỉ thị", "kết luận", "đề án", "dự thảo", "đại biểu", "đồng chí", "lượt ý kiến", "câu hỏi",
               "nguồn", "khâu", "trụ cột", "nhiệm vụ trọng tâm", "nhóm giải pháp", "phong trào", "cuộc vận động",
               "chủ đề", "chuyên đề", "tiết mục", "ảnh", "bài", "trang", "clip", "phiếu", "phiếu bầu",
               "đại biểu hội đồng nhân dân", "ủy viên", "uỷ viên", "thành viên")

# Function words: a count is followed by the noun it counts, never by one of these (a preposition,
# a conjunction, a verb or an article of the clause: "năm 2023 đạt", "ngày 17 và 18").
FUNCTION_WORDS = ("và", "là", "của", "trong", "đến", "với", "so", "để", "cho", "theo", "tại", "từ", "có", "đã",
                  "được", "đạt", "tăng", "giảm", "bằng", "thì", "mà", "nhưng", "hay", "hoặc", "các", "những",
                  "này", "đó", "kia", "trên", "dưới", "sau", "trước", "còn", "về", "vào", "ra", "lên", "xuống",
                  "tới", "khi", "nếu", "như", "nhằm", "do", "bởi", "vì", "nên", "cũng", "vẫn", "đang", "sẽ",
                  "chưa", "không", "chỉ", "mới", "rồi", "thêm", "nữa", "ở", "gồm", "bao gồm", "chiếm", "vượt",
                  "đạt được", "thực hiện", "hoàn thành", "trở lên", "trở xuống", "trở đi", "trong đó", "cùng",
                  "qua", "đi", "lại", "tổng", "tỷ lệ", "tỉ lệ", "bình quân", "ước", "khoảng", "hơn", "gần",
                  "riêng", "đều", "nay", "kể từ", "tính đến")

# Words right before a number that make it a label, a parameter, an ordinal or a document.
NOT_AFTER = ("thứ", "lần", "số", "hệ số", "khóa", "khoá", "quân khu", "quốc lộ", "tỉnh lộ", "đường", "tổ",
             "khu phố", "phòng", "điều", "khoản", "mục", "chương", "phụ lục", "tờ trình", "kế hoạch số",
             "nghị quyết", "quyết định", "chỉ thị", "kết luận", "thông báo", "công văn", "tuổi", "dưới 5 tuổi",
             "thông tư", "nghị định", "pháp lệnh", "luật", "quy định", "hướng dẫn", "văn bản")

# Nouns a number names rather than counts ("Dự án 2 – Đa dạng hóa sinh kế", "bão số 2", "COVID-19",
# "đường cấp 5", "Hội nghị Trung ương 7", "giai đoạn 2", numbered villages and wards "thôn 3", "phường 2"):
# the number is a label unless money or a rate follows it ("ngân sách trung ương 105 tỷ đồng" is an amount).
LABEL_NOUNS = ("bão", "áp thấp", "cơn bão", "đề án", "dự án", "tiểu dự án", "nội dung", "chương trình",
               "ban chỉ đạo", "trung ương", "kỳ họp", "hội nghị", "cấp độ", "loại", "hạng", "top", "mã", "gói thầu",
               "lô", "thửa", "khu", "cụm", "phân khu", "covid", "covid -", "covid-", "đoàn", "trung đoàn", "đường cấp",
               "sư đoàn", "lữ đoàn", "tiểu đoàn", "binh đoàn", "tuyến", "đợt", "vòng", "giải", "giai đoạn",
               "nhóm", "thôn", "ấp", "khóm", "xóm", "buôn", "tổ dân phố", "tiểu khu", "phường", "quận", "cơn",
               "kế hoạch")

# Compounds whose last word is a label or document noun in its own right: "nông thôn" is rural, not a
# village ("quy hoạch nông thôn 19/19 xã"), "kỷ luật" a sanction, not a law ("kỷ luật 6 đảng viên").
NOT_LABEL_COMPOUNDS = ("nông thôn", "kỷ luật", "pháp luật", "vượt kế hoạch", "đạt kế hoạch", "so kế hoạch")

# A number multiplied, not counted: "tăng 1,3 lần", "gấp 2 lần" (unit other). "lần thứ 2", "2 lần"
# of an event stay ordinals and repetitions.
MULTIPLE_VERBS = ("tăng", "tăng gấp", "gấp", "giảm", "bằng", "tăng hơn", "tăng gần", "tăng khoảng", "gần gấp",
                  "hơn gấp", "tăng trên")

# Plan nouns after a fraction: "đạt 1/4 kế hoạch năm" is a rate of the plan (25%).
FRACTION_OF_PLAN = ("kế hoạch", "dự toán", "nghị quyết", "chỉ tiêu kế hoạch")

# Related-article links and other page furniture at a line's start: their numbers are not the report's.
PAGE_FURNITURE = ("bài trước", "bài tiếp theo", "bài tiếp", "tin liên quan", "tin khác", "xem thêm",
                  "bài liên quan", "đọc thêm", "lượt xem", "lượt truy cập", "đang truy cập", "trực tuyến",
                  "tổng truy cập", "lượt đọc")

HEDGES = ("hơn", "trên", "khoảng", "gần", "ước đạt", "ước tính", "ước", "dưới", "tới", "gần như", "xấp xỉ",
          "tối thiểu", "tối đa", "ít nhất", "không dưới", "không quá", "chưa đến", "trên dưới")

# A sign written as a word before the number: "tăng trưởng âm 3,5%" is -3,5%.
NEGATIVE_SIGNS = ("âm",)

TRAILING_HEDGES = ("trở lên", "trở xuống", "trở đi")

PER_UNITS: dict[str, str] = {
    "xã": "commune", "thôn": "village", "bản": "village", "người": "person", "hộ": "household",
    "lao động": "person", "năm": "year", "tháng": "month", "ha": "ha", "công trình": "work", "dự án": "project",
    "khẩu": "person", "học sinh": "person", "vụ": "season", "đầu người": "person", "con": "head",
}

# "mỗi xã ... 1 tỷ đồng": a per-unit norm stated before the amount.
EACH_WORDS = ("mỗi", "bình quân mỗi", "trung bình mỗi")
