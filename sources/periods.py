"""Dates and periods in Vietnamese reports: the grammar of time.

- the report's date: a date line "Hướng Hiệp, ngày 05 tháng 10 năm 2025", an event date opening the
  lead ("Sáng 17/12, ...", "Ngày 8.12, ...", "Chiều ngày 7/1, ...") whose year comes from a
  publication line ("21/02/2023", "Thứ Tư, 23-09-2020, 01:57") or from what the report reviews;
- the report's own period, from its title and lead: what it reviews ("sơ kết 6 tháng đầu năm" ->
  H1, "quý I" -> Q1, "tình hình công tác tháng 8" -> August, "tổng kết năm 2025" -> 2025), never
  what it plans ("triển khai nhiệm vụ năm 2026"); a phase report ("Giai đoạn 2015-2020, ...");
  a mid-term review of a Party term ("sơ kết giữa nhiệm kỳ 2020-2025") -> term start .. report;
- each figure's own period (``figure_periods``): the nearest time expression of its own clause,
  else a frame that opens its sentence or paragraph ("Năm 2022, ...", "5 tháng đầu năm, ..."),
  else its total's, else the report's; comparison bases ("so với cùng kỳ năm 2021"), criteria
  sets' and programmes' labels ("bộ tiêu chí giai đoạn 2016-2020") and term labels ("nhiệm kỳ
  2020-2025") are never a period; targets take the year they are for.
"""

from __future__ import annotations

import bisect
import calendar
import functools
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sources import lexicon as lex
from sources.patterns import YEAR, alternation, fold_case, search_led
from sources.patterns import B as _B
from sources.patterns import E as _E
from sources.patterns import W as _W

_DASH = r"\s*[-–—]\s*"
# a year stands alone: "năm 2021," and "năm 2021." count, "2.021" and "2021/QĐ" do not
_YEAR_RE = re.compile(rf"(?<![\d/.,-]){YEAR}(?![\d/]|[.,]\d)")
_FULL_DATE = re.compile(rf"\b(\d{{1,2}})/(\d{{1,2}})/({YEAR})\b")
_WORD_DATE = re.compile(rf"\bngày\s+(\d{{1,2}})\s+tháng\s+(\d{{1,2}})\s+năm\s+({YEAR})\b", re.IGNORECASE)
_TERM = re.compile(rf"\bnhiệm kỳ\s+({YEAR}){_DASH}({YEAR})", re.IGNORECASE)

# --- the words of time: built from sources.lexicon.periods ----------------------------------------
_FRAME_LEAD = (rf"(?:(?:{alternation(lex.FRAME_LEADS)}|{alternation(lex.FRAME_SOURCE_LEADS)}[^,]{{0,40}}?thì)"
               rf"[\s,:]*)*")
_DETAIL_OPENER = re.compile(rf"^\W*{alternation(lex.DETAIL_OPENERS)}{_E}", re.IGNORECASE)
_REVIEW_WORDS = re.compile(alternation(lex.REVIEW_WORDS), re.IGNORECASE)
_PLAN_WORDS = re.compile(alternation(lex.PLAN_WORDS), re.IGNORECASE)
_FLOW_VERBS = re.compile(rf"{_B}{alternation(lex.FLOW_VERBS)}{_E}", re.IGNORECASE)
_LEVEL_CUES = re.compile(rf"{_B}{alternation(lex.LEVEL_CUES)}{_E}", re.IGNORECASE)
_AVG = alternation(lex.AVERAGE_WORDS)
_ANNUAL_AVERAGE = re.compile(rf"{_AVG}\s+{alternation(lex.EVERY_YEAR)}|"
                             rf"{alternation(lex.EVERY_YEAR)}\s+(?:tăng\s+)?{_AVG}|"
                             rf"{_AVG}[^.;]{{0,40}}?%\s*/\s*năm", re.IGNORECASE)
_ANNUAL_AVERAGE_OPENERS = (*lex.AVERAGE_WORDS, *lex.EVERY_YEAR)
_CONSECUTIVE = re.compile(rf"[^.;\d]{{0,80}}?(\d{{1,2}})\s+năm\s+{alternation(lex.CONSECUTIVE_WORDS)}",
                          re.IGNORECASE)
# (a sentence without the first word of one of them says no "N năm liên tục")
_CONSECUTIVE_LEADS = tuple({fold_case(w).split()[0] for w in lex.CONSECUTIVE_WORDS})
_AVERAGE_SINCE = re.compile(rf"{_AVG}[^.;]{{0,40}}?{alternation(lex.COMPARISON_WORDS)}\s+"
                            rf"{alternation(lex.COMPARISON_LINKS)}\s+(?:năm\s+)?({YEAR})",
                            re.IGNORECASE)
# A figure increment before "nâng lên/nâng tổng số" is the month's in a monthly report, the
# total after it the cumulative one ("đưa 29 lao động đi làm việc ..., nâng lên 145 lao động").
_RAISED_TO = re.compile(rf"^[^.;]{{0,80}}?,\s*{alternation(lex.RAISED_TO)}", re.IGNORECASE)
_CONGRESS = re.compile(rf"{alternation(lex.CONGRESS_ATTENDANCE)}\s+đại\s+hội|{alternation(lex.CONGRESS_WORDS)}|"
                       rf"đại\s+hội\s+đại\s+biểu\s+đảng\s+bộ[^.\n]{{0,60}}nhiệm\s+kỳ\s+{YEAR}\s*[-–]\s*{YEAR}",
                       re.IGNORECASE)
