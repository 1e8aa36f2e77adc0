"""A run with nothing new, from the command to the summary (a benchmark to rerun, not a test).

    .venv/bin/python benchmarks/bench_pipeline_noop.py [--landing ../shared/seeds] [--repeat 3] [--out F.json]

Builds a warehouse from ``--landing`` in a temporary folder, then times ``--repeat`` new
``provreport run`` processes with nothing new (the check of landing content, dbt project and suites
that stops before Dagster) and, as the baseline in the same run, as many ``provreport run --force``
(every step on the same inputs: what a run with nothing new cost before). Prints the medians and
their ratio; checks that the no-op runs left the warehouse byte for byte as it was.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed_run(args: list[str], env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "provreport"), "run", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"provreport run {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed, proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--landing", default=str(ROOT.parent / "shared" / "seeds"), help="folder of reports")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind (default 3)")
    parser.add_argument("--out", help="write the result as JSON to this file too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_noop_") as tmp:
        tmp = Path(tmp)
        landing = tmp / "landing"
        shutil.copytree(args.landing, landing)
        past = time.time() - 60
        for f in landing.rglob("*"):
            os.utime(f, (past, past))
        env = {**os.environ, "DAGSTER_HOME": str(tmp / "dh"), "PROVREPORT_DOCS_DIR": str(tmp / "docs")}
        warehouse = tmp / "w.duckdb"
        common = ["--landing", str(landing), "--warehouse", str(warehouse)]
        first, _ = timed_run(common, env)
        print(f"first run (build): {first:.1f} s", flush=True)
        digest = hashlib.sha256(warehouse.read_bytes()).hexdigest()
        noop, forced = [], []
        for i in range(args.repeat):
            elapsed, out = timed_run(common, env)
            assert out.startswith("nothing new"), out
            assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == digest, "a no-op run changed the warehouse"
            noop.append(elapsed)
            elapsed, out = timed_run([*common, "--force"], env)
            forced.append(elapsed)
            print(f"  sample {i + 1}: nothing new {noop[-1]:.2f} s, --force {forced[-1]:.2f} s", flush=True)
            digest = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    result = {
        "machine": f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "landing": args.landing,
        "noop_s": noop, "forced_s": forced,
        "noop_median_s": statistics.median(noop), "forced_median_s": statistics.median(forced),
    }
    result["ratio"] = result["forced_median_s"] / result["noop_median_s"]
    print(f"nothing new: median {result['noop_median_s']:.2f} s over {args.repeat} runs; the same run with "
          f"--force (every step, the baseline): {result['forced_median_s']:.1f} s ({result['ratio']:.0f}x)")
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
