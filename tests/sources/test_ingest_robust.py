"""No file can stop a run (issue #19 points 1, 2, 5, 6): odd names, links, pipes, files that cannot
be opened, vanish or are still being written, files over their time or memory budget, containers
that inflate, numbers that are not numbers, and times the sender controls. Every case builds real
files in tmp_path and asserts which rows landed and the reason each refusal gives."""

from __future__ import annotations

import csv
import io
import os
import threading
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from orchestration.settings import Settings
from sources import ingest, warehouse
from sources.ingest import IngestSummary, LandedFile, read_file, survey_landing

# each case reads its files in the sandboxed reader, a spawned Python process that loads the gazetteer
# and warms the extractor up (1-3 s a case, 25-50 s for the module): make test only
pytestmark = pytest.mark.slow

REPORT = (
    "Báo cáo tình hình kinh tế - xã hội 9 tháng đầu năm 2023 của huyện Trà Cú, tỉnh Trà Vinh\n\n"
    "Ngày 05/10/2023, Ủy ban nhân dân huyện Trà Cú báo cáo như sau. Thu ngân sách nội địa đạt 3,93 tỷ đồng, "
    "đạt 78,17% nghị quyết. Chương trình mục tiêu quốc gia xây dựng nông thôn mới, huyện giải ngân "
    "12,5 tỷ đồng vốn đầu tư được giao (đạt 46%).\n"
)


def report(variant: str) -> bytes:
    """The report with its budget revenue changed, so that each copy has its own content."""
    return REPORT.replace("3,93", variant).encode()


def _rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def _landed(con) -> set[str]:
    return {r[0] for r in _rows(con, "select source_file from raw.reports")}


def _refusals(con) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    sql = "select source_file, reason, detail from raw.rejections order by detected_at"
    for name, reason, detail in _rows(con, sql):
        out.setdefault(name, []).append((reason, detail))
    return out


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    landing = tmp_path / "landing"
    landing.mkdir()
    return landing


@pytest.fixture(autouse=True)
def _quick_settle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVREPORT_SETTLE_S", "0.2")


def ingest_landing(folder: Path, con, run_id: str) -> IngestSummary:
    """Ingest as a run does: within the limits Settings reads from the environment (the cases set them there)."""
    return ingest.ingest_landing(folder, con, run_id, limits=Settings.from_env().limits)


# ---- point 1: names, links, pipes, permissions, vanishing and unsettled files ---------------------------

def test_names_of_any_bytes_are_stored_escaped_and_the_other_files_land(folder: Path, tmp_path: Path) -> None:
    raw = os.fsencode(folder)
    with open(raw + b"/a\xff.exe", "wb") as fh:
        fh.write(b"MZ\x90\x00")
    with open(raw + b"/b\xfe\xfd.txt", "wb") as fh:
        fh.write(report("4,11"))
    (folder / "tốt.txt").write_bytes(report("4,12"))
    (folder / "dòng\nmới.txt").write_bytes(report("4,13"))
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        summary = ingest_landing(folder, con, "run-1")
        landed, refused = _landed(con), _refusals(con)
        paths = {r[0] for r in _rows(con, "select source_path from raw.reports")}
    assert landed == {"b\\xfe\\xfd.txt", "tốt.txt", "dòng\nmới.txt"}
    assert summary.reports_written == 3
    assert [reason for reason, _ in refused["a\\xff.exe"]] == ["unsupported_format"]
    assert str(folder / "b\\xfe\\xfd.txt") in paths


def test_symlinks_and_fifos_are_refused_and_never_opened(folder: Path, tmp_path: Path) -> None:
    (folder / "good.txt").write_bytes(report("4,21"))
    os.symlink("/etc/hostname", folder / "link.txt")
    os.symlink(folder / "good.txt", folder / "link-to-good.txt")
    os.mkfifo(folder / "pipe.txt")  # opening it would block the run forever
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        ingest_landing(folder, con, "run-1")
        second = ingest_landing(folder, con, "run-2")
        landed, refused = _landed(con), _refusals(con)
    assert landed == {"good.txt"}
    assert [r for r, _ in refused["link.txt"]] == ["symlink"]
    assert "symbolic link (to /etc/hostname)" in refused["link.txt"][0][1]
    assert [r for r, _ in refused["link-to-good.txt"]] == ["symlink"]
    assert [r for r, _ in refused["pipe.txt"]] == ["not_a_regular_file"]
    assert "FIFO" in refused["pipe.txt"][0][1]
    # refusals about what the entry is are listed once
    assert second.rejected == []