_MIDTERM = re.compile(alternation(lex.MIDTERM_WORDS), re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PHASE = alternation(lex.PHASE_NOUNS)

# Not periods, blanked before any period is read (same length, offsets kept):
_NOT_PERIODS = [
    # a comparison base: "so với cùng kỳ năm 2021", "so với năm 2015", "so cùng kỳ", "so với giai đoạn 2016-2020"
    re.compile(rf"{_B}{alternation(lex.COMPARISON_WORDS)}\s+(?:{alternation(lex.COMPARISON_LINKS)}\s+)?"
               rf"{alternation(lex.COMPARISON_SAME_TIME)}?\s*(?:của\s+)?"
               rf"(?:(?:đầu|cuối)\s+)?(?:\d{{1,2}}\s+tháng(?:\s+(?:đầu|cuối))?(?:\s+năm)?|{alternation(lex.PERIOD_NOUNS)}|"
               rf"quý\s+\w+|tháng\s+\d{{1,2}})?"
               rf"\s*(?:{YEAR}(?:{_DASH}{YEAR})?|{alternation(lex.PAST_YEAR_WORDS)})?", re.IGNORECASE),
    # the same part of an earlier year without "so với": "bằng 110% cùng kỳ năm 2022"
    re.compile(rf"{_B}{alternation(lex.SAME_PERIOD_WORDS)}\s+(?:của\s+)?(?:năm\s+)?"
               rf"(?:{YEAR}|{alternation(lex.PAST_YEAR_WORDS)})", re.IGNORECASE),
    # "gấp 1,3 lần năm 2015", "bằng 1,5 lần năm 2020"
    re.compile(rf"{_B}{alternation(lex.MULTIPLE_WORDS)}\s+(?:so\s+với\s+)?năm\s+{YEAR}", re.IGNORECASE),
    # a criteria set's label: "bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021-2025"
    re.compile(rf"{_B}{alternation(lex.CRITERIA_WORDS)}[^.;:,()]{{0,80}}?{_PHASE}\s+{YEAR}(?:{_DASH}{YEAR})?",
               re.IGNORECASE),
    # a plan's horizon: "tầm nhìn đến năm 2030", "định hướng đến năm 2030"
    re.compile(rf"{_B}{alternation(lex.HORIZON_WORDS)}\s+(?:đến\s+)?(?:năm\s+)?{YEAR}", re.IGNORECASE),
    # a term label: "nhiệm kỳ 2020-2025", "khóa XXI, nhiệm kỳ 2021 – 2026" (its start is read apart),
    # not the start of a term "từ đầu nhiệm kỳ 2020-2025 đến nay"
    re.compile(rf"(?<!đầu\s)nhiệm kỳ\s+{YEAR}{_DASH}{YEAR}", re.IGNORECASE),
    # a date is a day, not a period, unless it is a cut-off ("đến 30/8/2020", read first)
    re.compile(rf"{_B}(?:ngày\s+)?\d{{1,2}}\s+tháng\s+\d{{1,2}}\s+năm\s+{YEAR}", re.IGNORECASE),
    re.compile(rf"{_B}(?:ngày\s+)?\d{{1,2}}[/.-]\d{{1,2}}[/.-]{YEAR}(?!\d)", re.IGNORECASE),
    # a document's number "số 05/2021/NQ-HĐND", "Quyết định 123/QĐ-UBND năm 2021"
    re.compile(rf"\d+/{YEAR}/[A-ZĐ]"),
    # an age or a duration is not a year: "trẻ em dưới 5 tuổi", "5 năm liên tục"
]
# A programme's or a scheme's own phase is part of its name ("Đề án ... giai đoạn 2016-2025"): it
# is the figure's period only when it opens the sentence as a frame.
_LABELLED = re.compile(rf"{_B}{alternation(lex.LABELLED_HEADS)}(?:(?!{_PHASE}|{_B}{alternation(lex.LABEL_ENDERS)}"
                       rf"{_E})(?:[^.;:(),]|\([^()]{{1,15}}\))){{0,110}}$", re.IGNORECASE)
_PROGRAMME_TOPIC = re.compile(rf"^\W*(?:{alternation(lex.TOPIC_PREPOSITIONS)}\s+)?"
                              rf"{alternation(lex.PROGRAMME_TOPIC_HEADS)}", re.IGNORECASE)
# Capital of a year ("nguồn vốn năm 2023 chuyển sang năm 2024"): the vintage of the money, the
# period of an allocation but not of a disbursement made now.
_VINTAGE = re.compile(rf"{_B}(?:kế\s+hoạch\s+)?vốn(?:\s+[^\s,.;]+){{0,4}}?\s+năm\s+({YEAR})"
                      rf"(?:\s+{alternation(lex.VINTAGE_CARRIES)}(?:\s+năm\s+{YEAR})?)?", re.IGNORECASE)


@dataclass(slots=True)
class Mention:
    """A time expression in a sentence: ``kind`` and what it says (``y1``/``y2`` years, ``m1``/``m2``
    months, ``day`` a cut-off day; ``None`` where the report must tell)."""

    start: int
    end: int
    kind: str  # span | year | until | months | month | now | since | term_now | this_year | next_year | vintage
    y1: int | None = None
    y2: int | None = None
    m1: int | None = None
    m2: int | None = None
    day: int | None = None
    frame: bool = False
    label: bool = False
    count: int | None = None  # "trong 3 năm tới": how many years


_NOW_POINTS = alternation(lex.NOW_POINTS)
_COUNT = alternation(lex.COUNT_WORDS)
_COUNT_VALUE = {w: i + 2 for i, w in enumerate(lex.COUNT_WORDS)}  # the words count from two
_DAY_MONTH = rf"(\d{{1,2}})\s*[/.-]\s*(\d{{1,2}})(?:\s*[/.-]\s*({YEAR}))?"
_MENTIONS: list[tuple[str, re.Pattern]] = [
    # from a day to a day: "từ ngày 01/7 đến ngày 30/9/2025", "từ 01/01/2024 đến hết ngày 15/10/2024"
    ("date_span", re.compile(rf"{_B}(?:kể\s+)?từ\s+(?:ngày\s+)?{_DAY_MONTH}\s*(?:đến|tới|[-–])\s*(?:hết\s+)?"
                             rf"(?:ngày\s+)?{_DAY_MONTH}(?![\d/])", re.IGNORECASE)),
    # since a day, opening its clause: "Từ ngày 01/7/2025, xã đã ..." (to the report's time)
    ("since_frame", re.compile(rf"(?:^|(?<=[,;]))\W*(?:kể\s+)?từ\s+(?:ngày\s+)?{_DAY_MONTH}(?=\s*,)", re.IGNORECASE)),
    # a cut-off date: "đến 30/8/2020", "tính đến ngày 15-6", "đến ngày 15/5/2023"
    ("until", re.compile(rf"{_B}(?:tính\s+)?(?:đến|tới)\s+(?:hết\s+)?(?:thời\s+điểm\s+)?(?:ngày\s+)?"
                         rf"(\d{{1,2}})\s*[/.-]\s*(\d{{1,2}})"
                         rf"(?:\s*[/.-]\s*({YEAR}))?(?![\d/])", re.IGNORECASE)),
    # months across a year's end: "từ tháng 10/2022 đến tháng 3/2023"
    ("month_range", re.compile(rf"{_B}từ\s+tháng\s+(\d{{1,2}})(?:\s*[/-]\s*|\s+năm\s+)({YEAR})\s+(?:đến|tới)\s+"
                               rf"(?:hết\s+)?tháng\s+(\d{{1,2}})(?:\s*[/-]\s*|\s+năm\s+)({YEAR})", re.IGNORECASE)),
    # a span of months: "từ tháng 9 đến tháng 11-2020"
    ("month_span", re.compile(rf"{_B}từ\s+tháng\s+(\d{{1,2}})\s+(?:đến|tới)\s+tháng\s+(\d{{1,2}})"
                              rf"(?:\s*[/-]\s*|\s+năm\s+)?({YEAR})?", re.IGNORECASE)),
    # to a month's end: "đến hết tháng 9/2025", "lũy kế đến tháng 8 năm 2023"
    ("until_month", re.compile(rf"{_B}(?:tính\s+)?(?:đến|tới)\s+(?:hết\s+|cuối\s+)?tháng\s+(\d{{1,2}})"
                               rf"(?:\s*[/-]\s*|\s+năm\s+)?({YEAR})?", re.IGNORECASE)),
    # since the start of the term: "từ đầu nhiệm kỳ đến nay", "qua nửa nhiệm kỳ"
    ("term_now", re.compile(rf"{_B}(?:(?:ngay\s+)?từ\s+đầu\s+nhiệm\s+kỳ(?:\s+{YEAR}{_DASH}{YEAR})?"
                            rf"(?:\s+(?:đến|tới)\s+nay)?|"
                            rf"(?:qua|sau)\s+(?:nửa|giữa)\s+nhiệm\s+kỳ)", re.IGNORECASE)),
    # since the start of the year: "từ đầu năm 2023 đến nay", "từ đầu năm đến thời điểm hiện nay"
    ("since_year", re.compile(rf"{_B}từ\s+đầu\s+năm(?:\s+({YEAR}))?(?:\s+(?:đến|tới)\s+(?:{_NOW_POINTS}|"
                              rf"thời\s+điểm))?(?![{_W}])", re.IGNORECASE)),
    # since a day: "từ ngày 01/7/2025 đến nay" (a commune's report after the reform)
    ("since_date", re.compile(rf"{_B}(?:kể\s+)?từ\s+(?:ngày\s+)?(\d{{1,2}})\s*[/.-]\s*(\d{{1,2}})"
                              rf"(?:\s*[/.-]\s*({YEAR}))?\s+(?:đến|tới)\s+(?:{_NOW_POINTS})(?![{_W}])", re.IGNORECASE)),
    # since a past year: "từ năm 2021 đến nay", "kể từ năm 2019 tới thời điểm báo cáo"
    ("since", re.compile(rf"{_B}(?:kể\s+)?từ\s+(?:năm\s+)?({YEAR})\s+(?:(?:đến|tới)\s+)(?:{_NOW_POINTS})(?![{_W}])",
                         re.IGNORECASE)),
    # a phase: "giai đoạn 2016-2020", "trong 2 năm 2022 - 2023", "từ năm 2017 đến năm 2020",
    # "5 năm (2016-2020)", "giai đoạn 2022 và 2023", "(2016 - 2020)", "trong hai năm 2021 - 2022",
    # "năm học 2022-2023"
    ("span", re.compile(rf"{_B}(?:(?:{alternation(lex.SPAN_NOUNS)}|trong(?:\s+(?:\d+|{_COUNT}))?\s+năm|từ(?:\s+năm)?|"
                        rf"(?:\d+|{_COUNT})\s+năm)\s*\(?\s*|\(\s*)"
                        rf"({YEAR})\s*(?:[-–—]|đến(?:\s+năm)?|tới(?:\s+năm)?|và)\s*({YEAR})\)?", re.IGNORECASE)),
    # to a quarter's end is cumulative: "đến hết quý II/2023"
    ("until_quarter", re.compile(rf"{_B}(?:tính\s+)?(?:đến|tới)\s+(?:hết\s+|cuối\s+)?qu[ýíy]\s+(IV|I{{1,3}}|[1-4])"
                                 rf"(?![{_W}])(?:\s*(?:/|năm|-)\s*({YEAR}))?", re.IGNORECASE)),
    # half a year: "nửa đầu năm 2023", "nửa cuối năm"
    ("half", re.compile(rf"{_B}{alternation(lex.HALF_WORDS)}\s+(đầu|cuối)\s+năm(?:\s+({YEAR}))?(?![{_W}])",
                        re.IGNORECASE)),
    # a count of months from January after a cumulative lead or opening the sentence: "Tính chung 9 tháng, ..."
    ("months_cumulative", re.compile(rf"{_B}{alternation(lex.CUMULATIVE_MONTHS_LEADS)}\s+(\d{{1,2}})\s+tháng(?![{_W}])",
                                     re.IGNORECASE)),
    ("months_lead", re.compile(rf"(?:{_B}{alternation(lex.MONTHS_LEADS)}\s+|^\W*)(\d{{1,2}})\s+tháng(?=\s*[,:])",
                               re.IGNORECASE)),
    # a quarter: "quý I năm 2023", "trong quí I"
    ("quarter", re.compile(rf"{_B}qu[ýíy]\s+(IV|I{{1,3}}|[1-4])(?![{_W}])(?:\s*(?:/|năm|-)\s*({YEAR}))?",
                           re.IGNORECASE)),
    # months into the year: "9 tháng đầu năm 2019", "6 tháng cuối năm", "8 tháng năm 2020",
    # "trong 6 tháng qua", "5 tháng đầu năm"
    ("months", re.compile(rf"(?<!sau\s)(?<!hơn\s)(?<!sớm\s)(?<![\d,.])(\d{{1,2}})\s+tháng\s+"
                          rf"(?:(đầu|cuối)\s+năm(?:\s+({YEAR}))?|năm\s+({YEAR})|(qua)(?![{_W}]))", re.IGNORECASE)),
    # a month: "tháng 9 năm 2025", "tháng 8/2023", "trong tháng 9"
    ("month", re.compile(rf"{_B}(?:(?:trong|của)\s+)?tháng\s+(\d{{1,2}})(?:\s*/\s*|\s+năm\s+)({YEAR})|"
                         rf"{_B}(?:(?:trong|của)\s+tháng(?:\s+(\d{{1,2}}))?|tháng\s+(\d{{1,2}}))"
                         rf"(?![{_W}]|\s*[-/.]\s*\d)", re.IGNORECASE)),
    # a year: "năm 2022", "hết năm 2022", "đến cuối năm 2019", "đến năm 2025"; "2025," opening a sentence
    ("year", re.compile(rf"{_B}(?:(?:trong|hết|cuối|đầu|của|ước)\s+)?(?:(?:đến|tới)\s+(?:hết\s+|cuối\s+)?)?"
                        rf"(?:năm|niên\s+độ)\s+({YEAR})(?!\s*[-–]\s*{YEAR})|^\W*({YEAR})(?=\s*[,.:]|\s+(?:là|cũng))",
                        re.IGNORECASE)),
    # the report's year unnamed: "trong năm", "cả năm", "năm nay", "cuối năm", "từ nay đến cuối năm"
    ("this_year", re.compile(rf"{_B}(?:trong\s+năm(?:\s+nay)?|cả\s+năm|năm\s+nay|(?:đến\s+|từ\s+nay\s+đến\s+)?"
                             rf"cuối\s+năm)(?!\s+(?:{YEAR}|học|\d))(?![{_W}])", re.IGNORECASE)),
    # the next years: "trong 3 năm tới", "5 năm tiếp theo"
    ("next_years", re.compile(rf"{_B}(?:trong\s+)?(\d{{1,2}}|{_COUNT})\s+năm\s+(?:tới|sắp\s+tới|tiếp\s+theo)(?![{_W}])",
                              re.IGNORECASE)),
    ("next_year", re.compile(rf"{_B}năm\s+(?:tới|sau|kế\s+tiếp)(?![{_W}])", re.IGNORECASE)),
    # now: "đến nay", "hiện nay", "đến thời điểm hiện nay", "hiện có"
    ("now", re.compile(rf"{_B}(?:(?:đến|tới)\s+{_NOW_POINTS}|hiện\s+nay|"
                       rf"hiện\s+tại|hiện(?=\s+(?:có|còn|đã|đang|cũng)))(?![{_W}])", re.IGNORECASE)),
]


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _blank(text: str, spans) -> str:
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _masked(sentence: str) -> str:
    """The sentence with what is never a period blanked (comparison bases, labels, dates)."""
    spans = []
    low = sentence.lower()
    has_year = _A_YEAR.search(sentence) is not None
    for pattern, keys, needs_year in zip(_NOT_PERIODS, _NOT_PERIOD_KEYS, _NOT_PERIOD_NEED_YEAR, strict=True):
        if (keys and not any(k in low for k in keys)) or (needs_year and not has_year):
            continue
        for m in pattern.finditer(sentence):
            if m.end() > m.start():
                # a cut-off "đến 30/8/2020" is a period: keep its date
                if pattern.pattern.startswith(_B + "(?:ngày") and _CUT_OFF_BEFORE.search(
                        sentence[max(0, m.start() - 26):m.start()]):
                    continue
                spans.append((m.start(), m.end()))
    return _blank(sentence, spans)


# words without which a pattern cannot match, to skip it at once (same order as the patterns)
_NOT_PERIOD_KEYS = (("so",), ("cùng kỳ", "cùng kì", "cùng thời"), ("lần",), ("tiêu chí",), ("tầm nhìn", "định hướng"),
                    ("nhiệm kỳ",), ("tháng",), (), ("/",))
# and whether it cannot match without a year in the sentence (most sentences name none)
_NOT_PERIOD_NEED_YEAR = (False, False, True, True, True, True, True, True, True)
_MENTION_NEED_YEAR = frozenset({"span", "since", "year"})
_A_YEAR = re.compile(YEAR)
# two years joined, without which there is no span (a quick test before the span's pattern)
_YEAR_PAIR = re.compile(rf"{YEAR}\s*(?:[-–—]|đến|tới|và)(?:\s*năm)?\s*{YEAR}", re.IGNORECASE)
# words without which a time pattern cannot match: every group must have one of its words in the sentence
_UNTIL = ("đến", "tới")
_NOW_KEYS = ("nay", "thời điểm", "báo cáo")
_MENTION_KEYS = {"date_span": (("từ",),), "since_frame": (("từ",),),
                 "until": (_UNTIL,), "until_month": (("tháng",), _UNTIL), "month_span": (("từ",), ("tháng",)),
                 "term_now": (("nhiệm kỳ",),), "since_year": (("đầu năm",),), "since": (("từ",), _NOW_KEYS),
                 "since_date": (("từ",), _NOW_KEYS), "quarter": (("qu",),), "until_quarter": (("qu",), _UNTIL),
                 "half": (("nửa",),), "months_lead": (("tháng,", "tháng:", "tháng ,", "tháng :"),),
                 "months_cumulative": (lex.CUMULATIVE_MONTHS_LEADS, ("tháng",)),
                 "month_range": (("từ",), ("tháng",)), "next_years": (("năm",), ("tới", "tiếp theo")),
                 "months": (("tháng",),), "month": (("tháng",),), "this_year": (("năm",),),
                 "next_year": (("năm",), ("tới", "sau", "kế tiếp")), "now": (("nay", "hiện", "thời điểm"),)}
_FRAME = re.compile(r"^\W*" + _FRAME_LEAD + r"$", re.IGNORECASE)
# (and the start of a span to now: "từ ngày 01/7/2025 đến nay")
_CUT_OFF_BEFORE = re.compile(r"(?:(?:đến|tới)\s+(?:hết\s+)?(?:thời\s+điểm\s+)?|từ\s+)(?:ngày\s+)?$", re.IGNORECASE)
# a sentence without any of these names no time: most sentences, skipped at once (looked for in the
# sentence folded as re.IGNORECASE compares letters, ``fold_case``: a pattern without the flag reads
# it three times faster)
_ANY_TIME = re.compile(r"năm|tháng|qu[ýíy]|nay|hiện|kỳ|đến|tới|" + YEAR)


def find_mentions(sentence: str) -> list[Mention]:
    """The time expressions of one sentence, in order, comparison bases and labels left out."""
    if not _ANY_TIME.search(fold_case(sentence)):
        return []
    # copies (callers fill in years): built field by field, dataclasses.replace is slow
    return [Mention(m.start, m.end, m.kind, m.y1, m.y2, m.m1, m.m2, m.day, m.frame, m.label, m.count)
            for m in _find_mentions(sentence)]


@functools.lru_cache(maxsize=2048)
def _find_mentions(sentence: str) -> tuple[Mention, ...]:
    masked = _masked(sentence)
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    has_year = _A_YEAR.search(masked) is not None
    for m in _VINTAGE.finditer(masked) if has_year and "vốn" in masked else ():
        found.append(Mention(m.start(), m.end(), "vintage", y1=int(m.group(1)), y2=int(m.group(1))))
        # the vintage's own year is not read again as a year, but the span stays open to others
        taken.append((m.start(1) - 4, m.end()))
    low = masked.lower()
    for kind, pattern in _MENTIONS:
        groups = _MENTION_KEYS.get(kind, ())
        if (not has_year and kind in _MENTION_NEED_YEAR) or not all(any(k in low for k in g) for g in groups):
            continue
        if kind == "span" and not _YEAR_PAIR.search(masked):
            continue
        for m in pattern.finditer(masked):
            if not free(m.start(), m.end()):
                continue
            mention = _read(kind, m)
            if mention is None:
                continue
            found.append(mention)
            taken.append((m.start(), m.end()))
    found.sort(key=lambda x: x.start)
    for mention in found:
        lead = sentence[:mention.start]
        clause_lead = lead[lead.rfind(";") + 1:]
        mention.frame = len(clause_lead) < 60 and bool(_FRAME.match(clause_lead))
        if mention.kind == "span" and _LABELLED.search(masked[max(0, mention.start - 120):mention.start]):
            mention.label = True
            # a programme named with its phase as the topic of the sentence: "Chương trình MTQG xây
            # dựng nông thôn mới giai đoạn 2021 - 2025, toàn huyện ..." frames it
            if _PROGRAMME_TOPIC.match(lead) and not re.search(r"[,;:]", lead) \
                    and sentence[mention.end:].lstrip().startswith(","):
                mention.frame = True
    return tuple(found)


def _read(kind: str, m: re.Match) -> Mention | None:
    g = m.groups()
    a, b = m.start(), m.end()
    if kind == "until":
        day, month = int(g[0]), int(g[1])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return Mention(a, b, "until", y1=int(g[2]) if g[2] else None, m2=month, day=day)
    if kind == "until_month":
        month = int(g[0])
        if not 1 <= month <= 12:
            return None
        return Mention(a, b, "months", y1=int(g[1]) if g[1] else None, m1=1, m2=month)
    if kind == "month_span":
        m1, m2 = int(g[0]), int(g[1])
        if not (1 <= m1 <= m2 <= 12):
            return None
        return Mention(a, b, "months", y1=int(g[2]) if g[2] else None, m1=m1, m2=m2)
    if kind in ("term_now", "now", "this_year", "next_year"):
        return Mention(a, b, kind)
    if kind == "since":
        return Mention(a, b, "since", y1=int(g[0]))
    if kind == "date_span":
        d1, m1, d2, m2 = int(g[0]), int(g[1]), int(g[3]), int(g[4])
        y1, y2 = (int(g[2]) if g[2] else None), (int(g[5]) if g[5] else None)
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12 and 1 <= d1 <= 31 and 1 <= d2 <= 31):
            return None
        y1 = y1 or y2
        y2 = y2 if y2 and y2 != y1 else None
        if (y1 or 0, m1) > (y2 or y1 or 0, m2) or (y2 and y2 - y1 > 2):
            return None
        return Mention(a, b, "months", y1=y1, y2=y2, m1=m1, m2=m2)
    if kind in ("since_date", "since_frame"):
        day, month = int(g[0]), int(g[1])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return Mention(a, b, "since", y1=int(g[2]) if g[2] else None, m1=month, day=day)
    if kind == "since_year":
        return Mention(a, b, "now", y1=int(g[0]) if g[0] else None)
    if kind == "span":
        y1, y2 = int(g[0]), int(g[1])
        if not y1 <= y2 <= y1 + 15:
            return None
        return Mention(a, b, "span", y1=y1, y2=y2)
    if kind == "month_range":
        m1, y1, m2, y2 = int(g[0]), int(g[1]), int(g[2]), int(g[3])
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12 and (y1, m1) <= (y2, m2) and y2 - y1 <= 2):
            return None
        return Mention(a, b, "months", y1=y1, y2=y2, m1=m1, m2=m2)
    if kind == "next_years":
        n = int(g[0]) if g[0].isdigit() else _COUNT_VALUE[g[0].lower()]
        return Mention(a, b, "next_year", count=n) if 1 <= n <= 10 else None
    if kind in ("months_lead", "months_cumulative"):
        n = int(g[0])
        return Mention(a, b, "months", m1=1, m2=n) if 1 <= n <= 12 else None
    if kind == "until_quarter":
        return Mention(a, b, "months", y1=int(g[1]) if g[1] else None, m1=1, m2=3 * _ROMAN[g[0].lower()])
    if kind == "half":
        first = g[0].lower() == "đầu"
        return Mention(a, b, "months", y1=int(g[1]) if g[1] else None, m1=1 if first else 7, m2=6 if first else 12)
    if kind == "quarter":
        q = _ROMAN[g[0].lower()]
        return Mention(a, b, "months", y1=int(g[1]) if g[1] else None, m1=3 * q - 2, m2=3 * q)
    if kind == "months":
        n = int(g[0])
        if not 1 <= n <= 12:
            return None
        year = g[2] or g[3]
        if g[1] and g[1].lower() == "cuối":
            return Mention(a, b, "months", y1=int(year) if year else None, m1=13 - n, m2=12)
        return Mention(a, b, "months", y1=int(year) if year else None, m1=1, m2=n)
    if kind == "month":
        if g[0]:
            month, year = int(g[0]), int(g[1])
        else:
            month, year = (int(g[2] or g[3]) if g[2] or g[3] else None), None
        if month is not None and not 1 <= month <= 12:
            return None
        return Mention(a, b, "month", y1=year, m1=month, m2=month)
    if kind == "year":
        y = int(g[0] or g[1])
        return Mention(a, b, "year", y1=y, y2=y)
    return None


