"""The ingest limits are handed down, never read from the environment by ``sources`` (issue #16, point 6),
and the survey hashes only the files it does not know by path, size and modification time (issue #18,
point 3): one hash cache, ``sources.warehouse.LANDING_HASHES_TABLE``."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from orchestration.settings import LIMIT_VARIABLES, Settings
from sources import ingest, warehouse
from sources.readers import Limits

QUICK = Limits(settle_s=0)
REPORT = (
    "Báo cáo tình hình kinh tế - xã hội 9 tháng đầu năm 2023 của huyện Trà Cú, tỉnh Trà Vinh\n\n"
    "Ngày 05/10/2023, Ủy ban nhân dân huyện Trà Cú báo cáo như sau. Thu ngân sách nội địa đạt 3,93 tỷ đồng, "
    "đạt 78,17% nghị quyết.\n"
)


@pytest.fixture()
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    (folder / "sub").mkdir(parents=True)
    past = time.time() - 3600
    for i in range(40):
        path = folder / ("sub" if i % 2 else ".") / f"r{i:03d}.txt"
        path.write_bytes(f"report {i}".encode())
        os.utime(path, (past, past))
    return folder


def test_the_survey_hashes_only_the_files_it_does_not_know(landing: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    con = warehouse.connect(tmp_path / "w.duckdb")
    first = ingest.plan_ingest(landing, con, "run-1", limits=QUICK)
    assert (first.files_hashed, len(first.fresh)) == (40, 40)
    remembered = warehouse.landing_hashes(con)
    assert len(remembered) == 40
    r001 = landing / "sub" / "r001.txt"
    key = ("sub/r001.txt", 8, r001.stat().st_mtime_ns)
    assert remembered[key] == next(f.sha256 for f in first.fresh if f.path == r001)

    (landing / "new.txt").write_bytes(b"a new report")
    os.utime(r001, (time.time() - 60, time.time() - 60))  # touched: the same content, another mtime
    real_open = ingest._open_landed
    opened: list[str] = []

    def counting(path: Path):
        opened.append(str(path.relative_to(landing)))
        return real_open(path)

    monkeypatch.setattr(ingest, "_open_landed", counting)
    second = ingest.plan_ingest(landing, con, "run-2", limits=QUICK)
    assert sorted(opened) == ["new.txt", "sub/r001.txt"]  # the 39 others: their remembered hash
    assert second.files_hashed == 2 and len(second.fresh) == 41
    assert {f.path: f.sha256 for f in second.fresh if f.path != landing / "new.txt"} == \
        {f.path: f.sha256 for f in first.fresh}
    now = warehouse.landing_hashes(con)
    assert len(now) == 41 and key not in now and ("sub/r001.txt", 8, r001.stat().st_mtime_ns) in now

    (landing / "r000.txt").unlink()  # a file gone is forgotten
    opened.clear()
    third = ingest.plan_ingest(landing, con, "run-3", limits=QUICK)
    assert opened == [] and third.files_hashed == 0 and len(warehouse.landing_hashes(con)) == 40
    con.close()


def test_a_remembered_file_changed_in_place_is_hashed_again(landing: Path, tmp_path: Path) -> None:
    con = warehouse.connect(tmp_path / "w.duckdb")
    ingest.plan_ingest(landing, con, "run-1", limits=QUICK)
    path = landing / "r002.txt"
    path.write_bytes(b"report X")  # the same size, new content and modification time
    again = ingest.plan_ingest(landing, con, "run-2", limits=QUICK)
    assert again.files_hashed == 1
    assert next(f.sha256 for f in again.fresh if f.path == path) == hashlib.sha256(b"report X").hexdigest()
    con.close()


def test_a_name_that_is_not_utf8_is_hashed_at_each_survey(landing: Path, tmp_path: Path) -> None:
    with open(os.fsencode(landing) + b"/b\xfe.txt", "wb") as fh:
        fh.write(b"bytes")
    con = warehouse.connect(tmp_path / "w.duckdb")
    first = ingest.plan_ingest(landing, con, "run-1", limits=QUICK)
    second = ingest.plan_ingest(landing, con, "run-2", limits=QUICK)
    assert (first.files_hashed, second.files_hashed) == (41, 1)
    assert len(warehouse.landing_hashes(con)) == 40
    con.close()


@pytest.mark.slow  # the file is read in the sandboxed reader process
def test_a_limit_set_in_settings_reaches_the_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, *_ in LIMIT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "landing"
    folder.mkdir()
    (folder / "small.txt").write_bytes(REPORT.encode())
    (folder / "big.txt").write_bytes(REPORT.encode() * 10)
    settings = Settings(warehouse=tmp_path / "w.duckdb", landing=folder,
                        limits=Limits(max_file_bytes=len(REPORT.encode()) + 10, settle_s=0))
    with warehouse.open_warehouse(settings.warehouse) as con:
        summary = ingest.ingest_landing(settings.landing, con, "run-1", limits=settings.limits)
        landed = [r[0] for r in con.execute("select source_file from raw.reports").fetchall()]
    assert landed == ["small.txt"]
    [refusal] = summary.rejected
    assert refusal["source_file"] == "big.txt" and refusal["reason"] == "too_large"
    assert "over the 0 MB limit (PROVREPORT_MAX_FILE_MB)" in refusal["detail"]
    assert "PROVREPORT_MAX_FILE_MB" not in os.environ


def test_no_module_of_sources_reads_the_environment() -> None:
    root = Path(__file__).resolve().parents[2] / "sources"
    readers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                     if any(word in p.read_text(encoding="utf-8") for word in ("os.environ", "getenv(", "environ[")))
    assert readers == []  # settings are orchestration.settings.Settings', handed down as arguments
