"""One validation of the marts: what ``provreport run``'s validation step and ``provreport validate`` call.

It reads the marts (this process: it may hold the DuckDB working copy, which no other process can open then), has
Great Expectations validate them in the validation worker started for the warehouse's context
(:mod:`expectations.worker`, a new ``provreport run`` process) or in this process, and writes the results. The parts
are :mod:`expectations.validate`'s; the worker's process runs its Great Expectations part too, so the worker imports
that module, and this one both.

Data Docs are built after the outcomes, while the results are written (in the worker, or in a thread here). Within
:func:`docs_finished_later` (the runner's block around a run and its publish) the validation does not wait for them:
they are finished when the block ends, so that they are built while the run publishes its working copy."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from expectations import validate, worker
from expectations.register import remember
from sources.connection import Warehouse, as_warehouse

# the Data Docs builds a validation left to finish when docs_finished_later's block ends (None: outside such a
# block, a validation waits for its Data Docs): what finishes each and where its index will be
_LATER: list[tuple[Callable[[], Path | None], Path]] | None = None


@contextmanager
def docs_finished_later() -> Iterator[None]:
    """Within the block, a validation in this process returns once its results are written, without waiting for
    its Data Docs; they are finished (waited for, or built here when the worker could not) when the block ends,
    however it ends. A build that fails then is said on stderr, in one line: the outcomes and the results were
    the validation's own before it, and the next validation builds the pages again (its own and the index)."""
    global _LATER
    outer, _LATER = _LATER, []
    try:
        yield
    finally:
        later, _LATER = _LATER, outer
        for finish, docs_dir in later:
            try:
                finish()
            except Exception as exc:  # not a stop (KeyboardInterrupt): that unwinds the run as before
                print(f"warning: Data Docs could not be built into {docs_dir} ({type(exc).__name__}: {exc}); the "
                      "validation's results are recorded, the next validation builds them", file=sys.stderr)


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
    when there is one, else here. Within :func:`docs_finished_later`, the summary's ``docs_index`` is where the
    index will be, and the pages are finished when that block ends."""
    warehouse = as_warehouse(warehouse)
    marts, scope = validate.read_marts(warehouse, full=full)
    root = validate.context_root(warehouse.file)
    served = worker.validate(root, marts, scope, run_id=run_id, docs_dir=docs_dir, progress=progress)
    later = _LATER is not None and docs_dir is not None
    if served is None:
        outcomes, docs = validate.validate_frames(marts, scope, root, run_id=run_id, docs_dir=docs_dir,
                                                  progress=progress, docs_in_thread=later)
        finish = docs.index if isinstance(docs, validate.DocsBuild) else (lambda: docs)
    else:
        outcomes, finish = served.outcomes, served.docs_index
    if later:  # the worker or the thread builds them meanwhile: finished when the block ends, whatever happens now
        _LATER.append((finish, Path(docs_dir)))
    register = validate.write_results(warehouse, run_id, outcomes, scope)
    docs_index = Path(docs_dir) / "index.html" if later else finish()
    remember(run_id, register)  # committed: the run's summary reads it from here
    return validate.ValidationSummary(run_id=run_id, results=outcomes, docs_index=docs_index, scope=scope,
                                      register=register)