# National anniversaries a report is written for date it (lexicon: COMMEMORATED).
_ANNIVERSARY = re.compile(rf"{alternation(lex.ANNIVERSARY_WORDS)}\s+(\d{{1,3}})\s+năm\s+(?:ngày\s+)?"
                          rf"({alternation(lex.COMMEMORATED)})", re.IGNORECASE)


def _anniversary_year(text: str) -> int | None:
    m = _ANNIVERSARY.search(text)
    if not m:
        return None
    return lex.COMMEMORATED[re.sub(r"\s+", " ", m.group(2).lower())] + int(m.group(1))


# --- the report's date ----------------------------------------------------------------------------
# a date line of an administrative document: "Hướng Hiệp, ngày 05 tháng 10 năm 2025"
_DATE_LINE = re.compile(rf"(?m)^[^\n,]{{1,40}},\s*ngày\s+(\d{{1,2}})\s+tháng\s+(\d{{1,2}})\s+năm\s+({YEAR})")
# an event date opening the lead: "Sáng 17/12,", "Ngày 8.12,", "Chiều ngày 7/1,", "Sáng nay 22/5,",
# "(GLO)- Ngày 14-12-2017", "Trong 2 ngày 17 và 18-12"
_LEAD_DATE = re.compile(
    rf"(?:^|\n|[.!?:]\s+|[-–]\s*|\)\s*|,\s*)(?:{alternation(lex.DAY_PARTS)}(?:\s+nay)?(?:\s+ngày)?|ngày|"
    rf"(?:trong\s+)?\d\s+ngày\s+\d{{1,2}}\s+(?:và|,)(?:\s+ngày)?)(?:\s+|\s*\(\s*)(\d{{1,2}})"
    rf"(?:\s*[/.-]\s*|\s+tháng\s+)(\d{{1,2}})(?:(?:\s*[/.-]\s*|\s+năm\s+)({YEAR}))?(?![\d/])", re.IGNORECASE)
