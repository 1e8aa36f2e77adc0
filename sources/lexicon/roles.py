"""Words of roles: plan and future markers, what ends their scope, designation of a count for a
task, target-list leads and the yardsticks of attainment.

Data only; lowercase NFC Vietnamese, matched on word boundaries.
"""

from __future__ import annotations

# Role cues.
# Plan and future markers: each governs the rest of its clause ("Dự kiến, huyện chọn ...", "năm 2024 sẽ
# hỗ trợ ...") unless it is compared against ("đạt 95% kế hoạch năm") or a later comma clause reports
# what is done ("..., đến nay đã có ..."): see ``_classify._governed_by_plan``.
TARGET_CUES = ("phấn đấu", "kế hoạch năm", "dự kiến", "phải đạt", "cần đạt", "định hướng", "nhiệm vụ năm",
               "mục tiêu đến", "mục tiêu năm", "chỉ tiêu năm", "chỉ tiêu kế hoạch", "sẽ", "theo kế hoạch",
               "có kế hoạch", "kế hoạch giai đoạn", "kế hoạch đến năm", "mục tiêu giai đoạn", "chỉ tiêu giai đoạn",
               # a proposal is a plan not yet decided: "đề xuất thực hiện thêm 01 thôn"
               "đề xuất", "đề nghị")

# Adverbs between a verb of result and the plan it is measured against: "hoàn thành xuất sắc
# nhiệm vụ năm 2022" compares with the plan, it does not open one.
RESULT_ADVERBS = ("xuất sắc", "tốt", "cơ bản", "vượt mức", "toàn diện")

# Cues headed by a plan noun: compared against ("đạt 95% kế hoạch năm") they do not govern.
PLAN_NOUNS = ("kế hoạch", "chỉ tiêu", "mục tiêu", "nhiệm vụ")

# Compounds that hold a cue word without its sense: "sạch sẽ" (clean) is not "sẽ" (will).
NOT_TARGET_CUES = ("sạch sẽ",)

# A comma clause opening with one of these reports what is done: it ends a plan marker's scope.
REALIS_OPENERS = ("đến nay", "tới nay", "hiện nay", "hiện tại", "hiện có", "hiện đã", "hiện còn", "đã",
                  "trong đó đã", "kết quả", "lũy kế", "luỹ kế", "ước thực hiện", "thực tế")

# Designation: a count approved, assigned or selected for a task is the task's planned scope
# ("2.793 hộ được phê duyệt hỗ trợ", "lựa chọn 13 đảng ủy xã nghiên cứu, biên soạn ..."); see
# ``_classify._designated``. Only counts: "được giao" next to money is an allocation (funding).
DESIGNATION_VERBS = ("phê duyệt", "duyệt", "giao", "lựa chọn", "chọn")

# Verbs with which a unit registers itself for a result: "2 xã đăng ký đạt chuẩn nông thôn mới".
REGISTRATION_VERBS = ("đăng ký", "đăng kí", "phấn đấu")

DESIGNATED_TASKS = ("hỗ trợ", "xây dựng", "xây mới", "sửa chữa", "làm nhà", "làm mới", "làm điểm", "thực hiện",
                    "triển khai", "thí điểm", "chỉ đạo điểm", "đầu tư", "nghiên cứu", "biên soạn", "xuất bản",
                    "đạt chuẩn", "về đích", "hoàn thành", "di dời", "di chuyển", "tái định cư", "sắp xếp",
                    "đào tạo", "cải tạo", "nâng cấp", "tham gia", "vay vốn", "vay", "tổ chức")

# A lead-in that opens a list of targets for the rest of its paragraph.
TARGET_LIST_LEADS = (r"(?:đề ra|xác định|thông qua|đặt ra|giao|biểu quyết)\s+(?:\d+\s+)?(?:các\s+)?chỉ\s+tiêu",
                     r"phấn\s+đấu\s+(?:thực\s+hiện\s+|đạt\s+)?(?:các\s+)?(?:chỉ\s+tiêu|mục\s+tiêu)[^.;:]{0,60}:",
                     r"chỉ\s+tiêu\s+(?:chủ\s+yếu|cơ\s+bản|chính|kế\s+hoạch)[^.;:]{0,60}(?:năm\s+\d{4})?[^.;:]{0,20}"
                     r"(?:như|sau|gồm|là)\s*:",
                     r"các\s+chỉ\s+tiêu\s+(?:năm|của\s+năm)\s+\d{4}\s*:",
                     r"mục\s+tiêu[^.;:]{0,40}năm\s+\d{4}\s*:")

ATTAINMENT_NOUNS = ("kế hoạch", "kh", "dự toán", "nghị quyết", "nq", "chỉ tiêu", "mục tiêu", "cam kết")

# Scorecards: how many of the plan's indicators were met. The verbs of a result against the
# plan ("đạt và vượt", "hoàn thành và hoàn thành vượt mức", "thực hiện đạt nghị quyết") stand
# before or after the count "a/b chỉ tiêu"; "vượt" alone (or "hoàn thành vượt" without "và")
# counts only the indicators above the plan.
SCORECARD_VERBS = ("đạt", "hoàn thành", "vượt")
# Words before the verb that count the indicators missed ("3 chỉ tiêu không đạt", "chưa hoàn thành 2
# chỉ tiêu", "khó đạt") or still open ("11 chỉ tiêu có khả năng đạt"), when a scorecard is counted item
# by item ("12 chỉ tiêu vượt, 7 chỉ tiêu đạt, 3 chỉ tiêu không đạt").
SCORECARD_MISSED = ("không", "chưa", "khó")
SCORECARD_OPEN = ("có khả năng", "khả năng", "phấn đấu", "dự kiến")
# Words that state the plan's total before the count met: "đề ra 116 chỉ tiêu, đến nay có 92
# chỉ tiêu đã đạt", "Trong tổng số 25 chỉ tiêu ..., có 13 chỉ tiêu hoàn thành".
SCORECARD_TOTAL_LEADS = ("đề ra", "trong tổng số", "trên tổng số", "tổng số", "xác định", "thông qua", "giao",
                         # "Trong (số) 24 chỉ tiêu ..., có 20 chỉ tiêu đạt", "Kết quả thực hiện 18 chỉ tiêu: ..."
                         "trong", "trong số", "thực hiện")

