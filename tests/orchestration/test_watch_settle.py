"""When ``provreport watch`` takes the landing folder as settled: a file moved in whole (older than the settle
time) at the first look that sees it, a file written in place once two looks ``--interval`` apart agree; and
what wakes it: the folder's filesystem events (orchestration.watching), or the poll every ``--interval``."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from orchestration import cli
from orchestration.ingest.sensors import landing_cursor
from orchestration.watching import LandingEvents, Wake


@pytest.fixture()
def looks(monkeypatch):
    """The watch's sleeps between looks, each running the next step of the test's story instead of waiting."""
    story: list = []
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        if story:
            story.pop(0)()

    monkeypatch.setattr(cli.time, "sleep", sleep)
    return story, slept


def _write(path: Path, text: str, age: float = 0.0) -> None:
    path.write_text(text)
    if age:
        then = time.time() - age
        os.utime(path, (then, then))


def test_a_file_moved_in_whole_is_taken_at_the_first_look_that_sees_it(tmp_path: Path, looks) -> None:
    story, slept = looks
    done = landing_cursor(tmp_path)
    story.append(lambda: _write(tmp_path / "report.txt", "moved in", age=60))
    assert cli._settled_cursor(tmp_path, 0.5, lambda: False, settle_s=1.0, done=done) == landing_cursor(tmp_path)
    assert slept == [0.5]


def test_a_file_written_in_place_is_taken_once_two_looks_agree(tmp_path: Path, looks) -> None:
    story, slept = looks
    done = landing_cursor(tmp_path)
    story.extend([lambda: _write(tmp_path / "report.txt", "being"),
                  lambda: _write(tmp_path / "report.txt", "being written")])
    assert cli._settled_cursor(tmp_path, 0.5, lambda: False, settle_s=1.0, done=done) == landing_cursor(tmp_path)
    assert slept == [0.5, 0.5, 0.5]  # changed, changed again, then the same


def test_a_settle_time_of_zero_takes_any_change_at_once(tmp_path: Path, looks) -> None:
    story, slept = looks
    done = landing_cursor(tmp_path)
    story.append(lambda: _write(tmp_path / "report.txt", "just written"))
    cli._settled_cursor(tmp_path, 0.5, lambda: False, settle_s=0.0, done=done)
    assert slept == [0.5]


def test_an_event_wakes_the_idle_watch_but_the_two_looks_that_agree_are_an_interval_apart(tmp_path: Path,
                                                                                          looks) -> None:
    """The idle wait is the one an event cuts short; a file seen young is confirmed by a look ``--interval``
    later (slept), not by the next event: two looks an instant apart prove nothing about a writer."""
    story, slept = looks
    done = landing_cursor(tmp_path)
    waits: list = []

    def idle(seconds: float) -> None:  # an event, after which nothing had changed, then one that had
        waits.append(seconds)
        if len(waits) == 2:
            _write(tmp_path / "report.txt", "being written")

    story.append(lambda: None)
    assert cli._settled_cursor(tmp_path, 0.5, lambda: False, settle_s=1.0, done=done, idle=idle) \
        == landing_cursor(tmp_path)
    assert waits == [0.5, 0.5] and slept == [0.5]


def test_a_file_that_landed_during_the_last_run_is_taken_without_waiting(tmp_path: Path, looks) -> None:
    _story, slept = looks
    done = landing_cursor(tmp_path)
    _write(tmp_path / "report.txt", "moved in during the run", age=60)
    assert cli._settled_cursor(tmp_path, 0.5, lambda: False, settle_s=1.0, done=done) == landing_cursor(tmp_path)
    assert slept == []


def test_a_handed_over_run_or_a_stop_returns_at_once(tmp_path: Path, looks) -> None:
    _story, slept = looks
    _write(tmp_path / "report.txt", "being written")
    cli._settled_cursor(tmp_path, 0.5, lambda: True, settle_s=1.0, done="before")
    assert slept == []


def test_landing_events_wake_on_a_file_moved_in_and_not_on_reads(tmp_path: Path) -> None:
    landing, incoming = tmp_path / "landing", tmp_path / "incoming"
    (landing / "sub").mkdir(parents=True)
    incoming.mkdir()
    (landing / "sub" / "old.txt").write_text("read by a run")
    wake = Wake()
    events, how = LandingEvents.start(landing, wake)
    assert events is not None, how
    try:
        assert how == "events (InotifyObserver)"
        assert (landing / "sub" / "old.txt").read_text() == "read by a run"
        assert not wake.wait(0.5)  # opened and closed without writing: no change
        (incoming / "new.txt").write_text("a report")
        os.rename(incoming / "new.txt", landing / "sub" / "new.txt")
        t0 = time.monotonic()
        assert wake.wait(10)
        assert time.monotonic() - t0 < 2
    finally:
        events.stop()