# a session over days, its first day: "Trong 2 ngày (14-15/12/2023)", "2 ngày 14 - 15/12"
_SESSION_DAYS = re.compile(
    rf"(?:^|\n|[.!?:]\s+|[-–]\s*|\)\s*|,\s*)(?:trong\s+)?\d\s+ngày\s*\(?\s*(?:từ\s+)?(?:ngày\s+)?(\d{{1,2}})"
    rf"\s*(?:[-–,]|và|đến)\s*(?:ngày\s+)?\d{{1,2}}\s*[/.-]\s*(\d{{1,2}})(?:\s*[/.-]\s*({YEAR}))?(?![\d/])",
    re.IGNORECASE)
# a publication line: a date alone on a short line, with or without a time ("21:44 08/09/2023",
# "Thứ Tư, 23-09-2020, 01:57", "Cập nhật ngày: 10/12/2023 - 17:32", "Minh Phương 15:12, 21/02/2023")
_PUB_LINE = re.compile(rf"(?m)^[^\n]{{0,40}}?(?<![\d/.-])(\d{{1,2}})[/-](\d{{1,2}})[/-]({YEAR})(?![\d/])[^\n]{{0,20}}$")


def _is_citation(text: str, start: int, end: int) -> bool:
    """A date of a cited document: followed by "của <body>" or after its number ("số 05-NQ/TU ngày ...")."""
    if re.match(r"\s*,?\s*(?:của|do)\s", text[end:end + 12]):
        return True
    return bool(re.search(r"(?:số|/[A-ZĐ][\w-]*)\s*[^\s]*\s*,?\s*(?:ngày\s*)?$", text[max(0, start - 30):start]))


