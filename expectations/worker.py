"""A validation worker: a process that imports Great Expectations and opens a warehouse's context while the run that
started it does something else, then does the Great Expectations part of that run's validation.

A new ``provreport run`` process pays, before its validation step, the import of Dagster and its definitions (2-3
s on one core) and then the ingest and dbt; its validation step then paid Great Expectations' import, the context and
the checkpoints again (1.5-2.5 s). The run starts this worker (:func:`start`, ``orchestration.runner.run_job``) as
soon as it knows it has something to build, so that this work is done on the other core meanwhile. The validation
step still reads the marts (the run's process holds the DuckDB working copy, which no other process may open then)
and writes the results; :func:`validate` hands the frames it read to the worker (Arrow IPC files in a temporary
folder outside the tree) and gets back what :func:`expectations.validate.validate_frames` returns there (the outcomes,
pickled, and the Data Docs index): the same frames give the same outcomes and pages in either process.

A worker that died, failed or does not answer is ended and the validation is done in the run's own process, after one
warning line on stderr; what the worker stored of the run in the context is removed first. A worker serves one
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

READY_TIMEOUT_S = 180.0  # the longest a validation waits for a worker still importing (as for the reading worker)
QUIET_TIMEOUT_S = 600.0  # the longest a worker may validate without a word: between two suites, or the Data Docs
_POLL_S = 0.1


class WorkerFailed(RuntimeError):
    """The worker cannot validate: it ended, failed, or said nothing for too long."""


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, warehouse: Path) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_main, args=(child, str(warehouse)), daemon=True, name="provreport-validation")
        self.proc.start()
        child.close()
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

    def wait_ready(self) -> None:
        while not self.ready:
            message = self.receive(READY_TIMEOUT_S)
            if message[0] == "failed":
                raise WorkerFailed(f"could not prepare the context: {message[1]}")
            self.ready = message[0] == "ready"

    def validate(self, marts: dict, scope, *, run_id: str, docs_dir: Path | None,
                 progress: Callable[[int, int], None] | None) -> tuple[list, Path | None]:
        self.wait_ready()
        folder = Path(tempfile.mkdtemp(prefix="provreport-validation-"))
        try:
            names = list(marts)
            for number, name in enumerate(names):
                marts[name].write_ipc(folder / f"{number}.arrow")
            self.asked = True
            self.conn.send(("validate", str(folder), names, scope, run_id, docs_dir, os.getcwd()))
            while True:
                message = self.receive(QUIET_TIMEOUT_S)
                if message[0] == "progress":
                    if progress is not None:
                        progress(*message[1:])
                elif message[0] == "done":
                    return message[1], message[2]
                else:
                    raise WorkerFailed(f"failed: {message[1]}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def end(self, *, kill: bool = False) -> None:
        """Ask it to end, then make sure it did; one still importing, or with ``kill`` (it failed), is killed: it has
        nothing to finish."""
        if self.conn.closed:
            return
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


def validate(root: Path, marts: dict, scope, *, run_id: str, docs_dir: Path | None = None,
             progress: Callable[[int, int], None] | None = None) -> tuple[list, Path | None] | None:
    """What :func:`expectations.validate.validate_frames` returns for these frames, from the worker started for the
    context at ``root``; None when none was started, or when it could not validate (one warning line on stderr, and
    what it stored of this run removed from the context: the caller validates in process)."""
    worker = _WORKERS.pop(root, None)
    if worker is None:
        return None
    try:
        return worker.validate(marts, scope, run_id=run_id, docs_dir=docs_dir, progress=progress)
    except Exception as exc:  # not a stop (KeyboardInterrupt): the run unwinds, and its children are ended
        worker.end(kill=True)
        if worker.asked:
            _forget_run(root, run_id)
        reason = str(exc) if isinstance(exc, WorkerFailed) else f"could not be used ({type(exc).__name__}: {exc})"
        print(f"warning: the validation worker (pid {worker.proc.pid}) {reason}; validating in this process instead",
              file=sys.stderr, flush=True)
        return None
    finally:
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
    is sent and send back the outcomes and the Data Docs index (or the error), until the run closes the pipe."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupt is the run's: it ends this process (end_children)
    try:
        from expectations import validate

        root = validate.context_root(Path(warehouse))
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
            answer = ("done", *validate.validate_frames(
                marts, scope, root, run_id=run_id, docs_dir=docs_dir,
                progress=lambda done, total: conn.send(("progress", done, total))))
        except Exception as exc:  # the run validates in process, where the same error shows in full
            answer = ("failed", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(answer)
        except OSError:
            return
