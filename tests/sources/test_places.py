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


# ---- the district a report's own words name (issue #13, point 6) --------------------------------

def test_a_lower_case_word_after_a_type_word_is_no_district(gaz: Gazetteer) -> None:
    # "Huyện ủy chủ trì" once read as thị xã "Chũ" and tied with the district the report is about
    place = gaz.resolve("Ban Chấp hành Đảng bộ huyện Gò Dầu họp. Bí thư Huyện uỷ chủ trì hội nghị.",
                        on_date=date(2023, 12, 8))
    assert (place.district_code, place.method, place.candidates) == ("710", "named", [])


@pytest.mark.parametrize(("text", "want"), [
    ("Định Hóa: Thu ngân sách năm 2019 đạt 120 tỷ đồng", ("167", "Định Hóa", "Thái Nguyên")),  # a headline
    ("UBND Ia Grai tổ chức hội nghị tổng kết năm 2023", ("628", "Ia Grai", "Gia Lai")),  # after its issuer
    # a district spoken of without its name, and a name no commune bears
    ("Kỳ họp HĐND huyện khóa XX. Năm 2023, Võ Nhai có 5 xã đạt chuẩn.", ("170", "Võ Nhai", "Thái Nguyên")),
    # a name that is also a commune's ("Định Hóa", a xã of Kim Sơn) needs its province named
    ("Đảng bộ huyện họp. Định Hóa, tỉnh Thái Nguyên có 3 xã đạt chuẩn.", ("167", "Định Hóa", "Thái Nguyên")),
], ids=["headline", "issuer", "unnamed district", "province named"])
def test_a_district_named_without_its_type_word(gaz: Gazetteer, text: str, want: tuple) -> None:
    place = gaz.resolve(text, on_date=date(2023, 12, 20))
    assert (place.district_code, place.district_name, place.province_name, place.method) == (*want, "named")


@pytest.mark.parametrize("text", [
    "Năm 2023, Võ Nhai có 5 xã đạt chuẩn.",  # nothing backs the bare name
    "Đảng bộ huyện họp. Định Hóa có 3 xã đạt chuẩn.",  # also a commune's name, and no province named
    "Kỷ niệm Chiến thắng Điện Biên Phủ, các đơn vị tổ chức lễ",  # an event, not the city
    "Ông Tân Phú phát biểu tại kỳ họp HĐND huyện",  # a person
], ids=["no support", "commune homonym", "event", "person"])
def test_a_bare_name_without_support_places_nothing(gaz: Gazetteer, text: str) -> None:
    assert gaz.resolve(text, on_date=date(2023, 12, 20)).district_code is None


def test_a_bare_name_two_districts_share_is_recorded_not_guessed(gaz: Gazetteer) -> None:
    place = gaz.resolve("Châu Thành: thu ngân sách năm 2019 đạt 50 tỷ đồng", on_date=date(2019, 12, 11))
    assert place.method == "ambiguous" and place.district_code is None
    assert len(place.candidates) > 1 and "huyện Châu Thành, Tây Ninh (708)" in place.candidates


def test_a_bare_name_backs_the_district_named_with_its_type_word_never_another(gaz: Gazetteer) -> None:
    place = gaz.resolve("UBND huyện Nậm Pồ (tỉnh Điện Biên) họp. Mường Chà có 3 xã đạt chuẩn.",
                        on_date=date(2024, 5, 7))
    assert (place.district_code, place.candidates) == ("103", [])


# ---- the map in force on the report's date ----------------------------------------------------

@pytest.mark.parametrize(("text", "day", "want"), [
    # merged away on 1 January 2025 (Resolution 1256/NQ-UBTVQH15): its own reports before, Long Đất after
    ("HĐND huyện Long Điền tổ chức kỳ họp", date(2020, 7, 10), ("752", "Long Điền", "Bà Rịa - Vũng Tàu")),
    ("HĐND huyện Long Điền tổ chức kỳ họp", date(2025, 3, 1), ("753", "Long Đất", "Bà Rịa - Vũng Tàu")),
    # a unit under the name it then had
    ("UBND huyện Đất Đỏ báo cáo", date(2019, 6, 1), ("753", "Đất Đỏ", "Bà Rịa - Vũng Tàu")),
    ("UBND huyện Tĩnh Gia báo cáo", date(2018, 6, 1), ("407", "Tĩnh Gia", "Thanh Hóa")),
    ("UBND Quận 2 báo cáo", date(2019, 6, 1), ("769", "2", "Hồ Chí Minh")),
    ("UBND Quận 9 báo cáo", date(2022, 6, 1), ("769", "Thủ Đức", "Hồ Chí Minh")),  # part of Thủ Đức since 2021
    ("UBND huyện Thông Nông báo cáo", date(2019, 6, 1), ("044", "Thông Nông", "Cao Bằng")),
    ("UBND huyện Kỳ Sơn, tỉnh Hòa Bình báo cáo", date(2018, 6, 1), ("151", "Kỳ Sơn", "Hoà Bình")),
    # one name, two units: the old Đạ Huoai, and the Đạ Huoai that took its name in 2025 (formerly Đạ Tẻh)
    ("UBND huyện Đạ Huoai báo cáo", date(2019, 6, 1), ("681", "Đạ Huoai", "Lâm Đồng")),
    ("UBND huyện Đạ Huoai báo cáo", date(2025, 3, 1), ("682", "Đạ Huoai", "Lâm Đồng")),
    # the province under the name it had: Thừa Thiên Huế until 2025
    ("UBND tỉnh Thừa Thiên Huế làm việc với huyện Nam Đông", date(2019, 6, 1), ("483", "Nam Đông", "Thừa Thiên Huế")),
    ("UBND huyện Phú Lộc báo cáo", date(2025, 3, 1), ("482", "Phú Lộc", "Huế")),
], ids=lambda v: None if isinstance(v, tuple) else str(v))
def test_districts_as_they_were_on_the_report_date(gaz: Gazetteer, text: str, day: date, want: tuple) -> None:
    place = gaz.resolve(text, on_date=day)
    assert (place.district_code, place.district_name, place.province_name, place.method) == (*want, "named")


