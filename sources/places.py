"""The gazetteer: which unit and province a report is about, before and after the 2025 reform.

Names are matched folded (lowercase, no diacritics, no spaces), so "Đakrông" = "Đa Krông",
"Hướng Hoá" = "Hướng Hóa" and "Huong Hoa" all meet. A district is found where the text names
it with its type word ("huyện X", "Huyện ủy X", "thị xã X"); when a report never names its
district, it is inferred from the communes it names, if they point to one district. Homonyms
(there are many "Châu Thành") are settled by the province the text names; what stays open is
recorded as ``ambiguous`` with its candidates, never guessed.

On 1 July 2025 the district level was abolished: communes report to one of 34 provinces. A
report dated from then on is about the commune it names with its type word ("xã X", "phường
X", "đặc khu X"), most of all as the body that issues it ("UBND xã X", "Đảng ủy phường X"),
in the province it names by its new name. A unit marked former ("huyện X (cũ)") is history,
not the subject. A report dated after the reform that names a district and no commune more
strongly is a late report on a district, and is placed as before.

Before the reform, the map is the one in force on the report's date: districts merged or
renamed between 2016 and 2025 ("huyện Long Điền", merged into Long Đất on 1 January 2025;
"Quận 2", part of Thủ Đức city since 2021) resolve for the reports of their time, under the
name they then had, and a unit named after it was gone goes to the unit that took it over.

A district is also found by its bare name ("Định Hóa: thu ngân sách ...", "UBND Ia Grai"),
but only where the name belongs to one district of the map and the text backs it: a headline,
an issuing body before it, a district spoken of without its name ("HĐND huyện"), or the
province it lies in. Such a mention weighs less than a name with its type word.

Reference data: the dbt seeds in ``dbt_project/seeds/admin`` (see their yml for the source).
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import polars as pl

from sources import lexicon as lex
from sources.figures import PlaceResolution
from sources.patterns import alternation
from sources.reference import seed_path
from sources.text import fold

REFORM_DATE = date(2025, 7, 1)
_CAP = r"[A-ZĐÀ-Ỹ][\wÀ-ỹ'’-]*"
_NAME = rf"(?P<name>(?:{_CAP})(?:\s+{_CAP}){{0,3}})"
# The words that describe a district between its type word and its name: "huyện đảo Lý Sơn",
# "huyện miền núi Quế Phong", "huyện vùng cao biên giới Mường Nhé".
DISTRICT_KINDS = ("đảo", "miền núi", "vùng cao", "vùng sâu", "vùng xa", "biên giới", "nghèo", "ven biển", "trung du",
                  "đồng bằng", "thuần nông", "anh hùng")
_KINDS = alternation(DISTRICT_KINDS)
# The type word is matched in any case ("HUYỆN", "Huyện ủy"), the name only capitalised: "Bí thư
# Huyện ủy chủ trì" names no district "Chũ".
_DISTRICT_MENTION = re.compile(
    r"(?<![\wÀ-ỹ])(?P<type>(?i:huyện|huyen|quận|quan|thị\s+xã|thi\s+xa|thành\s+phố|thanh\s+pho|tp\.?|tx\.?|h\.|q\.|thị|"
    r"thành(?=\s+(?:ủy|uỷ)\s)))(?:\s+|(?<=\.))"
    r"(?:(?i:ủy|uỷ|uy)\s+)?"
    + rf"(?:{_KINDS}\s+){{0,3}}"
    + rf"(?:{_NAME}|(?P<number>\d{{1,2}})(?!\d|[.,/]\d))",  # the urban districts of Hồ Chí Minh City are numbered
)
_TYPE_OF_MENTION = {"huyen": "huyện", "quan": "quận", "thi xa": "thị xã", "thi": "thị xã", "thanh pho": "thành phố",
                    "tp": "thành phố", "tp.": "thành phố", "thanh": "thành phố", "tx": "thị xã", "tx.": "thị xã",
                    "h.": "huyện", "q.": "quận"}
# "tỉnh Quảng Trị", "Tỉnh ủy Quảng Trị", and the municipalities: "thành phố Hà Nội", "TP. Hồ Chí Minh"
# (a city named after a province, "thành phố Quảng Ngãi", lies in that province)
_PROVINCE_MENTION = re.compile(
    rf"(?<![\wÀ-ỹ])(?:(?i:tỉnh|thành\s+phố|tp\.?)(?:\s+(?i:ủy|uỷ))?|(?i:thành\s+(?:ủy|uỷ)))\s+"
    rf"((?:{_CAP})(?:\s+{_CAP}){{0,3}})")
# the place of a document's date line is the seat of the body that issues it: a province ("Quảng Nam,
# ngày 12 tháng 12 năm 2022", "TP. Hồ Chí Minh, ngày 3/4/2021") or a district ("Can Lộc, ngày ...")
_DATE_LINE_PLACE = re.compile(
    r"(?m)^[ \t]*(?:(?i:tỉnh|thành\s+phố|tp\.?)\s*)?(?P<name>[A-ZĐÀ-Ỹ][^\n,.:;]{1,38}?)\s*,\s*(?i:ngày)\s+"
    r"\d{1,2}(?:\s+(?i:tháng)\s+\d{1,2}|\s*[/.-]\s*\d{1,2})")
_COMMUNE_MENTION = re.compile(rf"(?<![\wÀ-ỹ])(?:xã|phường|thị\s+trấn)\s+((?:{_CAP})(?:\s+{_CAP}){{0,3}})")
_LIST_AFTER_COMMUNES = re.compile(r"(?:xã|phường|thị\s+trấn)[^()\n]{0,60}\(([^()\n]{5,300})\)")
# a commune of the new map, with the body that issues the report when there is one ("UBND xã X").
# Its name may carry a number or join two names with a dash: "A Lưới 5", "1 Bảo Lộc",
# "Xuân Hương - Đà Lạt", "Chân Mây – Lăng Cô".
_NEW_WORD = rf"(?:{_CAP}|\d{{1,2}}(?!\d))"
_NEW_NAME = rf"(?P<name>{_NEW_WORD}(?:(?:\s+|\s*[-–]\s*){_NEW_WORD}){{0,5}})"
_NEW_COMMUNE_MENTION = re.compile(
    r"(?<![\wÀ-ỹ])(?P<issuer>(?i:ủy\s+ban\s+nhân\s+dân|uỷ\s+ban\s+nhân\s+dân|ubnd|hđnd|hội\s+đồng\s+nhân\s+dân"
    r"|đảng\s+ủy|đảng\s+uỷ|đảng\s+bộ|mặt\s+trận\s+tổ\s+quốc|của)\s+)?"
    r"(?<![Tt]hị\s)(?<!THỊ\s)(?P<type>(?i:xã|phường|đặc\s+khu))\s+" + _NEW_NAME  # "thị xã X": a town of the old map
)
# the province written right after a unit: "xã Tân An, thành phố Hải Phòng", "xã Đông Thành (Phú Thọ)"
_ATTACHED_PROVINCE = re.compile(rf"\s*[,(–-]\s*(?:(?i:tỉnh|thành\s+phố|tp\.?)\s+)?((?:{_CAP})(?:\s+{_CAP}){{0,3}})")
_FORMER = re.compile(r"\s*\(?\s*(?:cũ|trước\s+đây|trước\s+sáp\s+nhập)\b", re.IGNORECASE)  # "huyện X (cũ)"
_LEAD_CHARS = 1200  # the title and lead name the subject

# A district by its bare name: a run of capitalised words, the issuing bodies that may stand
# before it ("UBND Ia Grai", "Huyện ủy, HĐND Định Hóa"), and the words after which a name is not
# a district's ("xã Định Hóa", "sông Mã", "ông Tân Phú").
_BARE_RUN = re.compile(rf"(?<![\wÀ-ỹ])(?:{_CAP})(?:[ \t]+(?:{_CAP}))*")
_ISSUER_WORDS = frozenset({"ubnd", "hđnd", "ub", "mttq", "ubmttq", "bch", "btv", "huyện ủy", "huyện uỷ", "thị ủy",
                           "thị uỷ", "quận ủy", "quận uỷ", "đảng bộ", "ủy ban nhân dân", "uỷ ban nhân dân",
                           "hội đồng nhân dân"})
_ISSUER_FOLDED = frozenset(fold(w) for w in _ISSUER_WORDS)
_ISSUER_BEFORE = re.compile(r"(?i:ubnd|hđnd|ủy\s+ban\s+nhân\s+dân|uỷ\s+ban\s+nhân\s+dân|hội\s+đồng\s+nhân\s+dân|"
                            r"huyện\s+ủy|huyện\s+uỷ|thị\s+ủy|thị\s+uỷ|đảng\s+bộ)[\s,]*$")
_NOT_A_DISTRICT_BEFORE = re.compile(
    r"(?i:xã|phường|thị\s+trấn|tỉnh|thành\s+phố|tp\.?|huyện|quận|thị\s+xã|thị|đặc\s+khu|thôn|bản|làng|ấp|"
    r"xóm|tổ|khu|khối|sông|suối|núi|đèo|hồ|cầu|đường|phố|chợ|trường|bệnh\s+viện|công\s+ty|hợp\s+tác\s+xã|"
    r"ông|bà|anh|chị|em|đồng\s+chí|đ/c|cháu|cụ|gia\s+đình|dự\s+án|nhà\s+máy|thủy\s+điện|cửa\s+khẩu|"
    r"di\s+tích|đền|chùa|đình|rừng|vườn|cánh\s+đồng|vùng|chiến\s+thắng|chiến\s+dịch|trận|giải\s+phóng)[\s,]*$"
)
# a district spoken of without its name: "HĐND huyện", "toàn huyện", "Đảng bộ huyện lần thứ XII"
_UNNAMED_DISTRICT = re.compile(r"(?i:huyện|quận|thị\s+xã)(?![ \t]+(?:ủy\s+|uỷ\s+)?[A-ZĐÀ-Ỹ\d])")
_HEADLINE = re.compile(r"^\s*(?P<name>[^\n:]{2,40}?)\s*:\s", re.MULTILINE)  # "Gò Dầu: Thu ngân sách ..."
_BARE_MIN_WORDS = 2  # one-syllable names ("Vinh", "Chũ") are too often part of something else
# the first word of a sentence is capitalised whatever it is: "Tại Bắc Hà (Lào Cai), ..." names Bắc Hà
_SENTENCE_WORDS = frozenset(fold(w) for w in lex.FUNCTION_WORDS if " " not in w)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s|\n)\s*$")
# a province in parentheses after the name: "Tuy Phước (Bình Định): ..."
_PAREN_PROVINCE = re.compile(r"\s*\([^()\n]{2,30}\)\s*$")

# A report written after the reform: it speaks of the two-level local government as in operation.
# A report dated before the reform that does is placed on the new map first (its date is wrong:
# "ngày 7/1" read in the wrong year); one that prepares for it is not.
_AFTER_REFORM_MARKER = re.compile(r"chính\s+quyền\s+địa\s+phương\s+(?:hai|2)\s+cấp", re.IGNORECASE)
_PREPARING = re.compile(r"(?i:chuẩn\s+bị|sẵn\s+sàng|dự\s+kiến|thí\s+điểm|chạy\s+thử|trước\s+khi|tiến\s+tới|hướng\s+tới|"
                        r"đề\s+án|sẽ)")
_REFORM_YEAR = 2025
_OLD_MAP_LAST_DAY = REFORM_DATE - timedelta(days=1)


def _date_line_places(text: str) -> list[str]:
    """The place names of the date lines in the text's head."""
    return [m.group("name").strip() for m in _DATE_LINE_PLACE.finditer(text[:_LEAD_CHARS])]


