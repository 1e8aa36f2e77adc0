"""Ingest in partitions (issue #18): the plan splits the new files, each partition is read on its own (in
any order, handed over as Parquet) and the load writes them in the files' order, exactly as one partition
would: the same rows, a content under two names written once, a refusal listed once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sources import ingest, warehouse
from sources.readers import Limits

# every partition is read in the sandboxed reader process (1-3 s to start): make test only
pytestmark = pytest.mark.slow

REPORT = (
    "Báo cáo tình hình kinh tế - xã hội 9 tháng đầu năm 2023 của huyện Trà Cú, tỉnh Trà Vinh\n\n"
    "Ngày 05/10/2023, Ủy ban nhân dân huyện Trà Cú báo cáo như sau. Thu ngân sách nội địa đạt 3,93 tỷ đồng, "
    "đạt 78,17% nghị quyết.\n"
)
SUBMISSION = (  # a row that lands, and one refused for its value (a rejection row of a file that is read)
    "province,district,period_start,period_end,kind,programme_code,capital_source,measure,unit,value\n"
    "Trà Vinh,Trà Cú,2023-01-01,2023-09-30,funding,NTM,investment,allocated,tỷ đồng,\"12,5\"\n"
    "Trà Vinh,Trà Cú,2023-01-01,2023-09-30,funding,NTM,investment,disbursed,tỷ đồng,NaN\n"
)


LIMITS = Limits(settle_s=0)  # the files were just written: read them without waiting for them to settle


@pytest.fixture()
def landing(tmp_path: Path, seeds_dir: Path) -> Path:
    folder = tmp_path / "landing"
    folder.mkdir()
    for seed in sorted(seeds_dir.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    first = sorted(seeds_dir.glob("*.txt"))[0]
    shutil.copy(first, folder / "zz_same_content_other_name.txt")  # read in another partition than the first
    (folder / "empty.txt").write_bytes(b"")
    (folder / "note.xyz").write_bytes(b"not a report")
    (folder / "tra_cu.txt").write_text(REPORT, encoding="utf-8")
    (folder / "template.csv").write_text(SUBMISSION, encoding="utf-8")
    return folder


def _tables(con) -> dict[str, list[tuple]]:
    return {
        "reports": con.execute("select report_id, source_file, content_sha256, district_name, period_start, "
                               "period_end, text from raw.reports order by report_id").fetchall(),
        "figures": con.execute("select figure_id, kind, amount_vnd, source_quote, char_start "
                               "from raw.figures order by figure_id").fetchall(),
        "rejections": con.execute("select source_file, reason, row_number, column_name from raw.rejections "
                                  "order by source_file, reason, row_number").fetchall(),
    }


def test_partitions_read_apart_load_as_one_partition(landing: Path, tmp_path: Path) -> None:
    con_one = warehouse.connect(tmp_path / "one.duckdb")
    one = ingest.ingest_landing(landing, con_one, "run-1", limits=LIMITS)

    con = warehouse.connect(tmp_path / "three.duckdb")
    plan = ingest.plan_ingest(landing, con, "run-1", limits=LIMITS)
    assert len(plan.fresh) == 10 and [f.name for f in plan.fresh].count("empty.txt") == 1
    plan.partitions = 3
    staging = warehouse.staging_path(tmp_path / "three.duckdb", "run-1")
    assert staging == tmp_path / ".three.duckdb.ingest-run-1"
    ingest.save_plan(plan, staging)
    said: list[str] = []
    for number in (2, 0, 1):  # in any order, each from the plan on disk, as separate steps do
        read = ingest.read_partition(ingest.load_plan(staging), number, progress=said.append)
        ingest.save_partition(read, ingest.partition_folder(staging, number))
    reads = [ingest.load_partition(ingest.partition_folder(staging, n)) for n in range(3)]
    three = ingest.load_ingest(con, ingest.load_plan(staging), reads)

    assert _tables(con) == _tables(con_one)
    assert (three.reports_written, three.figures_written, three.files_skipped_known, len(three.rejected)) == \
        (one.reports_written, one.figures_written, one.files_skipped_known, len(one.rejected))
    assert one.reports_written == 7 and one.files_skipped_known == 1  # 5 seeds, Trà Cú, the submission
    assert sorted(three.report_ids) == sorted(one.report_ids)
    assert {r["reason"] for r in three.rejected} >= {"empty_file", "unsupported_format"}
    assert any(row[0] == "template.csv" and row[2] == 3 for row in _tables(con)["rejections"])  # its row 3
    # each file said once, numbered among the run's 10 new files
    assert sorted(int(line[1:line.index("/")]) for line in said) == list(range(1, 11))
    assert all(line.split("]")[0].endswith("/10") for line in said)
    con.close()
    con_one.close()


def test_a_second_run_reads_nothing_and_lists_no_refusal_again(landing: Path, tmp_path: Path) -> None:
    con = warehouse.connect(tmp_path / "w.duckdb")
    ingest.ingest_landing(landing, con, "run-1", limits=LIMITS)
    before = _tables(con)
    plan = ingest.plan_ingest(landing, con, "run-2", limits=LIMITS)
    assert plan.fresh == [] and plan.partition(0) == []
    second = ingest.load_ingest(con, plan, [ingest.read_partition(plan, 0)])
    assert (second.reports_written, second.files_skipped_known) == (0, 10)  # every file, refused ones too
    assert _tables(con) == before
    con.close()


def test_a_partition_left_unread_fails_the_load_and_writes_nothing(landing: Path, tmp_path: Path) -> None:
    con = warehouse.connect(tmp_path / "w.duckdb")
    plan = ingest.plan_ingest(landing, con, "run-1", limits=LIMITS)
    plan.partitions = 2
    with pytest.raises(RuntimeError, match="5 new files were not read"):
        ingest.load_ingest(con, plan, [ingest.read_partition(plan, 0)])
    assert con.execute("select count(*) from raw.reports").fetchall() == [(0,)]
    con.close()
