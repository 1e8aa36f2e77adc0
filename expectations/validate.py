"""Run the suites on the marts with Great Expectations and record what failed, where and why.

Path chosen (see README): the marts are read read-only with DuckDB into Polars, decimals cast to
floats, and handed to Great Expectations as pandas frames (GE 1.x has no DuckDB or Polars data
source, and its SQLAlchemy path fails on DuckDB). The warehouse is closed while GE runs and
opened again only to append ``audit.validation_results``.

The reconciliations are dbt models (``intermediate.int_checks__*``, beside computed_rate_pct): one row
per thing reconciled, naming its figures and their units; Python only reads them.

Scope: a full validation checks every row; an incremental one (after new reports) checks the rows of
the units that received a report since the last validation, and the reconciliation rows with a figure
of those units (a unit's totals, pairs and rates lie within the unit; outliers are still judged against
the whole population, in dbt). Each result row records its scope, so the audit merges a full run with the
incremental runs after it (:mod:`orchestration.outputs.audit`).
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
import shutil
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from expectations.register import FINDING_COLUMNS, finding_id, sync_events
from expectations.suites import CHECKS, Check
from sources.connection import Warehouse, as_connection, as_warehouse, ensure_audit_tables
from sources.schema import VALIDATION_RESULTS
from sources.warehouse import published_path

if TYPE_CHECKING:  # pandas is imported where a frame is validated: a process that hands its frames to
    import pandas as pd  # expectations.worker never imports it

# the committed Great Expectations project (suites, checkpoints, validation definitions): read by
# runs, written only by `make suites` (write_committed_suites)
GX_ROOT = Path(__file__).resolve().parent
COMMITTED = GX_ROOT / "gx"
_COMMITTED_PARTS = ("great_expectations.yml", "expectations", "checkpoints", "validation_definitions", "plugins",
                    "suites.sha")  # the stamp last: a copy cut short (a killed process) is made again
FACT_MARTS = ("fct_programme_funding", "fct_indicator_attainment", "fct_district_scorecard")
MARTS = (*FACT_MARTS, "dim_indicator")
# frames a dbt model holds (SQL lives in dbt), read beside the marts and keyed by the relation: frame ->
# schema.model. One row per reporting unit (completeness, timeliness), read as it is:
UNIT_FRAMES = {"unit_completeness": "intermediate.int_reporting_units__completeness",
               "unit_timeliness": "intermediate.int_reporting_units__completeness"}
# and the reconciliations (models/intermediate/int_checks__<frame>.sql): one row per thing reconciled, the
# columns its checks read, its figures (figure_ids) and their units' keys (unit_keys), both JSON text
CHECK_FRAMES = {c.frame: f"intermediate.int_checks__{c.frame}" for c in CHECKS if c.frame and not c.unit_key}


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
    groups: list[dict] = field(default_factory=list)  # per failing row, in the figures' terms (FINDING_COLUMNS)


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
    # the findings register as this run left it (expectations.register.Finding, every status)
    register: list | None = None

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.success)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if not r.success)


def validation_scope(con, *, full: bool) -> Scope:
    """Every row for a full run or a first validation; otherwise the units with a report ingested
    after the newest report the previous validation covered, and the units of figures a reviewer
    corrected, confirmed or rejected since the previous validation (a connection to either engine)."""
    con = as_connection(con)
    # fetchall, not fetchone: DuckDB 2 refuses the next query while a result is unfinished
    through = con.execute("select max(ingested_at) from marts.fct_report_versions").fetchall()[0][0]
    if full:
        return Scope(None, through)
    try:
        last, validated = con.execute("select max(reports_through), max(validated_at) "
                                      "from audit.validation_results").fetchall()[0]
    except con.Error:  # no validation yet, or one made before scopes were recorded
        last = validated = None
    if last is None:
        return Scope(None, through)
    units = {u for (u,) in con.execute("select distinct unit_key from marts.fct_report_versions "
                                        "where ingested_at > ?", [last]).fetchall()}
    with contextlib.suppress(con.Error):  # a warehouse without the reviews table has no reviews
        units |= {u for (u,) in con.execute(
            "select distinct v.unit_key from audit.figure_reviews as r "
            "join marts.fct_report_versions as v using (report_id) where r.reviewed_at > ?", [validated]).fetchall()}
    with contextlib.suppress(con.Error):  # a corrected place: every unit a review of the figure moved it to
        units |= {u for (u,) in con.execute(
            "select distinct p.corrected_admin_unit_code from audit.figure_reviews as r join audit.figure_reviews "
            "as p using (report_id, kind, char_start, char_end) where r.reviewed_at > ? "
            "and p.corrected_admin_unit_code is not null", [validated]).fetchall()}
    return Scope(frozenset(units), through)


# an incremental validation reads the facts' rows of its units (and of the figures its reconciliation rows
# name) with one placeholder per unit and figure; with more than this many it reads every row
MAX_SCOPED_KEYS = 2000


def read_marts(warehouse: Path | Warehouse, *, full: bool = True) -> tuple[dict[str, pl.DataFrame], Scope]:
    """The marts (by name) and the models of UNIT_FRAMES and CHECK_FRAMES (by schema.model) as Polars frames
    (decimals as floats: GE is 6x slower on Decimal objects) and the scope of this validation, read from the
    DuckDB file or the PostgreSQL server.

    An incremental validation reads of each fact only the rows of its units and of the figures named by the
    reconciliation rows it validates (where their findings lie: :func:`figure_places`), not every row: the
    frames it validates (:func:`scoped`) and the places they need are the same, read in a tenth of the time."""
    with as_warehouse(warehouse).connect(read_only=True) as con:
        scope = validation_scope(con, full=full)
        frames = {}
        # a model's rows in the order of their unit (a view has no order of its own, and each engine gives its
        # own: the failing values GE samples would differ between DuckDB and PostgreSQL)
        reads = {model: f"select * from {model} order by admin_unit_key" for model in UNIT_FRAMES.values()}
        reads |= {model: f"select * from {model}" for model in CHECK_FRAMES.values()}  # ordered by check_rows
        for key, sql in reads.items():
            frames[key] = con.frame(sql).with_columns(pl.col(pl.Decimal).cast(pl.Float64))
        named = set() if scope.is_full else {
            i for model in CHECK_FRAMES.values() for i in
            _check_rows_in_scope(frames[model], scope)["figure_ids"].str.json_decode(pl.List(pl.String)).explode()
            if i is not None}
        for mart in MARTS:
            sql, params = f"select * from marts.{mart}", None
            if mart in FACT_MARTS and not scope.is_full and len(scope.units) + len(named) <= MAX_SCOPED_KEYS:
                units, ids = sorted(scope.units), sorted(named)
                where = ([f"unit_key in ({', '.join('?' * len(units))})"] if units else []) \
                    + ([f"figure_id in ({', '.join('?' * len(ids))})"] if ids else [])
                sql, params = f"{sql} where {' or '.join(where) or 'false'}", [*units, *ids]
            frames[mart] = con.frame(sql, params).with_columns(pl.col(pl.Decimal).cast(pl.Float64))
        return frames, scope


def figure_places(marts: dict[str, pl.DataFrame]) -> dict[str, tuple]:
    """figure_id -> (unit_key, unit name, province, period_start, period_end): where a finding lies."""
    columns = ["figure_id", "unit_key", "district_name", "province_name", "period_start", "period_end"]
    places: dict[str, tuple] = {}
    for mart in FACT_MARTS:
        frame = marts.get(mart)
        if frame is None or not set(columns) <= set(frame.columns):
            continue
        for row in frame.select(columns).iter_rows():
            places[row[0]] = row[1:]
    return places


def scoped(frame: pl.DataFrame, mart: str, scope: Scope) -> pl.DataFrame:
    """The rows of a mart this run validates: a fact mart's rows of the scope's units, else all."""
    if scope.is_full or mart not in FACT_MARTS:
        return frame
    return frame.filter(pl.col("unit_key").is_in(sorted(scope.units)))


def _check_rows_in_scope(frame: pl.DataFrame, scope: Scope) -> pl.DataFrame:
    """The rows of a reconciliation model with a figure of the scope's units (every row for a full run)."""
    if scope.is_full:
        return frame
    keys = pl.col("unit_keys").str.json_decode(pl.List(pl.String))
    return frame.filter(keys.list.eval(pl.element().is_in(sorted(scope.units))).list.any())


