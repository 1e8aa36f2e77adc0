"""Where the marts and ``audit.*`` live, and one connection type for both engines.

A :class:`Warehouse` is the local DuckDB file (ingest always writes it) and, for the PostgreSQL
target, the server's DSN: the marts dbt builds, the validation results and the findings register
then live on the server, and every reader (summary, audit, findings, report, export, validation)
reads them there through :class:`Connection`, whatever the engine. Existing code passing a plain
``Path`` means the DuckDB warehouse (:func:`as_warehouse`).

The SQL the readers send is written once for both engines: ``?`` placeholders (turned into
psycopg2's ``%s`` on PostgreSQL, data always bound, never formatted in), ANSI SQL otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

PG_CONNECT_TIMEOUT_S = 10


class UnreachableError(RuntimeError):
    """The PostgreSQL server could not be reached or refused the login: a one-paragraph message."""


def describe_dsn(dsn: str) -> str:
    """``user@host:port/dbname`` of a DSN (URI or key=value), never its password."""
    from psycopg2.extensions import parse_dsn

    try:
        parts = parse_dsn(dsn)
    except Exception:  # psycopg2.ProgrammingError on a malformed DSN
        return "(a DSN that does not parse)"
    user = parts.get("user", "")
    where = f"{parts.get('host', 'localhost')}:{parts.get('port', '5432')}/{parts.get('dbname', user)}"
    return f"{user}@{where}" if user else where


@dataclass(frozen=True, slots=True)
class Warehouse:
    """The DuckDB file, and for the PostgreSQL target the server holding the marts and audit tables."""

    file: Path
    dsn: str | None = None

    @property
    def engine(self) -> str:
        return "postgres" if self.dsn else "duckdb"

    def describe(self) -> str:
        return f"postgresql {describe_dsn(self.dsn)}" if self.dsn else str(self.file)

    @contextmanager
    def connect(self, *, read_only: bool = False) -> Iterator[Connection]:
        con = connect_postgres(self.dsn, read_only=read_only) if self.dsn \
            else DuckConnection(_duck_connect(self.file, read_only=read_only))
        try:
            yield con
        finally:
            con.close()


def as_warehouse(warehouse: Path | str | Warehouse) -> Warehouse:
    return warehouse if isinstance(warehouse, Warehouse) else Warehouse(Path(warehouse))


def _duck_connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    from sources.warehouse import connect

    return connect(path, read_only=read_only)


class Connection:
    """What the readers and validation need of a warehouse connection, on DuckDB and PostgreSQL."""

    engine: str
    Error: type[Exception]
    # an append-only table's insertion order, to break ties between rows written in the same instant
    row_order: str

    def execute(self, sql: str, params: Sequence | None = None):
        """A cursor-like result: ``fetchall()``, ``fetchone()``, ``description``."""
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence]) -> None:
        raise NotImplementedError

    def append(self, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
        """Insert ``rows`` (values in the order of ``columns``) into ``table`` in one statement or batch, in their
        order: on PostgreSQL in batches (execute_batch)."""
        if rows:
            self.executemany(f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                             rows)

    def frame(self, sql: str, params: Sequence | None = None) -> pl.DataFrame:
        raise NotImplementedError

    def arrow(self, sql: str, params: Sequence | None = None):
        """The result as a pyarrow Table (``export``)."""
        return self.frame(sql, params).to_arrow(compat_level=pl.CompatLevel.oldest())

    def close(self) -> None:
        raise NotImplementedError

    def rows(self, sql: str, params: Sequence | None = None) -> list[dict]:
        cursor = self.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def scalar(self, sql: str, params: Sequence | None = None):
        rows = self.execute(sql, params).fetchall()
        return rows[0][0] if rows else None

    def table_exists(self, schema: str, table: str) -> bool:
        return bool(self.scalar("select count(*) from information_schema.tables where table_schema = ? "
                                "and table_name = ?", [schema, table]))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.execute("begin transaction")
        try:
            yield
        except BaseException:
            self.execute("rollback")
            raise
        self.execute("commit")


class DuckConnection(Connection):
    engine = "duckdb"
    Error = duckdb.Error
    row_order = "rowid"

    def __init__(self, con: duckdb.DuckDBPyConnection, *, owned: bool = True) -> None:
        self.raw = con
        self._owned = owned

    def execute(self, sql: str, params: Sequence | None = None):
        return self.raw.execute(sql, list(params) if params else None)

    def executemany(self, sql: str, rows: Sequence[Sequence]) -> None:
        if rows:
            self.raw.executemany(sql, [list(r) for r in rows])

    def append(self, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
        """On DuckDB from one frame: its executemany binds a row at a time, about 0.5-1 ms a row (1.5 s for the
        1 223 completeness findings a validation at 10 000 reports observes)."""
        if not rows:
            return
        names = ", ".join(columns)
        frame = pl.DataFrame([tuple(r) for r in rows], schema=list(columns), orient="row", strict=False,
                             infer_schema_length=None)
        self.raw.register("appended_rows", frame.to_arrow())
        try:
            self.raw.execute(f"insert into {table} ({names}) select {names} from appended_rows")
        finally:
            self.raw.unregister("appended_rows")

    def arrow(self, sql: str, params: Sequence | None = None):
        return self.raw.sql(sql, params=list(params) if params else None).to_arrow_table()

    def frame(self, sql: str, params: Sequence | None = None) -> pl.DataFrame:
        return pl.from_arrow(self.arrow(sql, params))

    def close(self) -> None:
        if self._owned:
            self.raw.close()


def _pg_sql(sql: str, params) -> str:
    """DuckDB's ``?`` placeholders as psycopg2's ``%s`` (a literal ``%`` doubled when binding)."""
    return sql.replace("%", "%%").replace("?", "%s") if params else sql


# PostgreSQL type oid -> Polars type (numeric takes its precision and scale from the column)
_PG_TYPES: dict[int, pl.DataType] = {
    16: pl.Boolean, 20: pl.Int64, 21: pl.Int16, 23: pl.Int32, 700: pl.Float32, 701: pl.Float64,
    25: pl.String, 1042: pl.String, 1043: pl.String, 114: pl.String, 3802: pl.String, 2950: pl.String,
    1082: pl.Date, 1114: pl.Datetime("us"), 1184: pl.Datetime("us", "UTC"),
}


def _polars_type(column) -> pl.DataType:
    if column.type_code == 1700:  # numeric(p, s); bare numeric has neither
        if column.precision and column.scale is not None and column.precision <= 38:
            return pl.Decimal(column.precision, column.scale)
        return pl.Float64
    return _PG_TYPES.get(column.type_code, pl.Object)


def _plain(value: Any, dtype: pl.DataType) -> Any:
    if isinstance(value, Decimal) and dtype == pl.Float64:
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None and dtype == pl.Datetime("us"):
        return value.replace(tzinfo=None)
    return value


class PgConnection(Connection):
    engine = "postgres"
    row_order = "ctid"  # never updated, never vacuumed-and-refilled: append order

    def __init__(self, con) -> None:
        import psycopg2

        self.raw = con
        self.Error = psycopg2.Error

    def execute(self, sql: str, params: Sequence | None = None):
        cursor = self.raw.cursor()
        cursor.execute(_pg_sql(sql, params), list(params) if params else None)
        return cursor

    def executemany(self, sql: str, rows: Sequence[Sequence]) -> None:
        if not rows:
            return
        from psycopg2.extras import execute_batch

        with self.raw.cursor() as cursor:
            execute_batch(cursor, _pg_sql(sql, rows), [list(r) for r in rows], page_size=500)

    def frame(self, sql: str, params: Sequence | None = None) -> pl.DataFrame:
        cursor = self.execute(sql, params)
        try:
            schema = {c.name: _polars_type(c) for c in cursor.description}
            rows = cursor.fetchall()
        finally:
            cursor.close()
        types = list(schema.values())
        columns = {name: [_plain(r[i], types[i]) for r in rows] for i, name in enumerate(schema)}
        return pl.DataFrame({name: pl.Series(name, values, dtype=schema[name], strict=False)
                             for name, values in columns.items()}, schema=schema)

    def close(self) -> None:
        self.raw.close()


def connect_postgres(dsn: str, *, read_only: bool = False) -> PgConnection:
    """A connection in autocommit mode (writers group statements with :meth:`Connection.transaction`);
    :class:`UnreachableError` when the server cannot be reached or refuses the login."""
    import psycopg2

    try:
        con = psycopg2.connect(dsn, connect_timeout=PG_CONNECT_TIMEOUT_S, application_name="provreport")
    except psycopg2.Error as exc:
        detail = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())[:300]
        raise UnreachableError(
            f"cannot reach the PostgreSQL server {describe_dsn(dsn)} named by PROVREPORT_PG_DSN: {detail}. "
            "Check that the server runs and accepts connections from this machine, and that the role, its "
            "password and the database in the DSN exist (README, 'Run on a shared PostgreSQL', creates them "
            "with psql).") from exc
    con.set_session(readonly=read_only, autocommit=True)
    return PgConnection(con)


def as_connection(con) -> Connection:
    """A :class:`Connection` for a connection of either kind (callers of the register still pass
    DuckDB's own)."""
    if isinstance(con, Connection):
        return con
    if isinstance(con, duckdb.DuckDBPyConnection):
        return DuckConnection(con, owned=False)
    raise TypeError(f"not a warehouse connection: {type(con).__name__}")


def ensure_audit_tables(con: Connection) -> None:
    """The audit tables validation and the register write, on either engine (newest declared shape)."""
    if con.engine == "duckdb":
        from sources.warehouse import ensure_audit_schema

        ensure_audit_schema(con.raw)
        return
    from sources.postgres import ensure_postgres_audit

    ensure_postgres_audit(con)
