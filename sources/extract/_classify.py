"""Layers 2 and 3 of the grammar: what each quantity is, given its clause and its context."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sources.extract import _lexicon as lex
from sources.extract._grammar import (
    NUMBER_RE,
    Found,
    Quantity,
    _has,
    _last,
    _table_re,
    attached_programme,
    programme_mentions,
    read_quantity,
)
from sources.periods import sentence_period
from sources.text import split_sentences

_SCORECARD = re.compile(
    r"(?P<met>\d+)\s*/\s*(?P<total>\d+)\s+chỉ\s+tiêu[^.;]{0,160}?đạt\s+(?:và|hoặc)\s+vượt"
    r"(?:[^.;]{0,60}?trong\s+đó,?\s*(?:có\s+)?(?P<exc>\d+)\s+chỉ\s+tiêu\s+vượt)?",
    re.IGNORECASE,
)
_HEADING = re.compile(
    r"^\s*(?:[-*•+]|\d+(?:\.\d+)*\.|[a-zđ]\))\s*(?:đối với|về|đối với việc|về việc)?\s*(.{0,160}):\s*$", re.IGNORECASE
)
_PAREN_COMPONENTS = re.compile(r"^\s*\(\s*(?:năm\s+\d{4}\s*:|trong\s+đó\s*:?|gồm\s*:?|bao\s+gồm\s*:?)", re.IGNORECASE)
_RATE_AFTER_AMOUNT = re.compile(r"(?:đạt|bằng)\s*(?:được\s*)?(?:tỷ lệ\s*)?(?:hơn|trên|gần|khoảng|xấp xỉ)?\s*$",
                                re.IGNORECASE)
_EXCEED = re.compile(r"vượt\s*(?:mức\s*)?$", re.IGNORECASE)
_ATTAIN_AFTER = re.compile(r"^\s*(?:so\s+(?:với\s+)?)?(?:" + "|".join(lex.ATTAINMENT_NOUNS) + r")\b", re.IGNORECASE)
_CHANGE_BEFORE = re.compile(r"(tăng|giảm)\s+(?:thêm\s+)?$", re.IGNORECASE)
_W = r"0-9A-Za-zÀ-ỹĐđ"


def _alternation(phrases) -> str:
    return "(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True)) + ")"


# A plan noun compared against is the yardstick of a result, not its governor: "đạt 95% kế hoạch
# năm", "vượt kế hoạch năm", "so với kế hoạch năm", "hoàn thành kế hoạch năm", "đạt theo kế hoạch";
# a number right before it counts it ("10/12 chỉ tiêu năm"). Marker verbs ("phấn đấu", "sẽ") are never
# compared: "đến năm 2025 sẽ có" keeps its "sẽ".
_PLAN_NOUN = re.compile(_alternation(lex.PLAN_NOUNS))
_PLAN_COMPARED = re.compile(f"(?:(?<![{_W}])(?:đạt|vượt|bằng|so\\s+với|so|hoàn\\s+thành)|\\d|%)\\s*(?:mức\\s+)?$",
                            re.IGNORECASE)
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


def _governed_by_plan(low_left: str) -> bool:
    """A plan or future marker (lex.TARGET_CUES) governs the quantity: the nearest one before it in
    its clause that is not compared against, with no comma clause reporting what is done between
    ("Phấn đấu có 3 xã đạt chuẩn, đến nay đã có 1 xã": 3 is a target, 1 is not)."""
    window = low_left[-90:]
    for compound in lex.NOT_TARGET_CUES:
        window = window.replace(compound, " " * len(compound))
    for m in reversed(list(_table_re(lex.TARGET_CUES).finditer(window))):
        if _PLAN_NOUN.search(m.group(1)) and _PLAN_COMPARED.search(window[:m.start()]):
            continue
        return _REALIS_OPENER.search(window[m.end():]) is None
    return False


def _designated(text: str, q: Quantity, low_left: str) -> bool:
    """A count approved, assigned or selected for a task: the task's planned scope."""
    after = text[q.end:q.end + 90]
    if _DESIGNATED_AFTER.match(after):
        return True
    return bool(_DESIGNATES_BEFORE.search(low_left[-40:]) and _TASK_AFTER.match(after))