def check_rows(frame: pl.DataFrame, scope: Scope) -> pd.DataFrame:
    """The rows of a reconciliation model (CHECK_FRAMES) this run validates: every row, or the rows with a
    figure of the scope's units (the outliers were judged against every unit's values in dbt, and only their
    rows are narrowed here), ordered by their figures then their values (a view's order is the engine's, and
    the failing values GE samples must not be), with their row_key."""
    frame = _check_rows_in_scope(frame, scope)
    values = [c for c in frame.columns if c not in ("figure_ids", "unit_keys")]
    frame = frame.sort(["figure_ids", *values], nulls_last=True)
    return frame.with_row_index("row_key").with_columns(pl.col("row_key").cast(pl.Int64)).to_pandas()


def scoped_units(frame: pl.DataFrame, scope: Scope) -> pl.DataFrame:
    """The reporting units a run validates for completeness: every unit when it validates anything (a new
    report can extend every unit's calendar, dim_period), none when it validates nothing new."""
    return frame if scope.is_full or scope.units else frame.clear()


def _scope_units(mart: str, scope: Scope) -> str | None:
    """What a check's result row records as its scope: None for every row; a fact mart's units in an
    incremental run; for completeness None when it validated every unit, [] when none (scoped_units)."""
    if scope.is_full:
        return None
    if mart in FACT_MARTS or not scope.units:
        return json.dumps(sorted(scope.units), ensure_ascii=False)
    return None


def context_root(warehouse: Path) -> Path:
    """The warehouse's own Great Expectations context, beside it: ``<warehouse dir>/<name>.gx/``
    (the context in ``gx/``, its results store in ``gx/uncommitted/``). Its working copy during a
    run (``.<name>.building``) validates into the same context, so the history is the warehouse's."""
    published = published_path(Path(warehouse).resolve())
    return published.with_name(published.stem + ".gx")


