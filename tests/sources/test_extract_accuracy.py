"""A regression gate on real reports: the five seeds and the 44 dev reports of ../shared/eval,
scored by ../shared/tools/score_figures.py exactly as `scripts/score_seeds.py` does.

Floors, not snapshots: a change that makes the extractor read real reports worse fails here,
whatever the reports are; a change that makes it better moves nothing. The floors sit a little
under today's scores (README, "How well the extractor reads them") so that noise-free
improvements elsewhere never need this file touched.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
FLOORS = {  # set: (strict micro F1, dated micro F1, district accuracy, province accuracy)
    "all": (0.90, 0.85, 0.90, 0.90),  # places: 4 of the 44 dev reports name no unit a reader could place
    "seeds": (0.95, 0.90, 1.0, 1.0),
}


@pytest.mark.skipif(not (SHARED / "eval" / "dev" / "gold.jsonl").exists() or not (SHARED / "tools").exists(),
                    reason="../shared/eval (the dev reports and their gold) and ../shared/tools are not beside the "
                           "project: the accuracy gate needs them")
@pytest.mark.parametrize("which", sorted(FLOORS))
def test_accuracy_on_real_reports_stays_above_its_floor(which: str) -> None:
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "score_seeds.py"), "--set", which, "--json"],
                         capture_output=True, text=True, check=True, timeout=300)
    report = json.loads(out.stdout)
    strict, dated = report["micro"]["strict_f1"], report["micro"]["dated_f1"]
    district, province = report["district_accuracy"], report["province_accuracy"]
    floor = FLOORS[which]
    assert all(got >= want for got, want in zip((strict, dated, district, province), floor, strict=True)), (
        f"{which}: strict {strict}, dated {dated}, district {district}, province {province}; floors {floor}")