def mentioned_years(text: str) -> Counter:
    """How often each year is mentioned, term labels ("nhiệm kỳ 2020 - 2025") left out."""
    return Counter(int(y) for y in _YEAR_RE.findall(_TERM.sub(" ", text)))


def infer_year(text: str, month: int) -> int | None:
    """The year of a date written without one, from the years the text talks about.

    A report written late in a year talks much of the next one (its targets): when the most
    mentioned year's predecessor is mentioned too and the date falls in the last quarter,
    the report belongs to the predecessor.
    """
    years = mentioned_years(text)
    # a dated statement in the text ("đến ngày 15/5/2023") pins the current year down
    dated = [int(m.group(3)) for m in _FULL_DATE.finditer(text) if not _is_citation(text, m.start(), m.end())]
    if not years:
        return max(dated) if dated else None
    top = max(years, key=lambda y: (years[y], y))
    if dated and max(dated) >= top - 2:
        return max(dated)
    if month >= 10 and years.get(top - 1):
        return top - 1
    return top


@dataclass(slots=True)
class _Head:
    """What the title and lead say of the report's time."""

    period: Mention | None = None  # the reviewed period, its year possibly unknown
    reviewed: bool = False  # named after a review word ("tổng kết ... năm 2025"), not only as a topic
    phase: tuple[int, int] | None = None  # a phase the report reviews ("Giai đoạn 2015-2020, ...")
    term: tuple[int, int] | None = None  # a Party or council term it is in ("nhiệm kỳ 2020-2025")
    midterm: bool = False


@functools.lru_cache(maxsize=8)
def _head(text: str) -> _Head:
    head_text = text[:900]
    info = _Head()
    terms = [(int(m.group(1)), int(m.group(2))) for m in _TERM.finditer(text[:3000])]
    info.term = terms[0] if terms else None
    # the meeting is a mid-term review when its lead says so (not a later mention of preparing one)
    info.midterm = bool(_MIDTERM.search(text[:400]))
    # (mention, named after a plan word, named after a review word)
    candidates: list[tuple[Mention, bool, bool]] = []
    for line in head_text.split("\n"):
        if _PUB_LINE.match(line):
            continue
        line_mentions = _line_mentions(line)
        for k, mention in enumerate(line_mentions):
            if mention.kind not in ("year", "span", "months", "month", "vintage", "now"):
                continue
            if mention.kind == "month" and _month_and_more(line, mention, line_mentions[k + 1:k + 2]):
                continue  # "tháng 9 và 9 tháng năm 2024", "tháng 12 và cả năm": the report covers the more
            before = line[max(0, mention.start - 70):mention.start]
            review = [m.end() for m in _REVIEW_WORDS.finditer(before)]
            plan = [m.end() for m in _PLAN_WORDS.finditer(before)]
            planned = bool(plan) and (not review or max(plan) > max(review))
            if mention.kind == "vintage":
                mention.kind = "year"
            candidates.append((mention, planned, bool(review) and not planned))
            # a month or part of a year without its year takes the next year named on its line
            if mention.kind in ("months", "month", "now") and mention.y1 is None:
                later = [x for x in line_mentions if x.start >= mention.end and x.y1 and x.kind != "span"]
                if later:
                    mention.y1 = later[0].y1
    reviewed = [c for c in candidates if not c[1]] or candidates
    for mention, _, after_review in reviewed:
        if mention.kind == "span" and mention.label and mention is not reviewed[0][0]:
            continue
        if mention.kind == "span":
            if info.phase is None:
                info.phase = (mention.y1, mention.y2)
            continue
        if mention.kind == "month" and mention.m1 is None:
            continue
        info.period = mention
        info.reviewed = after_review
        break
    return info


