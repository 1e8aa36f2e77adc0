"""From the grammar's ``Found`` to the public :class:`sources.figures.Figure`: quotes, sentences,
parents by local id, the indicator catalogue, and one fact, one record (a figure repeated in
the same report is kept once)."""

from __future__ import annotations

from sources.extract._catalogue import map_indicator
from sources.extract._found import Found
from sources.figures import Figure
from sources.text import split_sentences


def assemble(text: str, found: list[Found]) -> list[Figure]:
    spans = split_sentences(text)
    figures: list[Figure] = []
    index_of: dict[int, int] = {}
    seen: dict[tuple, Figure] = {}
    for i, f in enumerate(found):
        key = _identity(f)
        if key is not None and key in seen and f.parent is None:
            kept = seen[key]
            for name, value in f.fields.items():  # the restatement may say more ("trong đó 10 vượt")
                if value is not None and getattr(kept, name, None) is None:
                    setattr(kept, name, value)
            continue  # one fact, one record: a figure repeated in the same report is kept once
        sentence = next((text[s:e] for s, e in spans if s <= f.start < e), "")
        fig = Figure(
            kind=f.kind, local_id=len(figures), rule=f.rule, source_quote=text[f.start:f.end],
            char_start=f.start, char_end=f.end, sentence=sentence, qualifier=f.qualifier,
            period_start=f.period[0], period_end=f.period[1],
            parent_local_id=index_of.get(f.parent) if f.parent is not None else None,
        )
        for name, value in f.fields.items():
            setattr(fig, name, value)
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
