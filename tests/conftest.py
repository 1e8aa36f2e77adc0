"""Shared fixtures: the reference reports in ../shared, read in place (never copied in)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("PROVREPORT_SHARED_DIR", PROJECT_ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED_DIR / "seeds").is_dir():
        pytest.skip(f"the reference reports are not beside the project ({SHARED_DIR}/seeds is absent)")
    return SHARED_DIR


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    return shared_dir / "seeds"


@pytest.fixture(scope="session")
def gold_path(shared_dir: Path) -> Path:
    return shared_dir / "eval" / "seeds_gold.jsonl"