@pytest.mark.parametrize(("day", "want"), [
    (date(2019, 6, 1), ("752", "Long Điền")), (date(2025, 3, 1), ("753", "Long Đất")), (None, ("753", "Long Đất")),
], ids=["before the merger", "after it", "undated"])
def test_communes_point_to_the_district_they_then_belonged_to(gaz: Gazetteer, day: date | None, want: tuple) -> None:
    place = gaz.resolve("Các xã Phước Tỉnh, Phước Hưng và thị trấn Long Hải đạt chuẩn nông thôn mới.", on_date=day)
    assert (place.district_code, place.district_name, place.method) == (*want, "commune_inference")


def test_a_submission_names_the_district_of_its_time(gaz: Gazetteer) -> None:
    assert gaz.lookup_place("Long Điền", "Bà Rịa - Vũng Tàu", date(2023, 6, 30)).district_code == "752"
    assert gaz.lookup_place("huyện Đạ Huoai", "Lâm Đồng", date(2019, 6, 30)).district_code == "681"
    place = gaz.lookup_place("huyện Đạ Huoai", "Lâm Đồng", date(2025, 3, 31))
    assert (place.district_code, place.district_name) == ("682", "Đạ Huoai")


def test_the_history_seed_points_at_units_of_the_map() -> None:
    districts = {r["district_code"]: r for r in _rows("admin_districts_pre2025")}
    provinces = {r["province_code"] for r in _rows("admin_provinces_pre2025")}
    history = _rows("admin_district_history")
    gone = [r for r in history if r["admin_level"] == "district" and r["code"] not in districts]
    assert {r["code"] for r in gone} >= {"752", "762", "763", "044", "046", "050", "151", "204"}
    for row in history:
        assert row["province_code"] in provinces, row
        assert row["successor_code"] in districts or row["admin_level"] == "province", row
        assert row["valid_to"] or row["change"] == "spelling", row
        assert row["date_basis"] in ("in force", "approx", ""), row
    gone_codes = {r["code"] for r in gone}
    assert {r["district_code"] for r in _rows("admin_communes_history")} <= gone_codes
    # units created within the period carry their first day
    assert districts["224"]["valid_from"] and districts["475"]["valid_from"] == "2025-01-01"


# ---- a report written after the reform, dated before it ---------------------------------------

def test_a_report_on_the_two_level_government_in_operation_is_placed_on_the_new_map(gaz: Gazetteer) -> None:
    # "ngày 7/1" read in the wrong year: the text itself says the reform is behind it
    text = "Đảng ủy xã Hội Thịnh tổng kết năm đầu tiên thực hiện mô hình chính quyền địa phương hai cấp."
    place = gaz.resolve(text, on_date=date(2025, 1, 7))
    assert (place.district_code, place.admin_level, place.province_name) == ("08905", "commune", "Phú Thọ")


@pytest.mark.parametrize(("text", "day"), [
    ("UBND huyện Tam Dương chuẩn bị vận hành mô hình chính quyền địa phương hai cấp; xã Hội Thịnh", date(2025, 5, 1)),
    ("UBND huyện Tam Dương họp bàn mô hình chính quyền địa phương hai cấp; xã Hội Thịnh", date(2019, 5, 1)),
], ids=["preparing", "another year"])
def test_a_report_preparing_the_reform_stays_on_the_old_map(gaz: Gazetteer, text: str, day: date) -> None:
    place = gaz.resolve(text, on_date=day)
    assert (place.district_code, place.admin_level, place.province_name) == ("247", "district", "Vĩnh Phúc")


def test_a_changed_admin_seed_is_loaded_again(tmp_path: Path, monkeypatch) -> None:
    """A long-lived watch and its kept reading worker place reports with the seeds as they are now: the same
    gazetteer while the files are unchanged, a new one once a seed file changes."""
    import shutil

    from sources import reference

    shutil.copytree(reference.seeds_dir() / "admin", tmp_path / "admin")
    monkeypatch.setattr(reference, "seeds_dir", lambda: tmp_path)
    before = Gazetteer.load()
    assert Gazetteer.load() is before
    assert before.resolve("Ban Thường vụ Huyện ủy Hướng Hoá").district_name == "Hướng Hóa"
    districts = tmp_path / "admin" / "admin_districts_pre2025.csv"
    districts.write_text(districts.read_text(encoding="utf-8").replace(",Hướng Hóa,", ",Hướng Hòa Tân,"),
                         encoding="utf-8")
    after = Gazetteer.load()
    assert after is not before
    assert after.resolve("Ban Thường vụ Huyện ủy Hướng Hòa Tân").district_name == "Hướng Hòa Tân"
