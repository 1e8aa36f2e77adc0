"""Layers 2 and 3 of the grammar: what each quantity is, given its clause and its context."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sources import lexicon as lex
from sources.extract._found import Context, Found
from sources.extract._funding import close_paren as _close_paren
from sources.extract._funding import (
    funding_figure,
    is_disbursement_rate,
    is_funding_amount,
    programme_mentions,
    programme_mentions_at,
)
from sources.extract._grammar import Quantity, numbers_in, read_quantity
from sources.patterns import YEAR as _YEAR
from sources.patterns import W as _W
from sources.patterns import alternation as _alternation
from sources.patterns import fold_case as _fold_case
from sources.patterns import lower_slice as _lower_slice
from sources.patterns import may_have as _may_have
from sources.patterns import may_have_at as _may_have_at
from sources.patterns import search_led as _search_led
from sources.patterns import table_re as _table_re
from sources.periods import sentence_period
from sources.text import split_sentences

# Scorecards (see lex.SCORECARD_VERBS): "a/b chỉ tiêu" with a verb of result before or after it in
# its clause; or a total stated first ("đề ra 116 chỉ tiêu, đến nay có 92 chỉ tiêu đã đạt").
# "a/b", "a trên b", "a trong (tổng số) b" chỉ tiêu
_SC_FRACTION = re.compile(r"(?<![\d/.,])(?P<met>\d{1,3})(?:\s*/\s*|\s+(?:trên|trong)(?:\s+tổng)?(?:\s+số)?\s+)"
                          r"(?P<total>\d{1,3})\s+chỉ\s+tiêu(?![" + _W + "])", re.IGNORECASE)
_SC_VERB = re.compile(f"(?<![{_W}])" + _alternation(lex.SCORECARD_VERBS) + f"(?![{_W}])", re.IGNORECASE)
# "đạt và vượt", "hoàn thành và hoàn thành vượt mức" count the indicators met; "vượt" alone, or
# "hoàn thành vượt" without "và", only those above the plan.
_SC_MET_WORD = re.compile(rf"(?<![{_W}])(?:đạt|hoàn\s+thành)(?!\s+vượt)(?![{_W}])", re.IGNORECASE)
_SC_TOTAL = re.compile(f"(?<![{_W}])" + _alternation(lex.SCORECARD_TOTAL_LEADS)
                       + r"\s+(?P<total>\d{1,3})\s+chỉ\s+tiêu(?![" + _W + "])", re.IGNORECASE)
_SC_COUNT = re.compile(r"(?<![\d/.,])(?P<n>\d{1,3})\s+chỉ\s+tiêu(?![" + _W + r"])(?P<phrase>[^,;.:()]{0,80})",
                       re.IGNORECASE)
# "trong đó (có) 12 chỉ tiêu vượt", "trong đó vượt (mức) 8 chỉ tiêu", "(vượt 10 chỉ tiêu)"
_SC_EXCEEDED = re.compile(r"(?:trong\s+đó,?|\()\s*(?:có\s+)?(?:(?P<n>\d{1,3})\s+chỉ\s+tiêu\s+(?:[^,;.\d]{0,20}?)vượt|"
                          r"(?:hoàn\s+thành\s+)?vượt(?:\s+mức)?(?:\s+kế\s+hoạch)?\s+(?P<n2>\d{1,3})\s+chỉ\s+tiêu)",
                          re.IGNORECASE)
# a label that names the verbs before the count: "Số chỉ tiêu đạt, vượt: 20/24"
_SC_LABELLED = re.compile(r"chỉ\s+tiêu\s+(?P<words>[^.;:\d]{0,40}?(?:đạt|vượt|hoàn\s+thành)[^.;:\d]{0,30}):\s*"
                          r"(?P<met>\d{1,3})\s*/\s*(?P<total>\d{1,3})(?![\d/]|[.,]\d)(?=\s*(?:[.;,)]|$))",
                          re.IGNORECASE)
_SC_NOUN = re.compile(r"chỉ\s+tiêu", re.IGNORECASE)
_SC_NEGATION = re.compile(r"(?:không|chưa)\s*$", re.IGNORECASE)
# a scorecard counted item by item: each "N chỉ tiêu" with its verb after or before it
_SC_ITEM = re.compile(r"(?<![\d/.,])(?P<n>\d{1,3})\s+chỉ\s+tiêu(?![" + _W + "])", re.IGNORECASE)
_SC_MISSED = re.compile(f"(?<![{_W}])" + _alternation(lex.SCORECARD_MISSED) + r"\s+(?:được\s+)?$", re.IGNORECASE)
_SC_OPEN = re.compile(f"(?<![{_W}])" + _alternation(lex.SCORECARD_OPEN) + f"(?![{_W}])", re.IGNORECASE)
_SC_SUBSET = re.compile(r"trong\s+(?:đó|số\s+đó)", re.IGNORECASE)
_HEADING = re.compile(
    r"^\s*(?:[-*•+]|\d+(?:\.\d+)*\.|[a-zđ]\))\s*(?:đối với|về|đối với việc|về việc)?\s*(.{0,160}):\s*$", re.IGNORECASE
)
_RATE_VERBS = ("đạt", "bằng")
_RATE_AFTER_AMOUNT = re.compile("(?:" + "|".join(_RATE_VERBS) + r")\s*(?:được\s*)?(?:tỷ lệ\s*)?"
                                r"(?:hơn|trên|gần|khoảng|xấp xỉ)?\s*$", re.IGNORECASE)
# a funding amount's rate may also be named by its noun: "giải ngân 4,3 tỷ đồng (tỷ lệ 52,4%)", ", tỷ lệ giải
# ngân đạt 60%" (of an indicator's level "..., tỷ lệ 3,8%" is a share of its own, not an attainment)
_RATE_NOUN_AFTER_AMOUNT = re.compile(r"(?:[(,]\s*(?:tỷ|tỉ)\s+lệ(?:\s+giải\s+ngân)?(?:\s+(?:đạt|là))?|[(|])"
                                     r"(?:\s+(?:hơn|trên|gần|khoảng|xấp xỉ))?\s*$", re.IGNORECASE)
# (a bare percentage in parentheses, or in the next cell of a table row, right after the amount: its rate)
_RATE_CELL = re.compile(r"^\s*(?:tỷ|tỉ)\s+lệ(?:\s+giải\s+ngân)?(?:\s+(?:đạt|là))?\s*:?\s*$", re.IGNORECASE)
_EXCEED = re.compile(r"vượt\s*(?:mức\s*)?$", re.IGNORECASE)

# One reader of verb - hedge - number - yardstick, for every quantity: the verb right before the
# number with only hedges and fillers between ("tăng hơn 11%", "đạt được gần 135%"), a yardstick
# either between the verb and the number ("vượt kế hoạch 8,5-9,5%") or after the number
# ("... so với cùng kỳ", "... kế hoạch tỉnh giao"). A plan's yardstick stands alone after the
# number ("đạt 95% kế hoạch"); an earlier period's needs "so (với)" ("năm 2022" alone after a
# number is the figure's own year: "xuống còn 33,34% năm 2022").
_EARLIER_YARD = _alternation(lex.EARLIER_YARDSTICKS) + r"|(?:cuối\s+|đầu\s+)?năm\s+" + _YEAR
_PLAN_YARD = _alternation(lex.PLAN_YARDSTICKS)
_VERB_GAP = r"(?:\s+" + _alternation(lex.VERB_FILLERS + lex.HEDGES) + r")*"
_VERBS = lex.RESULT_VERBS + lex.LEVEL_VERBS
_VERB_TAIL = re.compile(
    f"(?<![{_W}])(?P<verb>" + _alternation(_VERBS) + ")" + _VERB_GAP
    + r"(?:\s+(?:so\s+(?:với\s+)?)?(?:(?P<plan>" + _PLAN_YARD + ")|(?P<earlier>" + _EARLIER_YARD + r"))"
    + f"(?![{_W}])" + r"(?:\s+(?:đề\s+ra|đã\s+giao|giao|năm))?)?" + _VERB_GAP + r"\s*$", re.IGNORECASE)
_YARD_AFTER = re.compile(
    r"\s*,?\s*(?:(?P<so>so\s+(?:với\s+)?)(?:(?P<plan_so>" + _PLAN_YARD + ")|(?P<earlier>" + _EARLIER_YARD + "))"
    + "|(?P<plan>" + _PLAN_YARD + ")|(?P<bare>" + _alternation(lex.BARE_EARLIER_YARDSTICKS) + f"))(?![{_W}])",
    re.IGNORECASE)
_YARD_SO = re.compile(f"(?<![{_W}])" + r"so\s+(?:với\s+)?(?:(?P<plan>" + _PLAN_YARD + ")|(?P<earlier>"
                      + _EARLIER_YARD + f"))(?![{_W}])", re.IGNORECASE)
# a comparison fronted as the clause's adverbial governs it: "So với kế hoạch, thu ngân sách đạt 108%"
_FRONTED_YARD = re.compile(r"\s*" + _YARD_SO.pattern + r"\s*,", re.IGNORECASE)
_REDUCTION = re.compile(f"(?<![{_W}])" + _alternation(lex.REDUCTION_INDICATORS) + f"(?![{_W}])", re.IGNORECASE)



def _reading(text: str, cs: int, q: Quantity) -> tuple[str | None, str | None, bool]:
    """(verb, yardstick, yardstick before the number) of the quantity: verb lowercased or None;
    yardstick "plan", "earlier" or None."""
    verb, yard, before = None, None, False
    window_start = max(cs, q.start - 70)
    window = text[window_start:q.start]
    m = _search_led(_VERB_TAIL, window, _VERBS, whole=text, start=window_start)
    if m:
        verb = " ".join(m.group("verb").lower().split())  # (the verb's words, one space between)
        if m.group("plan") or m.group("earlier"):
            yard, before = ("plan" if m.group("plan") else "earlier"), True
    # (a yardstick after the number opens with a word, after spaces and a comma: none after a stop mark)
    closed = text[q.end:q.end + 1] in _CLOSING_MARKS
    a = None if closed else _YARD_AFTER.match(text, q.end)
    if a:
        yard, before = ("earlier" if a.group("earlier") or a.group("bare") else "plan"), False
    elif m and yard is None:
        # "so với cùng kỳ tăng 12%": the yardstick opens the comma clause, before the verb
        head = window[:m.start()]
        head = head[max(head.rfind(","), head.rfind(";"), head.rfind("(")) + 1:]
        y = _YARD_SO.search(head) or _FRONTED_YARD.match(text, cs, q.start)
        if y:
            # it opens the clause, it does not stand between the verb and the number: "So với kế
            # hoạch, thu ngân sách đạt 108%" is an attainment
            yard, before = ("earlier" if y.group("earlier") else "plan"), False
        elif verb in _ATTAIN_VERBS and text.find(",", window_start, q.start - len(m.group(0))) != -1 and \
                _ELIDED_PLAN.search(text, window_start, q.start - len(m.group(0))):  # (its match holds a comma)
            yard = "plan"  # "không đạt dự toán, chỉ đạt 85,2%": the plan named by the clause before
    if yard is None and m and not closed:
        later = _YARD_LATER.match(text, q.end)
        if later:  # "Giảm 2,15% tỷ lệ hộ nghèo so với đầu năm": after the indicator's name
            yard = "earlier" if later.group("earlier") else "plan"
    return verb, yard, before


_CLOSING_MARKS = frozenset(".;:()%")  # (neither _YARD_AFTER nor _YARD_LATER matches at one of them)
# the yardstick of a verb of result in the comma clause before, its number elided
_ELIDED_PLAN = re.compile(f"(?<![{_W}])" + r"(?:đạt|vượt|bằng|hoàn\s+thành)\s+(?:" + _PLAN_YARD + ")"
                          + f"(?![{_W}])" + r"\s*,\s*(?:chỉ\s+|và\s+|mới\s+)?$", re.IGNORECASE)
# "so (với)" after the noun phrase the number counts, no other number or clause between (an ordinal of the
# name is no number: "Giảm 0,8% tỷ lệ sinh con thứ 3 trở lên so với năm trước")
_YARD_LATER = re.compile(r"(?:[^\d,;.()%:]|thứ\s+\d{1,2}){1,40}?" + _YARD_SO.pattern, re.IGNORECASE)
_ATTAIN_AFTER = re.compile(r"^\s*(?:so\s+(?:với\s+)?)?(?:" + "|".join(lex.ATTAINMENT_NOUNS) + r")\b", re.IGNORECASE)
_CHANGE_BEFORE = re.compile(r"(tăng|giảm)\s+(?:thêm\s+)?$", re.IGNORECASE)


# A plan noun compared against is the yardstick of a result, not its governor: "đạt 95% kế hoạch
# năm", "vượt kế hoạch năm", "so với kế hoạch năm", "hoàn thành kế hoạch năm", "đạt theo kế hoạch";
# a number right before it counts it ("10/12 chỉ tiêu năm"). Marker verbs ("phấn đấu", "sẽ") are never
# compared: "đến năm 2025 sẽ có" keeps its "sẽ".
_PLAN_NOUN = re.compile(_alternation(lex.PLAN_NOUNS))
_PLAN_COMPARED = re.compile(f"(?:(?<![{_W}])(?:đạt|vượt|bằng|so\\s+với|so|hoàn\\s+thành)|\\d|%)"
                            + r"(?:\s+" + _alternation(lex.RESULT_ADVERBS) + r")?\s*(?:mức\s+)?$", re.IGNORECASE)
_REALIS_OPENER = re.compile(r",\s*" + _alternation(lex.REALIS_OPENERS) + f"(?![{_W}])", re.IGNORECASE)
# Designation of a count for a task (see lex.DESIGNATION_VERBS):
#   passive after the counted noun: "2.793 hộ (đã) được phê duyệt hỗ trợ", "5 xã được chọn làm điểm";
#   active before the count:        "(lựa) chọn 13 đảng ủy xã, thị trấn nghiên cứu", "được giao 3 xã đạt chuẩn".
# Decision on approval already given ("đã phê duyệt", "đã được phê duyệt"): the approval is done, but
# what it approves - the task - is still to be done, so the count is its planned scope when the task
# follows ("150 hộ đã được phê duyệt hỗ trợ" -> target, the households reached come later: "đến nay
# 80 hộ đã hoàn thành" -> actual). Without a task the count is of the approvals themselves, a completed
# administrative act ("có 25 dự án được phê duyệt", "UBND huyện đã phê duyệt 45 hồ sơ") -> actual; so
# are "được giao 50 ha rừng để quản lý" (land given) and "10 sản phẩm được bình chọn" (no task verb).
_TASK = _alternation(lex.DESIGNATED_TASKS) + f"(?![{_W}])"
_DESIGNATED_AFTER = re.compile(r"^[^,;.:()\d]{0,30}?(?<!\S)(?:đã\s+)?được\s+" + _alternation(lex.DESIGNATION_VERBS)
                               + r"\s+(?:để\s+|cho\s+)?" + _TASK, re.IGNORECASE)
_DESIGNATES_BEFORE = re.compile(f"(?<![{_W}])" + r"(?<!bình\s)(?<!tuyển\s)(?:lựa\s+chọn|chọn|được\s+giao)\s+"
                                r"(?:ra\s+)?" + _alternation(lex.HEDGES) + r"?\s*$", re.IGNORECASE)
_TASK_AFTER = re.compile(r"^[^;.()]{0,40}?(?<!\S)" + _TASK, re.IGNORECASE)


_CUE_REACH = 90


def _plan_cue(low_left: str) -> str | None:
    """The plan or future marker (lex.TARGET_CUES) that governs the quantity: the nearest one before
    it in its clause that is not compared against, with no comma clause reporting what is done
    between ("Phấn đấu có 3 xã đạt chuẩn, đến nay đã có 1 xã": 3 is a target, 1 is not)."""
    window = low_left[-_CUE_REACH:]
    for compound in lex.NOT_TARGET_CUES:
        window = window.replace(compound, " " * len(compound))
    if not _may_have(window, lex.TARGET_CUES):
        return None
    for m in reversed(list(_table_re(lex.TARGET_CUES).finditer(window))):
        if _PLAN_NOUN.search(m.group(1)) and _PLAN_COMPARED.search(window[:m.start()]):
            continue
        return m.group(1) if _REALIS_OPENER.search(window[m.end():]) is None else None
    return None


_PLAN_LEVEL = re.compile(f"(?<![{_W}])" + _alternation(lex.PLAN_LEVEL_NOUNS)
                         + r"(?:\s+(?:" + _alternation(lex.PLAN_LEVEL_FILLERS) + "|" + _YEAR + f")(?![{_W}]))*"
                         + r"\s*:?\s*(?:" + _alternation(lex.HEDGES) + r"\s+)?$", re.IGNORECASE)


# ... or right before a parenthesis that opens with the number: "không đạt kế hoạch (32%)", "vượt kế hoạch (8,5%)"
_PLAN_IN_PARENS = re.compile(f"(?<![{_W}])" + _alternation(lex.PLAN_LEVEL_NOUNS)
                             + r"(?:\s+(?:" + _alternation(lex.PLAN_LEVEL_FILLERS) + "|" + _YEAR + f")(?![{_W}]))*"
                             + r"\s*\(\s*(?:" + _alternation(lex.HEDGES) + r"\s+)?$", re.IGNORECASE)


# ... or heads the indicator's name that the number is given for: "Năm 2025, chỉ tiêu thu ngân sách nhà nước trên
# địa bàn là 185 tỷ đồng", "mục tiêu tỷ lệ hộ nghèo: 2,5%", "Chỉ tiêu giao năm 2025 về tuyển quân là 150 công dân"
_NAMED_LEVEL_NOUNS = ("chỉ tiêu", "mục tiêu")
_PLAN_NAMED_LEVEL = re.compile(r"(?:^|[,;(]\s*)" + _alternation(_NAMED_LEVEL_NOUNS)
                               + r"\s+(?!(?:đạt|vượt|hoàn\s+thành|đề\s+ra)" + f"(?![{_W}]))"
                               + r"(?:[^\d,;.:()%]|" + _YEAR + r"){3,70}?(?:\slà|\s*:)\s*"
                               + r"(?:" + _alternation(lex.HEDGES) + r"\s+)?$", re.IGNORECASE)


def _plan_level(low_left: str, alone_in_parens: bool = False, whole: str | None = None, start: int = 0) -> bool:
    """A plan noun right before the number states the plan's level ("(kế hoạch 150 tỷ đồng)", "Kế hoạch
    giao 1.200 ha, thực hiện 1.250 ha", "(chỉ tiêu 95%)"), unless it is compared against ("vượt kế
    hoạch 12%", "so với dự toán 5%": the yardstick of a result); the plan compared against states its
    level in a parenthesis after it that holds the number alone ("không đạt kế hoạch (32%)")."""
    near, wide = low_left[-50:], low_left[-90:]
    near_at, wide_at = start + len(low_left) - len(near), start + len(low_left) - len(wide)
    if (alone_in_parens and _search_led(_PLAN_IN_PARENS, near, lex.PLAN_LEVEL_NOUNS, 0, whole, near_at)) or (
            _search_led(_PLAN_NAMED_LEVEL, wide, _NAMED_LEVEL_NOUNS, 90, whole, wide_at)):
        return True
    m = _search_led(_PLAN_LEVEL, near, lex.PLAN_LEVEL_NOUNS, 0, whole, near_at)
    return m is not None and not _PLAN_COMPARED.search(low_left[-50:][:m.start()])


def _governed_by_plan(low_left: str) -> bool:
    return _plan_cue(low_left) is not None


_NEGATORS = ("chưa", "không")
_NEGATED_FUNDING = re.compile(f"(?<![{_W}])(?:" + "|".join(_NEGATORS) + ")"
                              + r"\s+(?:giải\s+ngân|thanh\s+toán)(?:\s+được)?" + _VERB_GAP + r"\s*$", re.IGNORECASE)
_ESTIMATE_BEFORE = re.compile(r"(?<![" + _W + r"])ước\s+(?:đạt|tính|thực\s+hiện)" + _VERB_GAP + r"\s*$", re.IGNORECASE)
_NEGATED = re.compile(f"(?<![{_W}])(?:" + "|".join(_NEGATORS) + ")" + r"\s+(?:đạt|hoàn\s+thành|vượt|bằng)"
                      + _VERB_GAP + r"\s*$", re.IGNORECASE)
_ESTIMATE = re.compile(r"(?<![" + _W + r"])ước\s+(?:đạt|tính|thực\s+hiện)(?![" + _W + "])", re.IGNORECASE)
_YEAR_END = re.compile(r"(?:cuối|hết)\s+năm|năm\s+nay", re.IGNORECASE)


def _is_target(text: str, s: int, cs: int, q: Quantity, ctx: Context) -> bool:
    """Is the quantity a plan's? Governed by a plan marker in its clause, or in the sentence's first
    clause when the marker opens a list of aims joined by ';' ("phấn đấu ... sẽ có thêm 4 xã ...;
    tỷ lệ hộ nghèo giảm còn 3,6%"), unless its own clause reports what is done. A forecast
    ("dự kiến") is an estimate of the outcome, not a plan, when its verb is an estimate ("Dự kiến
    năm 2020, ... ước đạt 5.214 tỷ") or when it is of the year-end of a year the report closes
    (a report of the last quarter: "Dự kiến cuối năm 2020 có thêm 5 xã về đích")."""
    if ctx.target_mode:
        return True
    low_left = _lower_slice(text, cs, q.start)
    # (_plan_cue reads the last _CUE_REACH characters: only where one of its cues may stand)
    cue = _plan_cue(low_left) if _may_have_at(text, max(cs, q.start - _CUE_REACH), q.start, lex.TARGET_CUES) else None
    if cue is None and cs > s and _REALIS_OPENER.match(", " + low_left.lstrip(" ,(")) is None:
        first_end = text.find(";", s, cs) if ";" in text[s:cs] else cs
        first = _lower_slice(text, s, first_end)
        cue = _plan_cue(first) if _may_have_at(text, max(s, first_end - _CUE_REACH), first_end,
                                               lex.TARGET_CUES) else None
    if cue is None and _plan_level(low_left, q.ratio_of is None and text.startswith(")", q.end), text, cs):
        return True
    if cue != "dự kiến":
        return cue is not None
    if _ESTIMATE_BEFORE.search(low_left[-40:]) or _ESTIMATE.search(low_left[low_left.rfind("dự kiến"):]):
        return False  # "Dự kiến năm 2020, ... ước đạt 5.214 tỷ đồng (tăng 1,3 lần ...)": an estimate
    d = ctx.report_date
    sentence = text[s:q.start]
    years = {int(y) for y in re.findall(_YEAR, sentence)}
    closing_year = d is not None and d.month >= 10 and (d.year in years or bool(_YEAR_END.search(sentence)))
    return not (closing_year and not any(y > d.year for y in years))


# a count that registers for a result ("2 xã đăng ký đạt chuẩn nông thôn mới năm 2024") plans it
_REGISTERED_AFTER = re.compile(r"^[^,;.:()\d]{0,30}?(?<!\S)(?:đã\s+)?" + _alternation(lex.REGISTRATION_VERBS)
                               + r"\s+" + _TASK, re.IGNORECASE)


def _designated(text: str, q: Quantity, low_left: str) -> bool:
    """A count approved, assigned or selected for a task, or registered for a result: the task's
    planned scope."""
    after = text[q.end:q.end + 90]
    if _DESIGNATED_AFTER.match(after) or _REGISTERED_AFTER.match(after):
        return True
    return bool(_DESIGNATES_BEFORE.search(low_left[-40:]) and _TASK_AFTER.match(after))





def clause_bounds(text: str, sent_start: int, pos: int) -> int:
    """Start of the clause holding ``pos``: after the last ';' (or sentence start)."""
    cut = max(text.rfind(";", sent_start, pos), sent_start - 1)
    return cut + 1


def quote_start(text: str, clause_start: int, pos: int, limit: int = 110) -> int:
    start = max(clause_start, pos - limit)
    if start > clause_start:
        space = text.find(" ", start, pos)
        start = space + 1 if space != -1 else start
    while start < pos and text[start] in " ,(:-–•*\n":
        start += 1
    return start


_NAME_CUT = re.compile(r"[,:(]\s*|\b(?:và|trong đó|nhất là|riêng)\s+")
_NAME_VERBS = ("ước đạt", "ước tính", "đạt được", "đạt", "là", "còn", "có", "chiếm", "tăng", "giảm", "vượt", "được",
               "ở mức", "giữ ở mức", "với", "bằng", "khoảng", "cao hơn", "thấp hơn", "hơn", "trên", "gần", "dưới",
               "ước", "từ", "thêm", "nâng lên")
_NAME_VERB_TAIL = re.compile(r"(?:\s|^)(?:" + "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in _NAME_VERBS)
                             + r")\s*$", re.IGNORECASE)
_NAME_DATES = ("năm", "đến ngày", "đến")
_NAME_DATE_TAIL = re.compile(r"\b(?:" + "|".join(_NAME_DATES) + r")\s+[\d/]+\s*$")
_NAME_CHANGE_TAIL = re.compile(r"\s*(?:tăng|giảm)\s+(?:so\s+(?:với\s+)?cùng\s+kỳ|so\s+với\s+năm\s+trước)\s*$")
_NAME_CLAUSE_CUT = re.compile(r"[;:]")
_NAME_AFTER_CUT = re.compile(r"[;.(:]")


_NAME_CUT_STARTS = (",", ":", "(", "và", "trong đó", "nhất là", "riêng")


def _last_name_cut(left: str) -> int | None:
    """The end of the last ``_NAME_CUT`` in ``left`` (as its ``finditer`` would find it), None when
    there is none. Every place the pattern matches at is a match of the scan (its matches are a mark
    or a word followed by spaces, and none can start inside another), so the last one is the
    rightmost place it matches at: looked for from the right, without reading the whole clause for
    each of its numbers (issue #19)."""
    best = -1
    for needle in _NAME_CUT_STARTS:
        at = left.rfind(needle)
        while at > best:
            if _NAME_CUT.match(left, at):
                best = at
                break
            at = left.rfind(needle, 0, at)
    return _NAME_CUT.match(left, best).end() if best >= 0 else None


def _cut_tail(pattern: re.Pattern, name: str, phrases, back: int = 0) -> str:
    """``pattern.sub("", name)`` for a pattern anchored at the end that opens (``back`` characters
    before) one of ``phrases``: its one match, searched from where it can start (``search_led``)."""
    m = _search_led(pattern, name, phrases, back)
    return name if m is None else name[:m.start()] + name[m.end():]


# Bounded work per figure (issue #19): a name's verb tail is read from its last words. A match of
# _NAME_VERB_TAIL in a name without spaces at either end is a verb whose words are the name's last
# words, after a space or at its start; where those words are written with single spaces, the
# longest verb that the folded name ends with (after a space) is the match the pattern finds first.
_NAME_VERB_REACH = max(map(len, _NAME_VERBS)) + 2  # a verb and the space before it, and one more
_NAME_VERBS_BY_LAST: dict[str, list[str]] = {}  # a verb's last word -> the verbs, longest first
for _verb in sorted(_NAME_VERBS, key=len, reverse=True):
    _NAME_VERBS_BY_LAST.setdefault(_verb.rsplit(" ", 1)[-1], []).append(_verb)
_ODD_SPACES = re.compile(r"[^\S ]| {2}")


def _cut_verb_tail(name: str) -> str:
    """``_NAME_VERB_TAIL.sub("", name)`` for a name without spaces at either end."""
    tail = name[-_NAME_VERB_REACH:]
    if _ODD_SPACES.search(tail):  # (spaces other than single ones: the pattern reads them)
        return _cut_tail(_NAME_VERB_TAIL, name, _NAME_VERBS, 1)
    folded = _fold_case(tail)
    for verb in _NAME_VERBS_BY_LAST.get(folded.rpartition(" ")[2], ()):
        if folded.endswith(verb):
            if len(verb) == len(name):
                return ""
            if name[-len(verb) - 1] == " ":
                return name[:-len(verb) - 1]
    return name


def _cut_date_tail(name: str) -> str:
    """``_NAME_DATE_TAIL.sub("", name)``: only a name that ends with a digit or '/' (before spaces)
    can end with a date."""
    last = name.rstrip()[-1:]
    if last != "/" and not last.isdecimal():
        return name
    return _cut_tail(_NAME_DATE_TAIL, name, _NAME_DATES)


def indicator_name(text: str, clause_start: int, q: Quantity) -> str | None:
    """The noun phrase the quantity measures, as written."""
    left = text[clause_start:q.start]
    cut = _last_name_cut(left)
    segment = left[cut:] if cut is not None else left
    name = segment
    for _ in range(3):
        stripped = name.strip()
        name = _cut_verb_tail(stripped)
        if name is stripped:
            break  # (nothing cut: the next rounds cut nothing either)
    name = _cut_date_tail(name).strip(" ,;:-")
    if len(name) < 4 and "(" in left:
        outer = left[:left.rfind("(")]
        name = _NAME_CHANGE_TAIL.sub("", _NAME_CLAUSE_CUT.split(outer)[-1]).strip(" ,")
    if len(name) < 4:
        after = text[q.end:q.end + 90]
        cut = _NAME_AFTER_CUT.search(after)  # (the first piece of its split)
        tail = (after[:cut.start()] if cut else after).strip()
        name = f"{q.noun} {tail}".strip() if q.noun else tail
    return name[:200] or None


_TARGET_LIST_LEAD = re.compile(r"|".join(lex.TARGET_LIST_LEADS), re.IGNORECASE)


def classify_sentence(text: str, sent: tuple[int, int], ctx: Context) -> None:
    s, e = sent
    sentence = text[s:e]
    consumed: set[int] = set()

    _scorecards(sentence, s, ctx, consumed)

    # (every target-list lead names "chỉ tiêu" or "mục tiêu": a sentence without "tiêu" opens no list)
    for m in _TARGET_LIST_LEAD.finditer(sentence) if "tiêu" in _fold_case(sentence) else ():
        if any(p in consumed for p in range(s + m.start(), s + m.end())):
            continue  # "đề ra 116 chỉ tiêu, đến nay có 92 chỉ tiêu đã đạt": a scorecard, not a list of aims
        ctx.target_mode = True
        period = sentence_period(sentence[m.start():], ctx.report_date, (None, None))
        if period == (None, None) and ctx.report_date:
            y = ctx.report_date.year + (1 if ctx.report_date.month >= 10 else 0)
            period = (date(y, 1, 1), date(y, 12, 31))
        ctx.target_period = period

    period = sentence_period(sentence, ctx.report_date, ctx.report_period)
    last_in_clause: Found | None = None
    last_clause_start = -1
    prev_q: Quantity | None = None
    for m in numbers_in(text, s, e):
        if m.start() in consumed or (prev_q is not None and m.start() < prev_q.end):
            continue
        q = read_quantity(text, m, s)
        if q is None:
            continue
        if _qualifies_previous(text, prev_q, q):
            prev_q = q
            continue
        prev_q = q
        cs = clause_bounds(text, s, q.start)
        if cs != last_clause_start:
            last_in_clause, last_clause_start = None, cs
        found = classify_quantity(text, s, cs, q, ctx, period, last_in_clause)
        if found is None:
            continue
        if not ctx.found.holds(found):
            ctx.found.append(found)
        last_in_clause = found
    mentions = programme_mentions_at(text, s, e)
    if mentions:
        ctx.paragraph_programme = mentions[-1][1]


def _sc_phrase(sentence: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The verb phrase of result for a count of indicators at [start, end): before it in its comma
    clause ("hoàn thành và vượt 9/9 chỉ tiêu"), else after it ("11/12 chỉ tiêu dự kiến hoàn
    thành ..."); (span start, span end, phrase) or None."""
    cut = max(sentence.rfind(c, max(0, start - 70), start) for c in ",;")
    colon = sentence.rfind(":", max(0, start - 70), start)
    if colon > cut and not re.search(r"chỉ\s+tiêu", sentence[max(cut + 1, start - 70):colon], re.IGNORECASE):
        cut = colon  # a label "Số chỉ tiêu đạt và vượt: 20/22 chỉ tiêu" keeps its verbs
    left = sentence[max(cut + 1, start - 70):start]
    verb = _SC_VERB.search(left)
    if verb:
        if _SC_NEGATION.search(left[:verb.start()]):
            return None  # "không đạt 3/12 chỉ tiêu": the indicators missed
        return start - len(left) + verb.start(), end, left[verb.start():]
    stop = re.search(r"[,;.:(]", sentence[end:end + 100])
    right = sentence[end:end + (stop.start() if stop else 100)]
    verbs = list(_SC_VERB.finditer(right))
    if verbs:
        if _SC_NEGATION.search(right[:verbs[0].start()]):
            return None  # "3/12 chỉ tiêu không đạt", "chưa hoàn thành"
        return start, end + verbs[-1].end(), right[:verbs[-1].end()]
    return None


def _scorecards(sentence: str, s: int, ctx: Context, consumed: set[int]) -> None:
    """Scorecards: met, total and exceeded indicators of a plan, in their phrasings."""
    if _SC_NOUN.search(sentence) is None:
        return  # every phrasing counts "chỉ tiêu": one scan instead of four
    def emit(a: int, b: int, met: int, total: int, exceeded: int | None) -> None:
        ctx.found.append(Found(
            kind="scorecard", rule="scorecard_met_of_total", start=s + a, end=s + b, period=ctx.report_period,
            fields={"indicators_met_or_exceeded": met, "indicators_total": total, "indicators_exceeded": exceeded}))
        consumed.update(range(s + a, s + b))

    cards: list[tuple[int, int]] = []  # (met, total) of the fractions read
    for m in _SC_FRACTION.finditer(sentence):
        met, total = int(m.group("met")), int(m.group("total"))
        phrase = _sc_phrase(sentence, m.start(), m.end())
        if phrase is None and (cards and (cards[-1][0] + met, cards[-1][1]) == (total, total)):
            consumed.update(range(s + m.start(), s + m.end()))  # "9/12 chỉ tiêu đạt; 3/12 chỉ tiêu không đạt"
            continue
        if phrase is None or met > total or total == 0:
            continue
        a, b, words = phrase
        exceeded = None
        if _SC_MET_WORD.search(words) is None:
            # only the indicators above the plan are counted here; those merely met may follow
            # ("vượt mức 10/25 chỉ tiêu; có 13 chỉ tiêu hoàn thành kế hoạch")
            exceeded = met
            for c in _SC_COUNT.finditer(sentence, b, b + 120):
                if _SC_MET_WORD.search(c.group("phrase")) and met + int(c.group("n")) <= total:
                    met += int(c.group("n"))
                    b = c.end()
                    break
        else:
            x = _SC_EXCEEDED.search(sentence, b, b + 120)
            if x and int(x.group("n") or x.group("n2")) <= met:
                exceeded = int(x.group("n") or x.group("n2"))
                b = x.end()
        emit(a, b, met, total, exceeded)
        cards.append((met, total))
        for i in _sc_items(sentence, b, b + 120):  # "..., 3 chỉ tiêu không đạt": the rest of the same card
            if i[3] == "missed" and met + i[2] == total:
                consumed.update(range(s + i[0], s + i[1]))
        for t in _SC_TOTAL.finditer(sentence):  # "Trong tổng số 25 chỉ tiêu, ... 10/25 chỉ tiêu": its total
            if int(t.group("total")) == total:
                consumed.update(range(s + t.start("total"), s + t.end()))
    for m in _SC_LABELLED.finditer(sentence):
        met, total = int(m.group("met")), int(m.group("total"))
        if total > 0 and met <= total and s + m.start("met") not in consumed:
            words = m.group("words")
            emit(m.start(), m.end(), met, total, met if _SC_MET_WORD.search(words) is None else None)
    for t in _SC_TOTAL.finditer(sentence):
        total = int(t.group("total"))
        if s + t.start("total") in consumed:
            continue
        items = [i for i in _sc_items(sentence, t.end(), t.end() + 250) if s + i[0] not in consumed]
        card = _sc_tally(items)
        if card is not None and card[0] <= total:
            emit(t.start(), items[-1][1] if card[3] else card[4], card[0], total, card[2])
    # counted item by item without a total: "12 chỉ tiêu vượt, 7 chỉ tiêu đạt, 3 chỉ tiêu không đạt"
    items = [i for i in _sc_items(sentence, 0, len(sentence)) if s + i[0] not in consumed]
    card = _sc_tally(items)
    if card is not None and card[3]:
        emit(items[0][0], items[-1][1], card[0], card[1], card[2])


def _sc_items(sentence: str, start: int, end: int) -> list[tuple[int, int, int, str]]:
    """The counts of indicators in [start, end) with what became of them: (start, end, n, kind), kind
    "met" ("đạt", "đạt và vượt", "hoàn thành"), "exceeded" ("vượt" alone), "missed" ("không đạt",
    "chưa hoàn thành"), "open" ("có khả năng đạt") or "subset" (a part of the count before it:
    "trong đó 12 chỉ tiêu vượt"). The verb is read after the count up to the next count or clause
    mark, else before it; a run of counts ends at a count without a verb or a gap of 100 characters."""
    counts = list(_SC_ITEM.finditer(sentence, start, end))
    items: list[tuple[int, int, int, str]] = []
    for k, c in enumerate(counts):
        nxt = counts[k + 1].start() if k + 1 < len(counts) else min(end, len(sentence))
        stop = re.search(r"[,;.:()]", sentence[c.end():nxt])
        after = sentence[c.end():c.end() + stop.start() if stop else nxt]
        prev_end = items[-1][1] if items else start
        cut = max(sentence.rfind(p, prev_end, c.start()) for p in ",;:(")
        before = sentence[max(cut + 1, prev_end, c.start() - 60):c.start()]
        kind, span_end = _sc_kind(after), c.end()
        if kind is not None:
            span_end += list(_SC_VERB.finditer(after))[-1].end()  # to its last verb: "12 chỉ tiêu vượt"
        else:
            kind = _sc_kind(before)
        if kind is None or (items and c.start() - items[-1][1] > 100):
            if items:
                break
            continue
        if items and _SC_SUBSET.search(sentence[items[-1][1]:c.start()]) and kind == "exceeded":
            kind = "subset"
        items.append((c.start(), span_end, int(c.group("n")), kind))
    return items


def _sc_kind(words: str) -> str | None:
    verb = _SC_VERB.search(words)
    if verb is None:
        return None
    if _SC_MISSED.search(words[:verb.start()]):
        return "missed"
    if _SC_OPEN.search(words[:verb.start()]):
        return "open"
    return "met" if _SC_MET_WORD.search(words) else "exceeded"


def _sc_tally(items) -> tuple[int, int, int | None, bool, int] | None:
    """(met or exceeded, counted total, exceeded or None, whether the counts make a scorecard of their own
    - two or more, some missed, or exceeded and met told apart -, end of the first count) of a run of
    counts of indicators; None when none is met."""
    if not items:
        return None
    kinds = [k for *_, k in items]
    met = sum(n for _, _, n, k in items if k in ("met", "exceeded"))
    if met == 0:
        return None
    exceeded = sum(n for _, _, n, k in items if k in ("exceeded", "subset")) if {"exceeded", "subset"} & set(kinds) \
        else None
    total = sum(n for _, _, n, k in items if k != "subset")
    whole = len(items) >= 2 and ("missed" in kinds or {"met", "exceeded"} <= set(kinds) or "subset" in kinds)
    return met, total, exceeded, whole, items[0][1]


_NAME_COUNTS = ("tiêu chí", "nội dung", "chỉ tiêu", "sản phẩm")

_CLAUSE_MARK = re.compile(r"[,;.()]")

def _qualifies_previous(text: str, prev: Quantity | None, q: Quantity) -> bool:
    """ "05 xã nâng chất 02 tiêu chí": the second count names what the first counts; a fraction
    ("9 xã ... đã cơ bản đạt 19/19 tiêu chí") or a range ("2 xã còn lại đạt từ 13 đến 15 tiêu chí")
    is a result of its own, the level the group reached."""
    if prev is None or q.noun not in _NAME_COUNTS or prev.noun in (None, q.noun) or q.ratio_of is not None \
            or q.value2 is not None:
        return False
    between = text[prev.end:q.start]
    return len(between) < 40 and not _CLAUSE_MARK.search(between)

_ATTAIN_ALONE = re.compile(r"^\s*đạt\s*$")  # the clause before a rate says only "đạt"

def classify_quantity(text: str, s: int, cs: int, q: Quantity, ctx: Context,
                      period: tuple[date | None, date | None], last: Found | None) -> Found | None:
    low_left = _lower_slice(text, cs, q.start)
    near_left = low_left[-60:]
    right = text[q.end:q.end + 80]
    low_right = _lower_slice(text, q.end, q.end + 80)
    qs = quote_start(text, cs, q.start)
    is_target = _is_target(text, s, cs, q, ctx)

    # A rate right after an amount in the same clause: "(đạt 46%)", "đạt 78,17% nghị quyết".
    if q.unit == "percent" and last is not None and last.kind == "funding" and last.fields.get("rate_pct") is None \
            and _RATE_NOUN_AFTER_AMOUNT.search(near_left):
        last.fields["rate_pct"] = q.value
        last.end = max(last.end, _close_paren(text, q.end))
        return last
    near_at = cs + len(low_left) - len(near_left)
    if q.unit == "percent" and last is not None and _search_led(_RATE_AFTER_AMOUNT, near_left, _RATE_VERBS, 0, text,
                                                                near_at):
        if last.kind == "funding" and last.fields.get("rate_pct") is None:
            last.fields["rate_pct"] = q.value
            last.end = max(last.end, _close_paren(text, q.end))
            return last
        if last.kind == "indicator" and last.fields.get("attainment_pct") is None and _rate_of_level(
                text, cs, q, last, ctx):
            last.fields["attainment_pct"] = q.value
            last.end = q.end
            return last
    # a rate in the next clause for the amount just before: "...109.475 triệu đồng; đạt 70,98 % so với kế hoạch vốn",
    # or in the next cell of a table row turned into prose: "...; giải ngân 17.230 triệu đồng; tỷ lệ 85,5%"
    if q.unit == "percent" and last is None and ctx.found:
        prev = ctx.found[-1]
        cell = prev.kind == "funding" and prev.fields.get("measure") == "disbursed" and _RATE_CELL.match(low_left)
        if prev.kind == "funding" and prev.fields.get("rate_pct") is None and prev.end >= s and (cell or (
                _ATTAIN_ALONE.search(low_left) and (_ATTAIN_AFTER.match(right) or "kế hoạch vốn" in low_right))):
            prev.fields["rate_pct"] = q.value
            prev.end = q.end
            return prev

    if q.unit == "VND" and _search_led(_NEGATED_FUNDING, near_left, _NEGATORS, 0, text, near_at):
        return None  # "chưa giải ngân được 4,5 tỷ đồng": what is not paid out is no disbursement
    if q.unit == "VND":
        if is_funding_amount(text, s, cs, q, ctx, last):
            return funding_figure(text, s, cs, q, ctx, period, qs, last, is_target)
        return _indicator(text, cs, q, ctx, period, qs, is_target, last)
    if q.unit == "percent" and is_disbursement_rate(low_left, text, cs):
        return funding_figure(text, s, cs, q, ctx, period, qs, last, is_target, rate_only=True)
    if q.unit != "percent" and not is_target:
        is_target = _designated(text, q, low_left)
    return _indicator(text, cs, q, ctx, period, qs, is_target, last)


def _rate_of_level(text: str, cs: int, q: Quantity, last: Found, ctx: Context) -> bool:
    """ "đạt X%" is the attainment of the level just before it ("3,93 tỷ đồng, đạt 78,17% nghị
    quyết"; "62 triệu đồng/người/năm đạt 100%") when measured against a plan, or, with no
    yardstick, when nothing but the verb stands between them: a new subject between ("..., tỷ lệ
    lao động qua đào tạo đạt 78,2%") makes it a level of its own, an earlier period's yardstick
    ("đạt 99,4% so cùng kỳ") a change, and a share of a level stated before in the clause ("tiếp
    nhận 1.860 hồ sơ, giải quyết đúng hạn 1.845 hồ sơ, đạt 99,2%": 1.845 of the 1.860) a level."""
    _, yard, _ = _reading(text, cs, q)
    if yard == "earlier":
        return False
    if yard == "plan":
        return True
    if _share_of_earlier_level(q, last, cs, ctx):
        return False
    between = text[last.end:q.start]
    m = _RATE_AFTER_AMOUNT.search(between.lower())
    residual = between[:m.start()] if m else between
    return last.fields.get("actual_value") is not None and len(residual.strip(" ,;(–-")) <= 12


def _share_of_earlier_level(q: Quantity, last: Found, cs: int, ctx: Context) -> bool:
    """Is the percentage the share the level just read makes of a larger level of the same unit read
    before it in its clause (as written, to its last decimal)?"""
    part = last.fields.get("actual_value")
    if not part or q.value <= 0 or q.value >= 100:
        return False
    tolerance = Decimal(5) * Decimal(10) ** (q.value.as_tuple().exponent - 1)
    for f in reversed(ctx.found):
        if f is last:
            continue
        if f.start < cs or f.kind != "indicator":
            break
        whole = f.fields.get("actual_value")
        if whole and whole > part and f.fields.get("unit") == last.fields.get("unit") \
                and abs(part * 100 / whole - q.value) <= tolerance:
            return True
    return False


def _indicator(text: str, cs: int, q: Quantity, ctx: Context, period, qs: int, is_target: bool,
               last: Found | None) -> Found | None:
    near_at = max(cs, q.start - 50)
    if _search_led(_NEGATED, text[near_at:q.start], _NEGATORS, 0, text, near_at):
        return None  # "chưa đạt được 50% kế hoạch": a bound not reached, not a figure
    fields: dict = {"unit": "percent" if q.unit == "percent" else q.unit, "indicator_name": indicator_name(text, cs, q)}
    if fields["unit"] == "count":
        fields["unit"] = "count"
    role, value = _role(text, cs, q, is_target, fields["indicator_name"])
    rule = _RULES[role]
    if role in ("exceed_pct", "attainment_pct"):
        fields["unit"] = "percent"
    column = {"actual": "actual_value", "target": "target_value", "exceed_pct": "exceed_pct",
              "attainment_pct": "attainment_pct", "change": "change_value"}[role]
    fields[column] = value
    if (q.ratio_of is not None and q.ratio_of != q.value and role == "actual" and q.noun not in lex.UNIVERSE_NOUNS
            and not _UNIVERSE_STATE.match(text, q.end)):
        fields["target_value"] = q.ratio_of
        rule = "indicator_fraction"
    used_period = period
    if role == "target" and ctx.target_period and ctx.target_mode:
        # a target of a list takes the list's period; ``sources.periods`` reads it from here too
        used_period = fields["list_period"] = ctx.target_period
    fields["suspect_format"] = q.suspect_format
    found = Found(kind="indicator", rule=rule, start=qs, end=q.end, qualifier=q.hedge, period=used_period,
                  fields=fields)
    if q.value2 is not None:
        # a range "5 - 7%" is two observations of the same indicator: its low and high ends
        second = dict(fields)
        second[column] = -q.value2 if value < 0 else q.value2 - (q.value - value)
        ctx.found.append(found)
        return Found(kind="indicator", rule=rule + "_range_high", start=qs, end=q.end, qualifier=q.hedge,
                     period=used_period, fields=second)
    return found


_UNIVERSE_STATE = re.compile(r"\s*" + _alternation(lex.UNIVERSE_STATES) + f"(?![{_W}])", re.IGNORECASE)
_RULES = {"actual": "indicator_level", "target": "indicator_target", "exceed_pct": "indicator_exceed_plan",
          "attainment_pct": "indicator_attainment", "change": "indicator_change"}
_ATTAIN_VERBS = ("đạt", "chỉ đạt", "ước đạt", "bằng", "hoàn thành")
_CHANGE_VERBS = ("tăng", "tăng thêm", "giảm", "giảm thêm")


def _role(text: str, cs: int, q: Quantity, is_target: bool, name: str | None) -> tuple[str, Decimal]:
    """Role and signed value of an indicator quantity, from its verb and yardstick (``_reading``):
    - "vượt X%" -> exceed_pct; against an earlier period a change; "vượt kế hoạch 8,5-9,5%" (the
      plan's own range after its noun) -> the plan's level, a target;
    - "đạt X%" against a plan -> attainment_pct; "đạt 99,4% so cùng kỳ" -> change of X - 100;
    - "tăng/giảm X" -> change, signed; against a plan ("tăng 5,4% so với chỉ tiêu") -> exceed_pct;
      a reduction that is itself the indicator ("tỷ lệ hộ nghèo giảm 1,15%") -> level, positive;
    - governed by a plan or future marker -> target, positive; else a level reached."""
    verb, yard, before = _reading(text, cs, q)
    pct = q.unit == "percent"
    if verb == "tăng trưởng":
        # growth is a rate of its own ("tốc độ tăng trưởng 8,5%") unless measured against an earlier
        # period ("tăng trưởng âm 3,5% so với cùng kỳ": a change, its sign written)
        return ("change" if yard == "earlier" and not is_target else "target" if is_target else "actual"), q.value
    if verb in lex.COMPARATIVES:
        sign = lex.COMPARATIVES[verb]
        if yard == "earlier" and not is_target:
            return "change", sign * q.value
        if yard == "plan" and pct:
            return "exceed_pct", sign * q.value
        return ("target" if is_target else "actual"), q.value
    if pct and verb in ("vượt", "vượt mức"):
        if before and yard == "plan" and q.value2 is not None:
            return "target", q.value
        if yard == "earlier" and not is_target:
            return "change", q.value
        return "exceed_pct", q.value
    if pct and (verb in _ATTAIN_VERBS or (verb is None and not is_target)) and yard == "plan" and not before:
        return "attainment_pct", q.value  # "đạt 105% dự toán tỉnh giao, 100,5% dự toán huyện giao"
    if pct and verb in _ATTAIN_VERBS and yard == "earlier" and not is_target:
        return "change", q.value - 100
    if verb in _CHANGE_VERBS and not is_target:
        sign = -1 if verb.startswith("giảm") else 1
        if yard == "plan" and pct:
            return "exceed_pct", sign * q.value
        if yard is None and sign < 0 and _REDUCTION.search(f"{name or ''} {q.noun or ''}"):
            return "actual", q.value
        return "change", sign * q.value
    return ("target" if is_target else "actual"), q.value

_NUMBERED_SECTION = re.compile(r"^\s*(?:\d+\.|[IVX]+\.|[A-Z]\.)\s")

def read_figures(text: str, report_date: date | None,
                 report_period: tuple[date | None, date | None]) -> list[Found]:
    ctx = Context(report_date=report_date, report_period=report_period)
    for sent in split_sentences(text):
        s, e = sent
        line_start = text.rfind("\n", 0, s) + 1
        if line_start == s:  # a new paragraph (or heading)
            ctx.paragraph_programme = None
            ctx.target_mode = False
            heading = _HEADING.match(text[s:e])
            if heading:
                mentions = programme_mentions(heading.group(1))
                ctx.section_programme = mentions[-1][1] if mentions else None
                continue
            if _NUMBERED_SECTION.match(text[s:e]):
                ctx.section_programme = None
        classify_sentence(text, sent, ctx)
    return list(ctx.found)