def test_an_unreadable_file_is_refused_as_transient_and_read_once_it_can_be(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "locked.txt").write_bytes(report("4,31"))
    (folder / "open.txt").write_bytes(report("4,32"))
    os.chmod(folder / "locked.txt", 0)
    real_open = ingest._open_landed

    def denied(path: Path):  # what a service account without root's capabilities gets from chmod 000
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)

    monkeypatch.setattr(ingest, "_open_landed", denied)
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        ingest_landing(folder, con, "run-1")
        assert _landed(con) == {"open.txt"}
        [(reason, detail)] = _refusals(con)["locked.txt"]
        assert reason == "permission_denied" and detail.startswith("transient: ")
        ingest_landing(folder, con, "run-2")  # still locked: retried, not listed again
        assert len(_refusals(con)["locked.txt"]) == 1
        monkeypatch.setattr(ingest, "_open_landed", real_open)
        os.chmod(folder / "locked.txt", 0o644)
        third = ingest_landing(folder, con, "run-3")
        assert _landed(con) == {"open.txt", "locked.txt"}
        assert third.reports_written == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file; the simulated case above covers it")
def test_chmod_000_as_a_user(folder: Path, tmp_path: Path) -> None:
    (folder / "locked.txt").write_bytes(report("4,33"))
    (folder / "open.txt").write_bytes(report("4,34"))
    os.chmod(folder / "locked.txt", 0)
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        ingest_landing(folder, con, "run-1")
        assert _landed(con) == {"open.txt"}
        assert _refusals(con)["locked.txt"][0][0] == "permission_denied"


def test_a_file_that_vanishes_is_retried_when_it_lands_again(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "gone.txt").write_bytes(report("4,41"))
    (folder / "stays.txt").write_bytes(report("4,42"))
    real_open = ingest._open_landed

    def vanishing(path: Path):  # deleted between the folder's listing and its hashing
        if path.name == "gone.txt":
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real_open(path)

    monkeypatch.setattr(ingest, "_open_landed", vanishing)
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        ingest_landing(folder, con, "run-1")
        assert _landed(con) == {"stays.txt"}
        assert [r for r, _ in _refusals(con)["gone.txt"]] == ["file_vanished"]
        monkeypatch.setattr(ingest, "_open_landed", real_open)
        ingest_landing(folder, con, "run-2")  # the same file, same name, same content: read now
        assert _landed(con) == {"stays.txt", "gone.txt"}


def test_a_file_deleted_between_scan_and_read_is_a_transient_refusal(folder: Path) -> None:
    path = folder / "brief.txt"
    path.write_bytes(report("4,43"))
    [landed] = survey_landing(folder, settle=0).files
    path.unlink()
    row = read_file(landed, "run-1")
    assert isinstance(row, dict)
    assert row["reason"] == "file_vanished" and row["detail"].startswith("transient: ")
    # rewritten with other content after the scan: not read as the content hashed
    path.write_bytes(report("9,99"))
    row = read_file(landed, "run-1")
    assert row["reason"] == "changed_while_reading" and row["detail"].startswith("transient: ")


