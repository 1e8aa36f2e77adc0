"""Build the administrative-unit dbt seeds from the official lists (dev-time only).

Source: the General Statistics Office's list of administrative units (danh mục đơn vị hành
chính, https://danhmuchanhchinh.gso.gov.vn), as compiled in the JSON data files of the PyPI
package ``vietnam-provinces`` (GPL-3.0). The package is never imported by the product nor
listed in pyproject.toml: administrative units are public facts, and this script only copies
those facts into CSV seeds. Run it in a throwaway virtualenv:

    python3.11 -m venv /tmp/vnp06 && /tmp/vnp06/bin/pip install vietnam-provinces==0.6.0
    python3.11 -m venv /tmp/vnp && /tmp/vnp/bin/pip install vietnam-provinces==2025.10.1
    python scripts/build_admin_seeds.py \
        --pre  /tmp/vnp06/lib/python3.11/site-packages/vietnam_provinces/data/nested-divisions.json \
        --post /tmp/vnp/lib/python3.11/site-packages/vietnam_provinces/data/nested-divisions.json

0.6.0 holds the map before the reform (63 provinces, 696 districts, 10 051 communes);
2025.10.1 the map from 1 July 2025 (34 provinces, 3 321 communes). The province crosswalk is
Resolution 202/2025/QH15 of the National Assembly (12 June 2025), written below as data.

The history of the old map (``admin_district_history.csv``): reports from 2016 on name
districts that were merged or renamed before the reform (Long Điền and Đất Đỏ became Long Đất
on 1 January 2025, Quận 2, Quận 9 and Thủ Đức became Thủ Đức city on 1 January 2021). Each
change is written below as data (``HISTORY``) with the resolution of the National Assembly
Standing Committee that made it; the names and codes of the units that are gone were checked
against the older snapshots of the same GSO list (vietnam-provinces 0.2 of 2020 and 0.4.3 of
2023). ``date_basis`` says whether the date of entry into force was confirmed in the
resolution's press coverage ('in force') or is the first day after the resolution's month
('approx'). Units created within the period get their ``valid_from`` in the districts seed
(``CREATED``). Writing only the history (no download needed): ``--history-only``.

The communes of the districts that are gone (``admin_communes_history.csv``), as the older
snapshots list them, so that a report naming only communes is placed in the district they then
belonged to (``--snapshots`` with the nested-divisions.json of vietnam-provinces 0.2 and 0.4.3,
newest last; the district's own snapshot wins):

    python scripts/build_admin_seeds.py --history-only --snapshots \
        /tmp/vnp02/.../nested-divisions.json /tmp/vnp043/.../nested-divisions.json
"""

from __future__ import annotations

import argparse
import csv
import json
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "admin"
PRE_VALID_TO = "2025-06-30"
POST_VALID_FROM = "2025-07-01"
LEGAL_BASIS = "Nghị quyết 202/2025/QH15 (12/6/2025) về sắp xếp đơn vị hành chính cấp tỉnh"

TYPE_PREFIXES = ("thành phố", "thị xã", "thị trấn", "quận", "huyện", "tỉnh", "phường", "xã", "đặc khu")

# Resolution 202/2025/QH15: each post-reform province and the pre-reform provinces it joins.
# Provinces not listed here keep their territory (Hà Nội, Huế, Lai Châu, Điện Biên, Sơn La,
# Lạng Sơn, Quảng Ninh, Thanh Hóa, Nghệ An, Hà Tĩnh, Cao Bằng).
MERGERS: dict[str, tuple[str, ...]] = {
    "Tuyên Quang": ("Hà Giang", "Tuyên Quang"),
    "Lào Cai": ("Yên Bái", "Lào Cai"),
    "Thái Nguyên": ("Bắc Kạn", "Thái Nguyên"),
    "Phú Thọ": ("Vĩnh Phúc", "Hòa Bình", "Phú Thọ"),
    "Bắc Ninh": ("Bắc Giang", "Bắc Ninh"),
    "Hưng Yên": ("Thái Bình", "Hưng Yên"),
    "Hải Phòng": ("Hải Dương", "Hải Phòng"),
    "Ninh Bình": ("Hà Nam", "Nam Định", "Ninh Bình"),
    "Quảng Trị": ("Quảng Bình", "Quảng Trị"),
    "Đà Nẵng": ("Quảng Nam", "Đà Nẵng"),
    "Quảng Ngãi": ("Kon Tum", "Quảng Ngãi"),
    "Gia Lai": ("Gia Lai", "Bình Định"),
    "Khánh Hòa": ("Ninh Thuận", "Khánh Hòa"),
    "Lâm Đồng": ("Lâm Đồng", "Đắk Nông", "Bình Thuận"),
    "Đắk Lắk": ("Đắk Lắk", "Phú Yên"),
    "Hồ Chí Minh": ("Bà Rịa - Vũng Tàu", "Bình Dương", "Hồ Chí Minh"),
    "Đồng Nai": ("Đồng Nai", "Bình Phước"),
    "Tây Ninh": ("Tây Ninh", "Long An"),
    "Cần Thơ": ("Cần Thơ", "Sóc Trăng", "Hậu Giang"),
    "Vĩnh Long": ("Bến Tre", "Vĩnh Long", "Trà Vinh"),
    "Đồng Tháp": ("Tiền Giang", "Đồng Tháp"),
    "Cà Mau": ("Bạc Liêu", "Cà Mau"),
    "An Giang": ("Kiên Giang", "An Giang"),
}


