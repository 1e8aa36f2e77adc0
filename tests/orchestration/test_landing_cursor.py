"""The landing folder's fingerprint that ``provreport watch`` and the sensor compare: names, sizes and
modification times of its files, in the order of their paths."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from orchestration.ingest.sensors import landing_cursor


def _expected(landing: Path, names: list[str]) -> str:
    digest = hashlib.sha256()
    for name in names:
        st = (landing / name).stat()
        digest.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def test_the_cursor_covers_every_file_in_path_order_and_follows_no_linked_folder(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    (landing / "a").mkdir(parents=True)
    (landing / "z" / "deep").mkdir(parents=True)
    for name, text in [(".hidden.txt", "h"), ("a/b.txt", "bb"), ("a-b.txt", "ccc"), ("z/deep/c.txt", "dddd")]:
        (landing / name).write_text(text)
    os.symlink(landing / "a-b.txt", landing / "link_to_file")  # a link to a file is a file
    os.symlink(landing / "a", landing / "linked_folder")  # not entered
    os.symlink(landing / "gone.txt", landing / "broken_link")  # no file
    # in the order of the paths' parts: a/b.txt before a-b.txt (as text, '-' sorts before '/')
    names = [".hidden.txt", "a/b.txt", "a-b.txt", "link_to_file", "z/deep/c.txt"]
    assert landing_cursor(landing) == _expected(landing, names)
    before = landing_cursor(landing)
    (landing / "z" / "deep" / "c.txt").write_text("d")
    assert landing_cursor(landing) != before
    assert landing_cursor(landing) == _expected(landing, names)
