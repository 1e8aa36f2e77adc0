"""Word lists of the report language: programmes, capital sources, measures, units, cues.

Data only; the grammar in ``_grammar.py`` decides how they combine. Entries are lowercase
NFC Vietnamese and are matched on word boundaries.
"""

from __future__ import annotations

# Programme names and abbreviations -> programme code. Longer phrases are tried first.
PROGRAMMES: dict[str, str] = {
    "xây dựng nông thôn mới": "NTM",
    "nông thôn mới": "NTM",
    "ntm": "NTM",
    "giảm nghèo bền vững": "GNBV",
    "gnbv": "GNBV",
    "vùng đồng bào dân tộc thiểu số và miền núi": "DTTS_MN",
    "đồng bào dân tộc thiểu số và miền núi": "DTTS_MN",
    "dân tộc thiểu số và miền núi": "DTTS_MN",
    "vùng đồng bào dân tộc thiểu số": "DTTS_MN",
    "dtts&mn": "DTTS_MN",
    "dtts và mn": "DTTS_MN",
    "đầu tư công": "PUBLIC_INVESTMENT",
    "xây dựng cơ bản": "PUBLIC_INVESTMENT",
    "xdcb": "PUBLIC_INVESTMENT",
    "kế hoạch vốn": "PUBLIC_INVESTMENT",
    "vốn đầu tư công": "PUBLIC_INVESTMENT",
}
# "các chương trình mục tiêu quốc gia" named together: one combined total.
PROGRAMMES_TOGETHER = ("các chương trình mục tiêu quốc gia", "3 chương trình mục tiêu quốc gia",
                       "ba chương trình mục tiêu quốc gia")

# The programme noun phrase that follows an amount names the amount's own programme:
# "X đồng [từ] [vốn|kinh phí ...] [đầu tư|sự nghiệp ...] [thuộc|của|cho|thực hiện] [các|3] Chương trình ...".
PROGRAMME_HEADS = ("chương trình", "ctmtqg", "ct mtqg", "ct-mtqg")
FUND_NOUNS = ("nguồn vốn", "nguồn kinh phí", "vốn", "kinh phí", "nguồn")
FUND_KINDS = ("đầu tư phát triển", "đầu tư", "sự nghiệp", "xdcb", "xây dựng cơ bản", "ngân sách trung ương",
              "ngân sách tỉnh", "ngân sách huyện", "ngân sách nhà nước", "ngân sách", "nstw", "nsnn", "được giao")
PROGRAMME_LINKS = ("để thực hiện", "cho thực hiện", "cho việc thực hiện", "thực hiện", "thuộc", "của", "cho",
                   "dành cho")
# Quantifiers before the programme noun: several programmes named together as one total.
PROGRAMME_PLURALS = ("các", "những", "hai", "ba", "cả ba")

CAPITAL_SOURCES: dict[str, str] = {
    "vốn đầu tư phát triển": "investment",
    "vốn đầu tư": "investment",
    "vốn xdcb": "investment",
    "xây dựng cơ bản": "investment",
    "xdcb": "investment",
    "cơ sở hạ tầng": "investment",
    "vốn sự nghiệp": "recurrent",
    "kinh phí sự nghiệp": "recurrent",
    "nguồn sự nghiệp": "recurrent",
}

# Verbs and nouns that say what an amount is, nearest before it wins.
MEASURES: dict[str, str] = {
    "giải ngân": "disbursed",
    "đã chi": "spent",
    "chi trả": "spent",
    "huy động": "spent",
    "kinh phí đã thực hiện": "spent",
    "đề xuất": "requested",
    "kiến nghị": "requested",
    "đề nghị hỗ trợ": "requested",
    "xin hỗ trợ": "requested",
    "dự kiến": "planned",
    "dự toán": "planned",
    "phân bổ": "allocated",
    "bố trí": "allocated",
    "được giao": "allocated",
    "giao vốn": "allocated",
    "hỗ trợ": "allocated",
    "cấp": "allocated",
    "tổng vốn": "allocated",
    "tổng kinh phí": "allocated",
    "kinh phí": "allocated",
    "nguồn vốn": "allocated",
}