# The district-level changes of 2016 - June 2025 that the snapshot above does not show, and the
# province renamed in that time: (level, code, name as it was, type, province code, valid_from,
# valid_to, successor code, change, legal basis, date basis). A row whose code is still in the
# snapshot is a former name of that unit; a row whose code is not is a unit that is gone.
_UBTVQH14 = "Nghị quyết {}/NQ-UBTVQH14 của Ủy ban Thường vụ Quốc hội"
_UBTVQH15 = "Nghị quyết {}/NQ-UBTVQH15 của Ủy ban Thường vụ Quốc hội"
_BATCH_2025 = "Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp ĐVHC cấp huyện, cấp xã tỉnh {} giai đoạn 2023-2025"
HISTORY: list[tuple[str, ...]] = [
    ("province", "46", "Thừa Thiên Huế", "tỉnh", "46", "", "2024-12-31", "46", "renamed",
     "Nghị quyết 175/2024/QH15 của Quốc hội (30/11/2024) thành lập thành phố Huế trực thuộc trung ương", "in force"),
    ("district", "754", "Tân Thành", "huyện", "77", "", "2018-04-30", "754", "renamed",
     _UBTVQH14.format("492") + " (04/2018) thành lập thị xã Phú Mỹ", "approx"),
    ("district", "151", "Kỳ Sơn", "huyện", "17", "", "2019-12-31", "148", "merged",
     _UBTVQH14.format("830") + " (17/12/2019), nhập vào thành phố Hòa Bình", "approx"),
    ("district", "204", "Hoành Bồ", "huyện", "22", "", "2019-12-31", "193", "merged",
     _UBTVQH14.format("837") + " (17/12/2019), nhập vào thành phố Hạ Long", "approx"),
    ("district", "044", "Thông Nông", "huyện", "04", "", "2020-01-31", "045", "merged",
     _UBTVQH14.format("864") + " (10/01/2020), nhập vào huyện Hà Quảng", "in force"),
    ("district", "526", "Tây Trà", "huyện", "51", "", "2020-01-31", "525", "merged",
     _UBTVQH14.format("867") + " (10/01/2020), nhập vào huyện Trà Bồng", "approx"),
    ("district", "046", "Trà Lĩnh", "huyện", "04", "", "2020-02-29", "047", "merged",
     _UBTVQH14.format("897") + " (11/02/2020), nhập vào huyện Trùng Khánh", "in force"),
    ("district", "050", "Phục Hòa", "huyện", "04", "", "2020-02-29", "049", "merged",
     _UBTVQH14.format("897") + " (11/02/2020), nhập với huyện Quảng Uyên thành huyện Quảng Hòa", "in force"),
    ("district", "049", "Quảng Uyên", "huyện", "04", "", "2020-02-29", "049", "renamed",
     _UBTVQH14.format("897") + " (11/02/2020), nhập với huyện Phục Hòa thành huyện Quảng Hòa", "in force"),
    ("district", "407", "Tĩnh Gia", "huyện", "38", "", "2020-05-31", "407", "renamed",
     _UBTVQH14.format("933") + " (04/2020) thành lập thị xã Nghi Sơn", "approx"),
    ("district", "762", "Thủ Đức", "quận", "79", "", "2020-12-31", "769", "merged",
     _UBTVQH14.format("1111") + " (09/12/2020) thành lập thành phố Thủ Đức", "in force"),
    ("district", "763", "9", "quận", "79", "", "2020-12-31", "769", "merged",
     _UBTVQH14.format("1111") + " (09/12/2020) thành lập thành phố Thủ Đức", "in force"),
    ("district", "769", "2", "quận", "79", "", "2020-12-31", "769", "renamed",
     _UBTVQH14.format("1111") + " (09/12/2020) thành lập thành phố Thủ Đức", "in force"),
    ("district", "221", "Yên Dũng", "huyện", "24", "", "2024-11-30", "213", "merged",
     _UBTVQH15.format("1191") + " (28/09/2024), nhập vào thành phố Bắc Giang", "approx"),
    ("district", "358", "Mỹ Lộc", "huyện", "36", "", "2024-12-31", "356", "merged",
     _BATCH_2025.format("Nam Định") + ", nhập vào thành phố Nam Định", "approx"),
    ("district", "369", "Ninh Bình", "thành phố", "37", "", "2024-12-31", "374", "merged",
     _BATCH_2025.format("Ninh Bình") + ", nhập với huyện Hoa Lư thành thành phố Hoa Lư", "approx"),
    ("district", "405", "Đông Sơn", "huyện", "38", "", "2024-12-31", "380", "merged",
     _BATCH_2025.format("Thanh Hóa") + ", nhập vào thành phố Thanh Hóa", "approx"),
    ("district", "413", "Cửa Lò", "thị xã", "40", "", "2024-12-31", "412", "merged",
     _BATCH_2025.format("Nghệ An") + ", nhập vào thành phố Vinh", "approx"),
    ("district", "448", "Lộc Hà", "huyện", "42", "", "2024-12-31", "445", "merged",
     _BATCH_2025.format("Hà Tĩnh") + ", nhập vào huyện Thạch Hà", "approx"),
    ("district", "474", "Huế", "thành phố", "46", "", "2024-12-31", "474", "renamed",
     _BATCH_2025.format("Thừa Thiên Huế") + ", thành lập quận Thuận Hóa và quận Phú Xuân", "approx"),
    ("district", "483", "Nam Đông", "huyện", "46", "", "2024-12-31", "482", "merged",
     _BATCH_2025.format("Thừa Thiên Huế") + ", nhập vào huyện Phú Lộc", "approx"),
    ("district", "519", "Nông Sơn", "huyện", "49", "", "2024-12-31", "509", "merged",
     _BATCH_2025.format("Quảng Nam") + ", nhập vào huyện Quế Sơn", "approx"),
    ("district", "681", "Đạ Huoai", "huyện", "68", "", "2024-12-31", "682", "merged",
     _BATCH_2025.format("Lâm Đồng") + ", nhập với Đạ Tẻh và Cát Tiên thành huyện Đạ Huoai", "approx"),
    ("district", "682", "Đạ Tẻh", "huyện", "68", "", "2024-12-31", "682", "renamed",
     _BATCH_2025.format("Lâm Đồng") + ", nhập với Đạ Huoai và Cát Tiên thành huyện Đạ Huoai", "approx"),
    ("district", "683", "Cát Tiên", "huyện", "68", "", "2024-12-31", "682", "merged",
     _BATCH_2025.format("Lâm Đồng") + ", nhập với Đạ Huoai và Đạ Tẻh thành huyện Đạ Huoai", "approx"),
    ("district", "752", "Long Điền", "huyện", "77", "", "2024-12-31", "753", "merged",
     _UBTVQH15.format("1256") + " (24/10/2024), nhập với huyện Đất Đỏ thành huyện Long Đất", "in force"),
    ("district", "753", "Đất Đỏ", "huyện", "77", "", "2024-12-31", "753", "renamed",
     _UBTVQH15.format("1256") + " (24/10/2024), nhập với huyện Long Điền thành huyện Long Đất", "in force"),
    ("district", "540", "Qui Nhơn", "thành phố", "52", "", "", "540", "spelling",
     "cách viết cũ trong danh mục của Tổng cục Thống kê", ""),
]
# units of the snapshot created within the period: their valid_from
CREATED = {"224": "2024-12-01", "475": "2025-01-01"}  # thị xã Chũ (NQ 1191), quận Phú Xuân
HISTORY_HEADER = ["admin_level", "code", "name", "type", "province_code", "valid_from", "valid_to", "successor_code",
                  "change", "legal_basis", "date_basis"]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def split_type(full_name: str) -> tuple[str, str]:
    """'Huyện Hướng Hóa' -> ('Hướng Hóa', 'huyện'); 'Thành phố Huế' -> ('Huế', 'thành phố')."""
    name = nfc(full_name)
    lower = name.lower()
    for prefix in TYPE_PREFIXES:
        if lower.startswith(prefix + " "):
            return name[len(prefix) + 1:].strip(), prefix
    return name, ""