def key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(name))


@dataclass(frozen=True, slots=True)
class Unit:
    """One name of a unit, with the days it was in force (None: open)."""

    code: str
    name: str
    type: str
    province_code: str
    district_code: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_on(self, day: date | None) -> bool:
        return day is None or ((self.valid_from is None or self.valid_from <= day)
                               and (self.valid_to is None or day <= self.valid_to))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True)
class _Map:
    """One administrative map: its provinces and its reporting units (districts, or communes)."""

    level: str  # 'district' | 'commune'
    provinces: dict[str, str]  # code -> name
    province_by_key: dict[str, list[str]]
    units: dict[str, Unit]  # code -> the unit under its latest name
    unit_by_key: dict[str, list[Unit]]  # every name a unit had, with its days
    names: dict[str, list[Unit]] = field(default_factory=dict)  # code -> every name it had
    successor: dict[str, str] = field(default_factory=dict)  # a unit that is gone -> the unit that took it over
    province_names: dict[str, list[tuple[str, date | None, date | None]]] = field(default_factory=dict)

    def unit_on(self, code: str, day: date | None) -> Unit:
        """The unit under the name it had on ``day`` (its latest name when the day is unknown)."""
        return next((u for u in self.names.get(code, []) if u.valid_on(day)), self.units[code])

    def province_on(self, code: str, day: date | None) -> str | None:
        for name, start, end in self.province_names.get(code, []):
            if day is not None and (start is None or start <= day) and (end is None or day <= end):
                return name
        return self.provinces.get(code)