_AND_MORE = re.compile(r"\s*(?:và|,)\s*(?:(?:cả|lũy\s+kế|luỹ\s+kế|tính\s+chung)\s+)?$", re.IGNORECASE)


def _month_and_more(line: str, month: Mention, following: list[Mention]) -> bool:
    """A month named with the months to it or its year ("tháng 9 và 9 tháng năm 2024")."""
    if not following or month.m1 is None or not _AND_MORE.match(line[month.end:following[0].start]):
        return False
    more = following[0]
    return more.kind == "year" or (more.kind == "months" and more.m1 == 1 and more.m2 == month.m1)


def _line_mentions(line: str) -> list[Mention]:
    """The mentions of a line, read sentence by sentence (the sentences' mentions are cached and read
    again when their figures are dated), at their offsets in the line."""
    found = []
    for s, e in _sentences(line):
        for m in find_mentions(line[s:e]):
            m.start += s
            m.end += s
            found.append(m)
    return found


def find_report_date(text: str, head_chars: int = 1500) -> date | None:
    """The date the report was written or the meeting held, from its first lines."""
    head = text[:head_chars]
    m = _DATE_LINE.search(head)
    if m:
        found = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if found:
            return found
    pub = None
    for m in _PUB_LINE.finditer(text[:600]):
        pub = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if pub:
            break
    leads = sorted([*_LEAD_DATE.finditer(head), *_SESSION_DAYS.finditer(head)], key=lambda x: x.start())
    for m in leads:
        if _is_citation(head, m.start(1), m.end()) or re.search(
                r"(?:đến|tới|từ)\s*$", head[max(0, m.start() - 8):m.start() + 1], re.IGNORECASE):
            continue
        day, month = int(m.group(1)), int(m.group(2))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        if m.group(3):
            year = int(m.group(3))
        elif pub:
            year = pub.year - (1 if month > pub.month + 1 else 0)
        else:
            year = _year_of_lead_date(text, month)
        if year:
            found = _safe_date(year, month, day)
            if found:
                return found
    if pub:
        return pub
    m = _WORD_DATE.search(head)
    if m and not _is_citation(head, m.start(), m.end()):
        return _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    for m in _FULL_DATE.finditer(head):
        if not _is_citation(head, m.start(), m.end()):
            return _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return None


def _year_of_lead_date(text: str, month: int) -> int | None:
    """The year of a lead date without one, from what the report reviews: a year's review is held
    in its last months or the first of the next ("Chiều 7/1, ... tổng kết năm 2025" -> 2026); a
    mid-term review of a term in its middle year; else the years the text talks about."""
    info = _head(text)
    p = info.period
    if info.midterm and info.term:
        return (info.term[0] + info.term[1] + 1) // 2
    if p is not None and p.y1:
        if p.kind == "year" and month <= 3 and info.reviewed:
            return p.y1 + 1
        return p.y1
    return infer_year(text, month)


def _without_dates(text: str) -> str:
    """The text with its dates blanked (same length): "ngày 05 tháng 10 năm 2025" names no period."""
    for pattern in (_WORD_DATE, _FULL_DATE):
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def report_period(text: str, report_date: date | None) -> tuple[date | None, date | None]:
    """The period the report covers: what its title and lead review; a phase it reviews; from the
    start of its term for a mid-term review; else 1 January to its date."""
    info = _head(text)
    p = info.period
    ry = report_date.year if report_date else None
    if info.midterm and info.term and ry:
        return date(info.term[0], 1, 1), report_date
    if info.phase and (p is None or (p.kind == "year" and p.y1 == info.phase[1])):
        y1, y2 = info.phase
        if ry is None or y2 == ry or (y2 == ry - 1 and report_date.month <= 3):
            return date(y1, 1, 1), date(y2, 12, 31)
    if p is not None:
        years = mentioned_years(text) if not (p.y1 or ry) else None
        # a period named without its year in a report without a date: the year the text names most
        year = p.y1 or ry or (max(years, key=lambda y: (years[y], y)) if years else None)
        if year:
            if p.kind == "now":
                return date(year, 1, 1), report_date if report_date and report_date.year == year else date(year, 12, 31)
            # a year is reviewed at its end: a report of 1 March speaks of 2024 so far
            if p.kind == "year" and report_date and report_date.year == year and report_date.month < 10:
                return date(year, 1, 1), report_date
            if p.kind == "year":
                return date(year, 1, 1), date(year, 12, 31)
            end = month_end(year, p.m2 if p.kind == "months" else p.m1) if p.kind in ("months", "month") else None
            # months that end well after the report's date are its plan ("từ tháng 9 đến tháng 11-2020,
            # huyện hỗ trợ ..." in a report of 23 September), not what it reviews
            if end and not (report_date and (end - report_date).days > 45):
                return date(year, p.m1, 1), end
    if info.phase and ry is None:
        return date(info.phase[0], 1, 1), date(info.phase[1], 12, 31)
    if report_date:
        return date(report_date.year, 1, 1), report_date
    year = _anniversary_year(text[:1500])
    if year:
        return date(year, 1, 1), date(year, 12, 31)
    return None, None


def sentence_period(
    sentence: str, report_date: date | None, default: tuple[date | None, date | None]
) -> tuple[date | None, date | None]:
    """The period a sentence's figures refer to: its frame, else its first time expression; the
    report's period when it names none."""
    mentions = [m for m in find_mentions(sentence) if m.kind != "vintage" and not m.label]
    if not mentions:
        return default  # (most sentences name no time: the report's time is not built for them)
    time = _Time.make(report_date, default)
    frames = [m for m in mentions if m.frame]
    for m in frames + mentions:
        period = time.resolve(m)
        if period is not None:
            return period
    return default


# --- each figure's period -------------------------------------------------------------------------


