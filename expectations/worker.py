"""A validation worker: a process that imports Great Expectations and opens a warehouse's context while the run that
started it does something else, then does the Great Expectations part of that run's validation.

A new ``provreport run`` process pays, before its validation step, the import of Dagster and its definitions (2-3
s on one core) and then the ingest and dbt; its validation step then paid Great Expectations' import, the context and
the checkpoints again (1.5-2.5 s). The run starts this worker (:func:`start`, ``orchestration.runner.run_job``) as
soon as it knows it has something to build, so that this work is done on the other core meanwhile. The validation
step still reads the marts (the run's process holds the DuckDB working copy, which no other process may open then)
and writes the results; :func:`validate` hands the frames it read to the worker (Arrow IPC files in a temporary
folder outside the tree) and gets back the outcomes :func:`expectations.validate.validate_frames` makes there
(pickled): the same frames give the same outcomes and pages in either process. The worker then builds Data Docs while
the run writes the results (:meth:`Served.docs_index`).

A worker that died, failed or does not answer is ended and the validation is done in the run's own process, after one
warning line on stderr; what the worker stored of the run in the context is removed first (one that ended after
handing the outcomes over leaves Data Docs to be built in the run's process, every page). A worker serves one
validation and ends with its run (:func:`stop`, also at exit); ``orchestration.runner.end_children`` ends it on a stop
signal. A long-lived process (``provreport watch``) starts none: it validates in process, warm after its first run.

This module imports nothing heavy: the run imports it before Dagster."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

READY_TIMEOUT_S = 180.0  # the longest a validation waits for a worker opening the context (as for the reading worker)
# the worker's priority: it takes what the run's process and others leave of the cores. Where another process holds
# the other core, it would slow the run's import of Dagster by as much as it saves later; a worker that has not
# imported Great Expectations when the validation step begins is dropped, and the step validates in process
NICE = 19
QUIET_TIMEOUT_S = 600.0  # the longest a worker may validate without a word: between two suites, or the Data Docs
_POLL_S = 0.1


class WorkerFailed(RuntimeError):
    """The worker cannot validate: it ended, failed, or said nothing for too long."""


class NotImported(RuntimeError):
    """The worker has not imported Great Expectations yet (the machine's cores were busy): not worth waiting for."""


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, warehouse: Path) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_main, args=(child, str(warehouse)), daemon=True, name="provreport-validation")
        self.proc.start()
        child.close()
        self.imported = False  # Great Expectations imported: it opens the context (under its lock), then is ready
        self.ready = False
        self.asked = False  # a validation was sent: the worker may have stored some of its results

    def receive(self, timeout: float) -> tuple:
        """The worker's next message; :class:`WorkerFailed` when it ended first or said nothing for ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.conn.poll(_POLL_S):
                    return self.conn.recv()
            except (EOFError, OSError):
                self.proc.join(1)
                raise WorkerFailed(f"ended (exit code {self.proc.exitcode})") from None
            if not self.proc.is_alive():
                with contextlib.suppress(EOFError, OSError):
                    if self.conn.poll():  # what it sent before it ended
                        return self.conn.recv()
                raise WorkerFailed(f"ended (exit code {self.proc.exitcode})")
            if time.monotonic() > deadline:
                raise WorkerFailed(f"said nothing for {timeout:g} s")

    def _note(self, message: tuple) -> None:
        if message[0] == "failed":
            raise WorkerFailed(f"could not prepare the context: {message[1]}")
        self.imported = self.imported or message[0] in ("imported", "ready")
        self.ready = self.ready or message[0] == "ready"

    def has_imported(self) -> bool:
        """It has imported Great Expectations (what it said so far, without waiting)."""
        with contextlib.suppress(EOFError, OSError):
            while not self.ready and self.conn.poll():
                self._note(self.conn.recv())
        return self.imported

    def wait_ready(self) -> None:
        while not self.ready:
            self._note(self.receive(READY_TIMEOUT_S))

    def validate(self, marts: dict, scope, *, run_id: str, docs_dir: Path | None,
                 progress: Callable[[int, int], None] | None) -> list:
        """The outcomes; the worker then builds Data Docs (:meth:`docs_index`). :class:`NotImported` when it has not
        imported Great Expectations yet: the caller validates in process rather than wait for it."""
        if not self.has_imported():
            raise NotImported
        self.wait_ready()
        folder = Path(tempfile.mkdtemp(prefix="provreport-validation-"))
        try:
            names = list(marts)
            for number, name in enumerate(names):
                marts[name].write_ipc(folder / f"{number}.arrow")
            self.asked = True
            try:
                self.conn.send(("validate", str(folder), names, scope, run_id, docs_dir, os.getcwd()))
            except OSError:  # it ended since it was ready
                self.proc.join(1)
                raise WorkerFailed(f"ended (exit code {self.proc.exitcode})") from None
            while True:
                message = self.receive(QUIET_TIMEOUT_S)
                if message[0] == "progress":
                    if progress is not None:
                        progress(*message[1:])
                elif message[0] == "outcomes":
                    return message[1]
                else:
                    raise WorkerFailed(f"failed: {message[1]}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def docs_index(self) -> Path | None:
        message = self.receive(QUIET_TIMEOUT_S)
        if message[0] != "done":
            raise WorkerFailed(f"failed: {message[1]}")
        return message[1]

    def end(self, *, kill: bool = False) -> None:
        """Ask it to end, then make sure it did. One still importing, or with ``kill`` (it failed), is killed: it has
        nothing to finish; one opening the context (it may be writing the context's files) is let finish first."""
        if self.conn.closed:
            return
        if not kill and self.proc.is_alive() and self.has_imported():
            with contextlib.suppress(WorkerFailed):
                self.wait_ready()
        if self.ready and not kill and self.proc.is_alive():
            with contextlib.suppress(OSError):
                self.conn.send(None)
                self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(10)
        self.conn.close()


# the workers started in this process, by the root of the context they prepare (expectations.validate.context_root)
_WORKERS: dict[Path, _Worker] = {}


def start(warehouse: Path) -> None:
    """Start a validation worker for the Great Expectations context of ``warehouse`` (its published file, or its
    working copy: they validate into one context) now; :func:`validate` takes it. One per context."""
    worker = _Worker(Path(warehouse))
    from expectations.validate import context_root  # polars and the suites, after the worker is on its way

    root = context_root(Path(warehouse))
    other = _WORKERS.pop(root, None)
    if other is not None:
        other.end()
    _WORKERS[root] = worker


def started(root: Path) -> bool:
    """A worker started for the context at ``root`` waits for its validation."""
    return root in _WORKERS


class Served:
    """A validation the worker serves: its outcomes, handed over before it builds Data Docs, which the run gets with
    :meth:`docs_index` once it has written the results (both are done meanwhile)."""

    def __init__(self, worker: _Worker, root: Path, docs_dir: Path | None, outcomes: list) -> None:
        self.worker, self.root, self.docs_dir, self.outcomes = worker, root, docs_dir, outcomes

    def docs_index(self) -> Path | None:
        """The Data Docs index the worker built (then it ends); built here, every page, when it could not."""
        try:
            return self.worker.docs_index()
        except Exception as exc:  # not a stop (KeyboardInterrupt): the run unwinds, and its children are ended
            self.worker.end(kill=True)
            _warn(self.worker, exc, "building Data Docs in this process instead")
            from expectations.validate import rebuild_docs

            return rebuild_docs(self.root, self.docs_dir) if self.docs_dir is not None else None
        finally:
            _end(self.root, self.worker)


def validate(root: Path, marts: dict, scope, *, run_id: str, docs_dir: Path | None = None,
             progress: Callable[[int, int], None] | None = None) -> Served | None:
    """The outcomes :func:`expectations.validate.validate_frames` gives for these frames, from the worker started for
    the context at ``root``, which then builds Data Docs into ``docs_dir`` (:meth:`Served.docs_index`); None when none
    was started, or when it could not validate (one warning line on stderr, and what it stored of this run removed
    from the context: the caller validates in process)."""
    worker = _WORKERS.get(root)
    if worker is None:
        return None
    try:
        return Served(worker, root, docs_dir,
                      worker.validate(marts, scope, run_id=run_id, docs_dir=docs_dir, progress=progress))
    except NotImported:  # not a failure: no warning
        _end(root, worker)
        return None
    except Exception as exc:  # not a stop (KeyboardInterrupt): the run unwinds, and its children are ended
        worker.end(kill=True)
        _end(root, worker)
        if worker.asked:
            _forget_run(root, run_id)
        _warn(worker, exc, "validating in this process instead")
        return None


def _warn(worker: _Worker, exc: Exception, instead: str) -> None:
    reason = str(exc) if isinstance(exc, WorkerFailed) else f"could not be used ({type(exc).__name__}: {exc})"
    print(f"warning: the validation worker (pid {worker.proc.pid}) {reason}; {instead}", file=sys.stderr, flush=True)


def _end(root: Path, worker: _Worker) -> None:
    if _WORKERS.get(root) is worker:
        del _WORKERS[root]
    worker.end()


def _forget_run(root: Path, run_id: str) -> None:
    """Remove what a worker that failed while it validated stored of the run ``run_id`` in the context at ``root``
    (its validation results and their Data Docs pages, under the run's name): the run validates again in process."""
    from expectations.validate import _context_lock

    uncommitted = root / "gx" / "uncommitted"
    with _context_lock(root):
        for store in (uncommitted / "validations", uncommitted / "data_docs" / "local_site" / "validations"):
            for suite in store.glob("*"):
                if (suite / run_id).is_dir():
                    shutil.rmtree(suite / run_id, ignore_errors=True)


def stop() -> None:
    """End every worker started in this process that no validation took (the run ends)."""
    while _WORKERS:
        _WORKERS.popitem()[1].end()


atexit.register(stop)


def _main(conn, warehouse: str) -> None:  # pragma: no cover - runs in the worker process
    """The worker: prepare the context (expectations.validate.prepare_context), say so, then validate the frames it
    is sent: send back the outcomes, then build Data Docs and send their index (or the error), until the run says
    it is done."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupt is the run's: it ends this process (end_children)
    os.nice(NICE)
    try:
        import threading

        from tqdm import tqdm

        # GE's progress bars (off) still make tqdm's lock, by default a multiprocessing semaphore, which this process
        # would leave to multiprocessing's resource tracker (it ends by os._exit): a thread lock instead
        tqdm.set_lock(threading.RLock())
        from expectations import validate

        root = validate.context_root(Path(warehouse))
        validate.import_great_expectations()
        conn.send(("imported",))  # killed before this, it leaves nothing half written
        validate.prepare_context(root)
    except Exception as exc:
        with contextlib.suppress(OSError):
            conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    try:
        conn.send(("ready",))
    except OSError:
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:  # the run has what it asked for: no teardown of Great Expectations' modules (0.4 s)
            os._exit(0)
        _tag, folder, names, scope, run_id, docs_dir, cwd = message
        try:
            import polars as pl

            os.chdir(cwd)  # a relative Data Docs folder is the run's
            marts = {name: pl.read_ipc(Path(folder, f"{number}.arrow"))
                     for number, name in enumerate(names)}
            _outcomes, index = validate.validate_frames(
                marts, scope, root, run_id=run_id, docs_dir=docs_dir,
                progress=lambda done, total: conn.send(("progress", done, total)),
                outcomes_ready=lambda outcomes: conn.send(("outcomes", outcomes)))
            answer = ("done", index)
        except Exception as exc:  # the run validates (or builds Data Docs) in process, where the error shows in full
            answer = ("failed", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(answer)
        except OSError:
            return