# Money words that make an amount programme funding rather than an indicator.
FUNDING_CUES = ("vốn", "kinh phí", "giải ngân", "phân bổ", "bố trí", "hỗ trợ", "đầu tư", "chương trình",
                "dự án", "đề án", "ngân sách trung ương hỗ trợ")
# ... unless the amount is one of these socio-economic indicators (eval conventions).
INDICATOR_MONEY_CUES = (
    "thu ngân sách", "thu nsnn", "chi ngân sách", "chi nsnn", "tổng thu", "tổng chi", "thu nội địa",
    "thu nhập", "giá trị sản xuất", "giá trị sản phẩm", "tổng sản phẩm", "grdp", "huy động vốn đầu tư",
    "vốn đầu tư toàn xã hội", "vốn đầu tư phát triển toàn xã hội", "tổng mức bán lẻ", "doanh thu",
    "kim ngạch", "tổng giá trị", "giá trị hàng hóa",
)

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

# Role cues.
# Plan and future markers: each governs the rest of its clause ("Dự kiến, huyện chọn ...", "năm 2024 sẽ
# hỗ trợ ...") unless it is compared against ("đạt 95% kế hoạch năm") or a later comma clause reports
# what is done ("..., đến nay đã có ..."): see ``_classify._governed_by_plan``.
TARGET_CUES = ("phấn đấu", "kế hoạch năm", "dự kiến", "phải đạt", "cần đạt", "định hướng", "nhiệm vụ năm",
               "mục tiêu đến", "mục tiêu năm", "chỉ tiêu năm", "chỉ tiêu kế hoạch", "sẽ", "theo kế hoạch",
               "có kế hoạch", "kế hoạch giai đoạn", "kế hoạch đến năm", "mục tiêu giai đoạn", "chỉ tiêu giai đoạn")
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
DESIGNATED_TASKS = ("hỗ trợ", "xây dựng", "xây mới", "sửa chữa", "làm nhà", "làm mới", "làm điểm", "thực hiện",
                    "triển khai", "thí điểm", "chỉ đạo điểm", "đầu tư", "nghiên cứu", "biên soạn", "xuất bản",
                    "đạt chuẩn", "về đích", "hoàn thành", "di dời", "di chuyển", "tái định cư", "sắp xếp",
                    "đào tạo", "cải tạo", "nâng cấp", "tham gia", "vay vốn", "vay", "tổ chức")
# A lead-in that opens a list of targets for the rest of its paragraph.
TARGET_LIST_LEADS = (r"(?:đề ra|xác định|thông qua|đặt ra|giao)\s+(?:\d+\s+)?(?:các\s+)?chỉ\s+tiêu",
                     r"chỉ\s+tiêu\s+(?:chủ\s+yếu|cơ\s+bản|chính|kế\s+hoạch)[^.;:]{0,60}(?:năm\s+\d{4})?[^.;:]{0,20}"
                     r"(?:như|sau|gồm|là)\s*:",
                     r"các\s+chỉ\s+tiêu\s+(?:năm|của\s+năm)\s+\d{4}\s*:",
                     r"mục\s+tiêu[^.;:]{0,40}năm\s+\d{4}\s*:")
ATTAINMENT_NOUNS = ("kế hoạch", "kh", "dự toán", "nghị quyết", "nq", "chỉ tiêu", "mục tiêu", "cam kết")
PER_UNITS: dict[str, str] = {
    "xã": "commune", "thôn": "village", "bản": "village", "người": "person", "hộ": "household",
    "lao động": "person", "năm": "year", "tháng": "month", "ha": "ha", "công trình": "work", "dự án": "project",
    "khẩu": "person", "học sinh": "person",
}
