"""A throwaway PostgreSQL server on 127.0.0.1 (Debian's postgresql package), unless one is given."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


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
