"""Indicator names as written -> codes of the indicator catalogue (dbt seed reference/indicators)."""

from __future__ import annotations

import csv
from functools import lru_cache

from sources.reference import seed_path

INDICATOR_SEED = "reference/indicators.csv"


@lru_cache(maxsize=1)
def catalogue_codes() -> frozenset[str]:
    """The codes an indicator may carry: the catalogue's, and UNMAPPED (a member of dim_indicator)."""
    with seed_path(INDICATOR_SEED).open(encoding="utf-8") as fh:
        return frozenset({row["indicator_code"] for row in csv.DictReader(fh)} | {"UNMAPPED"})


@lru_cache(maxsize=1)
def _synonyms() -> list[tuple[str, str, str]]:
    """(synonym, code, unit) pairs, longest synonym first so the most specific name wins."""
    pairs = []
    with seed_path(INDICATOR_SEED).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for syn in row["synonyms"].split("|"):
                if syn.strip():
                    pairs.append((syn.strip().lower(), row["indicator_code"], row["unit"]))
    pairs.sort(key=lambda p: -len(p[0]))
    return pairs


def _unit_family(unit: str | None) -> str:
    return {"percent": "percent", "VND": "VND"}.get(unit or "", "quantity")


@lru_cache(maxsize=4096)
def map_indicator(name: str, unit: str | None) -> str:
    """The catalogue code whose synonym the name contains (same unit family), else UNMAPPED (a name
    read again maps at once: a figure-dense text repeats its names, issue #19)."""
    low = name.lower()
    family = _unit_family(unit)
    for syn, code, cat_unit in _synonyms():
        if syn in low and _unit_family(cat_unit) == family:
            return code
    return "UNMAPPED"