_SAME_PERIOD = re.compile(r"so\s+(?:với\s+)?cùng\s+kỳ|so\s+với\s+năm\s+trước|so\s+với\s+năm\s+\d{4}", re.IGNORECASE)


@dataclass(slots=True)
class Context:
    """What carries over from sentence to sentence within a paragraph or a section."""

    report_date: date | None
    report_period: tuple[date | None, date | None]
    section_programme: str | None = None
    paragraph_programme: str | None = None
    target_mode: bool = False
    target_period: tuple[date | None, date | None] | None = None
    found: list[Found] = field(default_factory=list)


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


def indicator_name(text: str, clause_start: int, q: Quantity) -> str | None:
    """The noun phrase the quantity measures, as written."""
    left = text[clause_start:q.start]
    cuts = [m.end() for m in re.finditer(r"[,:(]\s*|\b(?:và|trong đó|nhất là|riêng)\s+", left)]
    segment = left[cuts[-1]:] if cuts else left
    name = segment
    for _ in range(3):
        name = re.sub(r"(?:\s|^)(?:ước\s+đạt|ước\s+tính|đạt\s+được|đạt|là|còn|có|chiếm|tăng|giảm|vượt|được|"
                      r"ở\s+mức|giữ\s+ở\s+mức|với|bằng|khoảng|hơn|trên|gần|dưới|ước|từ|thêm|nâng\s+lên)\s*$",
                      "", name.strip(), flags=re.IGNORECASE)
    name = re.sub(r"\b(?:năm|đến ngày|đến)\s+[\d/]+\s*$", "", name).strip(" ,;:-")
    if len(name) < 4 and "(" in left:
        outer = left[:left.rfind("(")]
        name = re.sub(r"\s*(?:tăng|giảm)\s+(?:so\s+(?:với\s+)?cùng\s+kỳ|so\s+với\s+năm\s+trước)\s*$", "",
                      re.split(r"[;:]", outer)[-1]).strip(" ,")
    if len(name) < 4:
        tail = re.split(r"[;.(:]", text[q.end:q.end + 90])[0].strip()
        name = f"{q.noun} {tail}".strip() if q.noun else tail
    return name[:200] or None


def classify_sentence(text: str, sent: tuple[int, int], ctx: Context) -> None:
    s, e = sent
    sentence = text[s:e]
    consumed: set[int] = set()

    for m in _SCORECARD.finditer(sentence):
        ctx.found.append(Found(
            kind="scorecard", rule="scorecard_met_of_total", start=s + m.start(), end=s + m.end(),
            period=ctx.report_period,
            fields={"indicators_met_or_exceeded": int(m.group("met")), "indicators_total": int(m.group("total")),
                    "indicators_exceeded": int(m.group("exc")) if m.group("exc") else None},
        ))
        consumed.update(range(s + m.start(), s + m.end()))

    for m in re.finditer(r"|".join(lex.TARGET_LIST_LEADS), sentence, re.IGNORECASE):
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
    for m in NUMBER_RE.finditer(text, s, e):
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
        if not any(f is found for f in ctx.found):
            ctx.found.append(found)
        last_in_clause = found
    mentions = programme_mentions(sentence)
    if mentions:
        ctx.paragraph_programme = mentions[-1][1]


_NAME_COUNTS = ("tiêu chí", "nội dung", "chỉ tiêu", "sản phẩm")


def _qualifies_previous(text: str, prev: Quantity | None, q: Quantity) -> bool:
    """ "05 xã nâng chất 02 tiêu chí": the second count names what the first counts."""
    if prev is None or q.noun not in _NAME_COUNTS or prev.noun in (None, q.noun):
        return False
    between = text[prev.end:q.start]
    return len(between) < 40 and not re.search(r"[,;.()]", between)