def province_type(full_name: str) -> str:
    return "thành phố trung ương" if full_name.lower().startswith("thành phố") else "tỉnh"


def write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{path.name}: {len(rows)} rows")


def fold(name: str) -> str:
    text = unicodedata.normalize("NFD", name.lower()).replace("đ", "d")
    return "".join(c for c in text if unicodedata.category(c) != "Mn").replace(" ", "")


def write_gone_communes(snapshots: list[Path]) -> None:
    """The communes of each district that is gone, from the newest snapshot that still lists it."""
    gone = {row[1]: row for row in HISTORY if row[0] == "district" and row[8] == "merged"}
    communes: dict[str, list[list[str]]] = {}
    for path in snapshots:  # oldest first: a newer snapshot's list replaces an older one
        for p in json.loads(path.read_text(encoding="utf-8")):
            for d in p["districts"]:
                dcode = f"{d['code']:03d}"
                if dcode in gone:
                    communes[dcode] = [
                        [f"{w['code']:05d}", *split_type(w["name"]), dcode, f"{p['code']:02d}", "", gone[dcode][6]]
                        for w in d["wards"]]
    rows = [row for dcode in sorted(communes) for row in communes[dcode]]
    write(OUT / "admin_communes_history.csv",
          ["commune_code", "commune_name", "commune_type", "district_code", "province_code", "valid_from",
           "valid_to"], rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pre", type=Path, help="nested-divisions.json of vietnam-provinces 0.6.0")
    ap.add_argument("--post", type=Path, help="nested-divisions.json of vietnam-provinces 2025.10.1")
    ap.add_argument("--history-only", action="store_true", help="write the history seeds alone")
    ap.add_argument("--snapshots", type=Path, nargs="*", default=[],
                    help="older nested-divisions.json (0.2, 0.4.3): the communes of gone districts")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "admin_district_history.csv", HISTORY_HEADER, [list(row) for row in HISTORY])
    if args.snapshots:
        write_gone_communes(args.snapshots)
    if args.history_only:
        return
    if args.pre is None or args.post is None:
        ap.error("--pre and --post are required (or --history-only)")

    pre = json.loads(args.pre.read_text(encoding="utf-8"))
    provinces, districts, communes = [], [], []
    for p in pre:
        pname, _ = split_type(p["name"])
        pcode = f"{p['code']:02d}"
        provinces.append([pcode, pname, province_type(p["name"]), "", PRE_VALID_TO])
        for d in p["districts"]:
            dname, dtype = split_type(d["name"])
            dcode = f"{d['code']:03d}"
            districts.append([dcode, dname, dtype, pcode, CREATED.get(dcode, ""), PRE_VALID_TO])
            for w in d["wards"]:
                wname, wtype = split_type(w["name"])
                communes.append([f"{w['code']:05d}", wname, wtype, dcode, pcode, "", PRE_VALID_TO])
    write(OUT / "admin_provinces_pre2025.csv",
          ["province_code", "province_name", "province_type", "valid_from", "valid_to"], provinces)
    write(OUT / "admin_districts_pre2025.csv",
          ["district_code", "district_name", "district_type", "province_code", "valid_from", "valid_to"], districts)
    write(OUT / "admin_communes_pre2025.csv",
          ["commune_code", "commune_name", "commune_type", "district_code", "province_code", "valid_from",
           "valid_to"], communes)

    post = json.loads(args.post.read_text(encoding="utf-8"))
    new_provinces, new_communes = [], []
    for p in post:
        pname, _ = split_type(p["name"])
        pcode = f"{p['code']:02d}"
        new_provinces.append([pcode, pname, province_type(p["name"]), POST_VALID_FROM, ""])
        for w in p["wards"]:
            wname, wtype = split_type(w["name"])
            new_communes.append([f"{w['code']:05d}", wname, wtype, pcode, POST_VALID_FROM, ""])
    write(OUT / "admin_provinces_post2025.csv",
          ["province_code", "province_name", "province_type", "valid_from", "valid_to"], new_provinces)
    write(OUT / "admin_communes_post2025.csv",
          ["commune_code", "commune_name", "commune_type", "province_code", "valid_from", "valid_to"], new_communes)

    new_by_name = {fold(r[1]): r for r in new_provinces}
    old_to_new = {}
    for new_name, olds in MERGERS.items():
        for old in olds:
            old_to_new[fold(old)] = new_name
    crosswalk = []
    for code, name, *_ in provinces:
        new_name = old_to_new.get(fold(name), name)
        target = new_by_name.get(fold(new_name))
        if target is None:
            raise SystemExit(f"no post-reform province for {name} (-> {new_name})")
        crosswalk.append([code, name, target[0], target[1], POST_VALID_FROM, LEGAL_BASIS])
    assert len({r[2] for r in crosswalk}) == 34, "the crosswalk must reach all 34 provinces"
    write(OUT / "admin_province_crosswalk_2025.csv",
          ["old_province_code", "old_province_name", "new_province_code", "new_province_name", "effective_date",
           "legal_basis"], crosswalk)


if __name__ == "__main__":
    main()
