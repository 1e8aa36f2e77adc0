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
