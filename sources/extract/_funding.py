"""The funding layer of the grammar: is an amount programme money, and if so which programme,
capital source and measure, and which stated total it is a component of.

- programme: the programme noun phrase right after the amount ("X đồng vốn sự nghiệp thuộc
  Chương trình ..."), else the nearest programme named before it in its clause, its sentence,
  right after it (a purpose phrase: "X đồng để xây dựng nông thôn mới"); a project's own total
  takes the programme the next sentence finances it from; else its paragraph's, its section's (the
  nearest heading above naming one, climbing only to higher levels), the report's topic (its
  headline, else its lead); public investment when only investment-capital words stand around it;
  OTHER when none is named;
- measure: the measure word nearest before the amount, a proposal or forecast governing it, a
  plan or future marker making it planned, a purpose after it ("huy động ... để phân bổ");
- capital source: investment or recurrent words after or before the amount;
- components: amounts in parentheses or after "trong đó" that follow a stated total, and the
  amounts of a next sentence opening with "Trong đó," / "Cụ thể," (its list runs on through ';'
  while each item opens with a capital source);
- one fact: an amount of the headline restated in the body is one record, read from the body.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sources import lexicon as lex
from sources.extract._assemble import restates as _restates
from sources.extract._found import Context, Found
from sources.extract._grammar import Quantity
from sources.patterns import B as _B
from sources.patterns import E as _E
from sources.patterns import (
    alternation,
    first_lead,
    fold_case,
    has,
    lower_slice,
    may_have,
    may_have_at,
    occurrences,
    search_led,
)
from sources.patterns import last as last_phrase

_PROGRAMME_GENERIC = re.compile(r"\b[Cc]hương trình\s+((?:[^\s,;.:()]+\s*){1,12})")
_PROGRAMME_RE = re.compile(_B + "(" + "|".join(re.escape(p) for p in sorted(lex.PROGRAMMES, key=len, reverse=True))
                           + ")" + _E, re.IGNORECASE)
_TOGETHER_RE = re.compile("|".join(re.escape(p) for p in lex.PROGRAMMES_TOGETHER), re.IGNORECASE)
_NOT_NAME = re.compile(alternation(lex.PROGRAMME_NOT_NAMES) + _E, re.IGNORECASE)

# (compiled once: a pattern written in the call is looked up in re's cache at every amount)
_AFTER_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_SENTENCE_STOP = re.compile(r"[.!?]\s")
_PURPOSE_END = re.compile(r"[;\n]|[.!?](?=\s|$)")  # a purpose phrase runs to its clause's or sentence's end
_PURPOSE_CUT = re.compile(r"[,(]")
_RIGHT_END = re.compile(r";|\.(?=\s|$)")  # (not the dot inside "12.000")
_MEASURE_CUT = re.compile(r"[,;(]")
_CLOSING_PAREN = re.compile(r"\s*\)")
_OPENS_PAREN = re.compile(r"[^.;()]{0,80}\(\s*")  # words then "(" between a rate and its amount
_FORECAST = re.compile(r"dự\s+kiến|kế\s+hoạch\s+năm\s+\d{4}\s*$")
_CAPITAL_AFTER_END = re.compile(r"[,;(\n]|\.(?:\s|$)")
_YEAR_LABEL = re.compile(r"năm\s+(\d{4})\s*:")  # a component's label "năm 2016: 24.257 triệu đồng"

def programme_mentions(text: str) -> list[tuple[int, str]]:
    """(end position, code) of each programme named in ``text``, in order."""
    found: list[tuple[int, str]] = []
    for m in _PROGRAMME_GENERIC.finditer(text):
        tail = m.group(1)
        # a name of the lexicon that opens with the head noun ("Chương trình 1719") is not a generic one
        if _PROGRAMME_RE.search(m.group(0)) is None and not _NOT_NAME.match(tail):
            found.append((m.end(), "OTHER"))
    for m in _PROGRAMME_RE.finditer(text):
        found.append((m.end(), lex.PROGRAMMES[m.group(1).lower()]))
    for m in _TOGETHER_RE.finditer(text):
        found.append((m.end() + 1, "OTHER"))  # wins over the single programme words inside it
    found.sort()
    return found


# Bounded work per figure (issue #19): each amount asks whether the words around it name a programme,
# and a scan of its clause per amount makes a dense clause cost the square of its amounts. Where in the
# text a programme name can start at all is found once per text: ``_PROGRAMME_WORDS`` are the phrases
# every match of the three patterns above contains (the lexicon's names, and the generic head
# noun), and the programme heads every match of ``_ATTACHED_PROGRAMME`` (below) ends with, looked for
# in the text folded as ``re.IGNORECASE`` compares letters (simple lowercase, and the dotless i and
# the long s its equivalences add), so a stretch without one holds no mention.
_PROGRAMME_WORDS = tuple(sorted({fold_case(p) for p in (*lex.PROGRAMMES, *lex.PROGRAMMES_TOGETHER, "hương trình",
                                                        *lex.PROGRAMME_HEADS)}))
_SHORTEST_WORD = min(len(w) for w in _PROGRAMME_WORDS)


@lru_cache(maxsize=16)
def _programme_starts(text: str) -> list[int] | None:
    """Sorted positions where one of ``_PROGRAMME_WORDS`` starts in ``text`` (None: cannot tell)."""
    folded = fold_case(text)
    return occurrences(folded, _PROGRAMME_WORDS) if len(folded) == len(text) else None


def _may_name_programme(text: str, start: int, end: int) -> bool:
    """False when no programme word (``_PROGRAMME_WORDS``) lies in ``text[start:end]``."""
    starts = _programme_starts(text)
    if starts is None:
        return True
    i = bisect_left(starts, max(start, 0))
    return i < len(starts) and starts[i] <= min(end, len(text)) - _SHORTEST_WORD


def programme_mentions_at(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """``programme_mentions(text[start:end])``, without reading a stretch that names none."""
    return programme_mentions(text[start:end]) if _may_name_programme(text, start, end) else []


def _programme_after(text: str, end: int) -> list[tuple[int, str]]:
    """The programmes named in the words right after an amount (``_right_of_amount``), read only when a
    programme word lies within their reach."""
    if not _may_name_programme(text, end, end + _RIGHT_REACH):
        return []
    return programme_mentions_at(text, end, end + len(_right_of_amount(text, end)))


# After an amount: its capital-source words, a linking word, then the programme noun phrase.
_ATTACHED_PROGRAMME = re.compile(
    r"\s*(?:từ\s+)?"
    r"(?:" + alternation(lex.FUND_NOUNS) + r"(?:\s+" + alternation(lex.FUND_KINDS) + r"){0,2}" + _E + r"\s*)?"
    r"(?:" + alternation(lex.PROGRAMME_LINKS) + _E + r"\s*)?"
    r"(?P<phrase>(?:(?P<plural>" + alternation(lex.PROGRAMME_PLURALS) + r"|0*[2-9]|\d{2,})\s+)?"
    + alternation(lex.PROGRAMME_HEADS) + _E + ")",
    re.IGNORECASE,
)
# The programme noun phrase runs to the end of its clause or to the next number (another amount).
_PHRASE_END = re.compile(r"[,;:()\n]|\.(?=\s|$)|(?<=\s)\d")
_NAMED_PROGRAMMES = ("NTM", "GNBV", "DTTS_MN")


def attached_programme(text: str, end: int) -> str | None:
    """The programme of the noun phrase right after an amount ending at ``end``:
    "X đồng vốn sự nghiệp (thuộc|của|cho|thực hiện) Chương trình ...". Several programmes
    named together ("các chương trình ...", two names joined) are OTHER; None when no
    programme noun follows or it names none of the lexicon (a scheme keeps its context's)."""
    if not _may_name_programme(text, end, len(text)):
        return None  # (no programme head after the amount)
    m = _ATTACHED_PROGRAMME.match(text, end)
    if m is None:
        return None
    if m.group("plural"):
        return "OTHER"
    stop = _PHRASE_END.search(text, m.end(), m.end() + 200)
    phrase = text[m.start("phrase"):stop.start() if stop else m.end() + 200]
    codes = {code for _, code in programme_mentions(phrase)}
    named = codes.intersection(_NAMED_PROGRAMMES)
    if named:
        return named.pop() if len(named) == 1 else "OTHER"
    return "PUBLIC_INVESTMENT" if "PUBLIC_INVESTMENT" in codes else None



# parentheses right after a total that open with a year label, "trong đó", "gồm" or a capital source
# ("25 tỷ đồng (vốn đầu tư 18 tỷ đồng, vốn sự nghiệp 7 tỷ đồng)") list its parts
_PAREN_COMPONENTS = re.compile(r"^\s*\(\s*(?:năm\s+\d{4}\s*:|trong\s+đó\s*:?|gồm\s*:?|bao\s+gồm\s*:?|"
                               + alternation(lex.CAPITAL_SOURCE_NOUNS) + _E + ")", re.IGNORECASE)
_NAMED_OR_PUBLIC = ("NTM", "GNBV", "DTTS_MN", "PUBLIC_INVESTMENT")


@lru_cache(maxsize=16)
def report_front(text: str) -> tuple[int, str | None]:
    """Where the report's headline ends, and the report's topic programme.

    A news report opens with its headline (short lines without a full stop, page furniture among
    them) and a lead, its first body paragraph. The one programme named in the headline, else in
    the lead's first sentence, is the topic of the body: an amount of the body that names no
    programme of its own, nor has one in its paragraph or section, is that programme's money
    ("Huy động được 4,2 tỷ cho Chương trình xây dựng nông thôn mới" over "huyện đã huy động
    được 4,2 tỷ đồng ... để phân bổ cho 03 xã")."""
    pos, seen, headline_end, lead = 0, 0, 0, ""
    for line in text[:4000].split("\n"):
        start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        if _heading_level(stripped):  # a numbered section: a structured report has no headline to read
            headline_end = start
            break
        if stripped.endswith((".", ";", "…", ":")) or len(stripped) > 200:  # the first body paragraph
            headline_end = start
            lead = _AFTER_SENTENCE_END.split(stripped, maxsplit=1)[0]
            break
        seen += 1
        if seen > 8:
            break
    for part in (text[:headline_end], lead if headline_end else ""):
        named = {code for _, code in programme_mentions(part) if code in _NAMED_OR_PUBLIC}
        if len(named) == 1:
            return headline_end, named.pop()
        if named:
            return headline_end, None  # several programmes: no single topic
    return headline_end, None


# A section heading: numbered ("II.", "2.", "2.1.", "a)", "-") or closed by a colon, short, no full stop.
_NUMBERED = ((1, re.compile(r"[IVXL]+[.)]\s")), (3, re.compile(r"\d+\.\d+(?:\.\d+)*\.?\s")),
             (2, re.compile(r"\d+[.)]\s")), (4, re.compile(r"[a-zđ][.)]\s")), (5, re.compile(r"[-+•*]\s*")))


def _heading_level(line: str) -> int:
    """The depth of a section heading line (1 for "II.", 2 for "2.", 3 for "2.1.", 4 for "a)", 5 for
    a dash or an unnumbered line closed by a colon); 0 for a line of the body."""
    if len(line) > 160 or line.endswith((".", ";", "!", "?", "…")):
        return 0
    for level, pattern in _NUMBERED:
        if pattern.match(line):
            return level if level < 5 or line.endswith(":") else 0
    return 5 if line.endswith(":") else 0


def _heading_programme(text: str, pos: int) -> str | None:
    """The programme of the section an amount stands in: the nearest heading above it that names
    one, climbing only to headings of a higher level ("1. Chương trình MTQG giảm nghèo bền vững"
    over "a) Vốn đầu tư" over the amount; "2. Văn hóa - xã hội" stops the climb past "1. ...")."""
    end = text.rfind("\n", 0, pos)
    limit = max(0, pos - 4000)
    ceiling = 99
    while end > limit:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        end = start - 1
        level = _heading_level(line)
        if not level or level >= ceiling:
            continue
        ceiling = level
        mentions = programme_mentions(line)
        if mentions:
            return mentions[-1][1]
        if level == 1:
            break
    return None


_PROJECT_TOTAL = re.compile(_B + alternation(lex.PROJECT_TOTALS) + _E, re.IGNORECASE)
_PROJECT_ANAPHOR = re.compile(r"\s*" + alternation(lex.PROJECT_ANAPHORS) + _E, re.IGNORECASE)
_NEXT_SENTENCE = re.compile(r"[.!?]\s+(?=[A-ZÀ-ỸĐ])")


def _programme_for(text: str, sent_start: int, cs: int, pos: int, end: int, ctx: Context) -> str:
    """The programme noun phrase that follows the amount as its own ("X đồng vốn đầu tư thuộc
    Chương trình ..."), else the nearest programme named before the amount in its clause, else
    earlier in the sentence, else right after it (before the next clause or amount), else the
    context (see ``_context_programme``)."""
    own = _own_programme(text, sent_start, cs, pos, end)
    if own is not None:
        return own
    before = programme_mentions_at(text, sent_start, pos)
    if before:
        return before[-1][1]
    after = _programme_after(text, end)
    if after:
        return after[0][1]
    purpose = _sentence_purpose(text, end)
    if purpose is not None:
        return purpose
    return _context_programme(text, sent_start, pos, end, ctx)


_PURPOSE = re.compile(_B + alternation(lex.PURPOSE_LINKS) + _E, re.IGNORECASE)


def _sentence_purpose(text: str, end: int) -> str | None:
    """A purpose phrase that closes the sentence governs every clause before it: "Nhân dân đóng góp
    3 tỷ đồng, hiến 1.000 m2 đất để xây dựng nông thôn mới" is money for that programme. Only a named
    programme, and only the purpose's own words (up to the next clause or sentence end)."""
    stop = _PURPOSE_END.search(text[end:end + 250])
    rest = text[end:end + (stop.start() if stop else 250)]
    for m in _PURPOSE.finditer(rest):
        phrase = _PURPOSE_CUT.split(rest[m.end():])[0]
        named = [code for _, code in programme_mentions(phrase) if code in _NAMED_PROGRAMMES]
        if named:
            return named[0]
    return None


def _own_programme(text: str, sent_start: int, cs: int, pos: int, end: int) -> str | None:
    """A programme the amount's own noun phrase or clause names: after it, or before it in its clause."""
    attached = attached_programme(text, end)
    if attached is not None:
        return attached
    in_clause = programme_mentions_at(text, cs, pos)
    return in_clause[-1][1] if in_clause else None


def _context_programme(text: str, sent_start: int, pos: int, end: int, ctx: Context) -> str:
    """The programme of an amount whose sentence names none.

    - A project's own total ("Dự án ... với tổng mức đầu tư 40 tỷ đồng") is a subject of its own:
      the programme the next sentence finances it from ("Đây là dự án ... đầu tư bằng nguồn vốn
      ... Chương trình ..."), else public investment (a public works project); a programme named
      for a neighbouring project does not carry over;
    - else the paragraph's, the section's (its nearest heading naming one), the report's topic;
    - else public investment when investment-capital words stand around it (a district's "vốn
      đầu tư", "nguồn vốn tỉnh giao", "kế hoạch vốn"); OTHER when nothing is named."""
    sentence_left = text[sent_start:pos]
    if _PROJECT_TOTAL.search(sentence_left):
        nxt = _NEXT_SENTENCE.search(text, end, end + 200)
        if nxt and _PROJECT_ANAPHOR.match(text, nxt.end()):
            tail = text[nxt.end():nxt.end() + 300]
            mentions = programme_mentions(_AFTER_SENTENCE_END.split(tail, maxsplit=1)[0])
            if mentions:
                return mentions[0][1]
        return "PUBLIC_INVESTMENT"
    context = (ctx.paragraph_programme or _heading_programme(text, sent_start) or ctx.section_programme
               or report_front(text)[1])
    if context:
        return context
    around = (sentence_left[-150:] + " " + text[end:end + 60]).lower()
    return "PUBLIC_INVESTMENT" if has(around, lex.PUBLIC_INVESTMENT_WORDS) else "OTHER"


_NEXT_AMOUNT = re.compile(r"(?<![\w/.,-])\d[\d.,]*\s*(?:%|nghìn|ngàn|triệu|tỷ|tỉ|đồng)(?!\w)", re.IGNORECASE)


_RIGHT_REACH = 160


def _right_of_amount(text: str, end: int) -> str:
    """The words after an amount that may still name its programme (a purpose phrase: "X đồng
    đầu tư phát triển ... vùng đồng bào dân tộc thiểu số và miền núi"): up to the clause's end,
    and short of a next amount together with the comma clause that leads to it ("..., Chương
    trình giảm nghèo giải ngân 5 tỷ đồng": that programme is the next amount's subject)."""
    right = _RIGHT_END.split(text[end:end + _RIGHT_REACH])[0]  # (not the dot inside "12.000")
    nxt = _NEXT_AMOUNT.search(right)
    if nxt is None:
        return right
    right = right[:nxt.start()]
    comma = right.rfind(",")
    return right[:comma] if comma != -1 else right


_MODAL_MEASURES = (("requested", re.compile(r"\b(?:đề xuất|kiến nghị|đề nghị|xin)\b", re.IGNORECASE)),
                   ("planned", re.compile(r"\b(?:dự kiến|dự toán)\b", re.IGNORECASE)))


# a disbursement of capital whose name holds an allocation word: "giải ngân vốn ngân sách tỉnh hỗ trợ xây dựng
# nông thôn mới được 3,4 tỷ đồng" pays out (the support is what the capital is, not what the clause says of it)
_DISBURSED_CAPITAL = re.compile(_B + r"(?:giải\s+ngân|thanh\s+toán)\s+(?:" + alternation(lex.FUND_NOUNS) + ")" + _E,
                                re.IGNORECASE)


def _measure_for(window: str) -> str | None:
    """A proposal or a forecast governs the verb after it ("đề xuất hỗ trợ" is requested);
    otherwise the measure word nearest before the amount decides, unless it is an allocation
    word inside the name of capital that a disbursement governs."""
    phrase = _MEASURE_CUT.split(window)[-1]
    for measure, cue in _MODAL_MEASURES:
        if cue.search(phrase):
            return measure
    hit = last_phrase(window, lex.MEASURES)
    if hit and hit[1] == "allocated":
        paid = None
        for paid in _DISBURSED_CAPITAL.finditer(phrase):  # noqa: B007 (the last one counts)
            pass
        if paid is not None and len(window) - len(phrase) + paid.end() < hit[0]:
            return "disbursed"
    return hit[1] if hit else None


_PLAN_CUE = re.compile(_B + "(" + alternation(lex.PLAN_MEASURE_CUES) + ")" + _E, re.IGNORECASE)
_REALIS = re.compile(_B + alternation(lex.REALIS_MEASURE_OPENERS) + _E, re.IGNORECASE)


def _plan_governs(low_left: str) -> bool:
    """A plan or future marker before the amount in its clause governs its measure, as it governs
    an indicator's role (the idea of ``_classify._governed_by_plan``, for money): "sẽ dành trên 121
    tỷ đồng", "có kế hoạch đầu tư 28,8 tỷ đồng"; not when what is done is reported after the
    marker ("sẽ ..., đến nay đã giải ngân 5 tỷ đồng")."""
    window = low_left[-100:]
    for compound in lex.NOT_TARGET_CUES:
        window = window.replace(compound, " " * len(compound))
    lead = first_lead(window, lex.PLAN_MEASURE_CUES)  # (no cue opens before the first word of one)
    cues = list(_PLAN_CUE.finditer(window, lead)) if lead != -1 else []
    return bool(cues) and _REALIS.search(window, cues[-1].end()) is None


_ALLOCATION_PURPOSE = re.compile(r"[^;.]{0,60}?" + _B + alternation(lex.ALLOCATION_PURPOSES) + _E, re.IGNORECASE)


# ", trong đó" right after the total, or after the purpose phrase that closes it ("huy động được 900 tỷ
# đồng xây dựng nông thôn mới, trong đó ...")
_INLINE_COMPONENTS = re.compile(r"^(?:[^;.()\d]{0,80}?[,;])?\s*[,:;]?\s*(?:trong\s+đó|bao\s+gồm|gồm)\s*:?\s",
                                re.IGNORECASE)
_CLAUSE_END = re.compile(r";|\.\s|\)")
_SENTENCE_COMPONENTS = re.compile(r"[\s\-–•*+]*" + alternation(lex.COMPONENT_OPENERS) + r"\s*[,:]", re.IGNORECASE)
_NEXT_ITEM = re.compile(r";\s*" + alternation(lex.CAPITAL_SOURCE_NOUNS) + _E + r"[^;]*$", re.IGNORECASE)


def _component_parent(text: str, s: int, q: Quantity, ctx: Context, last: Found | None) -> int | None:
    """Index of the stated total this amount is a component of: amounts in parentheses that open
    right after a funding total with "năm 2016:", "trong đó:", "gồm:"; amounts listed after
    ", trong đó"; the amounts of the sentence right after a total when it opens with "Trong đó,"
    / "Cụ thể," (captions without figures may stand between). A list runs on through ';' while
    each item opens with a capital source ("...; ngân sách tỉnh 2,5 tỷ đồng")."""
    candidate = last if last is not None else (ctx.found[-1] if ctx.found else None)
    if candidate is None or candidate.kind != "funding":
        return None
    between = text[candidate.end:q.start]
    if candidate.parent is not None:
        opened = text.rfind("(", 0, q.start)
        if opened != -1 and opened >= ctx.found[candidate.parent].end and ")" not in text[opened:q.start]:
            return candidate.parent
        # a list opened by ", trong đó" or by a sentence "Trong đó, ..." runs until its clause ends,
        # or on through ';' to an item that opens with a capital source
        unbracketed = "(" not in text[max(ctx.found[candidate.parent].end, candidate.start - 1):candidate.start]
        if not unbracketed or _SENTENCE_STOP.search(between):
            return None
        return candidate.parent if not _CLAUSE_END.search(between) or _NEXT_ITEM.search(between) else None
    if not candidate.fields.get("amount_vnd"):
        return None
    # (the last figure read, or near it: looked for from the end when it is listed once)
    order = range(len(ctx.found) - 1, -1, -1) if ctx.found.count_of(candidate) == 1 else range(len(ctx.found))
    index = next(i for i in order if ctx.found[i] is candidate)
    inline = _INLINE_COMPONENTS.match(between)
    if inline and not _CLAUSE_END.search(between, inline.end()):
        return index
    opened = text.find("(", candidate.end, q.start)
    if (opened != -1 and opened - candidate.end < 4 and _PAREN_COMPONENTS.match(text[opened:opened + 30])
            and ")" not in text[opened:q.start]):
        return index
    if (last is None and candidate is ctx.found[-1] and candidate.end <= s and s - candidate.end < 800
            and _SENTENCE_COMPONENTS.match(text, s) and has(text[s:q.start].lower(), lex.INDICATOR_MONEY_CUES) is None):
        return index  # (an indicator's money in that sentence is no part: "Cụ thể, thu ngân sách đạt ...")
    return None


def close_paren(text: str, pos: int) -> int:
    m = _CLOSING_PAREN.match(text[pos:pos + 3])
    return pos + m.end() if m else pos


_RATE_AHEAD = re.compile(r"[^\d;.()]{0,60}?,?\s*\(?\s*đạt\s+(?:được\s+)?(?:tỷ\s+lệ\s+|tỉ\s+lệ\s+)?"
                         r"(?:hơn\s+|trên\s+|gần\s+|khoảng\s+)?(\d+(?:,\d+)?)\s*%", re.IGNORECASE)


def _restated_headline(text: str, found: Found, q: Quantity, ctx: Context) -> int | None:
    """Index of the headline's funding figure this body amount restates, however differently
    it is cut: the same amount (the headline rounds it: "trên 219 tỉ" for "219,036 tỉ"), or
    the headline's rate when the body gives the amount with that rate ("giải ngân vốn đầu tư đạt
    29,7%" over "đã giải ngân 69,59 tỷ đồng, đạt 29,7% kế hoạch vốn")."""
    headline_end = report_front(text)[0]
    if found.start < headline_end:
        return None
    amount = found.fields["amount_vnd"]
    ahead = _RATE_AHEAD.match(text, q.end)
    rate = Decimal(ahead.group(1).replace(",", ".")) if ahead else None
    for i, f in enumerate(ctx.found):
        if f.kind != "funding" or f.start >= headline_end:
            continue
        said = f.fields.get("amount_vnd")
        if said is not None and amount is not None and abs(said - amount) <= Decimal("0.01") * max(said, amount):
            return i
        said_rate = f.fields.get("rate_pct")
        if said is None and rate is not None and said_rate is not None and _restates(said_rate, rate,
                                                                                     f.qualifier is not None):
            return i  # the headline's rate as written, or rounded ("hơn 80%" for "đạt 80,2%")
    return None


def _take_over(old: Found, new: Found, index: int, ctx: Context) -> Found:
    """The headline's figure becomes the body's reading; it moves to the body's place in the list
    when nothing points past it (so components find their total as the last figure read)."""
    for slot in ("rule", "start", "end", "qualifier", "period", "fields", "parent"):
        setattr(old, slot, getattr(new, slot))
    if not any(f.parent is not None and f.parent >= index for f in ctx.found):
        del ctx.found[index]
        if old.parent is not None and old.parent > index:
            old.parent -= 1
    return old


_CAPITAL_NOUN = re.compile(_B + r"(?:vốn|kinh\s+phí)" + _E, re.IGNORECASE)


def _fills_rate(text: str, q: Quantity, last: Found | None) -> bool:
    """The amount in parentheses right after a rate is that rate's amount: a rate-only funding
    figure ("đạt 61,8% nguồn vốn tỉnh giao (376,7 tỷ/609,1 tỷ đồng)"), or a bare percentage measured
    against capital whose subject is elided ("...; đạt 51,1% nguồn vốn huyện giao (376,9 tỷ/737 tỷ
    đồng)": the rate of the executed capital named in the clause before)."""
    if last is None or _OPENS_PAREN.fullmatch(text[last.end:q.start]) is None:
        return False
    if last.kind == "funding":
        return last.fields.get("amount_vnd") is None
    return (last.kind == "indicator" and last.fields.get("unit") == "percent"
            and set(k for k, v in last.fields.items() if v is not None) <= {"unit", "indicator_name", "actual_value"}
            and _CAPITAL_NOUN.search(text, last.end, q.start) is not None)


def _as_funding_rate(text: str, s: int, cs: int, q: Quantity, ctx: Context, rate: Found) -> None:
    """A percentage read as an indicator turns out to be the rate of a funding amount: it becomes
    that funding figure, its measure the one of the funding rate before it in the sentence (the
    elided subject), its programme as any amount's."""
    before = [f for f in ctx.found if f.kind == "funding" and f.fields.get("rate_pct") is not None and s <= f.start]
    measure = before[-1].fields["measure"] if before else (_measure_for(text[cs:rate.start]) or "disbursed")
    programme = before[-1].fields["programme_code"] if before else _programme_for(text, s, cs, q.start, q.end, ctx)
    rate.kind, rate.rule = "funding", "funding_rate_amount"
    rate.fields = {"programme_code": programme, "programme_text": None,
                   "capital_source": "investment" if programme == "PUBLIC_INVESTMENT" else "unspecified",
                   "measure": measure, "amount_vnd": None, "rate_pct": rate.fields["actual_value"], "per_unit": None}


def _list_lead_measure(text: str, s: int, cs: int) -> str | None:
    """The measure a list's lead names for all its items ("Kết quả giải ngân đến 31/8: vốn đầu tư
    12,5/20 tỷ đồng; vốn sự nghiệp 3/6 tỷ đồng"), for an item that names none."""
    colon = text.rfind(":", s, cs)
    return _measure_for(text[s:colon]) if colon != -1 else None


def funding_figure(text: str, s: int, cs: int, q: Quantity, ctx: Context, period, qs: int, last: Found | None,
                   is_target: bool, rate_only: bool = False) -> Found:
    if not rate_only and _fills_rate(text, q, last):
        if last.kind != "funding":
            _as_funding_rate(text, s, cs, q, ctx, last)
        last.fields["amount_vnd"] = int(q.value)
        last.end = q.end
        return _denominator(q, last, ctx) or last
    window_start = max(cs, text.rfind("(", cs, q.start) + 1)
    window = text[window_start:q.start]
    measure = _measure_for(window) or _measure_for(text[cs:q.start]) or _list_lead_measure(text, s, cs)
    low_window = lower_slice(text, cs, q.start)
    if rate_only:
        measure = ("planned" if (is_target or "cam kết" in low_window)
                   else "spent" if measure == "spent" else "disbursed")
    elif _FORECAST.search(window.lower()):
        measure = "planned"
    elif measure == "spent" and _ALLOCATION_PURPOSE.match(text, q.end):
        measure = "allocated"  # mobilised in order to be allocated: the allocation is the fact
    if measure != "requested" and _plan_governs(low_window):
        measure = "planned"  # "sẽ dành", "phấn đấu huy động 500 tỷ đồng", "dự kiến giải ngân": not yet done
    capital_after = has(_CAPITAL_AFTER_END.split(text[q.end:q.end + 40])[0].lower(), lex.CAPITAL_SOURCES)
    capital_before = last_phrase(window, lex.CAPITAL_SOURCES)
    capital = lex.CAPITAL_SOURCES[capital_after] if capital_after else (capital_before[1] if capital_before else None)
    parent = _component_parent(text, s, q, ctx, last)
    if parent is not None:
        parent_fig = ctx.found[parent]
        # a component names its own programme after its total, else it is its total's
        own = _own_programme(text, s, max(cs, parent_fig.end), q.start, q.end)
        programme = own or parent_fig.fields["programme_code"]
        measure = parent_fig.fields["measure"] if measure in (None, "allocated") else measure
        capital = capital or (parent_fig.fields["capital_source"]
                              if parent_fig.fields["capital_source"] != "unspecified" else None)
        # a component is quoted from its own label ("năm 2016: 24.257 triệu đồng") and dated by it
        qs = max(text.rfind("(", s, q.start), text.rfind(",", s, q.start), text.rfind(";", s, q.start), s - 1) + 1
        while qs < q.start and text[qs] in " (":
            qs += 1
        year = _YEAR_LABEL.match(text[qs:q.start])
        if year:
            y = int(year.group(1))
            period = (date(y, 1, 1), date(y, 12, 31))
    else:
        programme = _programme_for(text, s, cs, q.start, q.end, ctx)
    if capital is None and programme == "PUBLIC_INVESTMENT":
        capital = "investment"
    amount = None if rate_only else int(q.value)
    found = Found(
        kind="funding", rule="funding_rate_only" if rate_only else ("funding_component" if parent is not None
                                                                      else "funding_amount"),
        start=qs, end=close_paren(text, q.end) if rate_only else q.end, qualifier=q.hedge,
        period=period, parent=parent,
        fields={"programme_code": programme, "programme_text": None, "capital_source": capital or "unspecified",
                "measure": measure or "allocated", "amount_vnd": amount,
                "rate_pct": q.value if rate_only else None, "per_unit": q.per_unit,
                "suspect_format": q.suspect_format},
    )
    if not rate_only:
        restated = _restated_headline(text, found, q, ctx)
        if restated is not None:
            return _take_over(ctx.found[restated], found, restated, ctx)
        plan = _denominator(q, found, ctx)
        if plan is not None:
            ctx.found.append(plan)  # before the amount, which stays the last read (its rate follows it)
    return found


def _denominator(q: Quantity, numerator: Found, ctx: Context) -> Found | None:
    """The plan an executed or disbursed amount is measured against ("376,7 tỷ/609,1 tỷ đồng",
    "đã giải ngân 12 tỷ đồng/20 tỷ đồng"): an allocation of the same programme, its own record."""
    if q.ratio_of is None or q.ratio_of <= q.value:
        return None
    fields = dict(numerator.fields)
    fields.update(measure="allocated", amount_vnd=int(q.ratio_of), rate_pct=None)
    return Found(kind="funding", rule="funding_plan_of_rate", start=numerator.start, end=q.end,
                 qualifier=None, period=numerator.period, fields=fields)


_CHANGE_BEFORE = re.compile(_B + r"(?:tăng|giảm)\s+(?:thêm\s+)?$", re.IGNORECASE)
# a funding cue across the number (the words before it, a space, the words after it) lies within this
# many characters of either side
_FUNDING_CUE_REACH = max(len(p) for p in lex.FUNDING_CUES)


def is_funding_amount(text: str, s: int, cs: int, q: Quantity, ctx: Context, last: Found | None) -> bool:
    """Money is programme funding when it is a component of a stated funding total, or when funding
    words or a programme stand around it and no socio-economic indicator noun governs it
    (budget revenue and expenditure, income, production value, investment attracted from firms
    ... are indicators). A change of money ("tăng 1 tỷ đồng so với kế hoạch") is an indicator of
    change: a funding record has no measure for it."""
    low_left = lower_slice(text, cs, q.start)
    if _CHANGE_BEFORE.search(low_left[-20:]):
        return False
    if _fills_rate(text, q, last) or _component_parent(text, s, q, ctx, last) is not None:
        return True
    # (each phrase table read only where the text may hold one of its phrases: may_have_at)
    near = max(cs, q.start - 120)
    indicator_cue = has(low_left[-120:], lex.INDICATOR_MONEY_CUES) if may_have_at(
        text, near, q.start, lex.INDICATOR_MONEY_CUES) else None
    if indicator_cue is None and "(" in low_left[-40:] and may_have_at(
            text, max(s, q.start - 200), q.start, lex.INDICATOR_MONEY_CUES):
        indicator_cue = has(lower_slice(text, max(s, q.start - 200), q.start), lex.INDICATOR_MONEY_CUES)
    if indicator_cue is not None:
        return False
    right = lower_slice(text, q.end, q.end + 40)
    # (a cue across the space that joins the two sides has a word on either side, no space next to it)
    left_end, right_start = low_left[-_FUNDING_CUE_REACH:], right[:_FUNDING_CUE_REACH]
    funding_cue = has(low_left[-120:] + " " + right, lex.FUNDING_CUES) if (
        may_have_at(text, near, q.start, lex.FUNDING_CUES) or may_have_at(text, q.end, q.end + 40, lex.FUNDING_CUES)
        or (left_end[-1:].strip() and right_start[:1].strip()
            and may_have(left_end + " " + right_start, lex.FUNDING_CUES))) else None
    # a programme governs it: named before it in its clause, or after it as its purpose ("huy động được
    # 900 tỷ đồng xây dựng nông thôn mới")
    return bool(funding_cue or programme_mentions_at(text, cs, q.start) or attached_programme(text, q.end)
                or _programme_after(text, q.end))


_FUNDING_RATE = re.compile(_B + alternation(lex.FUNDING_RATE_CUES) + _E, re.IGNORECASE)


def is_disbursement_rate(low_left: str, whole: str | None = None, start: int = 0) -> bool:
    """A percentage governed by "giải ngân" is a disbursement rate, one governed by the works
    executed on public investment ("khối lượng thực hiện", "vốn đầu tư thực hiện") an execution
    rate: funding, amount unknown. (``low_left``: the clause before it, lowered; ``whole[start:]`` when
    given: where it stands in the text.)"""
    near = low_left[-80:]
    return search_led(_FUNDING_RATE, near, lex.FUNDING_RATE_CUES, 0, whole, start + len(low_left) - len(near)) \
        is not None
