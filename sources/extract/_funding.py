"""The funding layer of the grammar: is an amount programme money, and if so which programme,
capital source and measure, and which stated total it is a component of.

- programme: the programme noun phrase right after the amount ("X đồng vốn sự nghiệp thuộc
  Chương trình ..."), else the nearest programme named before it in its clause, its sentence,
  right after it, its paragraph, its section; OTHER when none is named;
- measure: the measure word nearest before the amount, a proposal or forecast governing it;
- capital source: investment or recurrent words after or before the amount;
- components: amounts in parentheses or after "trong đó" that follow a stated total.
"""

from __future__ import annotations

import re
from datetime import date

from sources.extract import _lexicon as lex
from sources.extract._found import Context, Found
from sources.extract._grammar import Quantity
from sources.extract._patterns import B as _B
from sources.extract._patterns import E as _E
from sources.extract._patterns import alternation, has
from sources.extract._patterns import last as last_phrase

_PROGRAMME_GENERIC = re.compile(r"\b[Cc]hương trình\s+((?:[^\s,;.:()]+\s*){1,12})")
_PROGRAMME_RE = re.compile(_B + "(" + "|".join(re.escape(p) for p in sorted(lex.PROGRAMMES, key=len, reverse=True))
                           + ")" + _E, re.IGNORECASE)
_TOGETHER_RE = re.compile("|".join(re.escape(p) for p in lex.PROGRAMMES_TOGETHER), re.IGNORECASE)


def programme_mentions(text: str) -> list[tuple[int, str]]:
    """(end position, code) of each programme named in ``text``, in order."""
    found: list[tuple[int, str]] = []
    for m in _PROGRAMME_GENERIC.finditer(text):
        tail = m.group(1)
        if _PROGRAMME_RE.search(tail) is None and not re.match(
                r"(?:công tác|làm việc|hành động|phối hợp|đối với|này|trên|của|với|và|đã|được|cho|tại|trong|nói|"
                r"đề ra|chung|đó|nêu)\b", tail, re.IGNORECASE):
            found.append((m.end(), "OTHER"))
    for m in _PROGRAMME_RE.finditer(text):
        found.append((m.end(), lex.PROGRAMMES[m.group(1).lower()]))
    for m in _TOGETHER_RE.finditer(text):
        found.append((m.end() + 1, "OTHER"))  # wins over the single programme words inside it
    found.sort()
    return found


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



_PAREN_COMPONENTS = re.compile(r"^\s*\(\s*(?:năm\s+\d{4}\s*:|trong\s+đó\s*:?|gồm\s*:?|bao\s+gồm\s*:?)", re.IGNORECASE)


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
    hit = last_phrase(window, lex.MEASURES)
    return hit[1] if hit else None




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


def close_paren(text: str, pos: int) -> int:
    m = re.match(r"\s*\)", text[pos:pos + 3])
    return pos + m.end() if m else pos


def funding_figure(text: str, s: int, cs: int, q: Quantity, ctx: Context, period, qs: int, last: Found | None,
             is_target: bool, rate_only: bool = False) -> Found:
    window_start = max(cs, text.rfind("(", cs, q.start) + 1)
    window = text[window_start:q.start]
    measure = _measure_for(window) or _measure_for(text[cs:q.start])
    low_window = text[cs:q.start].lower()
    if rate_only:
        measure = "planned" if (is_target or "cam kết" in low_window) else "disbursed"
    elif re.search(r"dự\s+kiến|kế\s+hoạch\s+năm\s+\d{4}\s*$", window.lower()):
        measure = "planned"
    capital_after = has(re.split(r"[,;(]", text[q.end:q.end + 40])[0].lower(), lex.CAPITAL_SOURCES)
    capital_before = last_phrase(window, lex.CAPITAL_SOURCES)
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
        start=qs, end=close_paren(text, q.end) if rate_only else q.end, qualifier=q.hedge,
        period=period, parent=parent,
        fields={"programme_code": programme, "programme_text": None, "capital_source": capital or "unspecified",
                "measure": measure or "allocated", "amount_vnd": amount,
                "rate_pct": q.value if rate_only else None, "per_unit": q.per_unit},
    )




def is_funding_amount(text: str, s: int, cs: int, q: Quantity, ctx: Context, last: Found | None) -> bool:
    """Money is programme funding when it is a component of a stated funding total, or when funding
    words or a programme stand around it and no socio-economic indicator noun governs it
    (budget revenue and expenditure, income, production value ... are indicators)."""
    if _component_parent(text, q, ctx, last) is not None:
        return True
    left = text[cs:q.start]
    low_left = left.lower()
    indicator_cue = has(low_left[-120:], lex.INDICATOR_MONEY_CUES)
    if indicator_cue is None and "(" in low_left[-40:]:
        indicator_cue = has(text[s:q.start].lower()[-200:], lex.INDICATOR_MONEY_CUES)
    funding_cue = has(low_left[-120:] + " " + text[q.end:q.end + 40].lower(), lex.FUNDING_CUES)
    return indicator_cue is None and bool(funding_cue or programme_mentions(left))


def is_disbursement_rate(low_left: str) -> bool:
    """A percentage governed by "giải ngân" is a disbursement rate (funding, amount unknown)."""
    return re.search(r"giải\s+ngân", low_left[-80:]) is not None
