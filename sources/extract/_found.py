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


class FoundList(list):
    """The figures found so far, with an index of which objects it holds: "is this figure already
    listed" is asked for every figure read, and a scan of the list would make a dense text cost the
    square of its figures (issue #19). Only the mutations the grammar uses are supported."""

    __slots__ = ("_held",)

    def __init__(self) -> None:
        super().__init__()
        self._held: dict[int, int] = {}  # id of a listed object -> how many times it is listed

    def holds(self, f: object) -> bool:
        return id(f) in self._held

    def count_of(self, f: object) -> int:
        return self._held.get(id(f), 0)

    def append(self, f: object) -> None:
        super().append(f)
        self._held[id(f)] = self._held.get(id(f), 0) + 1

    def _forget(self, f: object) -> None:
        n = self._held[id(f)] - 1
        if n:
            self._held[id(f)] = n
        else:
            del self._held[id(f)]

    def __delitem__(self, index) -> None:
        if not isinstance(index, int):
            raise TypeError("FoundList: delete one item at a time")
        self._forget(self[index])
        super().__delitem__(index)

    def __setitem__(self, index, f) -> None:
        if not isinstance(index, int):
            raise TypeError("FoundList: set one item at a time")
        self._forget(self[index])
        super().__setitem__(index, f)
        self._held[id(f)] = self._held.get(id(f), 0) + 1

    def _unsupported(self, *args, **kwargs):
        raise TypeError("FoundList: only append, item assignment and item deletion are supported")

    extend = insert = pop = remove = clear = __iadd__ = __imul__ = _unsupported


@dataclass(slots=True)
class Context:
    """What carries over from sentence to sentence within a paragraph or a section."""

    report_date: date | None
    report_period: tuple[date | None, date | None]
    section_programme: str | None = None
    paragraph_programme: str | None = None
    target_mode: bool = False
    target_period: tuple[date | None, date | None] | None = None
    found: FoundList = field(default_factory=FoundList)