def _programme_for(text: str, sent_start: int, cs: int, pos: int, end: int, ctx: Context) -> str:
    """The programme noun phrase that follows the amount as its own ("X đồng vốn đầu tư thuộc
    Chương trình ..."), else the nearest programme named before the amount in its clause, else
    earlier in the sentence, else right after it (before the next clause or amount), else the
    paragraph's, the section's; OTHER when none is named."""
    attached = attached_programme(text, end)
    if attached is not None:
        return attached
    in_clause = programme_mentions(text[cs:pos])
    if in_clause:
        return in_clause[-1][1]
    before = programme_mentions(text[sent_start:pos])
    if before:
        return before[-1][1]
    after = programme_mentions(_right_of_amount(text, end))
    if after:
        return after[0][1]
    return ctx.paragraph_programme or ctx.section_programme or "OTHER"


_NEXT_AMOUNT = re.compile(r"(?<![\w/.,-])\d[\d.,]*\s*(?:%|nghìn|ngàn|triệu|tỷ|tỉ|đồng)(?!\w)", re.IGNORECASE)


def _right_of_amount(text: str, end: int) -> str:
    """The words after an amount that may still name its programme: up to the clause's end, and
    short of a next amount together with the comma clause that leads to it ("..., Chương trình
    giảm nghèo giải ngân 5 tỷ đồng": that programme is the next amount's subject)."""
    right = re.split(r"[;.]", text[end:end + 60])[0]
    nxt = _NEXT_AMOUNT.search(right)
    if nxt is None:
        return right
    right = right[:nxt.start()]
    comma = right.rfind(",")
    return right[:comma] if comma != -1 else right


_MODAL_MEASURES = (("requested", re.compile(r"\b(?:đề xuất|kiến nghị|đề nghị|xin)\b", re.IGNORECASE)),
                   ("planned", re.compile(r"\b(?:dự kiến|dự toán)\b", re.IGNORECASE)))


def _measure_for(window: str) -> str | None:
    """A proposal or a forecast governs the verb after it ("đề xuất hỗ trợ" is requested);
    otherwise the measure word nearest before the amount decides."""
    phrase = re.split(r"[,;(]", window)[-1]
    for measure, cue in _MODAL_MEASURES:
        if cue.search(phrase):
            return measure
    hit = _last(window, lex.MEASURES)
    return hit[1] if hit else None


def classify_quantity(text: str, s: int, cs: int, q: Quantity, ctx: Context,
                      period: tuple[date | None, date | None], last: Found | None) -> Found | None:
    left = text[cs:q.start]
    low_left = left.lower()
    near_left = low_left[-60:]
    right = text[q.end:q.end + 80]
    low_right = right.lower()
    qs = quote_start(text, cs, q.start)
    is_target = ctx.target_mode or _governed_by_plan(low_left)

    # A rate right after an amount in the same clause: "(đạt 46%)", "đạt 78,17% nghị quyết".
    if q.unit == "percent" and last is not None and _RATE_AFTER_AMOUNT.search(near_left):
        if last.kind == "funding" and last.fields.get("rate_pct") is None:
            last.fields["rate_pct"] = q.value
            last.end = max(last.end, _close_paren(text, q.end))
            return last
        if last.kind == "indicator" and last.fields.get("attainment_pct") is None and (
                _ATTAIN_AFTER.match(right) or last.fields.get("actual_value") is not None):
            last.fields["attainment_pct"] = q.value
            last.end = q.end
            return last
    # a rate in the next clause for the amount just before: "...109.475 triệu đồng; đạt 70,98 % so với kế hoạch vốn"
    if q.unit == "percent" and last is None and re.search(r"^\s*đạt\s*$", low_left) and ctx.found:
        prev = ctx.found[-1]
        if prev.kind == "funding" and prev.fields.get("rate_pct") is None and prev.end >= s and (
                _ATTAIN_AFTER.match(right) or "kế hoạch vốn" in low_right):
            prev.fields["rate_pct"] = q.value
            prev.end = q.end
            return prev

    sentence_left = text[s:q.start].lower()
    if q.unit == "VND" and _component_parent(text, q, ctx, last) is not None:
        return _funding(text, s, cs, q, ctx, period, qs, last, is_target)
    if q.unit == "VND":
        indicator_cue = _has(low_left[-120:], lex.INDICATOR_MONEY_CUES)
        if indicator_cue is None and "(" in low_left[-40:]:
            indicator_cue = _has(sentence_left[-200:], lex.INDICATOR_MONEY_CUES)
        funding_cue = _has(low_left[-120:] + " " + low_right[:40], lex.FUNDING_CUES)
        if indicator_cue is None and (funding_cue or programme_mentions(left)):
            return _funding(text, s, cs, q, ctx, period, qs, last, is_target)
        return _indicator(text, cs, q, ctx, period, qs, is_target, last)

    if q.unit == "percent" and re.search(r"giải\s+ngân", low_left[-80:]):
        return _funding(text, s, cs, q, ctx, period, qs, last, is_target, rate_only=True)
    if q.unit != "percent" and not is_target:
        is_target = _designated(text, q, low_left)
    return _indicator(text, cs, q, ctx, period, qs, is_target, last)


