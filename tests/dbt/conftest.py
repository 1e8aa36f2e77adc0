"""A throwaway PostgreSQL server on 127.0.0.1 (Debian's postgresql package), unless one is given."""

from __future__ import annotations

import csv
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from sources.submissions import TEMPLATE_COLUMNS
from tests.dbt.build import dbt_build, ingest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_dsn(tmp_path_factory) -> dict:
    if os.environ.get("PROVREPORT_PG_HOST"):
        env = {k: os.environ.get(f"PROVREPORT_PG_{k.upper()}", d) for k, d in
               (("host", ""), ("port", "5432"), ("user", "postgres"), ("password", ""), ("dbname", "provreport"))}
        yield env
        return
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries:
        pytest.skip("PostgreSQL is not installed (make test installs Debian's postgresql package when run as root)")
    bindir = Path(binaries[-1]).parent
    # not under pytest's tmp folders: those are private to root, and the server runs as postgres
    root = Path(tempfile.mkdtemp(prefix="provreport-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        as_postgres = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    port = _free_port()
    subprocess.run([*as_postgres, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w",
                    "-o", f"-h 127.0.0.1 -p {port} -k {sock}", "start"], check=True, capture_output=True)
    try:
        import psycopg2

        con = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
        con.autocommit = True
        con.cursor().execute("create database provreport")
        con.close()
        yield {"host": "127.0.0.1", "port": str(port), "user": "postgres", "password": "", "dbname": "provreport"}
    finally:
        subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


# ---- reports across the 1 July 2025 reform (tests/dbt/test_reform.py, test_postgres.py) -------------
MONTHLY = ("ỦY BAN NHÂN DÂN XÃ HƯỚNG HIỆP\n\nHướng Hiệp, ngày 05 tháng 10 năm 2025\n\nBÁO CÁO\n\n"
           "Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội tháng 9 năm 2025\n\n"
           "Trong tháng 9 năm 2025, xã đã giải ngân 1.250 triệu đồng vốn đầu tư Chương trình mục tiêu quốc gia "
           "xây dựng nông thôn mới, đạt 45% kế hoạch vốn được giao.\n")


def _quarterly_submission(path: Path) -> None:
    row = {"province": "tỉnh Quảng Trị", "district": "phường Đông Hà", "period_start": "2025-07-01",
           "period_end": "2025-09-30", "kind": "funding", "programme_code": "PUBLIC_INVESTMENT",
           "capital_source": "investment", "measure": "allocated", "unit": "triệu đồng", "value": "20.000"}
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([names[0] for names in TEMPLATE_COLUMNS.values()])
        writer.writerow([row.get(key, "") for key in TEMPLATE_COLUMNS])


@pytest.fixture(scope="session")
def reform_warehouse(tmp_path_factory, seeds_dir: Path) -> Path:
    root = tmp_path_factory.mktemp("reform")
    landing, warehouse = root / "landing", root / "w.duckdb"
    landing.mkdir()
    for seed in seeds_dir.glob("*.txt"):
        shutil.copy(seed, landing / seed.name)
    (landing / "huong_hiep_thang_9_2025.txt").write_text(MONTHLY, encoding="utf-8")
    _quarterly_submission(landing / "dong_ha_quy_3_2025.csv")
    ingest(landing, warehouse, "reform")
    dbt_build(warehouse)
    return warehouse
