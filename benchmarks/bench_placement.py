"""How often the gazetteer places a report in its true unit, before and after the 2025 reform
(a measurement to rerun, not a test).

    .venv/bin/python benchmarks/bench_placement.py [--reports 2000] [--seeds 11 12] [--reform-share 0.5]

Generates synthetic corpora (``synthetic.generate_corpus``) where ``--reform-share`` of the
documents are commune reports and submissions from after 1 July 2025, reads them through the real
ingest into a temporary DuckDB file, and compares each report's ``admin_level`` and
``admin_unit_code`` with the unit the generator wrote it for. Prints one JSON line per seed and
the first misplaced texts. Also times the gazetteer alone on the post-reform texts (median
milliseconds per report), since it now weighs communes of the new map as well as districts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from sources import warehouse
from sources.ingest import ingest_landing
from sources.places import Gazetteer
from synthetic.generator import generate_corpus


def measure(reports: int, seed: int, reform_share: float, root: Path) -> dict:
    landing = root / f"landing-{seed}"
    info = generate_corpus(landing, n_reports=reports, seed=seed, submission_share=0.2, reform_share=reform_share)
    (landing / "gold.jsonl").unlink()
    with warehouse.open_warehouse(root / f"w-{seed}.duckdb") as con:
        ingest_landing(landing, con, "placement")
        rows = con.execute("select source_file, admin_level, admin_unit_code, report_date, text "
                           "from raw.reports").fetchall()
    by_file: dict[str, list[tuple]] = {}
    for row in rows:
        by_file.setdefault(row[0], []).append(row)
    wrong = []
    for doc, code in info.post_reform.items():
        got = by_file.get(doc, [])
        if not (len(got) == 1 and got[0][1:3] == ("commune", code)):
            wrong.append({"doc": doc, "want": code, "got": [r[1:3] for r in got],
                          "text": got[0][4][:300] if got else None})
    prose = [r for r in rows if r[0] in info.post_reform and r[0].endswith(".txt")]
    gazetteer = Gazetteer.load()
    timings = []
    for row in prose:
        started = time.perf_counter()
        gazetteer.resolve(row[4], on_date=row[3])
        timings.append((time.perf_counter() - started) * 1000)
    n = len(info.post_reform)
    return {"seed": seed, "reports": reports, "post_reform": n, "placed_exactly": n - len(wrong),
            "rate": round((n - len(wrong)) / n, 4) if n else None,
            "resolve_median_ms": round(statistics.median(timings), 3) if timings else None,
            "misplaced": wrong[:5]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 12])
    parser.add_argument("--reform-share", type=float, default=0.5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="provreport-placement-") as tmp:
        for seed in args.seeds:
            print(json.dumps(measure(args.reports, seed, args.reform_share, Path(tmp)), ensure_ascii=False))


if __name__ == "__main__":
    main()
