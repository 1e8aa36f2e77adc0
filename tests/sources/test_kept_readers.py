"""The reading worker kept between runs of a long-lived process (``provreport watch``): the same worker reads
the next run's files, and reads them as a new worker does."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest

from sources import ingest
from sources.readers import Limits

pytestmark = pytest.mark.slow  # each new worker is a Python process importing the extractor (about 1 s)


def _landed(path: Path) -> ingest.LandedFile:
    return ingest.LandedFile(path=path, size=path.stat().st_size, sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                             modified_at=datetime(2024, 1, 1))


def _read(files: list[ingest.LandedFile], run_id: str, limits: Limits) -> tuple[list, int]:
    """The figures of each file read, and the pid of the worker that read them."""
    stats = ingest._Budgets()
    results = [result.figures.select("source_quote", "char_start", "char_end", "amount_vnd").rows()
               if hasattr(result, "figures") else result
               for _f, result in ingest.read_files_bounded(files, run_id, stats, limits)]
    box = ingest._READERS.idle.get(limits)
    return results, box.proc.pid if box is not None else None


@pytest.fixture()
def readers(monkeypatch):
    kept = ingest._Readers()
    monkeypatch.setattr(ingest, "_READERS", kept)
    yield kept
    for box in kept.idle.values():
        box.close()


def test_a_kept_worker_reads_the_next_runs_files_as_a_new_one_does(seeds_dir: Path, readers) -> None:
    files = [_landed(p) for p in sorted(seeds_dir.glob("*.txt"))[:2]]
    limits = Limits()
    new, none_kept = _read(files, "run-1", limits)
    assert none_kept is None  # not asked to keep it: the worker ended with the run
    ingest.keep_readers()
    first, pid = _read(files, "run-2", limits)
    second, same_pid = _read(files, "run-3", limits)
    assert pid is not None and same_pid == pid
    assert first == second == new and all(new)
    # other limits: another worker, the first one kept beside it
    other, other_pid = _read(files[:1], "run-4", Limits(file_time_budget_s=30.0))
    assert other == new[:1] and other_pid not in (None, pid)
    assert set(readers.idle) == {limits, Limits(file_time_budget_s=30.0)}


def test_a_kept_worker_that_ended_is_replaced(seeds_dir: Path, readers) -> None:
    files = [_landed(sorted(seeds_dir.glob("*.txt"))[0])]
    ingest.keep_readers()
    first, pid = _read(files, "run-1", Limits())
    readers.idle[Limits()].proc.kill()
    readers.idle[Limits()].proc.join(5)
    again, new_pid = _read(files, "run-2", Limits())
    assert again == first and new_pid not in (None, pid)


def test_a_kept_worker_that_retained_a_large_files_memory_is_replaced(seeds_dir: Path, readers) -> None:
    """What a worker kept above what it held when ready (a large workbook's memory not given back) is not
    granted on top of the next run's budget: beyond an unpacked document's share, a new worker reads."""
    files = [_landed(sorted(seeds_dir.glob("*.txt"))[0])]
    limits = Limits()
    ingest.keep_readers()
    first, pid = _read(files, "run-1", limits)
    again, same_pid = _read(files, "run-2", limits)
    assert same_pid == pid  # reading a report retains far less than an unpacked document's share
    readers.idle[limits].ready_rss -= limits.max_unpacked_bytes + 1  # as if it had grown that much since ready
    third, new_pid = _read(files, "run-3", limits)
    assert third == again == first and new_pid not in (None, pid)