@dataclass(slots=True)
class _Time:
    """The report's time as figures are read against it."""

    date: date | None
    period: tuple[date | None, date | None]
    year: int | None
    term_start: int | None = None
    phase: tuple[int, int] | None = None  # the report reviews a phase
    monthly: bool = False  # the report reviews one month: its figures are cumulative to it
    congress: bool = False
    year_review: bool = False  # a full year reviewed at its end: targets are for the next year

    @classmethod
    def make(cls, report_date: date | None, period: tuple[date | None, date | None]) -> _Time:
        start, end = period
        year = end.year if end else (report_date.year if report_date else None)
        t = cls(date=report_date, period=period, year=year)
        if start and end:
            if start.year < end.year:
                t.phase = (start.year, end.year)
            elif start.month == end.month and start.month > 1:
                t.monthly = True
            elif (start.month, end.month, end.day) == (1, 12, 31):
                t.year_review = bool(report_date and (report_date.year > end.year or report_date.month >= 10))
        return t

    def year_span(self, y1: int, y2: int | None = None) -> tuple[date, date]:
        return date(y1, 1, 1), date(y2 or y1, 12, 31)

    def now(self, start_year: int | None = None) -> tuple[date, date] | None:
        """"đến nay": 1 January (or the start of a phase or term) to the report's date when known."""
        y = self.year
        if y is None:
            return None
        if self.date and self.date.year == y:
            end = self.date
        elif self.period[1] and self.period[1].year == y and not self.date:
            end = self.period[1]  # "từ đầu năm đến nay" in a report of the first half without a date
        else:
            end = date(y, 12, 31)
        return date(start_year or y, 1, 1), end

    def resolve(self, m: Mention, role: str | None = None) -> tuple[date, date] | None:
        y = m.y1 or self.year
        if m.kind in ("span", "vintage"):
            return self.year_span(m.y1, m.y2)
        if m.kind == "year":
            return self.year_span(m.y1)
        if m.kind == "this_year":
            return self.year_span(self.year) if self.year else None
        if m.kind == "next_year":
            return self.year_span(self.year + 1, self.year + (m.count or 1)) if self.year else None
        if m.kind == "now":
            if m.y1 and m.y1 != self.year:
                return self.year_span(m.y1)
            if self.phase and self.date and self.period[1] == self.date:
                return self.now(self.phase[0])  # a mid-term review: from the term's start
            return self.now()
        if m.kind == "term_now":
            return self.now(self.term_start) if self.term_start else self.now()
        if m.kind == "since" and m.m1:
            start = _safe_date(m.y1 or y, m.m1, m.day) if (m.y1 or y) else None
            now = self.now()
            return (start, now[1]) if start and now and start <= now[1] else None
        if m.kind == "since":
            return self.now(min(m.y1, y)) if y else None
        if y is None:
            return None
        if m.kind == "until":
            end = _safe_date(y, m.m2, m.day)
            return (date(y, 1, 1), end) if end else None
        if m.kind == "months":
            return date(y, m.m1, 1), month_end(m.y2 or y, m.m2)
        if m.kind == "month":
            month = m.m1 or (self.period[1].month if self.monthly and self.period[1] else None)
            if month is None:
                return None
            return date(y, month, 1), month_end(y, month)
        return None


def _sentences(text: str) -> list[tuple[int, int]]:
    from sources.text import split_sentences  # late: sources.text is light, but keep the import local

    return split_sentences(text)


def _is_level(f, clause_left: str) -> bool:
    """A level read at a period's end (a rate, a count of what has a status, a per-head value), not a
    flow summed over it (money spent, works built)."""
    fields = f.fields
    if f.kind == "funding":
        return False
    if f.kind == "scorecard":
        return True
    if fields.get("change_value") is not None or fields.get("attainment_pct") is not None:
        return True
    if fields.get("unit") == "percent":
        return True
    near = clause_left[-70:]
    flows = [m.end() for m in _FLOW_VERBS.finditer(near)]
    levels = [m.end() for m in _LEVEL_CUES.finditer(near)]
    if flows and (not levels or max(flows) > max(levels)):
        return False
    if levels:
        return True
    return fields.get("unit") == "VND"


def figure_periods(text: str, found: list, report_date: date | None,
                   report_period: tuple[date | None, date | None]) -> None:
    """Date every figure the grammar found (``sources.extract._found.Found``), in place.

    The period of a figure is, in order: the nearest time expression before it in its own clause
    (a year right after its number is its own: "xuống còn 33,34% năm 2022"); a frame opening its
    sentence ("Năm 2022, ...", "5 tháng đầu năm, ..."); the period of the sentence it details
    ("Trong đó, ..."); its total's; a frame opening its paragraph; the report's. Targets take the
    year they are for; levels in a phase are of its last year; "đến nay" runs from 1 January (from
    the phase's or term's start) to the report's date.
    """
    if not found:
        return
    time = _Time.make(report_date, report_period)
    if time.year:
        terms = [(int(m.group(1)), int(m.group(2))) for m in _TERM.finditer(text)]
        current = [t for t in terms if t[0] <= time.year <= t[1]]
        time.term_start = current[0][0] if current else None
    time.congress = bool(_CONGRESS.search(text[:1500]))
    spans = _sentences(text)
    starts = [s for s, _ in spans]
    cache: dict[int, list[Mention]] = {}

    def mentions_of(i: int) -> list[Mention]:
        if i not in cache:
            s, e = spans[i]
            cache[i] = find_mentions(text[s:e])
        return cache[i]

    # the frame opening the nearest earlier sentence of the same paragraph that opens with one, per
    # sentence: found once per paragraph, not by a walk back from every figure (issue #19)
    frame_before: dict[int, Mention | None] = {}

    def paragraph_frame_of(i: int) -> Mention | None:
        path, j = [], i
        while True:
            if j in frame_before:
                found_frame = frame_before[j]
                break
            path.append(j)
            if not (j > 0 and text[spans[j][0] - 1] != "\n"):
                found_frame = None
                break
            frames = [m for m in mentions_of(j - 1) if m.frame and not m.label and m.kind != "vintage"]
            if frames:
                found_frame = frames[0]
                break
            j -= 1
        for k in path:
            frame_before[k] = found_frame
        return found_frame

    # frames carried through each paragraph, and the period each sentence settles on
    settled: dict[int, tuple] = {}
    # each sentence's text, and whether it may say "N năm liên tục", read once for all its figures
    sentences: dict[int, tuple[str, bool]] = {}
    for index, f in enumerate(found):
        i = max(0, bisect.bisect_right(starts, f.start) - 1)
        s, e = spans[i]
        rel_end = min(f.end, e) - s
        if i not in sentences:
            sentences[i] = (text[s:e], any(map(fold_case(text[s:e]).__contains__, _CONSECUTIVE_LEADS)))
        sentence, may_run = sentences[i]
        guess = f.period
        period = _figure_period(f, found, sentence, rel_end, mentions_of(i), i, spans, text, paragraph_frame_of,
                                time, settled, may_run)
        if period is None:
            period = guess if guess != (None, None) else time.period
        f.period = _cut_at_report(f, period, time)
        settled.setdefault(i, f.period)
        found[index] = f


@functools.lru_cache(maxsize=256)
def _annual_average(sentence: str) -> bool:
    """Does the sentence speak of an annual average? Asked for each of its figures: read once per
    sentence (issue #19: a sentence of many figures), from where an average word or a word of every
    year first occurs (each phrasing opens with one)."""
    return search_led(_ANNUAL_AVERAGE, sentence, _ANNUAL_AVERAGE_OPENERS) is not None


def _role(f) -> str:
    if f.kind == "funding":
        return "planned" if f.fields.get("measure") in ("planned", "requested") else "actual"
    if f.kind == "indicator" and f.fields.get("target_value") is not None and f.fields.get("actual_value") is None:
        return "target"
    return "actual"