def _map(level: str, provinces: pl.DataFrame, units: pl.DataFrame, history: pl.DataFrame | None = None) -> _Map:
    """One map; ``history`` (old map only) adds the units that are gone and the names units had."""
    names = {r["province_code"]: r["province_name"] for r in provinces.iter_rows(named=True)}
    by_key: dict[str, list[str]] = defaultdict(list)
    for code, name in names.items():
        by_key[key(name)].append(code)
    rows = [(r[f"{level}_code"], r[f"{level}_name"], r[f"{level}_type"], r["province_code"],
             _day(r.get("valid_from")), None) for r in units.iter_rows(named=True)]
    province_names: dict[str, list] = defaultdict(list)
    former: dict[str, list[Unit]] = defaultdict(list)
    successor: dict[str, str] = {}
    snapshot = {row[0] for row in rows}
    for r in (history.iter_rows(named=True) if history is not None else []):
        start, end = _day(r["valid_from"]), _day(r["valid_to"])
        if r["admin_level"] == "province":
            province_names[r["code"]].append((r["name"], start, end))
            by_key[key(r["name"])].append(r["code"])
        elif r["code"] in snapshot:  # a name the unit had
            former[r["code"]].append(Unit(r["code"], r["name"], r["type"], r["province_code"], None, start, end))
        else:  # a unit that is gone
            rows.append((r["code"], r["name"], r["type"], r["province_code"], start, end))
            if r["successor_code"] and r["successor_code"] != r["code"]:
                successor[r["code"]] = r["successor_code"]
    unit_map: dict[str, Unit] = {}
    unit_by_key: dict[str, list[Unit]] = defaultdict(list)
    all_names: dict[str, list[Unit]] = {}
    for code, name, kind, province, start, end in rows:
        # a renamed unit bears its latest name from the day after its former name ended
        ends = [u.valid_to for u in former.get(code, []) if u.valid_to]
        start = max([start, *(d + timedelta(days=1) for d in ends)], key=lambda d: d or date.min)
        unit = Unit(code, name, kind, province, None, start, end)
        unit_map[code] = unit
        all_names[code] = [unit, *former.get(code, [])]
        for variant in all_names[code]:
            unit_by_key[key(variant.name)].append(variant)
    return _Map(level, names, dict(by_key), unit_map, dict(unit_by_key), all_names, successor,
                dict(province_names))


