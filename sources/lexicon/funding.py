"""Words of programme funding: programme names, capital sources, measures (what an amount is),
and the cues that make an amount programme money rather than a socio-economic indicator.

Data only; lowercase NFC Vietnamese, matched on word boundaries.
"""

from __future__ import annotations

# Programme names and abbreviations -> programme code. Longer phrases are tried first.
PROGRAMMES: dict[str, str] = {
    "xây dựng nông thôn mới": "NTM",
    "nông thôn mới": "NTM",
    "ntm": "NTM",
    "giảm nghèo bền vững": "GNBV",
    "gnbv": "GNBV",
    # the programme's field without its adjective, as "nông thôn mới" is NTM's ("kinh phí thực hiện
    # công tác giảm nghèo", "Chương trình giảm nghèo")
    "giảm nghèo": "GNBV",
    "vùng đồng bào dân tộc thiểu số và miền núi": "DTTS_MN",
    "đồng bào dân tộc thiểu số và miền núi": "DTTS_MN",
    "dân tộc thiểu số và miền núi": "DTTS_MN",
    "vùng đồng bào dân tộc thiểu số": "DTTS_MN",
    "dtts&mn": "DTTS_MN",
    "dtts & mn": "DTTS_MN",
    "dtts và mn": "DTTS_MN",
    "dtts và miền núi": "DTTS_MN",
    "vùng đồng bào dtts": "DTTS_MN",
    # the programme is known by the decision that approved it (Quyết định 1719/QĐ-TTg)
    "chương trình 1719": "DTTS_MN",
    "ctmtqg 1719": "DTTS_MN",
    "mtqg 1719": "DTTS_MN",
    "đầu tư công": "PUBLIC_INVESTMENT",
    "xây dựng cơ bản": "PUBLIC_INVESTMENT",
    "xdcb": "PUBLIC_INVESTMENT",
    "vốn đầu tư công": "PUBLIC_INVESTMENT",
    # the capital the province balances in its budget for public works: the public investment plan
    "vốn đầu tư cân đối ngân sách": "PUBLIC_INVESTMENT",
    "vốn cân đối ngân sách": "PUBLIC_INVESTMENT",
    "kế hoạch đầu tư công": "PUBLIC_INVESTMENT",
    # the tables' abbreviation of đầu tư công: "Vốn ĐTC năm 2024 giải ngân đạt 56%"
    "đtc": "PUBLIC_INVESTMENT",
}
# "kế hoạch vốn" (the capital plan) names no programme: it is any programme's plan ("kế hoạch vốn Chương
# trình MTQG ...", a list item under a programme's heading); only with nothing else named is it public
# investment (``PUBLIC_INVESTMENT_WORDS``).

# A bare "chương trình" followed by one of these is no name but a reference back to the programme
# in context ("tổng nguồn vốn của chương trình thực hiện trong năm", "triển khai chương trình."),
# or another sense of the word ("chương trình làm việc", "chương trình công tác").
PROGRAMME_NOT_NAMES = ("công tác", "làm việc", "hành động", "phối hợp", "đối với", "này", "trên", "của", "với",
                       "và", "đã", "được", "cho", "tại", "trong", "nói", "đề ra", "chung", "đó", "nêu", "thực hiện",
                       "năm", "giai đoạn", "sẽ", "là", "đang", "gồm", "bao gồm", "nhằm", "để", "đến", "từ", "mới",
                       "đạt", "theo", "có", "vào", "khi", "thì", "nên", "cũng", "còn", "bị", "về", "ra", "đi")

# Words that open a sentence listing the parts of the total stated just before it
# ("... 28,8 tỷ đồng ... . Trong đó, ngân sách Trung ương hỗ trợ 25 tỷ đồng, ...").
COMPONENT_OPENERS = ("trong đó", "trong số đó", "cụ thể", "bao gồm", "gồm")

# Nouns that open one more item of a list of capital sources after ';'
# ("..., trong đó ngân sách Trung ương 105 tỷ đồng; ngân sách tỉnh 15,8 tỷ đồng").
CAPITAL_SOURCE_NOUNS = ("ngân sách", "vốn", "nguồn vốn", "nguồn", "kinh phí", "xã hội hóa", "xã hội hoá",
                        "người dân", "nhân dân", "dân", "doanh nghiệp")

# Anaphors that open the sentence after a project's amount and go on to say how it is financed
# ("Công trình ... với tổng mức đầu tư 50 tỷ đồng. Đây là dự án ... đầu tư bằng nguồn vốn ...").
PROJECT_ANAPHORS = ("đây là", "dự án này", "công trình này", "dự án được", "công trình được", "dự án do",
                    "công trình do", "công trình sử dụng", "dự án sử dụng")

# The approved total cost of one project ("Dự án ... với tổng mức đầu tư 40 tỷ đồng").
PROJECT_TOTALS = ("tổng mức đầu tư", "tổng vốn đầu tư dự án", "tổng dự toán")

# Words that make money, with no programme named anywhere, the district's public investment
# ("Tổng vốn đầu tư thực hiện ... nguồn vốn tỉnh giao", "giải ngân vốn đầu tư đạt 29,7%").
PUBLIC_INVESTMENT_WORDS = ("vốn đầu tư", "nguồn vốn tỉnh giao", "nguồn vốn huyện giao", "vốn tỉnh giao",
                           "vốn huyện giao", "kế hoạch vốn", "kế hoạch đầu tư vốn", "chủ đầu tư")

