"""Data Docs finished later (expectations.validation_run.docs_finished_later, the runner's block around a run and its
publish): the validation returns once its results are written, its Data Docs are built meanwhile in a thread holding
the context's lock, and when the block ends they are the pages a validation that waited for them builds; a build that
fails then is one warning line, the results stay written."""

from __future__ import annotations

import fcntl
import threading
from pathlib import Path

import pytest

from benchmarks.bench_validation import audit_rows, pages
from expectations import run_validation, validate, validation_run
from expectations.validate import context_root
from tests.expectations.test_worker import _faulty, _outcomes

# validating through Great Expectations (about 3-5 s a validation): make test only
pytestmark = pytest.mark.slow


def _locked(root: Path) -> bool:
    """Another holder has the context's lock (the one validate's _context_lock takes)."""
    with (root / ".lock").open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


def test_data_docs_finished_later_are_the_pages_of_a_validation_that_waited(tmp_path: Path, check_views,
                                                                             monkeypatch) -> None:
    waited = _faulty(tmp_path / "a" / "wh" / "w.duckdb", check_views)
    inline = run_validation(waited, run_id="run-1", docs_dir=tmp_path / "a" / "docs")
    assert inline.docs_index == tmp_path / "a" / "docs" / "index.html" and inline.docs_index.exists()

    later = _faulty(tmp_path / "b" / "wh" / "w.duckdb", check_views)
    release, building = threading.Event(), []
    build_docs = validate._build_docs

    def held_back(*args, **kwargs):  # the pages are built once the test has looked at the validation's return
        building.append(threading.current_thread().name)
        assert release.wait(60)
        return build_docs(*args, **kwargs)

    monkeypatch.setattr(validate, "_build_docs", held_back)
    docs = tmp_path / "b" / "docs"
    with validation_run.docs_finished_later():
        summary = run_validation(later, run_id="run-1", docs_dir=docs)
        # returned with its results written and its Data Docs not built yet, in another thread holding the lock
        assert summary.docs_index == docs / "index.html" and not docs.exists()
        assert audit_rows(later) == audit_rows(waited)
        assert _locked(context_root(later))
        release.set()
    assert building == ["data-docs"]
    assert not _locked(context_root(later))
    assert _outcomes(summary) == _outcomes(inline)
    assert (docs / "index.html").exists()
    assert pages(docs) == pages(tmp_path / "a" / "docs")
    # outside the block a validation waits for its Data Docs, built in its own thread
    run_validation(later, run_id="run-2", docs_dir=docs)
    assert building == ["data-docs", "MainThread"]
    assert any("run-2" in page for page in pages(docs))


def test_data_docs_that_fail_later_are_one_warning_and_the_results_stay(tmp_path: Path, check_views, monkeypatch,
                                                                       capsys) -> None:
    warehouse = _faulty(tmp_path / "wh" / "w.duckdb", check_views)

    def failing(*args, **kwargs):
        raise OSError("no space left on device")

    monkeypatch.setattr(validate, "_build_docs", failing)
    with validation_run.docs_finished_later():
        summary = run_validation(warehouse, run_id="run-1", docs_dir=tmp_path / "docs")
    err = capsys.readouterr().err
    assert err == (f"warning: Data Docs could not be built into {tmp_path / 'docs'} (OSError: no space left on "
                   "device); the validation's results are recorded, the next validation builds them\n")
    assert [o.name for o in summary.results if not o.success] == [
        "components_sum_to_total", "district_reported_for_period", "report_arrived_on_time"]
    assert len(audit_rows(warehouse)["validation_results"]) == len(summary.results)
    assert not _locked(context_root(warehouse))
    # without the block the failure is the validation's, as before
    with pytest.raises(OSError, match="no space left"):
        run_validation(warehouse, run_id="run-2", docs_dir=tmp_path / "docs")


def test_results_stored_later_are_the_files_stored_at_once(tmp_path: Path, check_views, monkeypatch) -> None:
    """``run_checkpoint`` with ``stores``: nothing is stored while it runs, and what it hands back stores the files
    the validation definition stores itself, result for result."""
    import datetime as dt
    import json

    from great_expectations.core.run_identifier import RunIdentifier

    warehouse = _faulty(tmp_path / "wh" / "w.duckdb", check_views)
    frames: list[tuple] = []
    run_checkpoint = validate.run_checkpoint
    monkeypatch.setattr(validate, "run_checkpoint", lambda checkpoint, frame, run_id, stores=None: frames.append(
        (checkpoint, frame)) or run_checkpoint(checkpoint, frame, run_id, stores))
    run_validation(warehouse, run_id="first")
    stored = context_root(warehouse) / "gx" / "uncommitted" / "validations"
    at = dt.datetime(2026, 11, 29, 1, 2, 3, tzinfo=dt.UTC)

    def files(run_name: str) -> list[dict]:
        found = sorted(p for p in stored.rglob("*.json") if run_name in p.parts)
        out = []
        for p in found:
            result = json.loads(p.read_text(encoding="utf-8").replace(run_name, "RUN"))
            assert result["meta"]["batch_markers"].pop("ge_load_time")  # the clock's
            out.append(result)
        return out

    for checkpoint, frame in frames:
        now = run_checkpoint(checkpoint, frame, RunIdentifier(run_name=f"now-{checkpoint.name}", run_time=at))
        stores: list = []
        later = run_checkpoint(checkpoint, frame, RunIdentifier(run_name=f"later-{checkpoint.name}", run_time=at),
                               stores)
        assert len(stores) == len(later) == len(now) == 1 and files(f"later-{checkpoint.name}") == []
        assert "store_validation_results" not in vars(checkpoint.validation_definitions[0]._validation_results_store)
        for store in stores:
            store()
        assert files(f"later-{checkpoint.name}") == files(f"now-{checkpoint.name}") != []
