"""One validation of the marts: what ``provreport run``'s validation step and ``provreport validate`` call.

It reads the marts (this process: it may hold the DuckDB working copy, which no other process can open then), has
Great Expectations validate them in the validation worker started for the warehouse's context
(:mod:`expectations.worker`, a new ``provreport run`` process) or in this process, and writes the results. The parts
are :mod:`expectations.validate`'s; the worker's process runs its Great Expectations part too, so the worker imports
that module, and this one both."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from expectations import validate, worker
from expectations.register import remember
from sources.connection import Warehouse, as_warehouse


def run_validation(warehouse: Path | Warehouse, *, run_id: str, docs_dir: Path | None = None,
                   full: bool = True, progress: Callable[[int, int], None] | None = None) -> validate.ValidationSummary:
    """Validate the marts (every row, or with ``full=False`` the units with new reports); append one
    row per check to audit.validation_results and one per failing group to audit.finding_observations;
    update the findings register; build Data Docs. ``progress(done, total)`` after each suite.

    ``warehouse``: the DuckDB file, or a :class:`~sources.connection.Warehouse` whose marts and audit
    tables are on PostgreSQL (the Great Expectations context stays beside the DuckDB file).

    This process reads the marts and writes the results (it may hold the DuckDB file, which no other process
    can open then); Great Expectations' part (:func:`expectations.validate.validate_frames`) runs in the
    validation worker started for this context (:mod:`expectations.worker`, a new ``provreport run`` process)
    when there is one, else here."""
    warehouse = as_warehouse(warehouse)
    marts, scope = validate.read_marts(warehouse, full=full)
    root = validate.context_root(warehouse.file)
    served = worker.validate(root, marts, scope, run_id=run_id, docs_dir=docs_dir, progress=progress)
    if served is None:
        outcomes, docs_index = validate.validate_frames(marts, scope, root, run_id=run_id, docs_dir=docs_dir,
                                                        progress=progress)
    else:
        outcomes = served.outcomes
    register = validate.write_results(warehouse, run_id, outcomes, scope)
    if served is not None:  # the worker built them while the results were written
        docs_index = served.docs_index()
    remember(run_id, register)  # committed: the run's summary reads it from here
    return validate.ValidationSummary(run_id=run_id, results=outcomes, docs_index=docs_index, scope=scope,
                                      register=register)
