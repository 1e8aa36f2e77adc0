"""The ingest survey with one new report on top of N (issue #18 must-hold 3): what it costs to find the new
file when the landing folder's other files are known by path, size and modification time.

    .venv/bin/python benchmarks/bench_survey.py [--reports 10000] [--landing FOLDER] [--repeat 5] [--out F.json]

The landing folder is ``--landing`` (read only: an existing folder of reports, e.g. bench_one_report's base)
or ``--reports`` copies of the seed reports, each made distinct by a last line, written in a temporary
folder. One new report is put beside them (in a temporary copy of the folder's entries, hard-linked, so the
folder given is never written). Then, ``--repeat`` times and alternating, in this process:

- ``hash every file``: ``survey_landing`` with no remembered hashes, which is what every survey did before
  the hash cache (the baseline, measured in the same run);
- ``remembered hashes``: ``survey_landing`` with the hashes ``plan_ingest`` remembered at an earlier run;
- ``plan_ingest``: the whole planning step of a run (remembered hashes read, survey, hashes written back,
  what the warehouse already holds), on a warehouse that knows the N reports' hashes but not the new one.

Prints the median of each and the ratio to the baseline, as JSON (``--out`` writes it to a file too). A run
of an older checkout (``PYTHONPATH=<its root>``) without the hash cache times ``plan_ingest`` only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))

SEEDS = ROOT.parent / "shared" / "seeds"
PAST = time.time() - 3600  # settled long ago: the survey never waits for them


def _reports(folder: Path, n: int) -> None:
    seeds = [p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))] or [b"B\xc3\xa1o c\xc3\xa1o"]
    for i in range(n):
        path = folder / f"r{i // 1000:03d}" / f"report_{i:06d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(seeds[i % len(seeds)] + f"\nSố hiệu {i}.\n".encode())
        os.utime(path, (PAST, PAST))


def _linked_copy(source: Path, into: Path) -> None:
    """``source``'s files hard-linked into ``into`` (the same size and mtime, nothing written to ``source``)."""
    for path in source.rglob("*"):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(source).parts):
            target = into / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)


def _remember_known(con, plan) -> None:
    """The warehouse knows the content of every file of ``plan`` (as if they had been ingested): only the
    hashes matter to the survey, so raw.reports gets one row per content with its hash, nothing read."""
    con.execute("create temporary table _known (content_sha256 varchar)")
    con.executemany("insert into _known values (?)", [[f.sha256] for f in plan.fresh])
    columns = con.execute("select column_name, is_nullable, data_type from information_schema.columns where "
                          "table_schema = 'raw' and table_name = 'reports' order by ordinal_position").fetchall()
    filler = {"VARCHAR": "''", "TIMESTAMP": "now()"}  # a column that may not be null: any value of its type
    values = ", ".join("k.content_sha256" if name in ("report_id", "content_sha256") else "null" if nullable == "YES"
                       else filler.get(dtype, "0") for name, nullable, dtype in columns)
    con.execute(f"insert into raw.reports select {values} from _known k")


def _median(samples: list[float]) -> float:
    return round(statistics.median(samples), 4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--landing", type=Path, help="an existing folder of reports (only read)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    from sources import ingest, warehouse

    cache = hasattr(warehouse, "landing_hashes")
    with tempfile.TemporaryDirectory(prefix="bench_survey_") as tmp:
        landing = Path(tmp) / "landing"
        landing.mkdir()
        if args.landing:
            _linked_copy(args.landing, landing)
        else:
            _reports(landing, args.reports)
        files = sum(1 for p in landing.rglob("*") if p.is_file())
        con = warehouse.connect(Path(tmp) / "w.duckdb")
        _remember_known(con, ingest.plan_ingest(landing, con, "bench-1"))  # a first run: every file hashed
        new = landing / "new_report.txt"
        new.write_bytes((SEEDS / "000_5e65d710216a68d6.txt").read_bytes() + "\nBáo cáo mới.\n".encode()
                        if (SEEDS / "000_5e65d710216a68d6.txt").exists() else "Báo cáo mới.".encode())
        os.utime(new, (PAST, PAST))
        times: dict[str, list[float]] = {"hash every file": [], "remembered hashes": [], "plan_ingest": []}
        hashed: dict[str, int] = {}
        fresh = None
        for k in range(args.repeat):
            if cache:  # forget the new file, which the previous sample's plan remembered: each sample finds it new
                known = {key: sha for key, sha in warehouse.landing_hashes(con).items() if key[0] != new.name}
                warehouse.remember_landing_hashes(con, known)
            t0 = time.perf_counter()
            ingest.survey_landing(landing, settle=0)
            times["hash every file"].append(time.perf_counter() - t0)
            if cache:
                t0 = time.perf_counter()
                survey = ingest.survey_landing(landing, settle=0, known=known)
                times["remembered hashes"].append(time.perf_counter() - t0)
                hashed["remembered hashes"] = survey.hashed
            t0 = time.perf_counter()
            plan = ingest.plan_ingest(landing, con, f"bench-{k + 2}")
            times["plan_ingest"].append(time.perf_counter() - t0)
            fresh = len(plan.fresh)
            hashed["plan_ingest"] = getattr(plan, "files_hashed", files)
        con.close()
        shutil.rmtree(landing, ignore_errors=True)
    base = _median(times["hash every file"])
    result = {
        "machine": f"{platform.node()} {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
        "date": time.strftime("%Y-%m-%d %H:%M"), "files_before_the_new_one": files, "new_files_found_by_plan": fresh,
        "repeat": args.repeat, "hash_cache": cache,
        "median_s": {name: _median(s) for name, s in times.items() if s},
        "ratio_to_hash_every_file": {name: round(_median(s) / base, 3) for name, s in times.items() if s},
        "files_hashed": hashed,
    }
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
