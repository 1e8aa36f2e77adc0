"""Words of time: what opens a sentence's time frame, what a report reviews and what it plans,
flows and levels, and the expressions that name no period (comparison bases, labels).

Data only; lowercase NFC Vietnamese, matched on word boundaries unless said otherwise (a space
matches any run of spaces). ``sources.periods`` decides how they combine.
"""

from __future__ import annotations

# A time expression reached after a run of these at the head of a sentence opens it as its frame:
# "Năm 2022, ...", "Trong quí I, ...", "Tính đến ngày 15-6, ...", "Cũng trong giai đoạn ...".
FRAME_LEADS = ("và", "cũng", "riêng", "ngay", "tính", "chỉ", "trong", "qua", "sau", "theo đó", "cụ thể", "trong đó",
               "đặc biệt", "bên cạnh đó", "dự kiến", "ước", "lũy kế", "luỹ kế", "kết quả", "như vậy", "nhìn chung")
# A source cited at the head of a sentence frames it too: "Theo báo cáo của phòng ... thì năm 2022, ..."
FRAME_SOURCE_LEADS = ("theo báo cáo",)

# A sentence opening with one of these details the one before it: it shares its period.
DETAIL_OPENERS = ("trong đó", "cụ thể", "riêng", "bao gồm", "gồm")

# What a report reviews and what it plans, in its title and lead (matched inside words too):
# "đánh giá tình hình ... năm 2025 và triển khai nhiệm vụ năm 2026" reviews 2025.
REVIEW_WORDS = ("đánh giá", "tổng kết", "sơ kết", "kết quả", "tình hình", "thực hiện", "báo cáo", "kiểm điểm",
                "nhìn lại", "qua")
PLAN_WORDS = ("triển khai", "phương hướng", "xây dựng chương trình", "đề ra", "mục tiêu", "kế hoạch", "giải pháp",
              "dự toán", "chỉ tiêu", "nhiệm vụ trọng tâm", "còn lại", "thông qua", "quyết định")

# A figure is a level (read at the period's end) or a flow (summed over the period): in a phase,
# "đã thu hút 27 nhà đầu tư" is the phase's, "tỷ lệ hộ nghèo còn 14,37%" is its last year's.
FLOW_VERBS = ("xây mới", "xây dựng", "sửa chữa", "kiên cố hóa", "kiên cố hoá", "cứng hóa", "cứng hoá",
              "bê tông hóa", "nâng cấp", "làm mới", "mở mới", "thu hút", "đăng ký", "huy động", "đầu tư",
              "giải ngân", "phân bổ", "bố trí", "hỗ trợ", "triển khai", "đào tạo", "giải quyết việc làm",
              "tạo việc làm", "kết nạp", "trồng mới", "cải tạo", "khởi công", "hoàn thành việc", "tổng vốn",
              "kinh phí")
LEVEL_CUES = ("còn", "hiện có", "có", "đạt", "đạt chuẩn", "tiêu chí", "giữ vững", "duy trì", "chiếm", "bình quân",
              "tỷ lệ", "tỉ lệ", "thu nhập", "giá trị", "tổng giá trị", "năng suất", "sản lượng", "thu ngân sách",
              "tổng thu", "chi ngân sách", "tổng chi", "tốc độ", "tăng trưởng")

# An average over a span: "bình quân hàng năm", "tăng bình quân hằng năm", "bình quân ... %/năm".
AVERAGE_WORDS = ("bình quân",)
EVERY_YEAR = ("mỗi năm", "hàng năm", "hằng năm")
# "5 năm liên tục", "3 năm liền", "3 năm liên tiếp": a run of years ending with the one rated.
CONSECUTIVE_WORDS = ("liên tục", "liên tiếp", "liền")
# A monthly increment before these is the month's, the total after them the cumulative one.
RAISED_TO = ("nâng lên", "nâng tổng số lên", "nâng tổng")

# The point a cumulative figure runs to when it is the report's time: "đến nay", "tính đến thời
# điểm báo cáo", "từ năm 2021 đến nay".
NOW_POINTS = ("nay", "hiện nay", "thời điểm này", "thời điểm hiện nay", "thời điểm hiện tại", "thời điểm báo cáo",
              "ngày báo cáo")
# The nouns of a span of years: "giai đoạn 2021-2025", "năm học 2022-2023", "niên khóa 2022 - 2023".
# A crop season across a year's end is one too: "vụ Đông Xuân 2022 - 2023", "niên vụ 2022-2023".
SPAN_NOUNS = ("giai đoạn", "thời kỳ", "năm học", "niên khóa", "niên khoá", "niên vụ", "vụ đông xuân")
# A count of months after one of these is from January: "Tính chung 9 tháng, ...", "Lũy kế 5 tháng: ...";
# after a cumulative one, with or without a comma: "...; lũy kế 8 tháng đạt 101 tỷ đồng".
CUMULATIVE_MONTHS_LEADS = ("tính chung", "lũy kế", "luỹ kế", "cộng dồn")
MONTHS_LEADS = ("trong", *CUMULATIVE_MONTHS_LEADS)
# Half a year: "nửa đầu năm 2023", "nửa cuối năm".
HALF_WORDS = ("nửa",)
# The parts of a day that open a news lead's date: "Sáng 5/12", "Chiều ngày 7/1", "Hôm nay (8/12)".
DAY_PARTS = ("sáng", "chiều", "trưa", "tối", "đêm", "hôm")

