"""A figure being assembled: what the clause layers (``_classify``, ``_funding``) produce, what
``periods.figure_periods`` dates and ``_assemble`` turns into :class:`sources.figures.Figure`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True)
class Found:
    kind: str  # funding | indicator | scorecard
    rule: str
    start: int  # the quote's offsets in the whole text
    end: int
    qualifier: str | None = None
    period: tuple[date | None, date | None] = (None, None)
    fields: dict = field(default_factory=dict)
    parent: int | None = None  # index into the list of Found: the stated total this is a component of


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
