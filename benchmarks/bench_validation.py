"""The validation step for one new report, timed in process and compared between trees (a benchmark to rerun,
not a test; issue #18 point 3).

    .venv/bin/python benchmarks/bench_validation.py --warehouse <folder with w.duckdb and w.gx>
        --trees <tree A> <tree B> [--rounds 3] [--runs 3] [--work <scratch folder>] [--out F.json]

Each tree validates its own copy of the same warehouse (``w.duckdb`` and its Great Expectations context
``w.gx``; ``bench_one_report``'s warm copies hold both in ``wh/``), in a process of its own per round, as
``provreport watch`` does: the first validation of the process (the import of Great Expectations and the opening
of the context included; its CPU is the process's until then) and then ``--runs`` more, each after "a new
report": the ingest time of one unit's newest report is moved to now, so an incremental validation
(``run_validation(full=False)``) has that unit in scope and reads, validates and records what it would after that
report; wall and CPU seconds (the process's, DuckDB's threads included) of each. The rounds alternate the trees.
Every tree bumps the same units in the same order, so their audit rows (less run ids and times) and Data Docs
pages (less the run ids, times and GE's random element ids) must match: the bench says whether they do.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# run in the child, with the tree on sys.path: argv = warehouse, docs folder, first unit index, runs, round
CHILD = r"""
import json, sys, time
from datetime import datetime, timedelta
import duckdb
warehouse, docs, first, runs, round_ = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]

def bump(index):
    con = duckdb.connect(warehouse)
    try:
        units = [u for (u,) in con.execute("select distinct unit_key from marts.fct_report_versions "
                                            "where unit_key is not null order by unit_key").fetchall()]
        unit = units[(index * 37) % len(units)]
        newest = con.execute("select max(ingested_at) from marts.fct_report_versions").fetchall()[0][0]
        con.execute("update marts.fct_report_versions set ingested_at = ? where report_id = (select max(report_id) "
                    "from marts.fct_report_versions where unit_key = ?)", [newest + timedelta(seconds=1), unit])
    finally:
        con.close()

t = time.perf_counter()
from expectations import run_validation
times, cpu = [], []
for i in range(runs + 1):
    bump(first + i)
    s, c = time.perf_counter(), time.process_time()
    summary = run_validation(warehouse, run_id=f"bench-{round_}-{i}", docs_dir=docs, full=False)
    times.append(time.perf_counter() - s)
    cpu.append(time.process_time() - c)
    if i == 0:
        first_s, first_cpu_s = time.perf_counter() - t, time.process_time()
print(json.dumps({"first_s": first_s, "first_cpu_s": first_cpu_s, "runs_s": times[1:], "runs_cpu_s": cpu[1:],
                  "results": len(summary.results)}))
"""

# what differs between two runs of the same code: run names, times, GE's random element ids
_DRAWN = re.compile(r"\?d=\d{8}T\d{6}\.\d+Z|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                    r"|\d{8}T\d{6}\.\d+Z|bench-\d+-\d+|'_run_time_sort': [\d.]+"
                    r"|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\+00:00)?")


def audit_rows(warehouse: Path) -> dict[str, list]:
    """The audit tables a validation writes, without run ids and times, in a stable order."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for table, drop in (("validation_results", ("run_id", "validated_at")),
                            ("finding_observations", ("run_id", "observed_at")),
                            ("finding_events", ("run_id", "changed_at", "reason"))):
            names = [r[0] for r in con.execute(f"describe audit.{table}").fetchall() if r[0] not in drop]
            out[table] = sorted(json.dumps(r, default=str) for r in
                                con.execute(f"select {', '.join(names)} from audit.{table}").fetchall())
            if table == "finding_events":  # the reason names the run: compare it without the run id
                out["finding_event_reasons"] = sorted(_DRAWN.sub("", r) for (r,) in con.execute(
                    "select reason from audit.finding_events").fetchall())
        return out
    finally:
        con.close()


def pages(docs: Path) -> dict[str, str]:
    return {_DRAWN.sub("", str(p.relative_to(docs))): _DRAWN.sub("", p.read_text(encoding="utf-8"))
            for p in docs.rglob("*.html")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--trees", type=Path, nargs="+", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-validation"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    python = str(ROOT / ".venv" / "bin" / "python")
    copies = {}
    for tree in args.trees:
        copy = args.work / tree.name
        shutil.rmtree(copy, ignore_errors=True)
        copy.mkdir(parents=True)
        shutil.copyfile(args.warehouse / "w.duckdb", copy / "w.duckdb")
        shutil.copytree(args.warehouse / "w.gx", copy / "w.gx")
        copies[tree] = copy
    samples: dict[str, dict[str, list]] = {str(t): {"first_s": [], "first_cpu_s": [], "runs_s": [], "runs_cpu_s": [],
                                                    "load": []} for t in args.trees}
    for round_ in range(args.rounds):
        for tree in args.trees:
            env = {**os.environ, "PYTHONPATH": str(tree), "GX_ANALYTICS_ENABLED": "False"}
            load = os.getloadavg()[0]
            done = subprocess.run([python, "-c", CHILD, str(copies[tree] / "w.duckdb"), str(copies[tree] / "docs"),
                                   str(round_ * (args.runs + 1)), str(args.runs), str(round_)],
                                  env=env, cwd=str(tree), capture_output=True, text=True, check=False)
            if done.returncode:
                sys.exit(done.stderr[-3000:])
            got = json.loads(done.stdout.strip().splitlines()[-1])
            s = samples[str(tree)]
            for key in ("first_s", "first_cpu_s"):
                s[key].append(got[key])
            for key in ("runs_s", "runs_cpu_s"):
                s[key].extend(got[key])
            s["load"].append(round(load, 2))
            print(f"{tree.name} round {round_}: first {got['first_s']:.2f} s, then "
                  f"{', '.join(f'{x:.2f}' for x in got['runs_s'])} s, CPU "
                  f"{', '.join(f'{x:.2f}' for x in got['runs_cpu_s'])} s (load {load:.2f})",
                  file=sys.stderr, flush=True)
    report = {"trees": {t: {"first_s_median": statistics.median(s["first_s"]),
                            "first_cpu_s_median": statistics.median(s["first_cpu_s"]),
                            "run_s_median": statistics.median(s["runs_s"]),
                            "run_cpu_s_median": statistics.median(s["runs_cpu_s"]), **s} for t, s in samples.items()}}
    if len(args.trees) > 1:
        rows = {t: audit_rows(c / "w.duckdb") for t, c in copies.items()}
        docs = {t: pages(c / "docs") for t, c in copies.items()}
        first = args.trees[0]
        report["same_audit_rows"] = {str(t): rows[t] == rows[first] for t in args.trees[1:]}
        report["same_data_docs"] = {str(t): docs[t] == docs[first] for t in args.trees[1:]}
    for tree, s in report["trees"].items():
        print(f"{Path(tree).name}: first validation of a process {s['first_s_median']:.2f} s (CPU "
              f"{s['first_cpu_s_median']:.2f} s), a later one {s['run_s_median']:.2f} s (CPU "
              f"{s['run_cpu_s_median']:.2f} s; medians of {len(s['first_s'])} and {len(s['runs_s'])})")
    for key in ("same_audit_rows", "same_data_docs"):
        if key in report:
            print(key, report[key])
    if args.out:
        args.out.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