# Counts of years written in words, in order from two: "trong hai năm 2021 - 2022", "ba năm (2021-2023)".
COUNT_WORDS = ("hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")

# Not periods (blanked before any period is read):
# a comparison base "so với cùng kỳ năm 2021", "so cùng kỳ", "so với giai đoạn 2016-2020"
COMPARISON_WORDS = ("so",)
COMPARISON_LINKS = ("với", "sánh với")
COMPARISON_SAME_TIME = ("cùng kỳ", "cùng kì", "ck", "cùng thời điểm", "cùng thời gian", "thời điểm")
# the same part of an earlier year is a base with or without "so với": "bằng 110% cùng kỳ năm 2022"
SAME_PERIOD_WORDS = ("cùng kỳ", "cùng kì", "cùng thời điểm", "cùng thời gian")
PERIOD_NOUNS = ("năm", "giai đoạn", "thời kỳ", "nhiệm kỳ", "kỳ", "kì")
PAST_YEAR_WORDS = ("trước", "ngoái")
# a multiple of a base year: "gấp 1,3 lần năm 2015"
MULTIPLE_WORDS = ("lần",)
# a criteria set's label: "bộ tiêu chí ... giai đoạn 2021-2025"
CRITERIA_WORDS = ("tiêu chí",)
PHASE_NOUNS = ("giai đoạn", "thời kỳ")
# a plan's horizon: "tầm nhìn đến năm 2030"
HORIZON_WORDS = ("tầm nhìn", "định hướng")
# A programme's or a scheme's own phase is part of its name ("Đề án ... giai đoạn 2016-2025").
LABELLED_HEADS = ("chương trình", "đề án", "ðề án", "dự án", "kế hoạch", "chiến lược", "quy hoạch", "nghị quyết",
                  "chỉ thị", "mtqg")
# ... unless a word of the clause ends the name before the phase: "dự án ... đã giải ngân ... giai đoạn"
LABEL_ENDERS = ("cho", "qua", "tại", "với", "để", "là", "được", "đã", "của huyện", "phân bổ", "bố trí", "giải ngân",
                "huy động", "đạt", "thực hiện", "triển khai", "giao", "cấp")
PROGRAMME_TOPIC_HEADS = ("chương trình", "đề án", "ðề án", "dự án")
TOPIC_PREPOSITIONS = ("đối với", "về", "với")

# Capital of a year carried over: "nguồn vốn năm 2023 chuyển sang năm 2024".
VINTAGE_CARRIES = ("chuyển sang", "kéo dài sang", "kéo dài")

# A Party congress's report: "tham dự đại hội", "báo cáo chính trị".
CONGRESS_ATTENDANCE = ("tham dự", "tại", "trình", "dự")  # ... đại hội
CONGRESS_WORDS = ("báo cáo chính trị",)
MIDTERM_WORDS = ("giữa nhiệm kỳ", "nửa nhiệm kỳ")

# National anniversaries a report is written for date it: "Kỷ niệm 70 năm Chiến thắng Điện Biên
# Phủ" is 2024. The years of the events the country commemorates (public knowledge, not a report's).
COMMEMORATED = {"chiến thắng điện biên phủ": 1954, "chiến thắng lịch sử điện biên phủ": 1954,
                "cách mạng tháng tám": 1945, "quốc khánh": 1945, "giải phóng miền nam": 1975,
                "thống nhất đất nước": 1975, "ngày thành lập đảng": 1930, "thành lập đảng cộng sản việt nam": 1930}
ANNIVERSARY_WORDS = ("kỷ niệm",)

# --- the head of a report, where its date and period are read (``sources.extract._title``) ---
# The issuing body's lines above an administrative document's title, in capitals: "ỦY BAN NHÂN DÂN",
# "HUYỆN ỦY ...", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".
ISSUER_HEADS = ("ủy", "uỷ", "ubnd", "hội đồng", "hđnd", "đảng", "ban", "huyện ủy", "huyện uỷ", "tỉnh ủy", "tỉnh uỷ",
                "thị ủy", "thị uỷ", "thành ủy", "thành uỷ", "mặt trận", "cộng hòa", "cộng hoà", "sở", "phòng")
# An issuing body in mixed case, a whole line of the body's name: "UBND xã Tân An".
ISSUER_BODIES = ("ubnd", "ủy ban nhân dân", "uỷ ban nhân dân", "hđnd", "hội đồng nhân dân", "đảng ủy", "đảng uỷ",
                 "đảng bộ")
UNIT_TYPES = ("xã", "phường", "đặc khu", "thị trấn", "huyện", "quận", "thị xã", "thành phố", "tỉnh")
# A document type alone on its line names the document together with the line after it.
DOCUMENT_TYPES = ("báo cáo", "kết luận", "thông báo", "nghị quyết", "tờ trình", "kế hoạch", "chương trình",
                  "quyết định")
# A news page's furniture above its headline: site banners and menus, share and font-size buttons.
TITLE_FURNITURE_WORDS = ("theo dõi", "google news", "xuất bản thông tin", "chi tiết bài viết", "block_", "portal",
                         "cỡ chữ", "video", "podcast", "emagazine", "infographic", "đăng nhập", "truy cập", "gmt")
# ... and the words that open a photo caption or a menu line: "Quang cảnh hội nghị. Ảnh: ...".
TITLE_FURNITURE_OPENERS = ("tin tức", "quang cảnh", "toàn cảnh", "các đại biểu", "đại biểu dự")