class Gazetteer:
    """Administrative units before the reform (provinces, districts, communes), after it
    (provinces, communes), and the crosswalk from each old province to its new one."""

    def __init__(self, provinces: pl.DataFrame, districts: pl.DataFrame, communes: pl.DataFrame,
                 crosswalk: pl.DataFrame, new_provinces: pl.DataFrame, new_communes: pl.DataFrame,
                 history: pl.DataFrame | None = None, gone_communes: pl.DataFrame | None = None) -> None:
        self.old = _map("district", provinces, districts, history)
        self.new = _map("commune", new_provinces, new_communes)
        # the communes of the old map, by name: a report that never names its district is placed by them
        self.commune_by_key: dict[str, list[Unit]] = defaultdict(list)
        for r in communes.iter_rows(named=True):
            unit = Unit(r["commune_code"], r["commune_name"], r["commune_type"], r["province_code"],
                        r["district_code"])
            self.commune_by_key[key(unit.name)].append(unit)
        # the communes of districts that are gone, until their district's last day
        for r in (gone_communes.iter_rows(named=True) if gone_communes is not None else []):
            unit = Unit(r["commune_code"], r["commune_name"], r["commune_type"], r["province_code"],
                        r["district_code"], None, _day(r["valid_to"]))
            self.commune_by_key[key(unit.name)].append(unit)
        self.crosswalk = {r["old_province_code"]: (r["new_province_code"], r["new_province_name"])
                          for r in crosswalk.iter_rows(named=True)}

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer of the administrative seeds as they are now: loaded once, and again when a seed file
        changes (a long-lived ``provreport watch`` and its kept reading worker read a corrected seed at their
        next report instead of at their next start)."""
        return _load(_admin_seeds_key())

    # ---- resolving a report -------------------------------------------------------------
    def _match_prefix(self, words: list[str], index: dict[str, list[Unit]] | dict[str, list[str]]):
        """Longest run of leading words that names a unit: 'Hướng Hóa Quảng' -> 'Hướng Hóa'."""
        return self._match_words(words, index)[0]

    @staticmethod
    def _match_words(words: list[str], index: dict[str, list[Unit]] | dict[str, list[str]]):
        """The units the longest run of leading words names, and how many words that run is."""
        for n in range(len(words), 0, -1):
            hit = index.get(key(" ".join(words[:n])))
            if hit:
                return hit, n
        return None, 0

    def _named_units(self, text: str, m: re.Match, index: dict[str, list[Unit]],
                     skip_former: bool) -> tuple[list[Unit], int]:
        """The units a mention's name group names (none when marked former), and where their name ends."""
        words = m.group("name").split()
        hit, n = self._match_words(words, index)
        if not hit:
            return [], m.end()
        end = m.start("name") + list(re.finditer(r"\S+", m.group("name")))[n - 1].end()
        if skip_former and _FORMER.match(text, end, end + 24):
            return [], end
        # the exact spelling narrows homonyms: "Tam Đường" is not "Tam Dương" though both fold alike
        named = " ".join(words[:n]).lower()
        exact = [u for u in hit if named == u.name.lower()]
        return exact or hit, end

    def _in_force(self, hit: list[Unit], day: date | None) -> list[Unit]:
        """The names in force on ``day`` (old map); a unit named after it was gone goes to its successor.

        "huyện Long Điền" in 2019 is Long Điền; in March 2025, after its merger, it is Long Đất;
        "huyện Đạ Huoai" in 2019 is the old Đạ Huoai, not the Đạ Huoai that took its name in 2025.
        """
        if day is None or not hit:
            return hit
        day = min(day, _OLD_MAP_LAST_DAY)  # a late district report keeps the map's last day
        valid = [u for u in hit if u.valid_on(day)]
        if valid:
            return valid
        successors = {self.old.successor.get(u.code, u.code) for u in hit}
        heirs = [self.old.unit_on(code, day) for code in sorted(successors) if code in self.old.units]
        return [u for u in heirs if u.valid_on(day)] or hit

    def _province_votes(self, text: str, admin_map: _Map | None = None) -> Counter:
        admin_map = admin_map or self.old
        votes: Counter = Counter()
        for m in _PROVINCE_MENTION.finditer(text):
            hit = self._match_prefix(m.group(1).split(), admin_map.province_by_key)
            if hit:
                for code in hit:
                    votes[code] += 1
        for name in _date_line_places(text):
            for code in admin_map.province_by_key.get(key(name), []):
                votes[code] += 1
        return votes

    def _district_votes(self, text: str, *, skip_former: bool = False, day: date | None = None) -> Counter:
        votes: Counter = Counter()
        for m in _DISTRICT_MENTION.finditer(text):
            if m.group("number"):
                # "Quận 1" names a district; "huyện 3 xã" counts communes
                kind = re.sub(r"\s+", " ", fold(m.group("type")))
                hit = self.old.unit_by_key.get(m.group("number"), []) if kind in ("quan", "quận") else []
                hit = self._in_force([u for u in hit if u.type == "quận"], day)
            else:
                hit, end = self._named_units(text, m, self.old.unit_by_key, skip_former)
                hit = self._in_force(hit, day)
                # the province written beside it settles a homonym: "huyện Phú Tân (Cà Mau)"
                attached = _ATTACHED_PROVINCE.match(text, end) if len({u.province_code for u in hit}) > 1 else None
                codes = self._match_prefix(attached.group(1).split(), self.old.province_by_key) if attached else None
                hit = [u for u in hit if u.province_code in (codes or ())] or hit
            if not hit:
                continue
            # the type word narrows homonyms: "thị xã Sơn Tây" is not "huyện Sơn Tây"
            kind = _TYPE_OF_MENTION.get(re.sub(r"\s+", " ", fold(m.group("type"))))
            hit = [u for u in hit if u.type == kind] or hit
            weight = 2.0 if m.start() < _LEAD_CHARS else 1.0
            for unit in hit:
                votes[unit.code] += weight / len(hit)
        return votes

    def _bare_district_votes(self, text: str, provinces: Counter, day: date | None) -> Counter:
        """Districts named without their type word, where the name is one district's and the text backs it.

        A run of capitalised words that is exactly a district's name ("Định Hóa", after an issuing
        body: "UBND Ia Grai") counts when no other district of the map in force bears that name (or
        one only lies in a province the text names), the name is no province's, and the text gives
        support: the name heads a headline ("Gò Dầu: ..."), follows an issuing body, the text speaks
        of a district without naming it ("HĐND huyện"), or names the district's province.
        """
        votes: Counter = Counter()
        speaks_of_a_district = _UNNAMED_DISTRICT.search(text) is not None
        headlines = {_PAREN_PROVINCE.sub("", m.group("name").strip()) for m in _HEADLINE.finditer(text[:_LEAD_CHARS])}
        headlines.update(_date_line_places(text))
        for m in _BARE_RUN.finditer(text):
            words, start = m.group(0).split(), m.start()
            if len(words) > _BARE_MIN_WORDS and fold(words[0]) in _SENTENCE_WORDS \
                    and _SENTENCE_START.search(text, max(0, m.start() - 3), m.start()):
                start, words = start + len(words[0]), words[1:]
            issuer = False
            while words and (fold(words[0]) in _ISSUER_FOLDED or (words[0].isupper() and len(words[0]) > 1
                                                                   and key(words[0]) not in self.old.unit_by_key)):
                issuer = issuer or fold(words[0]) in _ISSUER_FOLDED
                start = text.index(words[0], start) + len(words[0])
                words = words[1:]
            if len(words) < _BARE_MIN_WORDS:
                continue
            name = " ".join(words)
            issuer = issuer or bool(_ISSUER_BEFORE.search(text, max(0, m.start() - 30), m.start()))
            if not issuer and _NOT_A_DISTRICT_BEFORE.search(text, max(0, m.start() - 30), m.start()):
                continue
            if key(name) in self.old.province_by_key:
                continue
            hit = [u for u in self.old.unit_by_key.get(key(name), []) if u.name.lower() == name.lower()]
            hit = self._in_force(hit, day)
            if len({u.code for u in hit}) > 1:
                hit = [u for u in hit if u.province_code in provinces] or hit
            if not hit:
                continue
            headline = name in headlines
            codes = sorted({u.code for u in hit})
            if len(codes) > 1:
                # a name two districts share: as a headline or an issuer it is the subject, and stays
                # open between them (ambiguous); elsewhere it is not counted
                if headline or issuer:
                    for code in codes:
                        votes[code] += 1.0 / len(codes)
                continue
            unit = hit[0]
            # a name some commune also bears ("Kim Sơn", "Hàm Tân") may be that commune in a list: the
            # district needs a headline, an issuing body, or its province named in the text
            in_named_province = unit.province_code in provinces
            beside = _ATTACHED_PROVINCE.match(text, m.end())  # "Bắc Hà (Lào Cai)", "Tuy Phước, Bình Định"
            if beside and not in_named_province:
                codes = self._match_prefix(beside.group(1).split(), self.old.province_by_key) or ()
                in_named_province = unit.province_code in codes
            if not (headline or issuer or in_named_province
                    or (speaks_of_a_district and key(name) not in self.commune_by_key)):
                continue
            weight = (1.0 if start < _LEAD_CHARS else 0.5) + (0.5 if headline or issuer else 0.0)
            votes[unit.code] += weight
        return votes

    def _new_commune_votes(self, text: str, provinces: Counter) -> Counter:
        """Communes of the new map the text names, weighted: in the lead, and as the issuing body.

        A name shared by communes of several provinces goes to the province written beside it
        ("xã Tân An, thành phố Hải Phòng"), else to those of the provinces the text names.
        """
        votes: Counter = Counter()
        for m in _NEW_COMMUNE_MENTION.finditer(text):
            hit, end = self._named_units(text, m, self.new.unit_by_key, skip_former=True)
            kind = re.sub(r"\s+", " ", m.group("type").lower())
            hit = [u for u in hit if u.type == kind]
            if not hit:
                continue
            attached = _ATTACHED_PROVINCE.match(text, end)
            codes = self._match_prefix(attached.group(1).split(), self.new.province_by_key) if attached else None
            with_province = [u for u in hit if u.province_code in (codes or ())]
            hit = with_province or [u for u in hit if u.province_code in provinces] or hit
            # named with its province, the way a report names its own unit, a mention weighs more
            weight = ((2.0 if m.start() < _LEAD_CHARS else 1.0) + (1.0 if m.group("issuer") else 0.0)
                      + (0.5 if with_province else 0.0))
            for unit in hit:
                votes[unit.code] += weight / len(hit)
        return votes

    def resolve(self, text: str, on_date: date | None = None) -> PlaceResolution:
        if (on_date is not None and on_date >= REFORM_DATE) or self._written_after_reform(text, on_date):
            place = self._resolve_after_reform(text)
            if place is not None:
                return place
        provinces = self._province_votes(text)
        votes = self._district_votes(text, day=on_date)
        bare = self._bare_district_votes(text, provinces, on_date)
        # a bare name backs a district named with its type word; alone, it names the district
        votes.update({code: v for code, v in bare.items() if code in votes or not votes})
        if votes:
            return self._decide(self.old, votes, provinces, "named", on_date)
        inferred = self._infer_from_communes(text, on_date)
        if inferred:
            return self._decide(self.old, inferred, provinces, "commune_inference", on_date)
        if provinces:
            code, _ = provinces.most_common(1)[0]
            return self._place(self.old, None, code, "province_only", [], on_date)
        return PlaceResolution(None, None, None, None, None, None, "unresolved", [])

    @staticmethod
    def _written_after_reform(text: str, on_date: date | None) -> bool:
        """A report dated in the reform's year or undated that speaks of the two-level local
        government as in operation was written after 1 July 2025, whatever date was read."""
        if on_date is not None and on_date.year < _REFORM_YEAR:
            return False
        return any(not _PREPARING.search(text, max(0, m.start() - 40), m.start())
                   for m in _AFTER_REFORM_MARKER.finditer(text))

    def _resolve_after_reform(self, text: str) -> PlaceResolution | None:
        """The commune a report dated after the reform is about; None to place it as before."""
        provinces = self._province_votes(text, self.new)
        communes = self._new_commune_votes(text, provinces)
        districts = self._district_votes(text, skip_former=True)
        if communes and max(communes.values()) >= max(districts.values(), default=0.0):
            return self._decide(self.new, communes, provinces, "named")
        if districts:
            return None  # a late report on a district of the old map
        if provinces:
            code, _ = provinces.most_common(1)[0]
            return self._place(self.new, None, code, "province_only", [])
        return None

    def _decide(self, admin_map: _Map, votes: Counter, provinces: Counter, method: str,
                day: date | None = None) -> PlaceResolution:
        # a unit in a province the text names beats a homonym elsewhere
        def total(code: str) -> float:
            return votes[code] + (0.5 if admin_map.units[code].province_code in provinces else 0.0)

        scored = sorted(votes, key=total, reverse=True)
        if len(scored) > 1 and abs(total(scored[0]) - total(scored[1])) < 1e-9:
            return PlaceResolution(None, None, None, None, None, None, "ambiguous",
                                   [self._label(admin_map, c) for c in scored[:6]])
        unit = admin_map.unit_on(scored[0], day)
        return self._place(admin_map, unit, unit.province_code, method,
                           [self._label(admin_map, c) for c in scored[1:6]], day)

    def _communes_on(self, hit: list[Unit], day: date | None) -> list[Unit]:
        """The communes named, in the district each belonged to on ``day``: a commune of a district
        that is gone stands for its code until that district's last day, the snapshot's after it."""
        if day is None:
            return [u for u in hit if u.valid_to is None]
        former = {u.code for u in hit if u.valid_to is not None and u.valid_on(day)}
        return [u for u in hit if u.valid_on(day) and (u.valid_to is not None or u.code not in former)]

    def _infer_from_communes(self, text: str, day: date | None = None) -> Counter:
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
            hit = self._communes_on(self._match_prefix(name.split(), self.commune_by_key) or [], day)
            for unit in hit:
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

    def _label(self, admin_map: _Map, code: str) -> str:
        unit = admin_map.units[code]
        return f"{unit.type} {unit.name}, {admin_map.provinces.get(unit.province_code, '?')} ({unit.code})"

    def _place(self, admin_map: _Map, unit: Unit | None, province_code: str, method: str,
               candidates: list[str], day: date | None = None) -> PlaceResolution:
        """The place found; the province under the name it had on ``day`` ("Thừa Thiên Huế" until 2025)."""
        if admin_map is self.new:
            new_code, new_name = province_code, self.new.provinces.get(province_code)
        else:
            new_code, new_name = self.crosswalk.get(province_code, (None, None))
        return PlaceResolution(
            province_name=admin_map.province_on(province_code, day), province_code=province_code,
            district_name=unit.name if unit else None, district_code=unit.code if unit else None,
            current_province_name=new_name, current_province_code=new_code, method=method, candidates=candidates,
            admin_level=admin_map.level if unit else None,
        )

    # ---- looking a name up (spreadsheet submissions) -------------------------------------
    def lookup_place(self, district: str, province: str | None = None,
                     on_date: date | None = None) -> PlaceResolution | None:
        """The unit called ``district`` (in ``province`` when given) valid on ``on_date``.

        Before 1 July 2025 a district ("huyện Trà Cú", or "Trà Cú"); from then on a commune
        ("xã Đakrông"), in a province of the new map. A type word, when given, must match:
        "huyện Kỳ Anh" is not "thị xã Kỳ Anh". None when no such unit exists; ``ambiguous``
        when the name needs its province or its type word.
        """
        admin_map = self.new if on_date is not None and on_date >= REFORM_DATE else self.old
        type_words = _UNIT_TYPES[admin_map.level]
        types = "|".join(map(re.escape, type_words))
        m = re.match(rf"^\s*(?P<type>{types})\s+(?P<name>.+)$", district, flags=re.IGNORECASE)
        kind = type_words[re.sub(r"\s+", " ", m.group("type").lower())] if m else None
        name = m.group("name") if m else district
        hits = admin_map.unit_by_key.get(key(name), [])
        if admin_map is self.old:  # the district as it was on the date: "Long Điền" in 2023, Long Đất in 2025
            hits = self._in_force(hits, on_date)
        if kind:
            hits = [u for u in hits if u.type == kind]
        if province:
            pname = re.sub(r"^(?:tỉnh|thành phố|tp\.?)\s+", "", province.strip(), flags=re.IGNORECASE)
            codes = set(admin_map.province_by_key.get(key(pname), []))
            hits = [u for u in hits if u.province_code in codes]
        if not hits:
            return None
        if len(hits) > 1:
            return PlaceResolution(None, None, None, None, None, None, "ambiguous",
                                   [self._label(admin_map, u.code) for u in hits])
        return self._place(admin_map, hits[0], hits[0].province_code, "named", [], on_date)


