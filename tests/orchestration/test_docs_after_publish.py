"""A run's Data Docs are finished after its publish (orchestration.runner.run_job within
expectations.validation_run.docs_finished_later): the validation step does not wait for them, the working copy is
published meanwhile, and the command returns once they are built. In a process that keeps its workers (``provreport
watch``) they are built in a thread; in a new process, by the validation worker."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # the pipeline on the seeds, in a new process

# argv: record file, "keep" (a process that keeps its workers, as watch) or "-", then the command's arguments.
# Data Docs are built only once the working copy is published: a validation step that waited for them would wait
# for ever (the test's timeout says so)
_ORDERED = r"""
import json, sys, threading

if __name__ == "__main__":
    record, mode, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    from expectations import validate
    from orchestration import cli
    from sources import ingest, warehouse

    published, seen = threading.Event(), {"events": []}
    publish, build_docs = warehouse.publish, validate._build_docs

    def publishing(*a, **k):
        publish(*a, **k)
        seen["events"].append("published")
        published.set()

    def building(*a, **k):
        if not published.wait(120):
            seen["events"].append("docs waited for in vain")
            raise TimeoutError("Data Docs were waited for before the publish")
        seen["events"].append("docs built in " + ("the main thread" if threading.current_thread() is
                                                  threading.main_thread() else "a thread"))
        return build_docs(*a, **k)

    warehouse.publish, validate._build_docs = publishing, building
    if mode == "keep":
        ingest.keep_readers()
    code = cli.main(args)
    seen["threads"] = sorted(t.name for t in threading.enumerate() if t.name == "data-docs")
    with open(record, "w") as fh:
        json.dump(seen, fh)
    sys.exit(code)
"""


def test_data_docs_are_built_while_the_run_publishes(seeds_dir: Path, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(seeds_dir, landing)
    past = time.time() - 60  # settled files: nothing is left waiting for the settle time
    for f in landing.iterdir():
        os.utime(f, (past, past))
    script, record, docs = tmp_path / "ordered.py", tmp_path / "record.json", tmp_path / "docs"
    script.write_text(_ORDERED)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DAGSTER_HOME": str(tmp_path / "dh"),
           "PROVREPORT_DOCS_DIR": str(docs)}
    env.pop("PROVREPORT_PROVINCES", None)
    done = subprocess.run([sys.executable, str(script), str(record), "keep", "run", "--no-handoff", "--landing",
                           str(landing), "--warehouse", str(tmp_path / "wh" / "w.duckdb")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    seen = json.loads(record.read_text())
    assert seen == {"events": ["published", "docs built in a thread"], "threads": []}
    assert (docs / "index.html").exists()
    assert any(p.name.endswith(".html") and p != docs / "index.html" for p in docs.rglob("*.html"))