_INLINE_COMPONENTS = re.compile(r"^\s*[,:]?\s*(?:trong\s+đó|bao\s+gồm|gồm)\s*:?\s", re.IGNORECASE)
_CLAUSE_END = re.compile(r";|\.\s|\)")


def _component_parent(text: str, q: Quantity, ctx: Context, last: Found | None) -> int | None:
    """Index of the stated total this amount is a component of: amounts in parentheses that
    open right after a funding total with "năm 2016:", "trong đó:", "gồm:"."""
    candidate = last if last is not None else (ctx.found[-1] if ctx.found else None)
    if candidate is None or candidate.kind != "funding":
        return None
    between = text[candidate.end:q.start]
    if candidate.parent is not None:
        opened = text.rfind("(", 0, q.start)
        if opened != -1 and opened >= ctx.found[candidate.parent].end and ")" not in text[opened:q.start]:
            return candidate.parent
        # a list opened by ", trong đó" runs until the clause ends
        unbracketed = "(" not in text[ctx.found[candidate.parent].end:candidate.start]
        return candidate.parent if unbracketed and not _CLAUSE_END.search(between) else None
    if not candidate.fields.get("amount_vnd"):
        return None
    if _INLINE_COMPONENTS.match(between) and not _CLAUSE_END.search(between):
        return next(i for i, f in enumerate(ctx.found) if f is candidate)
    opened = text.find("(", candidate.end, q.start)
    if (opened != -1 and opened - candidate.end < 4 and _PAREN_COMPONENTS.match(text[opened:opened + 30])
            and ")" not in text[opened:q.start]):
        return next(i for i, f in enumerate(ctx.found) if f is candidate)
    return None


def _close_paren(text: str, pos: int) -> int:
    m = re.match(r"\s*\)", text[pos:pos + 3])
    return pos + m.end() if m else pos