# "các chương trình mục tiêu quốc gia" named together: one combined total.
PROGRAMMES_TOGETHER = ("các chương trình mục tiêu quốc gia", "3 chương trình mục tiêu quốc gia",
                       "ba chương trình mục tiêu quốc gia")

# The programme noun phrase that follows an amount names the amount's own programme:
# "X đồng [từ] [vốn|kinh phí ...] [đầu tư|sự nghiệp ...] [thuộc|của|cho|thực hiện] [các|3] Chương trình ...".
PROGRAMME_HEADS = ("chương trình", "ctmtqg", "ct mtqg", "ct-mtqg")

FUND_NOUNS = ("nguồn vốn", "nguồn kinh phí", "vốn", "kinh phí", "nguồn", "kế hoạch vốn")

FUND_KINDS = ("đầu tư phát triển", "đầu tư", "sự nghiệp", "xdcb", "xây dựng cơ bản", "ngân sách trung ương",
              "ngân sách tỉnh", "ngân sách huyện", "ngân sách nhà nước", "ngân sách", "nstw", "nsnn", "được giao")

PROGRAMME_LINKS = ("để thực hiện", "cho thực hiện", "cho việc thực hiện", "thực hiện", "thuộc", "của", "cho",
                   "dành cho")

# Words that open a purpose phrase: "để xây dựng nông thôn mới", "nhằm thực hiện Chương trình ...",
# "phục vụ xây dựng nông thôn mới"; at the sentence's end it governs every amount before it.
PURPOSE_LINKS = ("để", "nhằm", "phục vụ", "dành cho")

# Quantifiers before the programme noun: several programmes named together as one total.
PROGRAMME_PLURALS = ("các", "những", "hai", "ba", "cả ba")

CAPITAL_SOURCES: dict[str, str] = {
    "vốn đầu tư phát triển": "investment",
    "vốn đầu tư": "investment",
    "vốn đtpt": "investment",
    "đtpt": "investment",
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
    # the treasury's payment of capital is its disbursement ("thanh toán vốn", "đã thanh toán 8 tỷ đồng")
    "thanh toán": "disbursed",
    # "đang giải ngân X đồng vốn": the year's allocation now being disbursed, not the amount paid out
    "đang giải ngân": "allocated",
    "đã thực hiện": "spent",
    "vốn đầu tư thực hiện": "spent",
    "tổng vốn đầu tư thực hiện": "spent",
    "khối lượng thực hiện": "spent",
    "giá trị khối lượng": "spent",
    # what people put in themselves
    "người dân đối ứng": "spent",
    "nhân dân đối ứng": "spent",
    "dân đối ứng": "spent",
    "người dân đóng góp": "spent",
    "nhân dân đóng góp": "spent",
    "dân đóng góp": "spent",
    "dành": "allocated",
    "được cấp": "allocated",
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
    "phân khai": "allocated",
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
                "dự án", "đề án", "ngân sách trung ương hỗ trợ", "được cấp", "cấp cho", "ưu tiên cấp", "cấp bổ sung",
                "dành", "đối ứng", "dân đóng góp", "nguồn lực")

# A plan or future marker governs the measure of money as it governs an indicator's role:
# "sẽ dành 121 tỷ đồng", "có kế hoạch đầu tư 28,8 tỷ đồng", "dự kiến phân bổ" are planned.
PLAN_MEASURE_CUES = ("sẽ", "dự kiến", "có kế hoạch", "phấn đấu", "định hướng")

# ... unless a comma clause after the marker reports what is done ("sẽ ..., đến nay đã giải ngân").
REALIS_MEASURE_OPENERS = ("đến nay", "tới nay", "hiện nay", "đã", "lũy kế", "luỹ kế")

# A purpose right after a mobilised amount says what became of it: "huy động được 4,2 tỷ đồng
# ... để phân bổ cho 03 xã" is money allocated, "huy động ... để xây dựng" stays spent.
ALLOCATION_PURPOSES = ("để phân bổ", "để cấp", "phân bổ cho", "để hỗ trợ", "cấp cho")

# ... unless the amount is one of these socio-economic indicators (eval conventions).
INDICATOR_MONEY_CUES = (
    "thu ngân sách", "thu nsnn", "chi ngân sách", "chi nsnn", "tổng thu", "tổng chi", "thu nội địa",
    "thu nhập", "giá trị sản xuất", "giá trị sản phẩm", "tổng sản phẩm", "grdp", "huy động vốn đầu tư",
    "vốn đầu tư toàn xã hội", "vốn đầu tư phát triển toàn xã hội", "tổng mức bán lẻ", "doanh thu",
    "kim ngạch", "tổng giá trị", "giá trị hàng hóa", "giá trị hàng hoá",
    # investment attracted from firms: registered private capital, not programme money
    "thu hút đầu tư", "thu hút vốn", "nhà đầu tư", "vốn đăng ký", "vốn điều lệ",
    # policy credit outstanding is a stock of loans, not programme money
    "dư nợ",
)

# A percentage governed by these is a funding rate without an amount: disbursed, or (works
# executed on public investment) spent.
FUNDING_RATE_CUES = ("giải ngân", "thanh toán vốn", "khối lượng thực hiện", "vốn đầu tư thực hiện",
                     "giá trị khối lượng")
