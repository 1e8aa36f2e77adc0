"""Run the suites on the marts with Great Expectations and record what failed, where and why.

Path chosen (see README): the marts are read read-only with DuckDB into Polars, decimals cast to
floats, and handed to Great Expectations as pandas frames (GE 1.x has no DuckDB or Polars data
source, and its SQLAlchemy path fails on DuckDB). The warehouse is closed while GE runs and
opened again only to append ``audit.validation_results``.

Scope: a full validation checks every row; an incremental one (after new reports) checks the rows of
the units that received a report since the last validation, and the reconciliations those rows take
part in (a unit's totals, pairs and rates lie within the unit; outliers are still judged against the
whole population). Each result row records its scope, so the audit merges a full run with the
incremental runs after it (:mod:`expectations.audit`).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl

from expectations.reconcile import derived_frames
from expectations.suites import CHECKS, Check

GX_ROOT = Path(__file__).resolve().parent
FACT_MARTS = ("fct_programme_funding", "fct_indicator_attainment", "fct_district_scorecard")
MARTS = (*FACT_MARTS, "dim_indicator", "fct_reporting_completeness")
RESULTS_DDL = """
create table if not exists audit.validation_results (
    run_id varchar not null,
    validated_at timestamp not null,
    suite varchar not null,
    mart varchar not null,
    expectation varchar not null,
    severity varchar not null,
    success boolean not null,
    failing_count integer not null,
    failing_figure_ids varchar,       -- JSON list
    observed_value varchar,           -- JSON
    details varchar,                  -- JSON: description, expectation type, failing rows
    scope_units varchar,              -- JSON list of the unit_keys validated; null: every row
    reports_through timestamp         -- the newest report ingested when the run validated
)
"""
RESULTS_MIGRATIONS = (  # warehouses made before validation was scoped
    "alter table audit.validation_results add column if not exists scope_units varchar",
    "alter table audit.validation_results add column if not exists reports_through timestamp",
)


@dataclass(frozen=True, slots=True)
class CheckSpec:
    mart: str
    name: str
    description: str
    severity: str


@dataclass(slots=True)
class CheckOutcome:
    mart: str
    name: str
    suite: str
    severity: str
    success: bool
    description: str
    failing_figure_ids: list[str] = field(default_factory=list)
    observed: dict | None = None


@dataclass(frozen=True, slots=True)
class Scope:
    """What a validation run covers: every row (units None), or the rows of these units."""

    units: frozenset[str] | None
    reports_through: datetime | None

    @property
    def is_full(self) -> bool:
        return self.units is None


@dataclass(slots=True)
class ValidationSummary:
    run_id: str
    results: list[CheckOutcome]
    docs_index: Path | None = None
    scope: Scope | None = None

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.success)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if not r.success)


def check_specs() -> list[CheckSpec]:
    """Every check, known before any run (Dagster declares its asset checks from this)."""
    return [CheckSpec(c.mart, c.name, c.description, c.severity) for c in CHECKS]


def validation_scope(con: duckdb.DuckDBPyConnection, *, full: bool) -> Scope:
    """Every row for a full run or a first validation; otherwise the units with a report ingested
    after the newest report the previous validation covered."""
    # fetchall, not fetchone: DuckDB 2 refuses the next query while a result is unfinished
    through = con.execute("select max(ingested_at) from marts.fct_report_versions").fetchall()[0][0]
    if full:
        return Scope(None, through)
    try:
        last = con.execute("select max(reports_through) from audit.validation_results").fetchall()[0][0]
    except duckdb.Error:  # no validation yet, or one made before scopes were recorded
        last = None
    if last is None:
        return Scope(None, through)
    units = con.execute("select distinct unit_key from marts.fct_report_versions where ingested_at > ?",
                        [last]).fetchall()
    return Scope(frozenset(u for (u,) in units), through)


def read_marts(warehouse: Path, *, full: bool = True) -> tuple[dict[str, pl.DataFrame], Scope]:
    """The marts as Polars frames (decimals as floats: GE is 6x slower on Decimal objects) and the
    scope of this validation."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        scope = validation_scope(con, full=full)
        frames = {}
        for mart in MARTS:
            frame = pl.from_arrow(con.sql(f"select * from marts.{mart}").to_arrow_table())
            frames[mart] = frame.with_columns(pl.col(pl.Decimal).cast(pl.Float64))
        return frames, scope
    finally:
        con.close()


