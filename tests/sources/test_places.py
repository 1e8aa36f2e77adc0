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



def test_lookup_after_the_reform_finds_communes_not_districts(gaz: Gazetteer) -> None:
    after = date(2025, 8, 1)
    place = gaz.lookup_place("xã Đakrông", "tỉnh Quảng Trị", after)
    assert (place.district_code, place.admin_level, place.province_code, place.current_province_name) == (
        "19564", "commune", "44", "Quảng Trị")
    assert gaz.lookup_place("Trà Cú", "Trà Vinh", after) is None  # Trà Vinh is part of Vĩnh Long now
    assert gaz.lookup_place("Trà Cú", "Vĩnh Long", after).district_code == "29461"
    assert gaz.lookup_place("huyện Hướng Hóa", "Quảng Trị", after) is None  # districts abolished
    assert gaz.lookup_place("Phú Quốc", "An Giang", after).district_code == "31078"  # đặc khu
    assert gaz.lookup_place("phường Phú Quốc", "An Giang", after) is None  # the type word must match


def test_a_type_word_settles_a_district_and_a_town_of_one_name(gaz: Gazetteer) -> None:
    assert gaz.lookup_place("huyện Kỳ Anh", "Hà Tĩnh").district_code == "447"
    assert gaz.lookup_place("thị xã Kỳ Anh", "Hà Tĩnh").district_code == "449"
    place = gaz.lookup_place("Kỳ Anh", "Hà Tĩnh")
    assert place.method == "ambiguous" and len(place.candidates) == 2


AFTER_REFORM = date(2025, 9, 30)


@pytest.mark.parametrize(("text", "code"), [
    ("ỦY BAN NHÂN DÂN XÃ HƯỚNG HIỆP\nBÁO CÁO tình hình kinh tế - xã hội tháng 9", "19555"),
    ("UBND xã Đakrông báo cáo kết quả thực hiện nhiệm vụ quý III", "19564"),
    ("Đảng ủy xã Châu Thành, tỉnh Vĩnh Long tổ chức hội nghị", "29374"),
    ("UBND phường Đông Hà báo cáo. Phối hợp với xã Hướng Hiệp, xã Đakrông.", "19333"),
    ("Đặc khu Phú Quốc tổ chức hội nghị sơ kết", "31078"),
    # a merged unit is history, not the subject
    ("UBND xã Đakrông (trên cơ sở nhập xã Tà Long, xã Húc Nghì của huyện Đakrông cũ) báo cáo", "19564"),
    # names with a number or a dash
    ("ỦY BAN NHÂN DÂN XÃ A LƯỚI 5\nBÁO CÁO tháng 9", "20050"),
    ("UBND phường 1 Bảo Lộc báo cáo", "24823"),
    ("Đảng ủy phường Xuân Hương - Đà Lạt tổ chức hội nghị", "24781"),
    # a homonym goes to the province written beside it, though a neighbour is named as often
    ("Ủy ban nhân dân xã Tân Phú, tỉnh Tây Ninh phối hợp với Ủy ban nhân dân xã Ninh Điền", "25549"),
], ids=lambda v: v if isinstance(v, str) and v.isdigit() else None)
def test_after_the_reform_a_report_is_placed_in_its_commune(gaz: Gazetteer, text: str, code: str) -> None:
    place = gaz.resolve(text, on_date=AFTER_REFORM)
    assert (place.district_code, place.admin_level, place.method) == (code, "commune", "named")
    assert place.province_name == place.current_province_name  # a commune reports to a province of the new map


def test_after_the_reform_a_commune_homonym_is_recorded_not_guessed(gaz: Gazetteer) -> None:
    place = gaz.resolve("Đảng ủy xã Châu Thành tổ chức hội nghị", on_date=AFTER_REFORM)
    assert place.method == "ambiguous" and place.district_code is None
    assert "xã Châu Thành, Vĩnh Long (29374)" in place.candidates


def test_the_exact_spelling_settles_communes_that_fold_alike(gaz: Gazetteer) -> None:
    # "Đakrông" (Quảng Trị) and "Đak Rong" (Gia Lai) fold to the same key
    assert gaz.resolve("UBND xã Đak Rong báo cáo", on_date=AFTER_REFORM).province_name == "Gia Lai"


def test_a_late_district_report_after_the_reform_keeps_its_district(gaz: Gazetteer) -> None:
    text = "UBND huyện Đakrông báo cáo kết quả 6 tháng đầu năm 2025. Huyện Đakrông đã hỗ trợ xã Tà Long."
    place = gaz.resolve(text, on_date=date(2025, 7, 5))
    assert (place.district_code, place.admin_level, place.province_code) == ("467", "district", "45")


def test_before_the_reform_commune_words_do_not_place_a_report_in_a_new_commune(gaz: Gazetteer) -> None:
    place = gaz.resolve("UBND xã Đakrông báo cáo", on_date=date(2024, 3, 31))
    assert place.admin_level != "commune"


def test_a_province_of_the_new_map_is_named_with_its_new_code(gaz: Gazetteer) -> None:
    place = gaz.resolve("UBND tỉnh Quảng Trị báo cáo tình hình", on_date=AFTER_REFORM)
    assert (place.method, place.province_code, place.current_province_code) == ("province_only", "44", "44")
    assert gaz.resolve("UBND tỉnh Quảng Trị báo cáo", on_date=date(2024, 1, 5)).province_code == "45"


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


def test_a_town_of_the_old_map_is_not_read_as_a_commune_of_the_same_name(gaz: Gazetteer) -> None:
    place = gaz.resolve("UBND thị xã Kỳ Anh báo cáo kết quả 6 tháng đầu năm 2025", on_date=date(2025, 7, 5))
    assert (place.admin_level, place.district_code) == ("district", "449")


@pytest.mark.parametrize(("text", "want"), [
    ("UBND Quận 1, Thành phố Hồ Chí Minh báo cáo tình hình kinh tế - xã hội", ("760", "Hồ Chí Minh")),
    ("UBND quận 3 báo cáo", ("770", "Hồ Chí Minh")),
    ("UBND TP. Hồ Chí Minh làm việc với các sở", (None, "Hồ Chí Minh")),
    ("Toàn huyện 3 xã đạt chuẩn nông thôn mới; thu 1,5 tỷ đồng.", (None, None)),  # a count, not "Quận 3"
], ids=["numbered district", "lower case", "municipality", "a count"])
def test_numbered_districts_and_municipalities_of_the_old_map(gaz: Gazetteer, text: str, want: tuple) -> None:
    place = gaz.resolve(text, on_date=date(2023, 6, 30))
    assert (place.district_code, place.province_name) == want
