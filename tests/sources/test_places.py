"""The gazetteer: names with variants, homonyms, commune inference, the 2025 crosswalk."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from sources.places import Gazetteer
from sources.readers import read_narrative
from sources.reference import seed_path
from sources.text import normalise_text


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def _rows(name: str) -> list[dict]:
    with seed_path(f"admin/{name}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_seeds_hold_both_maps_and_the_crosswalk() -> None:
    assert len(_rows("admin_provinces_pre2025")) == 63
    assert len(_rows("admin_districts_pre2025")) == 696
    assert len(_rows("admin_provinces_post2025")) == 34
    assert len(_rows("admin_communes_post2025")) == 3321
    crosswalk = {r["old_province_name"]: r["new_province_name"] for r in _rows("admin_province_crosswalk_2025")}
    assert len(crosswalk) == 63 and len(set(crosswalk.values())) == 34
    assert crosswalk["Quảng Bình"] == crosswalk["Quảng Trị"] == "Quảng Trị"
    assert crosswalk["Bến Tre"] == crosswalk["Trà Vinh"] == crosswalk["Vĩnh Long"] == "Vĩnh Long"
    assert crosswalk["Cao Bằng"] == "Cao Bằng" and crosswalk["Thanh Hóa"] == "Thanh Hóa"


@pytest.mark.parametrize("phrase", [
    "UBND tỉnh làm việc với huyện Đakrông", "làm việc với huyện Đa Krông", "Huyện ủy Đakrông họp",
    "lam viec voi huyen Dakrong",
], ids=lambda p: p)
def test_spelling_variants_meet(gaz: Gazetteer, phrase: str) -> None:
    place = gaz.resolve(phrase)
    assert (place.district_name, place.province_name, place.current_province_name) == (
        "Đa Krông", "Quảng Trị", "Quảng Trị")


def test_old_and_new_tone_placement_meet(gaz: Gazetteer) -> None:
    assert gaz.resolve("Ban Thường vụ Huyện ủy Hướng Hoá").district_name == "Hướng Hóa"


def test_a_homonym_is_settled_by_the_province_named(gaz: Gazetteer) -> None:
    place = gaz.resolve("UBND huyện Châu Thành, tỉnh Trà Vinh báo cáo")
    assert (place.district_code, place.province_name, place.current_province_name) == ("847", "Trà Vinh", "Vĩnh Long")


def test_an_unsettled_homonym_is_recorded_not_guessed(gaz: Gazetteer) -> None:
    place = gaz.resolve("UBND huyện Châu Thành báo cáo tình hình")
    assert place.method == "ambiguous" and place.district_name is None
    assert len(place.candidates) > 1


def test_the_type_word_settles_a_town_and_a_district_of_one_name(gaz: Gazetteer) -> None:
    assert gaz.resolve("Thị ủy Sơn Tây tổ chức hội nghị").province_name == "Hà Nội"


def test_district_inferred_from_its_communes(gaz: Gazetteer) -> None:
    place = gaz.resolve("Còn 03 xã chưa có sản phẩm OCOP (Ngãi Xuyên, Kim Sơn, Hàm Tân và thị trấn Trà Cú).")
    assert (place.district_name, place.method, place.current_province_name) == (
        "Trà Cú", "commune_inference", "Vĩnh Long")


def test_nothing_to_place_is_unresolved(gaz: Gazetteer) -> None:
    assert gaz.resolve("Thu ngân sách đạt 3,5 tỷ đồng.").method == "unresolved"


def test_lookup_for_submissions(gaz: Gazetteer) -> None:
    assert gaz.lookup_place("Đakrông", "Quảng Trị").district_code == "467"
    assert gaz.lookup_place("huyện Trà Cú", "tỉnh Trà Vinh", date(2023, 9, 1)).district_code == "849"
    assert gaz.lookup_place("Atlantis", "Quảng Trị") is None
    assert gaz.lookup_place("Đakrông", "Quảng Trị", date(2025, 8, 1)) is None  # districts abolished


def test_each_seed_resolves_to_its_district(gaz: Gazetteer, seeds_dir: Path, gold_path: Path) -> None:
    want = {}
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        want.setdefault(record["doc"], (record["district"], record["province"]))
    for path in sorted(seeds_dir.iterdir()):
        text = normalise_text(read_narrative(path, path.read_bytes()).text)
        place = gaz.resolve(text)
        district, province = want[path.name]
        assert place.district_name.replace(" ", "").lower() == district.replace(" ", "").lower(), path.name
        assert place.province_name == province, path.name