# the type words a submission may put before a unit's name, and the type they mean
_UNIT_TYPES: dict[str, dict[str, str]] = {
    "district": {"huyện": "huyện", "quận": "quận", "thị xã": "thị xã", "thành phố": "thành phố", "tp.": "thành phố",
                 "tp": "thành phố"},
    "commune": {"xã": "xã", "phường": "phường", "đặc khu": "đặc khu"},
}


def _admin_seeds_key() -> tuple:
    """The administrative seeds' folder and its files' names, modification times and sizes (a stat each: 20 µs)."""
    folder = seed_path("admin")
    with os.scandir(folder) as entries:
        return (str(folder), *sorted((e.name, (st := e.stat()).st_mtime_ns, st.st_size) for e in entries
                                     if e.name.endswith(".csv")))


@lru_cache(maxsize=1)
def _load(_seeds: tuple) -> Gazetteer:
    read = lambda name: pl.read_csv(seed_path(f"admin/{name}.csv"), infer_schema_length=0)  # noqa: E731
    return Gazetteer(read("admin_provinces_pre2025"), read("admin_districts_pre2025"),
                     read("admin_communes_pre2025"), read("admin_province_crosswalk_2025"),
                     read("admin_provinces_post2025"), read("admin_communes_post2025"),
                     read("admin_district_history"), read("admin_communes_history"))