@contextmanager
def _context_lock(root: Path) -> Iterator[None]:
    """One process at a time may touch a file context (it rewrites great_expectations.yml)."""
    lock = root / ".lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _suite_name(check: Check) -> str:
    return check.mart if check.frame is None else f"{check.mart}__{check.frame}"


def _index_columns(checks: list[Check]) -> list[str]:
    """The columns a failing row shows in Data Docs: where it lies, its figures (or its unit's key), and
    (for a reconciliation or a unit's completeness) the stated and computed values, their difference and
    what the check allows."""
    first = checks[0]
    columns = ["row_key", "reporting_unit", "period",
               first.unit_key or ("figure_ids" if first.frame else "figure_id")]
    if first.frame:
        columns += list(DOMAIN_COLUMNS)
    return columns


DOMAIN_COLUMNS = ("stated", "computed", "difference", "difference_pct", "tolerance")


def _ge_columns(checks: list[Check]) -> list[str]:
    """The columns of a suite's frame Great Expectations needs: those its checks test and those a failing
    row lists (``_index_columns``), or the row key."""
    listed = _index_columns(checks) if "unexpected_index_column_names" in result_format(checks) else ["row_key"]
    return list(dict.fromkeys([*listed, *(c.kwargs["column"] for c in checks)]))


def result_format(checks: list[Check]) -> dict:
    """COMPLETE (every failing row, to name its figures or its unit) for the facts and the reporting
    units; SUMMARY for any other frame. Completeness is checked per unit, not per unit-month: listing
    tens of thousands of unit-months that have not reported took 3.7 s a run at 10 000 reports, a unit
    (714 there) is one row."""
    if checks[0].mart in FACT_MARTS or checks[0].unit_key:
        return {"result_format": "COMPLETE", "unexpected_index_column_names": _index_columns(checks)}
    return {"result_format": "SUMMARY"}


def _suites() -> dict[str, list[Check]]:
    suites: dict[str, list[Check]] = {}
    for check in CHECKS:
        suites.setdefault(_suite_name(check), []).append(check)
    return suites


def _definitions_hash() -> str:
    suites = _suites()
    payload = json.dumps([(c.mart, c.name, c.expectation, c.kwargs, c.severity, c.description, c.frame,
                          result_format(suites[_suite_name(c)]))
                          for c in CHECKS], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _copy_committed(root: Path) -> None:
    """Put the committed project into a warehouse's context (``<root>/gx``) when it is absent or the
    committed suites changed since; the results store (``uncommitted/``) is kept."""
    gx_dir = root / "gx"
    stamp = gx_dir / "suites.sha"
    if (gx_dir / "great_expectations.yml").exists() and stamp.exists() \
            and stamp.read_text() == (COMMITTED / "suites.sha").read_text():
        return
    gx_dir.mkdir(parents=True, exist_ok=True)
    for part in _COMMITTED_PARTS:
        source, copy = COMMITTED / part, gx_dir / part
        if copy.is_dir():
            shutil.rmtree(copy)
        if source.is_dir():
            shutil.copytree(source, copy)
        elif source.exists():
            shutil.copyfile(source, copy)


def declare_suites(root: Path):
    """The file context rooted at ``root`` (the context in ``root/gx``), with every suite, validation
    definition and checkpoint declared from expectations.suites when its suites.sha says they changed."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=str(root))
    stamp = Path(root) / "gx" / "suites.sha"
    if stamp.exists() and stamp.read_text() == _definitions_hash():
        return context
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()
    suites = _suites()
    # a suite no longer declared (fct_reporting_completeness became one per unit) leaves the context; its
    # checkpoint and validation definition first, while the data source still has their asset
    for stale in [c.name for c in context.checkpoints.all() if c.name not in suites]:
        context.checkpoints.delete(stale)
    for stale in [v.name for v in context.validation_definitions.all() if v.name not in suites]:
        context.validation_definitions.delete(stale)
    for stale in [s.name for s in context.suites.all() if s.name not in suites]:
        context.suites.delete(stale)
    source = context.data_sources.add_or_update_pandas("marts")
    for stale in [a.name for a in source.assets if a.name not in suites]:
        source.delete_asset(stale)
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
            result_format=result_format(checks),
        ))
    stamp.write_text(_definitions_hash())
    return context


# the file contexts this process opened, by root, with the suites' stamp they were declared for and the checkpoints
# read from them (by suite name): a long-lived process (``provreport watch``) opens a warehouse's context once (0.4-0.5
# s a run) and reads each checkpoint once, not at every validation
_CONTEXTS: dict[Path, tuple[str, object, dict]] = {}


def get_context(warehouse: Path):
    """The warehouse's own file context (:func:`context_root`), made from the committed suites.
    Definitions edited since the suites were committed are declared in that copy only (and
    tests/expectations/test_suites_committed.py fails until `make suites` commits them).

    Kept for the life of the process while the context's suites.sha is the one it was declared with (a
    context is files: what a run adds, results and Data Docs, is on disk either way)."""
    return _context_at(context_root(warehouse))


def _context_at(root: Path):
    """:func:`get_context` by the context's root."""
    _copy_committed(root)
    stamp = root / "gx" / "suites.sha"
    kept = _CONTEXTS.get(root)
    if kept is not None and stamp.exists() and kept[0] == stamp.read_text():
        return kept[1]
    context = declare_suites(root)
    _CONTEXTS[root] = (stamp.read_text(), context, {})
    return context