def scoped(frame: pl.DataFrame, mart: str, scope: Scope) -> pl.DataFrame:
    """The rows of a mart this run validates: a fact mart's rows of the scope's units, else all."""
    if scope.is_full or mart not in FACT_MARTS:
        return frame
    return frame.filter(pl.col("unit_key").is_in(sorted(scope.units)))


@contextmanager
def _context_lock() -> Iterator[None]:
    """One process at a time may touch the file context (it rewrites great_expectations.yml)."""
    lock = GX_ROOT / "gx" / "uncommitted" / ".lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _suite_name(check: Check) -> str:
    return check.mart if check.frame is None else f"{check.mart}__{check.frame}"


def result_format(mart: str) -> dict:
    """COMPLETE (every failing row, to name its figures) for the facts; SUMMARY for a mart whose
    failing rows name no figure: listing tens of thousands of district-months that have not reported
    took 3.7 s a run at 10 000 reports, and the audit shows their count only."""
    if mart in FACT_MARTS:
        return {"result_format": "COMPLETE", "unexpected_index_column_names": ["row_key"]}
    return {"result_format": "SUMMARY"}


def _definitions_hash() -> str:
    payload = json.dumps([(c.mart, c.name, c.expectation, c.kwargs, c.severity, c.description, c.frame,
                          result_format(c.mart))
                          for c in CHECKS], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def get_context():
    """The file data context in expectations/gx, with suites declared when they changed."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=str(GX_ROOT))
    # committed beside the suites: a clean checkout whose suites match the definitions rewrites nothing
    stamp = GX_ROOT / "gx" / "suites.sha"
    if stamp.exists() and stamp.read_text() == _definitions_hash():
        return context
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()
    source = context.data_sources.add_or_update_pandas("marts")
    suites: dict[str, list[Check]] = {}
    for check in CHECKS:
        suites.setdefault(_suite_name(check), []).append(check)
    for suite_name, checks in suites.items():
        try:
            asset = source.get_asset(suite_name)
        except LookupError:
            asset = source.add_dataframe_asset(name=suite_name)
        try:
            batch = asset.get_batch_definition("whole")
        except KeyError:
            batch = asset.add_batch_definition_whole_dataframe("whole")
        suite = gx.ExpectationSuite(name=suite_name)
        for check in checks:
            cls = getattr(gx.expectations, check.expectation)
            kwargs = dict(check.kwargs)
            suite.add_expectation(cls(**kwargs, meta={"check": check.name, "severity": check.severity,
                                                      "description": check.description}))
        suite = context.suites.add_or_update(suite)
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=suite_name, data=batch, suite=suite))
        # Data Docs are built once per run, not by every checkpoint (see _build_docs)
        context.checkpoints.add_or_update(gx.Checkpoint(
            name=suite_name, validation_definitions=[definition], actions=[],
            result_format=result_format(checks[0].mart),
        ))
    stamp.write_text(_definitions_hash())
    return context


def run_validation(warehouse: Path, *, run_id: str, docs_dir: Path | None = None,
                   full: bool = True) -> ValidationSummary:
    """Validate the marts (every row, or with ``full=False`` the units with new reports); append one
    row per check to audit.validation_results; build Data Docs."""
    warehouse = Path(warehouse)
    marts, scope = read_marts(warehouse, full=full)
    frames = derived_frames(marts, units=scope.units)
    outcomes: list[CheckOutcome] = []
    from great_expectations.core.run_identifier import RunIdentifier

    with _context_lock():
        _claim_store(warehouse)
        context = get_context()
        by_suite: dict[str, list[Check]] = {}
        for check in CHECKS:
            by_suite.setdefault(_suite_name(check), []).append(check)
        validated: list = []  # this run's validation result ids: the only Data Docs pages to render
        for suite_name, checks in by_suite.items():
            first = checks[0]
            frame = scoped(marts[first.mart], first.mart, scope).to_pandas() if first.frame is None \
                else frames[first.frame]
            if "row_key" not in frame.columns:
                frame.insert(0, "row_key", range(len(frame)))
            result = context.checkpoints.get(suite_name).run(batch_parameters={"dataframe": frame},
                                                             run_id=RunIdentifier(run_name=run_id))
            validated.extend(result.run_results)
            validation = next(iter(result.run_results.values()))
            for expectation_result in validation.results:
                meta = expectation_result.expectation_config.meta
                check = next(c for c in checks if c.name == meta["check"])
                outcomes.append(_outcome(check, suite_name, expectation_result, frame))
        docs_index = _build_docs(context, docs_dir, validated) if docs_dir else None
    _write_results(warehouse, run_id, outcomes, scope)
    return ValidationSummary(run_id=run_id, results=outcomes, docs_index=docs_index, scope=scope)


def _outcome(check: Check, suite_name: str, expectation_result, frame: pd.DataFrame) -> CheckOutcome:
    result = expectation_result.result or {}
    keys = [row["row_key"] if isinstance(row, dict) else row for row in result.get("unexpected_index_list") or []]
    failing: list[str] = []
    id_column = next((c for c in ("figure_ids", "figure_id") if c in frame.columns), None)
    if id_column:
        for key in keys:
            match = frame.loc[frame["row_key"] == key, id_column]
            if match.empty:
                continue
            value = match.iloc[0]
            failing.extend(json.loads(value) if id_column == "figure_ids" else [value])
    observed = {k: result.get(k) for k in ("element_count", "unexpected_count", "unexpected_percent",
                                            "observed_value") if result.get(k) is not None}
    unexpected = result.get("partial_unexpected_list") or []
    if unexpected:
        observed["unexpected_values"] = [str(v) for v in unexpected[:10]]
    return CheckOutcome(mart=check.mart, name=check.name, suite=suite_name, severity=check.severity,
                        success=bool(expectation_result.success), description=check.description,
                        failing_figure_ids=list(dict.fromkeys(str(f) for f in failing)), observed=observed)


def _write_results(warehouse: Path, run_id: str, outcomes: list[CheckOutcome], scope: Scope) -> None:
    now = datetime.now(tz=UTC).replace(tzinfo=None)
    units = None if scope.is_full else json.dumps(sorted(scope.units), ensure_ascii=False)
    rows = [(run_id, now, o.suite, o.mart, o.name, o.severity, o.success, len(o.failing_figure_ids),
             json.dumps(o.failing_figure_ids), json.dumps(o.observed, default=str),
             json.dumps({"description": o.description}, ensure_ascii=False),
             units if o.mart in FACT_MARTS else None, scope.reports_through) for o in outcomes]
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("create schema if not exists audit")
        con.execute(RESULTS_DDL)
        for migration in RESULTS_MIGRATIONS:
            con.execute(migration)
        con.execute("begin transaction")
        con.execute("delete from audit.validation_results where run_id = ?", [run_id])
        con.executemany("insert into audit.validation_results (run_id, validated_at, suite, mart, expectation, "
                        "severity, success, failing_count, failing_figure_ids, observed_value, details, "
                        "scope_units, reports_through) values (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        con.execute("commit")
    finally:
        con.close()


KEEP_RUNS = 5


def _claim_store(warehouse: Path) -> None:
    """GE's result store, and so its Data Docs, hold the runs of one warehouse: when another
    warehouse validated last, they are emptied first. Without it the Data Docs of one warehouse
    listed the other's runs and findings. Each warehouse's history stays in its own
    audit.validation_results. Called under the context lock."""
    uncommitted = GX_ROOT / "gx" / "uncommitted"
    owner_file = uncommitted / "warehouse"
    owner = str(Path(warehouse).resolve())
    if owner_file.exists() and owner_file.read_text(encoding="utf-8") == owner:
        return
    shutil.rmtree(uncommitted / "validations", ignore_errors=True)
    shutil.rmtree(uncommitted / "data_docs", ignore_errors=True)
    uncommitted.mkdir(parents=True, exist_ok=True)
    owner_file.write_text(owner, encoding="utf-8")


def _prune_results(keep: int = KEEP_RUNS) -> None:
    """Keep the stored results of the last runs only: Data Docs render every stored result, so an
    unbounded store makes each run slower. The full history lives in audit.validation_results."""
    store = GX_ROOT / "gx" / "uncommitted" / "validations"
    for suite_dir in (d for d in store.glob("*") if d.is_dir()):
        runs = sorted((d for d in suite_dir.iterdir() if d.is_dir()), key=lambda d: d.stat().st_mtime, reverse=True)
        for old in runs[keep:]:
            shutil.rmtree(old, ignore_errors=True)


def _build_docs(context, docs_dir: Path, validated: list) -> Path | None:
    """Render this run's validation pages and the index (every page the first time): re-rendering
    every stored result took 2 s a run."""
    from expectations.docs import make_offline

    _prune_results()
    built = GX_ROOT / "gx" / "uncommitted" / "data_docs" / "local_site"
    if (built / "index.html").exists() and validated:
        context.build_data_docs(resource_identifiers=validated)
    else:
        context.build_data_docs()
    if not built.exists():
        return None
    docs_dir = Path(docs_dir)
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    shutil.copytree(built, docs_dir)
    make_offline(docs_dir)
    return docs_dir / "index.html"


os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
