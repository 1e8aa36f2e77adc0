"""When ``provreport watch`` takes the landing folder as settled: a file moved in whole (older than the settle
time) at the first look that sees it, a file written in place once two looks agree."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from orchestration import cli
from orchestration.ingest.sensors import landing_cursor


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
    story.append(lambda: _write(tmp_path / "report.txt", "moved in", age=60))
    assert cli._settled_cursor(tmp_path, 0.5, lambda: False, settle_s=1.0) == landing_cursor(tmp_path)
    assert slept == [0.5]


def test_a_file_written_in_place_is_taken_once_two_looks_agree(tmp_path: Path, looks) -> None:
    story, slept = looks
    story.extend([lambda: _write(tmp_path / "report.txt", "being"),
                  lambda: _write(tmp_path / "report.txt", "being written")])
    assert cli._settled_cursor(tmp_path, 0.5, lambda: False, settle_s=1.0) == landing_cursor(tmp_path)
    assert slept == [0.5, 0.5, 0.5]  # changed, changed again, then the same


def test_a_settle_time_of_zero_takes_any_change_at_once(tmp_path: Path, looks) -> None:
    story, slept = looks
    story.append(lambda: _write(tmp_path / "report.txt", "just written"))
    cli._settled_cursor(tmp_path, 0.5, lambda: False, settle_s=0.0)
    assert slept == [0.5]
