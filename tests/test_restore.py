"""Recoverable state (#19 point 7): a damaged warehouse is refused with a message and exit code 2, and
the decisions no rerun of the landing folder can rebuild (reviews, corrections, sign-offs) are kept in
a journal beside the warehouse, from which ``provreport restore`` gets them back."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_provreport
from tests.test_versions import _submission

pytestmark = pytest.mark.slow


def _query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _ok(args: list[str], env: dict) -> str:
    done = run_provreport(args, env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_deleted_warehouse_is_restored_with_its_review_correction_and_approval(tmp_path: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    landing.mkdir()
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dh"), "PROVREPORT_DOCS_DIR": str(tmp_path / "docs")}
    where = ["--warehouse", str(warehouse)]
    _submission(landing / "dakrong.csv", "21,3", "2023-10-20")
    _ok(["run", "--landing", str(landing), *where], env)
    ids = dict(_query(warehouse, "select measure, figure_id from marts.fct_programme_funding"))
    _ok(["confirm", ids["allocated"], "--by", "Nguyễn Văn A", *where], env)
    _ok(["correct", ids["disbursed"], "value=22,5 tỷ", "--reason", "typo in the file", "--by", "Trần Thị B",
         *where], env)
    _ok(["run", "--landing", str(landing), *where], env)
    (unit_key, period), = _query(warehouse, "select unit_key, period from marts.fct_unit_approvals")
    _ok(["approve", "--unit", unit_key, "--period", period, "--level", "check", "--by", "Lê C", *where], env)

    journal = sorted((tmp_path / "w.duckdb.journal").glob("*.json"))
    assert [p.name for p in journal] == ["000001-review.json", "000002-review.json", "000003-approval.json"]
    assert json.loads(journal[1].read_text(encoding="utf-8"))["row"]["amount_vnd"] == 22_500_000_000
    reviews = "select review_id, figure_id, action, amount_vnd, reason, reviewed_by, reviewed_at " \
              "from audit.figure_reviews order by reviewed_at"
    approvals = "select approval_id, unit_key, period, level, figures_hash, approved_by, approved_at " \
                "from audit.approvals"
    funding = "select measure, amount_vnd, is_corrected, review_status from marts.fct_programme_funding " \
              "order by measure"
    status = "select unit_key, period, approval_status, checked_by from marts.fct_unit_approvals"
    before = {sql: _query(warehouse, sql) for sql in (reviews, approvals, funding, status)}
    assert before[funding] == [("allocated", 45_500_000_000, False, "confirmed"),
                               ("disbursed", 22_500_000_000, True, "corrected")]
    assert before[status] == [(unit_key, period, "checked", "Lê C")]

    # a damaged file is refused with what is wrong and where the last good copy is, exit code 2
    good = tmp_path / "good.duckdb"
    shutil.copyfile(warehouse, good)
    size = warehouse.stat().st_size
    for damage, data in (("cut in half", good.read_bytes()[: size // 2]), ("cut to 4 KB", good.read_bytes()[:4096]),
                         ("zeroed", bytes(size))):
        warehouse.write_bytes(data)
        done = run_provreport(["run", "--landing", str(landing), *where], env)
        assert done.returncode == 2, (damage, done.stdout + done.stderr)
        message = done.stderr
        assert "is damaged" in message and ".previous/w.duckdb" in message and "provreport restore" in message, \
            (damage, message)
        assert len([line for line in message.splitlines() if line.strip()]) == 1, message  # one paragraph
    shutil.copyfile(good, warehouse)

    # the warehouse and its previous snapshot lost: the landing folder and the journal rebuild both
    warehouse.unlink()
    (tmp_path / ".previous" / "w.duckdb").unlink()
    out = _ok(["restore", "--landing", str(landing), *where], env)
    assert "2 review(s)" in out and "1 approval(s)" in out, out
    after = {sql: _query(warehouse, sql) for sql in (reviews, approvals, funding, status)}
    assert after == before
    assert len(sorted((tmp_path / "w.duckdb.journal").glob("*.json"))) == 3  # replaying journals nothing new


def test_the_journal_replays_an_accepted_finding_once(tmp_path: Path) -> None:
    from datetime import date, datetime

    from orchestration import journal
    from sources.warehouse import ensure_raw_schema, open_warehouse

    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    at = datetime(2026, 11, 28, 8, 0, 1, 250000)
    with open_warehouse(first) as con:
        ensure_raw_schema(con)
        con.execute("insert into audit.finding_events (finding_id, status, changed_at, changed_by, reason, "
                    "valid_until, run_id) values ('F-1', 'accepted', ?, 'Lê C', 'known rounding', ?, null)",
                    [at, date(2026, 12, 31)])
        written = journal.append(con, "acceptance", "finding_id = ? and changed_at = ?", ["F-1", at])
    assert written == tmp_path / "a.duckdb.journal" / "000001-acceptance.json"
    # a working copy's entries go beside the published file
    assert journal.journal_dir(tmp_path / ".a.duckdb.building") == tmp_path / "a.duckdb.journal"
    with open_warehouse(second) as con:
        ensure_raw_schema(con)
        assert journal.replay(con, tmp_path / "a.duckdb.journal") == {"acceptance": 1}
        assert journal.replay(con, tmp_path / "a.duckdb.journal") == {}  # already there: not twice
        rows = con.execute("select finding_id, status, changed_at, changed_by, valid_until "
                           "from audit.finding_events").fetchall()
    assert rows == [("F-1", "accepted", at, "Lê C", date(2026, 12, 31))]


def test_decisions_made_before_the_journal_are_backfilled_by_the_next_run(tmp_path: Path) -> None:
    from datetime import datetime

    from orchestration import journal
    from sources.warehouse import ensure_raw_schema, open_warehouse

    warehouse = tmp_path / "old.duckdb"
    with open_warehouse(warehouse) as con:
        ensure_raw_schema(con)
        con.execute("insert into audit.finding_events (finding_id, status, changed_at, changed_by, reason) values "
                    "('F-1', 'open', ?, 'validation', 'failed'), ('F-1', 'accepted', ?, 'Lê C', 'rounding')",
                    [datetime(2026, 1, 1), datetime(2026, 1, 2)])
    assert journal.backfill(warehouse) == 1  # the acceptance, not the validation's own event
    assert journal.backfill(warehouse) == 0  # once
    (entry,) = journal.read_entries(tmp_path / "old.duckdb.journal")
    assert (entry["kind"], entry["row"]["changed_by"]) == ("acceptance", "Lê C")
