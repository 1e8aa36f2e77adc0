"""From the grammar's ``Found`` to the public :class:`sources.figures.Figure`: quotes, sentences,
parents by local id, the indicator catalogue, and one fact, one record (a figure repeated in
the same report is kept once)."""

from __future__ import annotations

from bisect import bisect_right
from decimal import Decimal

from sources.extract._catalogue import map_indicator
from sources.extract._found import Found
from sources.figures import Figure
from sources.text import split_sentences

_FIGURE_FIELDS = frozenset(Figure.__slots__)


def _sentence_at(text: str, spans: list[tuple[int, int]], starts: list[int], pos: int) -> str:
    """The sentence holding ``pos`` (binary search over the sentence starts), "" between sentences."""
    i = bisect_right(starts, pos) - 1
    return text[spans[i][0]:spans[i][1]] if i >= 0 and pos < spans[i][1] else ""


def assemble(text: str, found: list[Found]) -> list[Figure]:
    spans = split_sentences(text)
    starts = [s for s, _ in spans]
    figures: list[Figure] = []
    index_of: dict[int, int] = {}
    seen: dict[tuple, Figure] = {}
    restated = _headlines_restated(text, found)
    for i, f in enumerate(found):
        if i in restated:
            continue
        key = _identity(f)
        if key is not None and key in seen and f.parent is None:
            kept = seen[key]
            for name, value in f.fields.items():  # the restatement may say more ("trong đó 10 vượt")
                if value is not None and name in _FIGURE_FIELDS and getattr(kept, name) is None:
                    setattr(kept, name, value)
            continue  # one fact, one record: a figure repeated in the same report is kept once
        sentence = _sentence_at(text, spans, starts, f.start)
        fig = Figure(
            kind=f.kind, local_id=len(figures), rule=f.rule, source_quote=text[f.start:f.end],
            char_start=f.start, char_end=f.end, sentence=sentence, qualifier=f.qualifier,
            period_start=f.period[0], period_end=f.period[1],
            parent_local_id=index_of.get(f.parent) if f.parent is not None else None,
        )
        for name, value in f.fields.items():
            if name in _FIGURE_FIELDS:  # the grammar's working notes ("list_period") stay behind
                setattr(fig, name, value)
        if fig.suspect_format:
            # the rule travels to the marts' `rule` column: a reviewer finds the figures read against
            # the usual separators there ("indicator_level+suspect_format")
            fig.rule = f"{fig.rule}+suspect_format"
        if fig.kind == "indicator" and fig.target_value is not None and any(
                g.kind == "indicator" and g.sentence == sentence and g.unit == fig.unit
                and g.actual_value == fig.actual_value for g in figures):
            # one level against two plans: "đạt 61,6% kế hoạch tỉnh giao (792,9 tỷ/1.287,4 tỷ đồng), đạt 55,6%
            # Nghị quyết (792,9 tỷ/1.426,5 tỷ đồng)" states the level once and each plan
            fig.actual_value = None
        if fig.kind == "indicator":
            fig.indicator_code = map_indicator(fig.indicator_name or "", fig.unit)
        if key is not None:
            seen.setdefault(key, fig)
        index_of[i] = fig.local_id
        figures.append(fig)
    return figures


def _identity(f) -> tuple | None:
    if f.kind == "funding":
        return ("funding", f.fields.get("programme_code"), f.fields.get("measure"), f.fields.get("amount_vnd"),
                f.fields.get("rate_pct"), f.fields.get("per_unit"))
    if f.kind == "scorecard":
        return ("scorecard", f.fields.get("indicators_met_or_exceeded"), f.fields.get("indicators_total"))
    name = (f.fields.get("indicator_name") or "").lower().strip()
    if len(name) < 12:
        return None  # too little said of it to call two mentions the same fact
    values = tuple(f.fields.get(k) for k in ("target_value", "actual_value", "attainment_pct", "exceed_pct",
                                             "change_value"))
    return ("indicator", f.fields.get("unit"), values, name)


def _is_headline(text: str, pos: int) -> bool:
    """A title or heading line: short, without a sentence's final stop."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start:end if end != -1 else len(text)].strip()
    return len(line) <= 200 and not line.endswith((".", "…", ":", ";", ","))


def _claims(f: Found) -> set[tuple]:
    """What an indicator says, comparably: an excess of X% over the plan is an attainment of 100 + X%."""
    unit = f.fields.get("unit")
    out = {(k, unit, f.fields[k]) for k in ("actual_value", "target_value", "change_value")
           if f.fields.get(k) is not None}
    if f.fields.get("attainment_pct") is not None:
        out.add(("attainment", "percent", f.fields["attainment_pct"]))
    if f.fields.get("exceed_pct") is not None:
        out.add(("attainment", "percent", 100 + f.fields["exceed_pct"]))
    return out


def restates(short, full, hedged: bool) -> bool:
    """A headline's value restates the body's as written or rounded ("vượt 17%" for "vượt 17,75%"),
    or, hedged, within 1% of it ("ước đạt hơn 2.140 tỷ đồng" for "2.141.605 triệu đồng")."""
    short, full = Decimal(str(short)), Decimal(str(full))
    if short == full:
        return True
    if hedged and full and abs(full - short) <= abs(full) / 100:
        return True
    return short == short.to_integral_value() and short in (int(full), full.to_integral_value())


def _headlines_restated(text: str, found: list[Found]) -> set[int]:
    """One fact, one record across a report's headline and its body: an indicator in a title or
    heading line is the body's when the body states the same role and unit with the same value
    (or the headline rounds it, or states as an excess what the body states as an attainment:
    "Thu ngân sách ước vượt 37%" over "đạt hơn 137% so kế hoạch"). The body's record is kept: it
    says more (its period, its yardstick)."""
    heads, body = [], []
    headline_at: dict[int, bool] = {}  # by line start: a line is read once, however many figures it holds
    for i, f in enumerate(found):
        if f.kind == "indicator" and f.parent is None:
            line_start = text.rfind("\n", 0, f.start) + 1
            if line_start not in headline_at:
                headline_at[line_start] = _is_headline(text, f.start)
            (heads if headline_at[line_start] else body).append((i, f))
    if not heads:
        return set()
    body_claims = [c for _, f in body for c in _claims(f)]
    dropped = set()
    for i, f in heads:
        for role, unit, value in _claims(f):
            if any(r == role and u == unit and restates(value, v, f.qualifier is not None) for r, u, v in body_claims):
                dropped.add(i)
                break
    return dropped
