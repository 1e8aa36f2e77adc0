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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pre", type=Path, required=True, help="nested-divisions.json of vietnam-provinces 0.6.0")
    ap.add_argument("--post", type=Path, required=True, help="nested-divisions.json of vietnam-provinces 2025.10.1")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    pre = json.loads(args.pre.read_text(encoding="utf-8"))
    provinces, districts, communes = [], [], []
    for p in pre:
        pname, _ = split_type(p["name"])
        pcode = f"{p['code']:02d}"
        provinces.append([pcode, pname, province_type(p["name"]), "", PRE_VALID_TO])
        for d in p["districts"]:
            dname, dtype = split_type(d["name"])
            dcode = f"{d['code']:03d}"
            districts.append([dcode, dname, dtype, pcode, "", PRE_VALID_TO])
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