def _funding(text: str, s: int, cs: int, q: Quantity, ctx: Context, period, qs: int, last: Found | None,
             is_target: bool, rate_only: bool = False) -> Found:
    window_start = max(cs, text.rfind("(", cs, q.start) + 1)
    window = text[window_start:q.start]
    measure = _measure_for(window) or _measure_for(text[cs:q.start])
    low_window = text[cs:q.start].lower()
    if rate_only:
        measure = "planned" if (is_target or "cam kết" in low_window) else "disbursed"
    elif re.search(r"dự\s+kiến|kế\s+hoạch\s+năm\s+\d{4}\s*$", window.lower()):
        measure = "planned"
    capital_after = _has(re.split(r"[,;(]", text[q.end:q.end + 40])[0].lower(), lex.CAPITAL_SOURCES)
    capital_before = _last(window, lex.CAPITAL_SOURCES)
    capital = lex.CAPITAL_SOURCES[capital_after] if capital_after else (capital_before[1] if capital_before else None)
    programme = _programme_for(text, s, cs, q.start, q.end, ctx)
    parent = _component_parent(text, q, ctx, last)
    if parent is not None:
        parent_fig = ctx.found[parent]
        programme = parent_fig.fields["programme_code"]
        measure = parent_fig.fields["measure"] if measure in (None, "allocated") else measure
        capital = capital or (parent_fig.fields["capital_source"]
                              if parent_fig.fields["capital_source"] != "unspecified" else None)
    if parent is not None:
        # a component is quoted from its own label ("năm 2016: 24.257 triệu đồng") and dated by it
        qs = max(text.rfind("(", 0, q.start), text.rfind(",", 0, q.start)) + 1
        while qs < q.start and text[qs] in " (":
            qs += 1
        year = re.match(r"năm\s+(\d{4})\s*:", text[qs:q.start])
        if year:
            y = int(year.group(1))
            period = (date(y, 1, 1), date(y, 12, 31))
    if capital is None and programme == "PUBLIC_INVESTMENT":
        capital = "investment"
    amount = None if rate_only else int(q.value)
    return Found(
        kind="funding", rule="funding_rate_only" if rate_only else ("funding_component" if parent is not None
                                                                      else "funding_amount"),
        start=qs, end=_close_paren(text, q.end) if rate_only else q.end, qualifier=q.hedge,
        period=period, parent=parent,
        fields={"programme_code": programme, "programme_text": None, "capital_source": capital or "unspecified",
                "measure": measure or "allocated", "amount_vnd": amount,
                "rate_pct": q.value if rate_only else None, "per_unit": q.per_unit},
    )


def _indicator(text: str, cs: int, q: Quantity, ctx: Context, period, qs: int, is_target: bool,
               last: Found | None) -> Found | None:
    left = text[cs:q.start]
    low_left = left.lower()
    near = low_left[-25:]
    fields: dict = {"unit": "percent" if q.unit == "percent" else q.unit, "indicator_name": indicator_name(text, cs, q)}
    if fields["unit"] == "count":
        fields["unit"] = "count"
    rule = "indicator_level"
    role = "actual"
    if q.unit == "percent" and _EXCEED.search(near):
        role, rule = "exceed_pct", "indicator_exceed_plan"
    elif q.unit == "percent" and re.search(r"(?:đạt|bằng)\s*$", near) and _ATTAIN_AFTER.match(text[q.end:q.end + 30]):
        role, rule = "attainment_pct", "indicator_attainment"
    elif _CHANGE_BEFORE.search(low_left[-20:]) and not is_target:
        role, rule = "change", "indicator_change"
    elif is_target:
        role, rule = "target", "indicator_target"
    if role in ("exceed_pct", "attainment_pct"):
        fields["unit"] = "percent"
    value = q.value
    if role == "change" and re.search(r"giảm\s+(?:thêm\s+)?$", low_left[-20:]):
        value = -value
    column = {"actual": "actual_value", "target": "target_value", "exceed_pct": "exceed_pct",
              "attainment_pct": "attainment_pct", "change": "change_value"}[role]
    fields[column] = value
    if q.ratio_of is not None and q.ratio_of != q.value and role == "actual":
        fields["target_value"] = q.ratio_of
        rule = "indicator_fraction"
    used_period = ctx.target_period if role == "target" and ctx.target_period and ctx.target_mode else period
    found = Found(kind="indicator", rule=rule, start=qs, end=q.end, qualifier=q.hedge, period=used_period,
                  fields=fields)
    if q.value2 is not None:
        # a range "5 - 7%" is two observations of the same indicator: its low and high ends
        second = dict(fields)
        second[column] = -q.value2 if value < 0 else q.value2
        ctx.found.append(found)
        return Found(kind="indicator", rule=rule + "_range_high", start=qs, end=q.end, qualifier=q.hedge,
                     period=used_period, fields=second)
    return found


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
            if re.match(r"^\s*(?:\d+\.|[IVX]+\.|[A-Z]\.)\s", text[s:e]):
                ctx.section_programme = None
        classify_sentence(text, sent, ctx)
    return ctx.found
