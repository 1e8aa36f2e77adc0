"""The decisions journal: what people decided, kept beside the warehouse in plain files.

Reviews and corrections of figures (``audit.figure_reviews``, whole rows: a corrected place carries the
reporting unit the gazetteer resolved), accepted findings (``audit.finding_events`` with status
``accepted``) and sign-offs (``audit.approvals``) cannot be rebuilt from the landing folder.
Each is appended here by the code that inserts its row, as one JSON file per decision:

    <warehouse>.journal/000001-review.json
    <warehouse>.journal/000002-approval.json
    <warehouse>.journal/000003-acceptance.json

``{"format": 1, "kind": ..., "table": ..., "row": {column: value}, "journaled_at": ...}``: the row as the
table holds it (dates and times in ISO 8601). Files are written whole (a temporary name, then a rename)
and never changed. ``provreport restore`` replays them into a warehouse rebuilt from the landing folder
(:func:`replay`), so a damaged or deleted warehouse loses no decision.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from sources.warehouse import published_path

FORMAT = 1
KINDS = {"review": "audit.figure_reviews", "approval": "audit.approvals", "acceptance": "audit.finding_events"}
_ENTRY = re.compile(r"^(\d{6})-([a-z_]+)\.json$")


def journal_dir(warehouse: Path) -> Path:
    """The journal of the published warehouse ``warehouse`` (also when given its working copy)."""
    warehouse = published_path(warehouse)
    return warehouse.with_name(warehouse.name + ".journal")


def database_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    rows = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchall()
    return Path(rows[0][0]) if rows and rows[0][0] else None


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def entries(journal: Path) -> list[Path]:
    if not journal.is_dir():
        return []
    return sorted(p for p in journal.iterdir() if _ENTRY.match(p.name))


def append(con: duckdb.DuckDBPyConnection, kind: str, where: str, params: list) -> Path | None:
    """Journal the row of ``KINDS[kind]`` selected by ``where`` (just inserted through ``con``), beside
    the warehouse ``con`` writes. An in-memory database has no journal (returns None)."""
    path = database_path(con)
    if path is None or str(path) in ("", ":memory:"):
        return None
    table = KINDS[kind]
    cursor = con.execute(f"select * from {table} where {where}", params)
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    if not rows:
        raise LookupError(f"nothing to journal in {table} where {where}")
    return write_entry(journal_dir(path), kind, table, dict(zip(columns, map(_plain, rows[-1]), strict=True)))


def write_entry(journal: Path, kind: str, table: str, row: dict) -> Path:
    journal.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"format": FORMAT, "kind": kind, "table": table, "row": row,
                       "journaled_at": datetime.now().astimezone().isoformat()},
                      ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    while True:
        existing = entries(journal)
        number = int(_ENTRY.match(existing[-1].name).group(1)) + 1 if existing else 1
        target = journal / f"{number:06d}-{kind}.json"
        temporary = journal / f".{number:06d}-{kind}.json.{os.getpid()}.tmp"
        temporary.write_text(body, encoding="utf-8")
        with temporary.open("rb") as fh:
            os.fsync(fh.fileno())
        try:
            os.link(temporary, target)  # fails when another writer took the number: take the next one
        except FileExistsError:
            temporary.unlink()
            continue
        temporary.unlink()
        return target


def read_entries(journal: Path) -> list[dict]:
    out = []
    for path in entries(journal):
        entry = json.loads(path.read_text(encoding="utf-8"))
        if entry.get("format") != FORMAT or entry.get("table") not in KINDS.values():
            raise ValueError(f"{path}: not a journal entry of format {FORMAT}")
        out.append({**entry, "path": path})
    return out


def replay(con: duckdb.DuckDBPyConnection, journal: Path) -> dict[str, int]:
    """Insert every journaled decision that ``con``'s warehouse lacks (a row equal in every journaled
    column is there already), in the journal's order; returns the count per kind."""
    counts: dict[str, int] = {}
    for entry in read_entries(journal):
        table, row = entry["table"], entry["row"]
        table_columns = {r[0]: r[1] for r in con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema || '.' || table_name = ?", [table]).fetchall()}
        names = [c for c in row if c in table_columns]
        casts = [f"cast(? as {table_columns[c]})" for c in names]
        same = " and ".join(f"{c} is not distinct from {cast}" for c, cast in zip(names, casts, strict=True))
        values = [row[c] for c in names]
        if con.execute(f"select count(*) from {table} where {same}", values).fetchone()[0]:
            continue
        con.execute(f"insert into {table} ({', '.join(names)}) values ({', '.join(casts)})", values)
        counts[entry["kind"]] = counts.get(entry["kind"], 0) + 1
    return counts


BACKFILL = {"review": ("audit.figure_reviews", "true", "reviewed_at"),
            "approval": ("audit.approvals", "true", "approved_at"),
            "acceptance": ("audit.finding_events", "status = 'accepted'", "changed_at")}


def backfill(warehouse: Path) -> int:
    """A warehouse whose decisions predate the journal: write them all to an empty journal (oldest first),
    so they are kept from now on; returns how many. Nothing to do when the journal has entries."""
    journal = journal_dir(warehouse)
    if entries(journal) or not Path(warehouse).exists():
        return 0
    from sources.warehouse import connect

    con = connect(warehouse, read_only=True)
    try:
        tables = {f"{s}.{t}" for s, t in con.execute(
            "select table_schema, table_name from information_schema.tables").fetchall()}
        found = []
        for kind, (table, where, at) in BACKFILL.items():
            if table not in tables:
                continue
            cursor = con.execute(f"select * from {table} where {where}")
            columns = [d[0] for d in cursor.description]
            for row in cursor.fetchall():
                record = dict(zip(columns, row, strict=True))
                found.append((record[at], kind, table, {k: _plain(v) for k, v in record.items()}))
    finally:
        con.close()
    for _at, kind, table, row in sorted(found, key=lambda f: (f[0], f[1])):
        write_entry(journal, kind, table, row)
    return len(found)