def test_files_still_being_written_wait_and_do_not_hold_back_the_others(folder: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVREPORT_SETTLE_S", "0.5")
    (folder / "ready.txt").write_bytes(report("4,51"))
    old = time.time() - 3600
    os.utime(folder / "ready.txt", (old, old))
    (folder / "upload.txt.part").write_bytes(report("4,52"))
    (folder / "draft.docx~").write_bytes(b"partial")
    (folder / ".~lock.report.docx#").write_bytes(b"lock")
    growing = folder / "growing.txt"
    growing.write_bytes(report("4,53"))
    stop = threading.Event()

    def keep_writing() -> None:  # a file that never settles
        while not stop.is_set():
            with growing.open("ab") as fh:
                fh.write(b" them.")
            time.sleep(0.05)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
            t0 = time.monotonic()
            summary = ingest_landing(folder, con, "run-1")
            took = time.monotonic() - t0
            assert _landed(con) == {"ready.txt"}
            assert _refusals(con) == {}
    finally:
        stop.set()
        writer.join()
    assert str(growing) in summary.files_waiting and str(folder / "upload.txt.part") in summary.files_waiting
    assert took < 30
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        ingest_landing(folder, con, "run-2")  # it has stopped changing: read now
        assert _landed(con) == {"ready.txt", "growing.txt"}


# ---- point 2: per-file budgets, containers, entities -----------------------------------------------------

def test_a_file_over_its_time_budget_is_stopped_and_the_run_goes_on(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVREPORT_FILE_TIME_BUDGET_S", "0.3")
    (folder / "small.txt").write_bytes(report("4,61"))
    (folder / "huge.txt").write_bytes(("Đạt 45%. " * 150_000).encode())  # ~2 s of work
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        t0 = time.monotonic()
        ingest_landing(folder, con, "run-1")
        took = time.monotonic() - t0
        landed, refused = _landed(con), _refusals(con)
        figures = _rows(con, "select count(*) from raw.figures")[0][0]
    assert landed == {"small.txt"} and figures >= 2
    [(reason, detail)] = refused["huge.txt"]
    assert reason == "too_slow" and detail.startswith("transient: ") and "0.3 s" in detail
    assert took < 20


def test_a_file_over_its_memory_budget_is_stopped_and_the_run_goes_on(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVREPORT_FILE_MEMORY_BUDGET_MB", "40")
    (folder / "small.txt").write_bytes(report("4,62"))
    (folder / "wide.txt").write_bytes(("Thu ngân sách huyện đạt kết quả tốt. " * 700_000).encode())  # 28 MB
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        summary = ingest_landing(folder, con, "run-1")
        landed, refused = _landed(con), _refusals(con)
    assert landed == {"small.txt"}
    [(reason, detail)] = refused["wide.txt"]
    assert reason == "too_large_unpacked" and detail.startswith("transient: ") and "40 MB" in detail
    assert summary.peak_file_memory_mb > 40


def _zip_bomb(path: Path, member: str, inflated_mb: int) -> None:
    """A zip whose one big member is zeros: a few hundred KB that inflate to ``inflated_mb``."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open(member, "w", force_zip64=True) as fh:
            chunk = b"\x00" * (1 << 20)
            for _ in range(inflated_mb):
                fh.write(chunk)


def test_an_inflating_docx_is_refused_before_it_is_parsed(folder: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVREPORT_FILE_MEMORY_BUDGET_MB", "400")  # unpacked limit: 50 MB
    _zip_bomb(folder / "bomb.docx", "word/document.xml", 120)
    _zip_bomb(folder / "bomb.xlsx", "xl/worksheets/sheet1.xml", 120)
    (folder / "small.txt").write_bytes(report("4,63"))
    assert (folder / "bomb.docx").stat().st_size < 1_000_000
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        t0 = time.monotonic()
        summary = ingest_landing(folder, con, "run-1")
        took = time.monotonic() - t0
        second = ingest_landing(folder, con, "run-2")
        landed, refused = _landed(con), _refusals(con)
    assert landed == {"small.txt"}
    for name in ("bomb.docx", "bomb.xlsx"):
        [(reason, detail)] = refused[name]
        assert reason == "too_large_unpacked" and "unpacks to 126 MB, over the 52 MB allowed" in detail
        assert not detail.startswith("transient")  # about the content: remembered by its hash
    assert summary.peak_file_memory_mb < 60 and took < 20
    assert second.rejected == []


def test_xml_entities_are_never_expanded(folder: Path, tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("PLACEHOLDER")
    buf = io.BytesIO()
    document.save(buf)
    lol = ('<!DOCTYPE w:document [<!ENTITY a "' + "lol" * 10 + '">'
           + "".join(f'<!ENTITY {c} "' + f"&{p};" * 10 + '">' for p, c in zip("abcdefgh", "bcdefghi", strict=True))
           + "]>")
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(folder / "laughs.docx", "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                text = data.decode()
                head, rest = text.split("?>", 1)
                data = (head + "?>" + lol + rest.replace("PLACEHOLDER", REPORT[:60] + " &i;")).encode()
            dst.writestr(item, data)
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        t0 = time.monotonic()
        summary = ingest_landing(folder, con, "run-1")
        texts = [r[0] for r in _rows(con, "select text from raw.reports")]
        reasons = [r[0] for r in _rows(con, "select reason from raw.rejections")]
    assert time.monotonic() - t0 < 20 and summary.peak_file_memory_mb < 200
    assert all("lol" not in t for t in texts)  # 10^9 'lol's, had the entity been expanded
    assert len(texts) + len(reasons) == 1


# ---- point 5: numbers finite and in range -------------------------------------------------------------

def test_figures_with_absurd_numbers_are_refused_one_by_one(folder: Path, tmp_path: Path) -> None:
    text = REPORT.replace("12,5 tỷ đồng", "9" * 400 + " tỷ đồng") + (
        "Giá trị sản xuất nông nghiệp đạt 1" + "0" * 330 + "% kế hoạch năm. Tỷ lệ hộ nghèo còn 1" + "0" * 30 + "%.")
    (folder / "absurd.txt").write_bytes(text.encode())
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        ingest_landing(folder, con, "run-1")
        figures = _rows(con, "select kind, amount_vnd, actual_value, attainment_pct, rate_pct from raw.figures")
        refused = _rows(con, "select reason, column_name, detail from raw.rejections order by column_name")
        finite = _rows(con, "select count(*) from raw.figures where isinf(coalesce(actual_value, 0)) "
                            "or isnan(coalesce(actual_value, 0)) or isinf(coalesce(attainment_pct, 0))")[0][0]
    assert _landed_names(tmp_path) == {"absurd.txt"}
    assert finite == 0
    assert {(k, a, v, p) for k, a, v, p, _ in figures} == {("indicator", None, 3_930_000_000.0, 78.17)}
    assert [(reason, column) for reason, column, _ in refused] == [
        ("number_out_of_range", "actual_value"), ("number_out_of_range", "amount_vnd"),
        ("number_out_of_range", "attainment_pct")]
    amount = next(d for _, c, d in refused if c == "amount_vnd")
    assert "has 410 digits, beyond the 1E+16 đồng" in amount and "the file's other figures are kept" in amount


def _landed_names(tmp_path: Path) -> set[str]:
    with warehouse.open_warehouse(tmp_path / "w.duckdb", read_only=True) as con:
        return _landed(con)


HEADER = ["province", "district", "period_start", "period_end", "kind", "programme_code", "capital_source",
          "measure", "indicator_name", "unit", "value", "rate_pct", "report_date"]


def _row(**over: str) -> list[str]:
    base = {"province": "Trà Vinh", "district": "Trà Cú", "period_start": "2023-01-01", "period_end": "2023-09-30",
            "kind": "funding", "programme_code": "NTM", "capital_source": "investment", "measure": "allocated",
            "unit": "tỷ đồng", "value": "12,5"}
    base.update(over)
    return [base.get(h, "") for h in HEADER]


def test_submission_rows_with_non_finite_or_absurd_values_are_refused_and_the_rest_land(
        folder: Path, tmp_path: Path) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows([
        HEADER,
        _row(report_date="2023-10-05"),                                   # row 2: lands
        _row(value="NaN"),                                                # row 3
        _row(value="1e30"),                                               # row 4
        _row(value="inf", measure="disbursed"),                           # row 5
        _row(measure="disbursed", value="", rate_pct="NaN"),              # row 6
        _row(kind="indicator", programme_code="", measure="", indicator_name="Tỷ lệ hộ nghèo", unit="percent",
             value="NaN"),                                                # row 7
        _row(kind="indicator", programme_code="", measure="", indicator_name="Thu nhập bình quân", unit="VND",
             value="9" * 400),                                            # row 8
        _row(kind="indicator", programme_code="", measure="", indicator_name="Tỷ lệ hộ nghèo", unit="percent",
             value="3,2"),                                                # row 9: lands
    ])
    (folder / "nop.csv").write_bytes(buf.getvalue().encode())
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        summary = ingest_landing(folder, con, "run-1")
        figures = _rows(con, "select kind, amount_vnd, actual_value from raw.figures order by kind")
        refused = _rows(con, "select row_number, column_name, reason from raw.rejections order by row_number")
        dates = _rows(con, "select report_date from raw.reports")
    assert figures == [("funding", 12_500_000_000, None), ("indicator", None, 3.2)]
    assert refused == [(3, "value", "bad_number"), (4, "value", "out_of_range"), (5, "value", "bad_number"),
                       (6, "rate_pct", "bad_number"), (7, "value", "bad_number"), (8, "value", "out_of_range")]
    assert summary.reports_written == 1
    assert dates == [(datetime(2023, 10, 5).date(),)]  # the date the submission states, kept as its date


# ---- point 6: received means received --------------------------------------------------------------------

def test_received_is_when_the_pipeline_first_saw_the_file_not_its_mtime(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "backdated.txt").write_bytes(report("4,71"))
    (folder / "future.txt").write_bytes(report("4,72"))
    (folder / "late.txt").write_bytes(report("4,73"))
    os.utime(folder / "backdated.txt", (datetime(2023, 10, 1).timestamp(),) * 2)
    os.utime(folder / "future.txt", (datetime(2031, 1, 1).timestamp(),) * 2)
    real_open = ingest._open_landed

    def denied(path: Path):
        if path.name == "late.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)

    monkeypatch.setattr(ingest, "_open_landed", denied)
    start = datetime.utcnow()
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        ingest_landing(folder, con, "run-1")
        first_seen = _rows(con, "select detected_at from raw.rejections where source_file = 'late.txt'")[0][0]
        time.sleep(0.3)
        monkeypatch.setattr(ingest, "_open_landed", real_open)
        ingest_landing(folder, con, "run-2")
        received = dict(_rows(con, "select source_file, landed_at from raw.reports"))
    end = datetime.utcnow()
    assert set(received) == {"backdated.txt", "future.txt", "late.txt"}
    for name in ("backdated.txt", "future.txt"):
        assert start <= received[name] <= end, (name, received[name])
    # seen at the first run (refused then, for a moment), received then
    assert abs((received["late.txt"] - first_seen).total_seconds()) < 1.5
    assert received["late.txt"] < received["backdated.txt"] or received["late.txt"] <= first_seen


def test_landed_file_names_are_escaped(tmp_path: Path) -> None:
    f = LandedFile(Path(os.fsdecode(b"/x/a\xff.exe")), 1, "0" * 64, datetime(2020, 1, 1))
    assert f.name == "a\\xff.exe" and f.shown_path == "/x/a\\xff.exe"
    f.name.encode("utf-8")  # never fails


def test_files_that_appear_and_vanish_during_the_scan_do_not_stop_it(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "a.txt").write_bytes(report("4,81"))
    (folder / "b.txt").write_bytes(report("4,82"))
    (folder / "c.txt").write_bytes(report("4,83"))
    real_open = ingest._open_landed

    def churn(path: Path):  # while a.txt is hashed, b.txt is deleted and new.txt lands (once)
        if path.name == "a.txt" and not (folder / "new.txt").exists():
            (folder / "b.txt").unlink()
            (folder / "new.txt").write_bytes(report("4,84"))
        return real_open(path)

    monkeypatch.setattr(ingest, "_open_landed", churn)
    with warehouse.open_warehouse(tmp_path / "w.duckdb") as con:
        ingest_landing(folder, con, "run-1")
        assert _landed(con) == {"a.txt", "c.txt"}
        assert [r for r, _ in _refusals(con)["b.txt"]] == ["file_vanished"]
        ingest_landing(folder, con, "run-2")  # what landed meanwhile is read by the next run
        assert _landed(con) == {"a.txt", "c.txt", "new.txt"}
        (folder / "b.txt").write_bytes(report("4,82"))  # and what vanished, once it lands again
        ingest_landing(folder, con, "run-3")
        assert _landed(con) == {"a.txt", "b.txt", "c.txt", "new.txt"}
