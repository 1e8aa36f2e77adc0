"""The gazetteer: which district and province a report is about, before and after the 2025 reform.

Names are matched folded (lowercase, no diacritics, no spaces), so "Đakrông" = "Đa Krông",
"Hướng Hoá" = "Hướng Hóa" and "Huong Hoa" all meet. A district is found where the text names
it with its type word ("huyện X", "Huyện ủy X", "thị xã X"); when a report never names its
district, it is inferred from the communes it names, if they point to one district. Homonyms
(there are many "Châu Thành") are settled by the province the text names; what stays open is
recorded as ``ambiguous`` with its candidates, never guessed.

Reference data: the dbt seeds in ``dbt_project/seeds/admin`` (see their yml for the source).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import polars as pl

from sources.figures import PlaceResolution
from sources.reference import seed_path
from sources.text import fold

REFORM_DATE = date(2025, 7, 1)
_CAP = r"[A-ZĐÀ-Ỹ][\wÀ-ỹ'’-]*"
_DISTRICT_MENTION = re.compile(
    rf"(?<![\wÀ-ỹ])(?P<type>huyện|huyen|quận|quan|thị\s+xã|thi\s+xa|thành\s+phố|thanh\s+pho|tp\.?|thị)\s+"
    rf"(?:ủy\s+|uỷ\s+|uy\s+)?"
    rf"(?P<name>(?:{_CAP})(?:\s+{_CAP}){{0,3}})",
    re.IGNORECASE,
)
_TYPE_OF_MENTION = {"huyen": "huyện", "quan": "quận", "thi xa": "thị xã", "thi": "thị xã", "thanh pho": "thành phố",
                    "tp": "thành phố", "tp.": "thành phố"}
_PROVINCE_MENTION = re.compile(rf"(?<![\wÀ-ỹ])(?:tỉnh|Tỉnh\s+(?:ủy|uỷ))\s+((?:{_CAP})(?:\s+{_CAP}){{0,3}})")
_COMMUNE_MENTION = re.compile(rf"(?<![\wÀ-ỹ])(?:xã|phường|thị\s+trấn)\s+((?:{_CAP})(?:\s+{_CAP}){{0,3}})")
_LIST_AFTER_COMMUNES = re.compile(r"(?:xã|phường|thị\s+trấn)[^()\n]{0,60}\(([^()\n]{5,300})\)")


def key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(name))


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    name: str
    type: str
    province_code: str
    district_code: str | None = None


class Gazetteer:
    """Administrative units before the reform (provinces, districts, communes) and the crosswalk."""

    def __init__(self, provinces: pl.DataFrame, districts: pl.DataFrame, communes: pl.DataFrame,
                 crosswalk: pl.DataFrame) -> None:
        self.provinces = {r["province_code"]: r["province_name"] for r in provinces.iter_rows(named=True)}
        self.province_by_key: dict[str, list[str]] = defaultdict(list)
        for code, name in self.provinces.items():
            self.province_by_key[key(name)].append(code)
        self.districts: dict[str, Unit] = {}
        self.district_by_key: dict[str, list[Unit]] = defaultdict(list)
        for r in districts.iter_rows(named=True):
            unit = Unit(r["district_code"], r["district_name"], r["district_type"], r["province_code"])
            self.districts[unit.code] = unit
            self.district_by_key[key(unit.name)].append(unit)
        self.commune_by_key: dict[str, list[Unit]] = defaultdict(list)
        for r in communes.iter_rows(named=True):
            unit = Unit(r["commune_code"], r["commune_name"], r["commune_type"], r["province_code"],
                        r["district_code"])
            self.commune_by_key[key(unit.name)].append(unit)
        self.crosswalk = {r["old_province_code"]: (r["new_province_code"], r["new_province_name"])
                          for r in crosswalk.iter_rows(named=True)}

    @classmethod
    def load(cls) -> Gazetteer:
        return _load()

    # ---- resolving a report -------------------------------------------------------------
    def _match_prefix(self, words: list[str], index: dict[str, list[Unit]] | dict[str, list[str]]):
        """Longest run of leading words that names a unit: 'Hướng Hóa Quảng' -> 'Hướng Hóa'."""
        for n in range(len(words), 0, -1):
            hit = index.get(key(" ".join(words[:n])))
            if hit:
                return hit
        return None

    def _province_votes(self, text: str) -> Counter:
        votes: Counter = Counter()
        for m in _PROVINCE_MENTION.finditer(text):
            hit = self._match_prefix(m.group(1).split(), self.province_by_key)
            if hit:
                for code in hit:
                    votes[code] += 1
        return votes

    def resolve(self, text: str, on_date: date | None = None) -> PlaceResolution:
        provinces = self._province_votes(text)
        votes: Counter = Counter()
        for m in _DISTRICT_MENTION.finditer(text):
            words = m.group("name").split()
            hit = self._match_prefix(words, self.district_by_key)
            if not hit:
                continue
            # the type word and the exact spelling narrow homonyms: "thị xã Sơn Tây" is not
            # "huyện Sơn Tây", and "Tam Đường" is not "Tam Dương" though both fold alike
            kind = _TYPE_OF_MENTION.get(re.sub(r"\s+", " ", fold(m.group("type"))))
            hit = [u for u in hit if u.type == kind] or hit
            exact = [u for u in hit if " ".join(words).lower().startswith(u.name.lower())]
            hit = exact or hit
            weight = 2.0 if m.start() < 1200 else 1.0  # the title and lead name the subject
            for unit in hit:
                votes[unit.code] += weight / len(hit)
        if votes:
            return self._decide_district(votes, provinces, "named")
        inferred = self._infer_from_communes(text)
        if inferred:
            return self._decide_district(inferred, provinces, "commune_inference")
        if provinces:
            code, _ = provinces.most_common(1)[0]
            return self._place(None, code, "province_only", [])
        return PlaceResolution(None, None, None, None, None, None, "unresolved", [])

    def _decide_district(self, votes: Counter, provinces: Counter, method: str) -> PlaceResolution:
        # a district in a province the text names beats a homonym elsewhere
        scored = sorted(votes.items(), key=lambda kv: (kv[1] + (0.5 if self.districts[kv[0]].province_code in provinces
                                                                 else 0)), reverse=True)
        best_code, best_score = scored[0]
        best_total = best_score + (0.5 if self.districts[best_code].province_code in provinces else 0)
        others = [self._label(code) for code, score in scored[1:6]]
        if len(scored) > 1:
            second_code, second_score = scored[1]
            second_total = second_score + (0.5 if self.districts[second_code].province_code in provinces else 0)
            if abs(best_total - second_total) < 1e-9:
                return PlaceResolution(None, None, None, None, None, None, "ambiguous",
                                       [self._label(c) for c, _ in scored[:6]])
        unit = self.districts[best_code]
        return self._place(unit, unit.province_code, method, others)

    def _infer_from_communes(self, text: str) -> Counter:
        names: set[str] = set()
        for m in _COMMUNE_MENTION.finditer(text):
            names.add(" ".join(m.group(1).split()[:3]))
        for m in _LIST_AFTER_COMMUNES.finditer(text):
            for item in re.split(r",|\bvà\b", m.group(1)):
                item = re.sub(r"^\s*(?:xã|phường|thị\s+trấn)\s+", "", item.strip())
                if item and item[0].isupper():
                    names.add(item)
        per_district: dict[str, set[str]] = defaultdict(set)
        for name in names:
            hit = self._match_prefix(name.split(), self.commune_by_key)
            for unit in hit or []:
                per_district[unit.district_code].add(key(name))
        if not per_district:
            return Counter()
        ranked = sorted(per_district.items(), key=lambda kv: len(kv[1]), reverse=True)
        best = len(ranked[0][1])
        runner = len(ranked[1][1]) if len(ranked) > 1 else 0
        if best >= 2 and best > runner:
            return Counter({ranked[0][0]: best})
        if best >= 2:  # a tie stays open
            return Counter({code: len(v) for code, v in ranked if len(v) == best})
        return Counter()

    def _label(self, district_code: str) -> str:
        unit = self.districts[district_code]
        return f"{unit.type} {unit.name}, {self.provinces.get(unit.province_code, '?')} ({unit.code})"

    def _place(self, unit: Unit | None, province_code: str, method: str, candidates: list[str]) -> PlaceResolution:
        new_code, new_name = self.crosswalk.get(province_code, (None, None))
        return PlaceResolution(
            province_name=self.provinces.get(province_code), province_code=province_code,
            district_name=unit.name if unit else None, district_code=unit.code if unit else None,
            current_province_name=new_name, current_province_code=new_code, method=method, candidates=candidates,
        )

    # ---- looking a name up (spreadsheet submissions) -------------------------------------
    def lookup_place(self, district: str, province: str | None = None,
                     on_date: date | None = None) -> PlaceResolution | None:
        """The district called ``district`` (in ``province`` when given), valid before the reform.

        None when no such district exists; ``ambiguous`` when the name needs its province.
        """
        name = re.sub(r"^(?:huyện|quận|thị xã|thành phố|tp\.?)\s+", "", district.strip(), flags=re.IGNORECASE)
        hits = self.district_by_key.get(key(name), [])
        if province:
            pname = re.sub(r"^(?:tỉnh|thành phố|tp\.?)\s+", "", province.strip(), flags=re.IGNORECASE)
            codes = set(self.province_by_key.get(key(pname), []))
            hits = [u for u in hits if u.province_code in codes]
        if on_date is not None and on_date >= REFORM_DATE:
            return None  # districts were abolished on 1 July 2025
        if not hits:
            return None
        if len(hits) > 1:
            return PlaceResolution(None, None, None, None, None, None, "ambiguous",
                                   [self._label(u.code) for u in hits])
        return self._place(hits[0], hits[0].province_code, "named", [])


@lru_cache(maxsize=1)
def _load() -> Gazetteer:
    read = lambda name: pl.read_csv(seed_path(f"admin/{name}.csv"), infer_schema_length=0)  # noqa: E731
    return Gazetteer(read("admin_provinces_pre2025"), read("admin_districts_pre2025"),
                     read("admin_communes_pre2025"), read("admin_province_crosswalk_2025"))