def _checkpoint(root: Path, context, suite_name: str):
    """The suite's checkpoint in the context at ``root`` (:func:`get_context`), read once while the process keeps
    the context."""
    kept = _CONTEXTS.get(root)
    if kept is None or kept[1] is not context:
        return context.checkpoints.get(suite_name)
    if suite_name not in kept[2]:
        kept[2][suite_name] = context.checkpoints.get(suite_name)
    return kept[2][suite_name]


def run_checkpoint(checkpoint, frame: pd.DataFrame, run_id, stores: list[Callable[[], object]] | None = None):
    """``checkpoint.run(batch_parameters={"dataframe": frame}, run_id=run_id)``'s run results (validation result
    id -> result, stored in the context's results store as it stores them) without the checkpoint's own freshness
    check, which reads the checkpoint and its validation definitions back from the store at every run (0.1 s a run
    over the 15 suites): its validation definitions run as it runs them, with its result format and id; it has no
    actions (declare_suites). tests/expectations/test_validation.py compares the two, result and stored file.

    ``stores``: each result is not stored now; what stores it, as the validation definition would have, is appended
    to this list, to be called later (their serialisation is about a tenth of a second a run). Meanwhile the store
    answers True: the definition reads the answer only when it is a GX Cloud reference."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    if checkpoint.actions:
        raise ValueError(f"checkpoint {checkpoint.name} has actions: run it with checkpoint.run")
    results = {}
    for definition in checkpoint.validation_definitions:
        if stores is None:
            result = definition.run(checkpoint_id=checkpoint.id, batch_parameters={"dataframe": frame},
                                    result_format=checkpoint.result_format, run_id=run_id)
        else:
            store = definition._validation_results_store
            store.store_validation_results = lambda store=store, **kwargs: stores.append(
                functools.partial(type(store).store_validation_results, store, **kwargs)) or True
            try:
                result = definition.run(checkpoint_id=checkpoint.id, batch_parameters={"dataframe": frame},
                                        result_format=checkpoint.result_format, run_id=run_id)
            finally:
                del store.store_validation_results
        key = ValidationResultIdentifier(expectation_suite_identifier=ExpectationSuiteIdentifier(
            name=definition.suite.name), run_id=run_id, batch_identifier=result.batch_id)
        result.meta["checkpoint_id"] = checkpoint.id
        results[key] = result
    return results


def write_committed_suites() -> list[str]:
    """``make suites``: declare the suites from expectations.suites in a scratch context made from the
    committed one and copy back only the committed parts (never its uncommitted/ folder). Returns the
    committed files that changed or were removed."""
    import filecmp
    import tempfile

    with tempfile.TemporaryDirectory(prefix="provreport-suites-") as scratch:
        root = Path(scratch)
        shutil.copytree(COMMITTED, root / "gx", ignore=shutil.ignore_patterns("uncommitted"))
        declare_suites(root)
        changed = []
        for part in _COMMITTED_PARTS:
            made = root / "gx" / part
            files = [made] if made.is_file() else sorted(f for f in made.rglob("*") if f.is_file())
            if made.is_dir():  # a file the declared suites no longer make (a suite removed) goes too
                for committed in sorted(f for f in (COMMITTED / part).rglob("*") if f.is_file()):
                    if not (made / committed.relative_to(COMMITTED / part)).exists():
                        committed.unlink()
                        changed.append(str(committed.relative_to(GX_ROOT.parent)))
            for file in files:
                committed = COMMITTED / file.relative_to(root / "gx")
                if not committed.exists() or not filecmp.cmp(file, committed, shallow=False):
                    committed.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(file, committed)
                    changed.append(str(committed.relative_to(GX_ROOT.parent)))
        return changed


def main() -> None:
    """``make suites``: the only way the committed suites in expectations/gx change."""
    changed = write_committed_suites()
    print("\n".join(f"{'updated' if (GX_ROOT.parent / path).exists() else 'removed'} {path}" for path in changed)
          or "the committed suites match expectations/suites.py")


class _Deferred(types.ModuleType):
    """Stands for a module until its first attribute is read, then imports it and hands that attribute on (and
    every later one): the real module is imported as a plain import would, only later."""

    def __getattr__(self, attribute: str):
        import importlib

        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attribute)


# what Great Expectations imports and never uses to validate these suites or render their pages: SciPy's statistics and
# Altair, for its KL-divergence and KS-test expectations alone (1.2 s of its 2.5 s import at load 4)
DEFERRED_BY_GE = ("scipy.stats", "altair")


def import_great_expectations() -> None:
    """Import Great Expectations with :data:`DEFERRED_BY_GE` deferred: while it imports, each stands in
    ``sys.modules`` as a :class:`_Deferred`, which the modules of GE that import it keep (and import it through at
    their first use of it); then they leave ``sys.modules``, so any other import of them in the process is the usual
    one. GE 1.24.1 imports them at import time in three modules and reads none of their attributes then:
    tests/expectations/test_validation.py checks both, and fails on another GE."""
    if "great_expectations" in sys.modules:
        return
    standing = {name: _Deferred(name) for name in DEFERRED_BY_GE if name not in sys.modules}
    sys.modules.update(standing)
    try:
        import great_expectations  # noqa: F401
    finally:
        for name, deferred in standing.items():
            if sys.modules.get(name) is deferred:
                del sys.modules[name]


# Great Expectations' module that lists a map expectation's failing rows on pandas, and the function it calls for it
_FAILING_ROWS_MODULE = "great_expectations.expectations.metrics.map_metric_provider.map_condition_auxilliary_methods"
_MISSING_INDEX_COLUMN = ('Error: The unexpected_index_column "{column_name:s}" does not exist in Dataframe. Please '
                         'check your configuration and try again.')


def failing_rows_by_column(domain_records_df: pd.DataFrame, expectation_domain_column_list: list, result_format: dict,
                           execution_engine, metrics: dict):
    """Great Expectations' ``compute_unexpected_pandas_indices`` (the failing rows a COMPLETE result lists, one dict
    per row: its domain and ``unexpected_index_column_names`` columns), reading each column once instead of each
    cell with ``DataFrame.at`` (a Series made per cell: 0.2 s a run for the completeness suites' 714 units). The
    same dicts, keys in the same order, values as ``DataFrame.at`` gives them (``_values[row]``, unboxed as pandas
    unboxes it); any other case (a named index, excluded values, no index columns) goes to GE's own.
    tests/expectations/test_validation.py compares the two."""
    from great_expectations.expectations.metrics.util import (  # GE's own, where it is defined (never replaced)
        compute_unexpected_pandas_indices,
        get_dbms_compatible_column_names,
    )
    from pandas.core.dtypes.cast import maybe_unbox_numpy_scalar

    frame, names = domain_records_df, result_format.get("unexpected_index_column_names")
    if (frame.index.name is not None or frame.index.names[0] is not None or not names
            or result_format.get("exclude_unexpected_values", False) or not expectation_domain_column_list
            or not frame.index.is_unique or not frame.columns.is_unique):
        return compute_unexpected_pandas_indices(
            domain_records_df=domain_records_df, expectation_domain_column_list=expectation_domain_column_list,
            result_format=result_format, execution_engine=execution_engine, metrics=metrics)
    if frame.empty:
        return []

    listed = [get_dbms_compatible_column_names(column_names=name, batch_columns_list=metrics["table.columns"],
                                               error_message_template=_MISSING_INDEX_COLUMN) for name in names]
    keys = list(dict.fromkeys(k for column in expectation_domain_column_list for k in (column, *listed)))
    values = [frame[k]._values for k in keys]
    return [{k: maybe_unbox_numpy_scalar(v[row], object_with_dtype=v) for k, v in zip(keys, values, strict=True)}
            for row in range(len(frame))]


def list_failing_rows_by_column() -> None:
    """Make Great Expectations list failing rows with :func:`failing_rows_by_column`: the name its module of map
    metrics calls (imported there from ``great_expectations.expectations.metrics.util``, which keeps GE's own)."""
    import importlib

    importlib.import_module(_FAILING_ROWS_MODULE).compute_unexpected_pandas_indices = failing_rows_by_column


def prepare_context(root: Path) -> None:
    """What a validation in this process does before its first suite, done beforehand (a validation worker while
    its run imports Dagster): Great Expectations imported, its failing rows listed by column, the context at
    ``root`` opened (declared when its suites changed) and every suite's checkpoint read."""
    import_great_expectations()
    list_failing_rows_by_column()
    with _context_lock(root):
        context = _context_at(root)
        for suite_name in _suites():
            _checkpoint(root, context, suite_name)


class DocsBuild:
    """Data Docs built in a thread of their own (:func:`validate_frames` with ``docs_in_thread``), the context's lock
    held until they are: :meth:`index` waits for them and gives the index (or raises what the build raised)."""

    def __init__(self, build: Callable[[], Path | None]) -> None:
        import threading

        self._index: Path | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(build,), name="data-docs")
        self._thread.start()

    def _run(self, build: Callable[[], Path | None]) -> None:
        try:
            self._index = build()
        except BaseException as exc:  # handed to whoever waits (index)
            self._error = exc

    def index(self) -> Path | None:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._index


def validate_frames(marts: dict[str, pl.DataFrame], scope: Scope, root: Path, *, run_id: str,
                    docs_dir: Path | None = None, progress: Callable[[int, int], None] | None = None,
                    outcomes_ready: Callable[[list[CheckOutcome]], None] | None = None,
                    docs_in_thread: bool = False) -> tuple[list[CheckOutcome], Path | DocsBuild | None]:
    """Great Expectations' part of a validation: from the frames :func:`read_marts` gave, each suite's frame (its
    rows in scope, the columns Data Docs show) run through its checkpoint in the context at ``root``, the outcomes
    made from the results (handed to ``outcomes_ready`` when given: a validation worker sends them on), and Data
    Docs built into ``docs_dir``; returns the outcomes and the Data Docs index. Reads nothing from the warehouse:
    the same in the validating process and in a validation worker.

    ``docs_in_thread``: the results are stored in the context and Data Docs built in a thread (:class:`DocsBuild`,
    given instead of the index) while the caller goes on; the context stays locked until they are built."""
    places = figure_places(marts)
    outcomes: list[CheckOutcome] = []
    import_great_expectations()
    from great_expectations.core.run_identifier import RunIdentifier

    list_failing_rows_by_column()
    lock = contextlib.ExitStack()  # released by whoever builds Data Docs last: this thread or the docs' own
    lock.enter_context(_context_lock(root))
    # in a thread, the results are stored there too, before the pages that render them
    stores: list[Callable[[], object]] | None = [] if docs_in_thread and docs_dir else None
    try:
        context = _context_at(root)
        validated: list = []  # this run's validation result ids: the only Data Docs pages to render
        suites = _suites()
        for done, (suite_name, checks) in enumerate(suites.items(), start=1):
            first = checks[0]
            if first.frame in UNIT_FRAMES:
                frame = scoped_units(marts[UNIT_FRAMES[first.frame]], scope).to_pandas()
            elif first.frame in CHECK_FRAMES:
                frame = check_rows(marts[CHECK_FRAMES[first.frame]], scope)
            else:
                frame = scoped(marts[first.mart], first.mart, scope).to_pandas()
            if "row_key" not in frame.columns:
                frame.insert(0, "row_key", range(len(frame)))
            if first.mart in FACT_MARTS or first.unit_key:
                frame = with_domain_columns(frame, first, places)
            # GE sees only the columns it checks and lists (it hashes the frame and looks up every listed
            # column of every failing row against all the frame's columns); the outcome reads the whole row
            suite = (_checkpoint(root, context, suite_name), frame[_ge_columns(checks)], RunIdentifier(run_name=run_id))
            results = run_checkpoint(*suite) if stores is None else run_checkpoint(*suite, stores)
            validated.extend(results)
            validation = next(iter(results.values()))
            for expectation_result in validation.results:
                meta = expectation_result.expectation_config.meta
                check = next(c for c in checks if c.name == meta["check"])
                outcomes.append(_outcome(check, suite_name, expectation_result, frame, places))
            if progress is not None:
                progress(done, len(suites))
        if outcomes_ready is not None:
            outcomes_ready(outcomes)
    except BaseException:
        lock.close()
        raise

    def build() -> Path | None:
        with lock:
            for store in stores or ():
                store()
            return _build_docs(context, root, docs_dir, validated) if docs_dir else None

    return outcomes, DocsBuild(build) if docs_in_thread and docs_dir else build()


def rebuild_docs(root: Path, docs_dir: Path) -> Path | None:
    """Data Docs of the context at ``root`` built into ``docs_dir`` in this process, every page: a validation worker
    that handed its outcomes over ended before it built them."""
    import_great_expectations()
    with _context_lock(root):
        return _build_docs(_context_at(root), root, docs_dir, [])


def _number(value) -> float | None:
    """A finite float, or None (NaN, text, missing)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _row_ids(row) -> list[str]:
    if "figure_ids" in row:  # a dict's keys, a Series' index
        return [str(i) for i in json.loads(row["figure_ids"] or "[]")]
    value = row.get("figure_id")
    return [] if value is None or value != value else [str(value)]


def _placeholders(template: str) -> list[str]:
    """The {column} names a tolerance quotes."""
    import string

    return [name for _text, name, _spec, _conv in string.Formatter().parse(template) if name]


def _tolerance(check: Check, row) -> str:
    """The check's tolerance, its {column} placeholders filled from the row, the Vietnamese way."""
    from sources.numbers import format_vn

    values = {name: format_vn(row[name], 3) if _number(row[name]) is not None else str(row[name])
              for name in _placeholders(check.tolerance) if name in row}
    try:
        return check.tolerance.format(**values)
    except (KeyError, IndexError, ValueError):
        return check.tolerance


def _day(value) -> date | None:
    """A date from a frame's cell (pandas gives a Timestamp for a date column, NaT for a null)."""
    if value is None or value != value:  # None, NaN, NaT
        return None
    return value.date() if isinstance(value, datetime) else value


def _unit_place(check: Check, row) -> tuple:
    """(unit_key, unit name, province, period_start, period_end) of a row that is a reporting unit."""
    start, end = check.period or (None, None)
    return (row.get(check.unit_key), row.get("district_name"), row.get("province_name"),
            _day(row.get(start)) if start else None, _day(row.get(end)) if end else None)


def domain_group(check: Check, row, places: dict[str, tuple]) -> dict:
    """One failing row in the figures' terms (pure: unit-tested): where it lies (the unit and period of
    its first figure, the stated one; or the reporting unit the row is, and the months at fault), the
    stated and computed values, the difference in the value's unit and in percent (computed - stated in
    percent of the stated value, unless the check names the frame's own columns for them), and the
    tolerance. A unit's finding is the check's and the unit's: the same id while the unit stays at fault."""
    ids = _row_ids(row)
    place = _unit_place(check, row) if check.unit_key else places.get(ids[0]) if ids else None
    raw_stated = row.get(check.stated) if check.stated else None
    stated = _number(raw_stated)
    computed = _number(row.get(check.computed)) if check.computed else None
    difference = computed - stated if stated is not None and computed is not None else None
    difference_pct = difference / stated * 100 if difference is not None and stated else None
    if check.difference:
        difference = _number(row.get(check.difference))
    if check.difference_pct:
        difference_pct = _number(row.get(check.difference_pct))
    return {
        "finding_id": finding_id(check.mart, check.name, ids if not check.unit_key else [str(place[0])]),
        "unit_key": place[0] if place else None, "unit_name": place[1] if place else None,
        "province_name": place[2] if place else None,
        "period_start": place[3] if place else None, "period_end": place[4] if place else None,
        "figure_ids": ids, "stated": stated,
        "stated_text": None if stated is not None or raw_stated is None or raw_stated != raw_stated
        else str(raw_stated),
        "computed": computed, "difference": difference, "difference_pct": difference_pct,
        "value_unit": check.value_unit, "tolerance": _tolerance(check, row),
    }


def with_domain_columns(frame: pd.DataFrame, check: Check, places: dict[str, tuple]) -> pd.DataFrame:
    """The frame GE validates, with the columns Data Docs show for a failing row (``_index_columns``):
    the unit and period of its first figure (or of the reporting unit the row is, and its months at
    fault), and for a reconciliation or a unit's completeness its stated and computed values, their
    difference and the tolerance, as the first check of the suite reads them. Vectorised but for
    the few tolerances that quote the row's values: this runs on every row of the marts."""
    import pandas as pd

    frame = frame.copy()
    if check.unit_key:  # the columns _unit_place reads, not the unit's 25
        read = [c for c in dict.fromkeys([check.unit_key, "district_name", "province_name", *(check.period or ())])
                if c in frame.columns]
        place = [_unit_place(check, row) for row in frame[read].to_dict("records")]
    else:
        first = (frame["figure_ids"].str.extract(r'^\["([^"]*)"', expand=False) if "figure_ids" in frame.columns
                 else frame["figure_id"])
        place = [places.get(i) if isinstance(i, str) else None for i in first]
    frame["reporting_unit"] = [", ".join(filter(None, p[1:3])) or None if p else None for p in place]
    frame["period"] = [f"{p[3]}..{p[4]}" if p and p[3] else None for p in place]
    if check.frame:
        nan = pd.Series(float("nan"), index=frame.index)
        stated = pd.to_numeric(frame[check.stated], errors="coerce") if check.stated in frame.columns else nan
        computed = pd.to_numeric(frame[check.computed], errors="coerce") if check.computed in frame.columns else nan
        frame["stated"], frame["computed"] = stated, computed
        frame["difference"] = (pd.to_numeric(frame[check.difference], errors="coerce") if check.difference
                               else computed - stated)
        frame["difference_pct"] = (pd.to_numeric(frame[check.difference_pct], errors="coerce") if check.difference_pct
                                   else (computed - stated) / stated.where(stated != 0) * 100)
        quoted = [c for c in _placeholders(check.tolerance) if c in frame.columns]
        frame["tolerance"] = ([_tolerance(check, row) for row in frame[quoted].to_dict("records")] if quoted
                              else check.tolerance)
    return frame


def _outcome(check: Check, suite_name: str, expectation_result, frame: pd.DataFrame,
             places: dict[str, tuple]) -> CheckOutcome:
    import pandas as pd

    result = expectation_result.result or {}
    keys = [row["row_key"] if isinstance(row, dict) else row for row in result.get("unexpected_index_list") or []]
    positions = pd.Index(frame["row_key"]).get_indexer(keys) if keys else []
    rows = frame.iloc[[p for p in positions if p >= 0]].to_dict("records") if len(positions) else []
    groups = [domain_group(check, row, places) for row in rows]
    failing = [i for g in groups for i in g["figure_ids"]]
    observed = {k: result.get(k) for k in ("element_count", "unexpected_count", "unexpected_percent",
                                            "observed_value") if result.get(k) is not None}
    unexpected = result.get("partial_unexpected_list") or []
    if unexpected:
        observed["unexpected_values"] = [str(v) for v in unexpected[:10]]
    success = bool(expectation_result.success)
    if not success and not groups:  # a failure that names no row (no index list): one group, in counts
        groups = [{"finding_id": finding_id(check.mart, check.name, []), "figure_ids": [],
                   "stated": _number(result.get("unexpected_count")), "computed": _number(result.get("element_count")),
                   "value_unit": check.value_unit, "tolerance": check.tolerance}]
    return CheckOutcome(mart=check.mart, name=check.name, suite=suite_name, severity=check.severity,
                        success=success, description=check.description,
                        failing_figure_ids=list(dict.fromkeys(failing)), observed=observed, groups=groups)


RESULT_COLUMNS = VALIDATION_RESULTS.column_names  # write_results makes its rows in this order


def write_results(warehouse: Warehouse, run_id: str, outcomes: list[CheckOutcome], scope: Scope) -> list:
    """Append the run's results and observations and the register's events; returns the register as they leave
    it (expectations.register.sync_events)."""
    now = datetime.now(tz=UTC).replace(tzinfo=None)
    rows = [(run_id, now, o.suite, o.mart, o.name, o.severity, o.success, len(o.failing_figure_ids),
             json.dumps(o.failing_figure_ids), json.dumps(o.observed, default=str),
             json.dumps({"description": o.description}, ensure_ascii=False),
             _scope_units(o.mart, scope), scope.reports_through) for o in outcomes]
    observations = [(run_id, now, o.mart, o.name, o.severity,
                     *[json.dumps(g.get(c, [])) if c == "figure_ids" else g.get(c) for c in FINDING_COLUMNS])
                    for o in outcomes for g in o.groups]
    with warehouse.connect() as con:
        ensure_audit_tables(con)
        with con.transaction():
            con.execute("delete from audit.validation_results where run_id = ?", [run_id])
            con.execute("delete from audit.finding_observations where run_id = ?", [run_id])
            con.append("audit.validation_results", RESULT_COLUMNS, rows)
            con.append("audit.finding_observations",
                       ("run_id", "observed_at", "mart", "expectation", "severity", *FINDING_COLUMNS), observations)
            return sync_events(con, run_id=run_id, now=now)


KEEP_RUNS = 5


def _prune_results(root: Path, keep: int = KEEP_RUNS) -> None:
    """Keep the stored results of the last runs only: Data Docs render every stored result, so an
    unbounded store makes each run slower. The full history lives in audit.validation_results."""
    store = root / "gx" / "uncommitted" / "validations"
    for suite_dir in (d for d in store.glob("*") if d.is_dir()):
        runs = sorted((d for d in suite_dir.iterdir() if d.is_dir()), key=lambda d: d.stat().st_mtime, reverse=True)
        for old in runs[keep:]:
            shutil.rmtree(old, ignore_errors=True)


OFFLINE_MARK = ".offline"  # in GE's built site: its pages are rewritten for a closed network as they are built


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copy2(source, target)


def _build_docs(context, root: Path, docs_dir: Path, validated: list) -> Path | None:
    """Render this run's validation pages and the index (every page the first time): re-rendering
    every stored result took 2 s a run. The pages this build wrote are rewritten for a closed network
    in GE's site (every page once, for a site built before it kept them so), which is then linked into
    ``docs_dir``: copying and rewriting every stored page again took 1,5 s a run at 90 pages."""
    from expectations.docs import compiled_templates, make_offline

    _prune_results(root)
    compiled_templates(root / "gx" / "uncommitted" / "data_docs_templates")
    built = root / "gx" / "uncommitted" / "data_docs" / "local_site"
    before = {p: p.stat().st_mtime_ns for p in built.rglob("*.html")} if (built / OFFLINE_MARK).exists() else {}
    if (built / "index.html").exists() and validated:
        context.build_data_docs(resource_identifiers=validated)
    else:
        context.build_data_docs()
    if not built.exists():
        return None
    make_offline(built, [p for p in built.rglob("*.html") if before.get(p) != p.stat().st_mtime_ns])
    (built / OFFLINE_MARK).touch()
    _mirror(built, Path(docs_dir))
    return Path(docs_dir) / "index.html"


def _mirror(source: Path, target: Path) -> None:
    """Make ``target`` hold the files of ``source`` (but OFFLINE_MARK), linked (or copied on another file system),
    and nothing else: only a file new in ``source`` (or replaced, not rewritten in place) is linked again, a file
    and a folder no longer there are removed. Removing and linking the whole site again (382 folders, 110 files
    after one new report at 10 000) took a tenth of a second a run."""
    target.mkdir(parents=True, exist_ok=True)
    wanted: set[str] = set()
    for folder, _folders, files in os.walk(source):
        out = os.path.join(target, os.path.relpath(folder, source))
        wanted.add(os.path.normpath(out))
        os.makedirs(out, exist_ok=True)
        for name in files:
            if name == OFFLINE_MARK:
                continue
            made, link = os.path.join(folder, name), os.path.join(out, name)
            wanted.add(os.path.normpath(link))
            with contextlib.suppress(FileNotFoundError):
                if os.path.samefile(made, link):
                    continue
                os.unlink(link)
            _link_or_copy(made, link)
    for folder, folders, files in os.walk(target, topdown=False):
        for name in files:
            if os.path.normpath(os.path.join(folder, name)) not in wanted:
                os.unlink(os.path.join(folder, name))
        for name in folders:
            path = os.path.normpath(os.path.join(folder, name))
            if path not in wanted and os.path.islink(path):
                os.unlink(path)
            elif path not in wanted:
                shutil.rmtree(path)


os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
