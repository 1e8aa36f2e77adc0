"""The committed suites (expectations/gx) are what expectations/suites.py declares, and only
`make suites` writes them: runs validate from a context beside their warehouse (#16 point 4)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from expectations.suites import CHECKS
from expectations.validate import COMMITTED, _definitions_hash, _suite_name, _suites, context_root, result_format
from orchestration.settings import beside_warehouse


def _canon(value) -> str:
    """JSON of a value with every number a float (GE stores 0 as 0.0)."""
    def norm(v):
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, list):
            return [norm(x) for x in v]
        return float(v) if isinstance(v, int) and not isinstance(v, bool) else v
    return json.dumps(norm(value), sort_keys=True)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_the_committed_suites_are_the_declared_ones() -> None:
    """Fails when expectations/suites.py changed and `make suites` was not run (and committed)."""
    assert (COMMITTED / "suites.sha").read_text() == _definitions_hash(), "run `make suites` and commit expectations/gx"
    suites = _suites()
    assert sorted(p.stem for p in (COMMITTED / "expectations").glob("*.json")) == sorted(suites)
    for name, checks in suites.items():
        committed = json.loads((COMMITTED / "expectations" / f"{name}.json").read_text(encoding="utf-8"))
        got = sorted((e["type"], _canon(e["kwargs"]), _canon(e["meta"]))
                     for e in committed["expectations"])
        want = sorted((_snake(c.expectation),
                       _canon(c.kwargs),
                       _canon({"check": c.name, "severity": c.severity, "description": c.description}))
                      for c in checks)
        assert got == want, name
        checkpoint = json.loads((COMMITTED / "checkpoints" / f"{name}.json").read_text(encoding="utf-8"))
        assert checkpoint["result_format"] == result_format(checks), name
    assert {_suite_name(c) for c in CHECKS} == set(suites)


@pytest.mark.slow  # builds the Great Expectations suites (about 5 s)
def test_make_suites_changes_nothing_when_they_match(tmp_path: Path) -> None:
    """`make suites` on matching definitions writes no committed file (git sees no change)."""
    from expectations.validate import write_committed_suites

    assert write_committed_suites() == []
    status = subprocess.run(["git", "status", "--porcelain", "--", str(COMMITTED)], cwd=COMMITTED.parent.parent,
                            capture_output=True, text=True, check=True).stdout
    assert status == ""


def test_a_warehouse_validates_from_its_own_context_beside_it(tmp_path: Path) -> None:
    for name in ("provincial.duckdb", ".provincial.duckdb.building"):
        assert context_root(tmp_path / name) == tmp_path / "provincial.gx" == beside_warehouse(tmp_path / name, ".gx")
