"""The reading worker started ahead of a run's read (``prestart_reader``, a new ``provreport run`` process): the read
takes that worker, reads as a new worker does, with its memory budget from what it held when ready; one no read took
is ended; a process that keeps its workers starts none; one that died as it started is replaced."""

from __future__ import annotations

import hashlib
import os
import signal
from datetime import datetime
from pathlib import Path

import pytest

from sources import ingest
from sources.readers import Limits

pytestmark = pytest.mark.slow  # each new worker is a Python process importing the extractor (about 1 s)


def _landed(path: Path) -> ingest.LandedFile:
    return ingest.LandedFile(path=path, size=path.stat().st_size, sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                             modified_at=datetime(2024, 1, 1))


def _read(files: list[ingest.LandedFile], run_id: str, limits: Limits, readers: ingest._Readers) -> tuple[list, int]:
    """The figures of each file read, and the pid of the worker that read them (seen while it reads)."""
    pids = []
    results = []
    for _f, result in ingest.read_files_bounded(files, run_id, ingest._Budgets(), limits):
        pids.append(readers.took.proc.pid)
        results.append(result.figures.select("source_quote", "char_start", "char_end", "amount_vnd").rows()
                       if hasattr(result, "figures") else result)
    assert len(set(pids)) == 1
    return results, pids[0]


@pytest.fixture()
def readers(monkeypatch):
    """A fresh register of workers, which remembers the worker each read took (``took``)."""
    fresh = ingest._Readers()
    take = fresh.take

    def remembered(limits):
        fresh.took = take(limits)
        return fresh.took

    fresh.take = remembered
    monkeypatch.setattr(ingest, "_READERS", fresh)
    yield fresh
    ingest.end_prestarted_readers()
    for box in fresh.idle.values():
        box.close()


def test_the_read_takes_the_worker_started_early_and_reads_as_a_new_one(seeds_dir: Path, readers) -> None:
    files = [_landed(p) for p in sorted(seeds_dir.glob("*.txt"))[:2]]
    limits = Limits()
    new, new_pid = _read(files, "run-1", limits, readers)
    ingest.prestart_reader(limits)
    early = readers.early[limits]
    started_pid = early.proc.pid
    assert started_pid != new_pid
    early_read, pid = _read(files, "run-2", limits, readers)
    assert pid == started_pid
    assert early_read == new and all(new)
    # its memory budget runs from what it held when ready, as a new worker's
    assert early.ready_rss > 0 and early.baseline == early.ready_rss
    # not kept (not watch): it ended with the read, and nothing is left started early
    assert early.proc is None and readers.early == {} and readers.idle == {}


def test_a_worker_started_early_under_other_limits_is_not_taken_and_ends_with_the_run(seeds_dir: Path,
                                                                                        readers) -> None:
    files = [_landed(sorted(seeds_dir.glob("*.txt"))[0])]
    ingest.prestart_reader(Limits(file_time_budget_s=30.0))
    other = readers.early[Limits(file_time_budget_s=30.0)].proc
    _read(files, "run-1", Limits(), readers)
    assert readers.took.limits == Limits() and readers.took.proc is None
    assert other.is_alive()
    ingest.end_prestarted_readers()
    assert not other.is_alive() and readers.early == {}


def test_a_worker_started_early_that_died_is_replaced(seeds_dir: Path, readers) -> None:
    files = [_landed(sorted(seeds_dir.glob("*.txt"))[0])]
    limits = Limits()
    ingest.prestart_reader(limits)
    dead = readers.early[limits].proc
    os.kill(dead.pid, signal.SIGKILL)
    dead.join(10)
    read, pid = _read(files, "run-1", limits, readers)
    assert pid != dead.pid and read and not isinstance(read[0], dict)


def test_a_process_that_keeps_its_workers_starts_none_early(readers) -> None:
    ingest.keep_readers()
    assert ingest.readers_kept()
    ingest.prestart_reader(Limits())
    assert readers.early == {}