def _figure_period(f, found, sentence, rel_end, mentions, i, spans, text, paragraph_frame_of, time: _Time,
                   settled, may_run: bool = True):
    role = _role(f)
    clause_start = sentence.rfind(";", 0, rel_end) + 1
    clause_left = sentence[clause_start:rel_end]
    disbursed = f.kind == "funding" and f.fields.get("measure") in ("disbursed", "spent")

    def usable(m: Mention) -> bool:
        if m.kind == "vintage" and disbursed:
            return False
        # a programme's or plan's phase is not a result's period, but it is what its targets are for
        # ("Kế hoạch 5 năm 2021-2025 đề ra tốc độ tăng trưởng bình quân 8%/năm")
        if m.label and not m.frame and not (role == "target" and m.kind == "span"):
            return False
        # a target is never for a year already past
        return not (role == "target" and m.y1 and time.year and (m.y2 or m.y1) < time.year and m.kind != "span")

    chosen = _chosen_mention(mentions, sentence, rel_end, clause_start, usable) if mentions else None
    if chosen is None and role != "target" and mentions:
        # a past year later in the figure's noun phrase, no other number between: "trao giấy khen cho 8
        # chi bộ, đảng bộ hoàn thành xuất sắc nhiệm vụ năm 2022" rates 2022
        chosen = next((m for m in mentions if m.kind == "year" and rel_end <= m.start <= rel_end + 80
                       and not re.search(r"[\d;.]", sentence[rel_end:m.start])
                       and time.year and m.y1 < time.year), None)
    sentence_phase = next((m for m in reversed(mentions) if m.kind == "span" and m.start < rel_end), None)
    period = None
    if chosen is not None:
        period = _resolve_for(f, chosen, role, clause_left, time, sentence_phase, mentions)
    run = _CONSECUTIVE.match(sentence, rel_end) if may_run else None
    last_year = (period[1].year if period is not None and period[0] and period[0].year == period[1].year
                 else time.year if period is None else None)
    if run and last_year and role != "target":
        # "hoàn thành xuất sắc nhiệm vụ 5 năm liên tục": the five years ending with the one rated (the
        # report's year when none is named)
        return date(last_year - int(run.group(1)) + 1, 1, 1), date(last_year, 12, 31)
    if period is None and f.parent is not None and 0 <= f.parent < len(found) and found[f.parent] is not f:
        parent = found[f.parent]
        if parent.period != (None, None):
            return parent.period
    if period is None and i > 0 and (i - 1) in settled and _DETAIL_OPENER.match(sentence):
        period = settled[i - 1]
    if period is None and _annual_average(sentence):
        # an annual average over the phase the report reviews, or over a congress's five years
        phase = time.phase or (
            (time.year - 4, time.year) if time.congress and time.year else None)
        if phase:
            return date(phase[0], 1, 1), date(phase[1], 12, 31)
    if period is None:
        period = _paragraph_frame(f, i, spans, text, paragraph_frame_of(i), role, clause_left, time)
    if period is not None and period[0] and period[0].year == period[1].year and role != "target":
        # an average growth against a base year runs from the year after it: "năm 2022 ... tăng
        # trưởng bình quân 17,1% so với năm 2020" is of 2021..2022
        clause = sentence[clause_start:sentence.find(";", rel_end) % (len(sentence) + 1)]
        base = next((b for b in _AVERAGE_SINCE.finditer(clause) if b.start() < rel_end - clause_start <= b.end()),
                    None)
        if base and int(base.group(1)) < period[1].year:
            return date(int(base.group(1)) + 1, 1, 1), period[1]
    if period is None and role == "target" and f.period[1] and f.period != time.period and time.year \
            and f.period[1].year >= time.year:
        return f.period  # a target in a list takes the list's year ("Các chỉ tiêu năm 2024: ...")
    if period is None:
        period = _default(f, role, clause_left, sentence, rel_end, time)
    return period


def _chosen_mention(mentions, sentence, rel_end, clause_start, usable) -> Mention | None:
    """The time expression of the sentence that governs a figure ending at ``rel_end``: a year right
    after its number, else the nearest one before it in its clause, else a frame before its clause."""
    # a year right after the number belongs to it: "xuống còn 33,34% năm 2022" (not the label of the
    # next item: "năm 2016: 24.257 triệu đồng, năm 2017: ...")
    after = [m for m in mentions if m.kind in ("year", "span", "months", "month") and usable(m)
             and rel_end <= m.start and not sentence[rel_end:m.start].strip()
             and not sentence[m.end:m.end + 2].strip().startswith(":")]
    # a parenthesis closed before the figure holds its own figures' periods: "(năm 2016: ..., năm
    # 2019: ...), chiếm 26,3%" is of the phase before the parenthesis
    closed = [(a.start(), sentence.find(")", a.start(), rel_end)) for a in re.finditer(r"\(", sentence[:rel_end])
              ] if "(" in sentence else []
    closed = [(a, b) for a, b in closed if b != -1]
    own = [m for m in mentions if clause_start <= m.start and m.end <= rel_end + 1 and usable(m)
           and not any(a < m.start < b for a, b in closed)]
    chosen = after[0] if after else (own[-1] if own else None)
    if chosen is None:
        frames = [m for m in mentions if m.frame and m.start < clause_start and usable(m)]
        chosen = frames[-1] if frames else None
    return chosen


def _resolve_for(f, m: Mention, role, clause_left, time: _Time, sentence_phase, mentions) -> tuple | None:
    if m.kind == "span":
        y1, y2 = m.y1, m.y2
        if role == "target" or time.year is None or y2 <= time.year:
            if role != "target" and y2 <= (time.year or y2) and _is_level(f, clause_left) and m.label:
                return time.year_span(y2)
            return time.year_span(y1, y2)
        # a phase still running: flows so far are of its start to the report, levels of the report year
        if y1 <= time.year:
            if _is_level(f, clause_left):
                return time.year_span(time.year)
            return time.now(y1)
        return time.year_span(y1, y2)
    if m.kind == "now":
        if m.y1 is None:
            # in a phase or term named before it: from its start
            if sentence_phase is not None and sentence_phase.start < m.start and sentence_phase.y1 < (time.year or 0) \
                    <= sentence_phase.y2:
                return time.now(sentence_phase.y1)
            if time.phase and not _is_level(f, clause_left):
                return time.year_span(*time.phase)
        return time.resolve(m, role)
    if m.kind == "since" and time.year and m.y1 and m.y1 < time.year and role != "target" \
            and _is_level(f, clause_left):
        return time.year_span(time.year)  # a level since a past year is the level now
    return time.resolve(m, role)


def _paragraph_frame(f, i, spans, text, m: Mention | None, role, clause_left, time: _Time):
    """A frame opening an earlier sentence of the same paragraph ("Cũng trong giai đoạn 2016-2020, ..."):
    ``m``, the first frame of the nearest such sentence (``figure_periods``' ``paragraph_frame_of``)."""
    if m is None:
        return None
    if role == "target" and m.y1 and time.year and (m.y2 or m.y1) < time.year:
        return None
    if m.kind == "year" and time.phase and role != "target" and m.y1 == time.phase[1] \
            and not _is_level(f, clause_left):
        return time.year_span(*time.phase)  # "đã thu hút 27 nhà đầu tư" in a phase's review
    if m.kind == "span" and role != "target":
        if _annual_average(text[spans[i][0]:spans[i][1]]) or not _is_level(f, clause_left):
            return time.year_span(m.y1, m.y2)
        return time.year_span(min(m.y2, time.year or m.y2))
    return time.resolve(m, role)


def _default(f, role, clause_left, sentence, rel_end, time: _Time):
    """No time expression governs the figure: the report's period, as its role reads it."""
    start, end = time.period
    if start is None or end is None:
        return None
    if role == "target":
        if time.year_review or (time.date and time.date.year > end.year):
            return time.year_span(end.year + 1)
        return time.year_span(end.year)
    if time.phase:
        # a mid-term review (its period runs to its date): every result is of the term so far
        if _annual_average(sentence) or not _is_level(f, clause_left) or end == time.date:
            return start, end
        return time.year_span(min(time.phase[1], time.year or time.phase[1]))
    if time.monthly:
        # a monthly report's figures run from January; an increment before "nâng lên" is the month's
        if _RAISED_TO.match(sentence[rel_end:]):
            return start, end
        return date(end.year, 1, 1), end
    return start, end


def _cut_at_report(f, period: tuple, time: _Time) -> tuple:
    """A result is never of days after its report: the year's figures of a report of 1 March run
    to 1 March."""
    start, end = period
    if (time.date is None or start is None or end is None or _role(f) in ("target", "planned")
            or (start.month, start.day, end.month, end.day) != (1, 1, 12, 31) or not start <= time.date < end
            or (f.fields.get("target_value") is not None and f.fields.get("actual_value") is None)):
        return period
    return start, time.date