# One reader of verb - hedge - number - yardstick (see ``_classify._reading``).
# Verbs of a result right before its number (hedges and these fillers may stand between:
# "tăng hơn 11%", "đạt được gần 135%", "vượt trên 100%", "giữ ở mức 13 nghìn tấn").
RESULT_VERBS = ("đạt", "chỉ đạt", "ước đạt", "bằng", "vượt", "vượt mức", "hoàn thành", "tăng", "tăng thêm", "giảm",
                "giảm thêm", "cao hơn", "thấp hơn", "tăng trưởng")
# Comparatives: against a yardstick they are a change ("cao hơn 9,5% so với cùng kỳ") or an excess
# ("cao hơn 7,3% so với dự toán"), signed; without one, only a bound ("cao hơn 50%": a level).
COMPARATIVES = {"cao hơn": 1, "thấp hơn": -1}
# Verbs of a level reached by moving: the number after them is where it stands, not the move.
LEVEL_VERBS = ("còn", "giảm còn", "xuống còn", "giảm xuống còn", "giảm xuống", "tăng lên", "lên", "nâng lên",
               "xuống")
# ("âm" is the sign of the number after it, read by the quantity: "tăng trưởng âm 3,5%"; "gấp" marks a
# multiple: "tăng gấp 1,8 lần so với năm 2020" is a change, as "tăng 1,3 lần so với năm 2015")
VERB_FILLERS = ("được", "mức", "ở mức", "thêm", "âm", "gấp")
# Yardsticks: what a result is measured against. A plan's yardstick makes "đạt X%" an attainment,
# "vượt X%" an excess; an earlier period's makes "tăng/giảm X" a change (and "đạt X% so cùng kỳ"
# a change of X - 100). ``_classify`` also reads "năm 2015", "cuối năm 2020" as an earlier period.
PLAN_YARDSTICKS = (*ATTAINMENT_NOUNS, "kế hoạch vốn", "dự toán giao", "tỉnh giao", "huyện giao", "xã giao",
                                      "phường giao", "thành phố giao", "thị xã giao", "cấp trên giao", "trên giao")
EARLIER_YARDSTICKS = ("cùng kỳ", "cùng kì", "ck", "năm trước", "kì trước", "năm ngoái", "đầu năm", "đầu kỳ", "kỳ trước",
                      "tháng trước", "quý trước", "quí trước", "vụ trước", "năm học trước", "đầu nhiệm kỳ", "trước đây")
# Earlier yardsticks that need no "so (với)" before them after the number: "bằng 115% cùng kỳ",
# "tăng 12% CK" ("năm trước", a year, alone after a number may be the figure's own time).
BARE_EARLIER_YARDSTICKS = ("cùng kỳ", "cùng kì", "ck", "cùng kỳ năm trước", "cùng kì năm trước")
# A plan noun right before a number states the plan's level: "(kế hoạch 150 tỷ đồng)", "Kế hoạch giao
# 1.200 ha", "(chỉ tiêu 95%)"; what may stand between them.
PLAN_LEVEL_NOUNS = ("kế hoạch", "kh", "chỉ tiêu", "mục tiêu", "dự toán")
PLAN_LEVEL_FILLERS = ("giao", "được giao", "tỉnh giao", "huyện giao", "đề ra", "là", "năm")

# Indicators that are themselves a reduction: "tỷ lệ hộ nghèo giảm 1,15%", "giảm 9 hộ nghèo" state the
# indicator "mức giảm ...", positive, unless an earlier period is named ("giảm 13,25% so với năm 2016").
REDUCTION_INDICATORS = ("hộ nghèo", "hộ cận nghèo", "tỷ lệ nghèo", "suy dinh dưỡng", "tỷ lệ sinh", "tỷ suất sinh",
                        "sinh con thứ 3", "tai nạn giao thông")

# Fractions a/b of a fixed universe: b is how many there are, not a plan ("25/29 xã", "17/19 tiêu
# chí", "có 4/8 xã đạt nông thôn mới nâng cao"); of anything else b is the planned number ("3/10
# nhà văn hóa", "15/275 hộ"), a separate target (eval/README.md).
# Of any noun, a fraction of the units that reached a standard counts among all of them: "45/52 trường
# đạt chuẩn quốc gia" (all the schools), not "xây mới 3/10 nhà văn hóa" (the plan's ten).
UNIVERSE_STATES = ("đạt chuẩn", "được công nhận", "đạt tiêu chuẩn", "được công nhận đạt chuẩn")
UNIVERSE_NOUNS = ("xã", "phường", "thị trấn", "xã, thị trấn", "xã, phường, thị trấn", "tiêu chí", "chỉ tiêu", "thôn",
                  "bản", "ấp", "khóm", "tổ dân phố", "làng", "nội dung")
