"""The review queue and reviewers' decisions on figures (``provreport review / correct / confirm / reject``).

Some figures need a person: one read by a rule that guesses (a rate without its amount, the upper end
of a range), an indicator the catalogue does not know, a report whose place is unresolved or ambiguous,
an amount no programme report would state, a figure of an open finding. ``review_queue`` lists them
with their sentence. A reviewer's decision is appended to ``audit.figure_reviews`` (this module is its
only writer; schema raw is never edited) and dbt applies it at the next run
(``int_figures__corrected``): the marts carry the corrected value, ``is_corrected`` and the original.
A review is tied to the figure's report and its place in the text, so it survives a rerun and a
re-extraction of the same file.

A correction of a figure's place (``place=Đa Krông, Quảng Trị``) moves it to another reporting unit: the
name is looked up in the gazetteer as of the figure's period and never guessed (an unknown or ambiguous
name is refused with the candidates); dbt rebuilds both the unit it leaves and the unit it joins.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from orchestration import journal
from sources.figures import CAPITAL_SOURCES, MEASURES, PROGRAMME_CODES, RULE_FLAG_SEPARATOR, SUSPECT_FORMAT
from sources.numbers import SCALES, to_base
from sources.schema import CORRECTED_PLACE_COLUMNS

# rules that infer rather than read: the figure is right only if the inference is
WEAK_RULES = {
    "funding_rate_only": "a rate with no amount of its own",
    "funding_plan_of_rate": "an amount inferred from a rate of plan",
    "indicator_target_range_high": "the upper end of a range, read as the target",
}
# an amount a programme report would not state: under 1 triệu đồng, or over 100.000 tỷ đồng
PLAUSIBLE_VND = (1e6, 1e14)
ACTIONS = ("correct", "confirm", "reject")
FIELDS = ("value", "measure", "programme", "capital_source", "role", "period", "place")
# a reviewer types a period as a year, a month or a range: 2019, 2019-09, 2016-01-01..2019-12-31
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

FIGURES_SQL = """
with facts as (
    select figure_id, report_id, 'funding' as kind, unit_key, district_name, province_name, period_start, period_end,
           cast(amount_vnd as double) as value, 'VND' as unit, measure as detail, programme_code as subject,
           source_quote, sentence, review_status
    from marts.fct_programme_funding
    union all
    select figure_id, report_id, 'indicator', unit_key, district_name, province_name, period_start, period_end,
           coalesce(actual_value, target_value), unit, case when actual_value is null then 'target' else 'actual' end,
           indicator_code, source_quote, sentence, review_status
    from marts.fct_indicator_attainment
    union all
    select figure_id, report_id, 'scorecard', unit_key, district_name, province_name, period_start, period_end,
           cast(indicators_met_or_exceeded as double), 'count', 'met of ' || cast(indicators_total as varchar),
           'SCORECARD', source_quote, source_quote, review_status
    from marts.fct_district_scorecard
)
select facts.*, figures.rule, reports.place_method, figures.char_start, figures.char_end
from facts
inner join raw.figures as figures on facts.figure_id = figures.figure_id
inner join raw.reports as reports on facts.report_id = reports.report_id
"""
FIGURE_FIELDS = ("figure_id", "report_id", "kind", "unit_key", "district_name", "province_name", "period_start",
                 "period_end", "value", "unit", "detail", "subject", "source_quote", "sentence", "review_status",
                 "rule", "place_method", "char_start", "char_end")


@dataclass(slots=True)
class Review:
    figure_id: str
    action: str
    changes: dict
    reason: str
    by: str


def figures(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return [dict(zip(FIGURE_FIELDS, row, strict=True)) for row in con.execute(FIGURES_SQL).fetchall()]


def matches(figure: dict, unit: str | None, period: str | None) -> bool:
    """The --unit (name, code or unit key, any case) and --period (year or month of the period's end)."""
    if unit and unit.casefold() not in {str(figure.get(k) or "").casefold()
                                        for k in ("district_name", "unit_key", "province_name")}:
        return False
    return not period or str(figure.get("period_end") or "").startswith(period)


def reasons(figure: dict, open_findings: dict[str, list[str]]) -> list[str]:
    """Why a figure needs a person (pure: unit-tested); empty when it does not."""
    why = []
    rule, *flags = (figure["rule"] or "").split(RULE_FLAG_SEPARATOR)
    if rule in WEAK_RULES:
        why.append(f"weak rule {rule}: {WEAK_RULES[rule]}")
    if SUSPECT_FORMAT in flags:
        why.append("number written against the usual separators (read as written; check the source)")
    if figure["place_method"] in ("unresolved", "ambiguous") or not figure["district_name"]:
        why.append(f"place {figure['place_method'] or 'unknown'}")
    if figure["kind"] == "indicator" and figure["subject"] == "UNMAPPED":
        why.append("indicator not in the catalogue (UNMAPPED)")
    if figure["unit"] == "VND" and figure["value"] is not None and not (
            PLAUSIBLE_VND[0] <= abs(figure["value"]) <= PLAUSIBLE_VND[1]):
        why.append("suspicious amount (under 1 triệu or over 100.000 tỷ đồng)")
    why += [f"in open finding {f}" for f in open_findings.get(figure["figure_id"], [])]
    return why


def review_queue(con: duckdb.DuckDBPyConnection, *, unit: str | None = None, period: str | None = None,
                 include_reviewed: bool = False) -> list[dict]:
    """The figures that need a person, with why; reviewed ones only with ``include_reviewed``."""
    from expectations.register import load_register

    in_findings: dict[str, list[str]] = {}
    for finding in load_register(con):
        if finding.status == "open":
            for fid in finding.figure_ids:
                in_findings.setdefault(fid, []).append(f"{finding.finding_id} ({finding.check})")
    queue = []
    for figure in figures(con):
        if not matches(figure, unit, period) or (figure["review_status"] and not include_reviewed):
            continue
        why = reasons(figure, in_findings)
        if why:
            queue.append({**figure, "reasons": why})
    queue.sort(key=lambda f: (f["district_name"] or "", str(f["period_end"]), f["figure_id"]))
    return queue


def parse_amount(text: str) -> int:
    """An amount as a reviewer types it: 106.164 triệu đồng, 106,164 tỷ, 106164000000."""
    match = re.fullmatch(r"\s*([\d.,]+)\s*(" + "|".join(sorted(SCALES, key=len, reverse=True))
                         + r")?\s*(đồng|VND)?\s*", text.strip(), flags=re.IGNORECASE)
    if not match:
        raise ValueError(f"value={text!r}: write an amount as 106.164 triệu đồng, 106,164 tỷ or 106164000000")
    return int(to_base(match.group(1), match.group(2)))


def parse_period(text: str) -> tuple[date, date]:
    if ".." in text:
        start, end = text.split("..", 1)
        return date.fromisoformat(start), date.fromisoformat(end)
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1), date(int(text), 12, 31)
    if month := _MONTH.fullmatch(text):
        year, number = int(month.group(1)), int(month.group(2))
        following = date(year + number // 12, number % 12 + 1, 1)
        return date(year, number, 1), date.fromordinal(following.toordinal() - 1)
    raise ValueError(f"period={text!r}: write 2019, 2019-09 or 2016-01-01..2019-12-31")


def parse_changes(kind: str, assignments: list[str], unit: str | None = None) -> dict:
    """``field=value`` pairs as the columns of audit.figure_reviews (pure: unit-tested). A value of money
    (a funding amount, an indicator in VND) is typed as in the reports: "3,95 tỷ đồng"."""
    changes: dict = {}
    for assignment in assignments:
        name, sep, text = assignment.partition("=")
        name, text = name.strip().lower(), text.strip()
        if not sep or name not in FIELDS or not text:
            raise ValueError(f"{assignment!r}: write field=value with field one of {', '.join(FIELDS)}")
        if name == "value":
            if kind == "funding":
                changes["amount_vnd"] = parse_amount(text)
            elif unit == "VND":
                changes["value_number"] = float(parse_amount(text))
            else:
                changes["value_number"] = float(to_base(text.rstrip("%").strip()))
        elif name == "measure":
            if text not in MEASURES:
                raise ValueError(f"measure={text}: one of {', '.join(MEASURES)}")
            changes["measure"] = text
        elif name == "programme":
            if text.upper() not in PROGRAMME_CODES:
                raise ValueError(f"programme={text}: one of {', '.join(PROGRAMME_CODES)}")
            changes["programme_code"] = text.upper()
        elif name == "capital_source":
            if text not in CAPITAL_SOURCES:
                raise ValueError(f"capital_source={text}: one of {', '.join(CAPITAL_SOURCES)}")
            changes["capital_source"] = text
        elif name == "role":
            if text not in ("actual", "target"):
                raise ValueError("role= actual or target (which value of an indicator the value= corrects)")
            changes["role"] = text
        elif name == "period":
            changes["period_start"], changes["period_end"] = parse_period(text)
        else:  # resolved by record_review, on the figure's period (place_columns)
            changes["place"] = text
    if kind != "funding" and {"measure", "programme_code", "capital_source"} & set(changes):
        raise ValueError("measure, programme and capital_source apply to funding figures only")
    return changes


PLACE_COLUMNS = tuple(c.name for c in CORRECTED_PLACE_COLUMNS)
REVIEW_COLUMNS = ("amount_vnd", "value_number", "measure", "programme_code", "capital_source", "role",
                  "period_start", "period_end", *PLACE_COLUMNS)


def place_columns(text: str, on_date: date | None, gazetteer=None) -> dict:
    """A place as a reviewer types it (``Đa Krông``, ``huyện Đa Krông, Quảng Trị``, ``xã Đakrông, Quảng
    Trị`` after 1 July 2025) as the corrected place columns of audit.figure_reviews: the unit the
    gazetteer knows by that name on ``on_date`` (the figure's period). An unknown name, or one that
    names several units, is refused with the candidates: a place is never guessed."""
    from sources.places import Gazetteer

    gazetteer = gazetteer or Gazetteer.load()
    district, _, province = text.partition(",")
    district, province = district.strip(), province.strip() or None
    if not district:
        raise ValueError(f"place={text!r}: write the unit's name, and its province after a comma "
                         "(place=Đa Krông, Quảng Trị)")
    place = gazetteer.lookup_place(district, province, on_date)
    when = f"on {on_date:%d/%m/%Y}" if on_date else "(no date)"
    if place is None:
        hint = f" in {province}" if province else ""
        raise ValueError(f"place={text!r}: no reporting unit of that name{hint} {when}; write it as the "
                         "gazetteer does (place=Đa Krông, Quảng Trị, or with its type: place=huyện Đa Krông)")
    if place.method == "ambiguous" or not place.district_code:
        raise ValueError(f"place={text!r} names several units {when}: {'; '.join(place.candidates)}. "
                         "Add the province after a comma or the type word (huyện, thị xã, xã ...)")
    return {"corrected_admin_unit_code": place.district_code, "corrected_admin_level": place.admin_level,
            "corrected_district_name": place.district_name, "corrected_province_name": place.province_name,
            "corrected_province_code": place.province_code,
            "corrected_current_province_name": place.current_province_name,
            "corrected_current_province_code": place.current_province_code}


def record_review(con: duckdb.DuckDBPyConnection, review: Review, *, now: datetime) -> dict:
    """Append a reviewer's decision; a correction carries forward the fields of the previous one that
    it does not change (each correction row holds the figure's complete corrected values). A place is
    resolved on the figure's period (the corrected one, else the figure's, else its report's)."""
    from sources.warehouse import ensure_audit_schema

    if review.action not in ACTIONS:
        raise ValueError(f"action {review.action}: one of {', '.join(ACTIONS)}")
    if not review.by.strip() or (review.action != "confirm" and not review.reason.strip()):
        raise ValueError("a review needs --by, and a correction or rejection a --reason")
    ensure_audit_schema(con)  # a warehouse made before the latest audit columns gains them (migrations)
    row = con.execute("select f.report_id, f.kind, f.char_start, f.char_end, "
                      "coalesce(f.period_end, r.period_end, r.report_date), f.unit from raw.figures as f "
                      "join raw.reports as r using (report_id) where f.figure_id = ?", [review.figure_id]).fetchall()
    if not row:
        raise LookupError(f"no figure {review.figure_id} (provreport review lists the figures to review)")
    report_id, kind, start, end, figure_day, unit = row[0]
    values = dict.fromkeys(REVIEW_COLUMNS)
    if review.action == "correct":
        changes = parse_changes(kind, review.changes, unit) if isinstance(review.changes, list) else review.changes
        if not changes:
            raise ValueError("a correction names what changes: value=... measure=... programme=... period=...")
        previous = con.execute(
            f"select {', '.join(REVIEW_COLUMNS)} from audit.figure_reviews where report_id = ? and kind = ? "
            "and char_start = ? and char_end = ? and action = 'correct' order by reviewed_at desc limit 1",
            [report_id, kind, start, end]).fetchall()
        if previous:
            values.update({k: v for k, v in zip(REVIEW_COLUMNS, previous[0], strict=True) if v is not None})
        if "place" in changes:
            changes = dict(changes)
            day = changes.get("period_end") or values["period_end"] or figure_day
            changes.update(place_columns(changes.pop("place"), day))
        values.update(changes)
    review_id = uuid.uuid4().hex[:12]
    con.execute(f"insert into audit.figure_reviews (review_id, figure_id, report_id, kind, char_start, char_end, "
                f"action, {', '.join(REVIEW_COLUMNS)}, reason, reviewed_by, reviewed_at) "
                f"values ({', '.join('?' * (10 + len(REVIEW_COLUMNS)))})",
                [review_id, review.figure_id, report_id, kind, start, end, review.action,
                 *[values[k] for k in REVIEW_COLUMNS], review.reason or "confirmed as extracted", review.by, now])
    # a reviewer's decision cannot be rebuilt from the landing folder: kept in the journal beside the warehouse too
    journal.append(con, "review", "review_id = ?", [review_id])
    return {"review_id": review_id, "kind": kind, **values}


REVIEWS_SQL = """
select r.reviewed_at, r.reviewed_by, r.action, r.figure_id, f.district_name, r.reason, r.amount_vnd,
       r.value_number, r.measure, r.programme_code, r.role, r.period_start, r.period_end,
       coalesce(m.original_amount_vnd, f.amount_vnd) as original_amount_vnd, f.source_quote,
       m.amount_vnd as amount_in_marts, {place}
from audit.figure_reviews as r
left join (select figure_id, amount_vnd, source_quote, district_name from raw.figures
           join raw.reports using (report_id)) as f on r.figure_id = f.figure_id
left join marts.fct_programme_funding as m on r.figure_id = m.figure_id
order by r.reviewed_at
"""
REVIEW_FIELDS = ("reviewed_at", "reviewed_by", "action", "figure_id", "district_name", "reason", "amount_vnd",
                 "value_number", "measure", "programme_code", "role", "period_start", "period_end",
                 "original_amount_vnd", "source_quote", "amount_in_marts", *PLACE_COLUMNS)


def reviews(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every review recorded, oldest first, for the audit and the report (a warehouse read before a run
    migrated it has no corrected place: read as null)."""
    try:
        present = {c for (c,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'audit' and table_name = 'figure_reviews'").fetchall()}
        place = ", ".join(f"r.{c}" if c in present else f"null as {c}" for c in PLACE_COLUMNS)
        return [dict(zip(REVIEW_FIELDS, r, strict=True))
                for r in con.execute(REVIEWS_SQL.format(place=place)).fetchall()]
    except duckdb.Error:
        return []


def review_text(review: dict) -> str:
    """One review as a line: who, when, what changed, why."""
    from sources.numbers import in_millions, value_text

    changed = []
    if review["amount_vnd"] is not None:
        millions = in_millions([review["original_amount_vnd"], review["amount_vnd"]])
        changed.append(f"amount {value_text(review['original_amount_vnd'], 'VND', millions=millions)} → "
                       f"{value_text(review['amount_vnd'], 'VND', millions=millions)}")
    if review["value_number"] is not None:
        changed.append(f"{review['role'] or 'actual'} value → {review['value_number']:g}")
    changed += [f"{k} → {review[k]}" for k in ("measure", "programme_code") if review[k]]
    if review["period_start"]:
        changed.append(f"period → {review['period_start']}..{review['period_end']}")
    if review.get("corrected_admin_unit_code"):
        changed.append(f"place {review['district_name'] or 'unplaced'} → {review['corrected_district_name']}, "
                       f"{review['corrected_province_name']} ({review['corrected_admin_unit_code']})")
    what = "; ".join(changed) if review["action"] == "correct" else review["action"] + "ed"
    return (f"{review['reviewed_at']:%Y-%m-%d %H:%M} {review['reviewed_by']}: {review['figure_id']} "
            f"({review['district_name'] or 'unplaced'}) {what} — {review['reason']}")
