"""How each phase of the ingest grows with the number of new reports (issue #18 must-hold 4: 100 000 in 10 min).

    .venv/bin/python benchmarks/bench_ingest_scale.py --corpus 10000=/tmp/c10k --corpus 30000=/tmp/c30k \
        --out /tmp/bench-scale [--repeat 3] [--load-repeat 3] [--partitions 2]

Each ``--corpus N=FOLDER`` is a landing folder (only read), e.g. made by ``python -m synthetic --out FOLDER
--reports N`` (move its gold.jsonl out, or it is counted as a refused file). For each corpus, ``--repeat``
times, into a new warehouse under ``--out`` (never the source tree), the ingest outside Dagster, phase by
phase, as the Dagster job runs it (``orchestration/ingest/assets.py``):

- ``plan``: ``plan_ingest`` (the survey, every file hashed, what the warehouse holds);
- ``read``: the partitions read by ``read_partition``, each from a thread of this process (each has its own
  sandboxed reading process), ``--partitions`` of them (default: ``Settings.ingest_partitions``);
- ``handoff``: each partition written to Parquet and read back (``save_partition``/``load_partition``), the
  staging the job's steps hand over through;
- ``load``: ``load_ingest``, the batches written to schema raw, timed again ``--load-repeat`` times on new
  warehouses from the same reads (the load is cheap to repeat, the read is not); ``--keep-reads`` keeps the
  first run's plan and reads in --out/n<N>/reads, as the job's staging folder holds them.

Prints and writes (``--out``/ingest_scale.json) the median seconds and milliseconds per report of each phase
at each N, the samples, the read rate in each twentieth of the first read (a rate that falls as a run goes on
grows super-linearly), the memory the reads hold once read (resident memory of this process after the read
less before), the raw tables' row counts and the machine's load.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))

PHASES = ("plan", "read", "handoff", "load")


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _corpus(spec: str) -> tuple[int, Path]:
    size, _, folder = spec.partition("=")
    if not folder or not size.isdigit():
        raise argparse.ArgumentTypeError(f"--corpus N=FOLDER, not {spec!r}")
    return int(size), Path(folder)


def _counts(con) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in ("reports", "figures", "rejections")}


def _rates(stamps: list[tuple[float, int]]) -> list[float]:
    """Files read per second between consecutive ``[i/n]`` progress lines (i: files read so far, all partitions)."""
    return [round((b[1] - a[1]) / (b[0] - a[0]), 1) for a, b in itertools.pairwise(stamps) if b[0] > a[0]]


def ingest_once(landing: Path, db: Path, staging: Path, partitions: int | None) -> dict:
    """The ingest of ``landing`` into a new warehouse ``db``, phase by phase: seconds of each, the reads."""
    from orchestration.settings import Settings
    from sources import ingest, warehouse

    db.unlink(missing_ok=True)
    con = warehouse.connect(db)
    try:
        t0 = time.perf_counter()
        plan = ingest.plan_ingest(landing, con, "scale")
        t_plan = time.perf_counter() - t0
        plan.partitions = partitions or Settings(warehouse=db, landing=landing).ingest_partitions(len(plan.fresh))
        stamps: list[tuple[float, int]] = []
        done = [0]

        def note(message: str) -> None:
            if message.startswith("["):
                done[0] += 1
                stamps.append((time.perf_counter(), done[0]))

        rss_before = _rss_mb()
        t1 = time.perf_counter()
        stamps.append((t1, 0))
        with ThreadPoolExecutor(max_workers=plan.partitions) as pool:
            reads = list(pool.map(lambda k: ingest.read_partition(plan, k, progress=note), range(plan.partitions)))
        t_read = time.perf_counter() - t1
        held_mb = _rss_mb() - rss_before
        # every file read says nothing but each twentieth: scale the count of lines to files
        every = max(1, len(plan.fresh) // 20)
        stamps = [(t, n * every) for t, n in stamps]
        t2 = time.perf_counter()
        shutil.rmtree(staging, ignore_errors=True)
        for number, read in enumerate(reads):
            ingest.save_partition(read, ingest.partition_folder(staging, number))
        reads = [ingest.load_partition(ingest.partition_folder(staging, n)) for n in range(len(reads))]
        t_handoff = time.perf_counter() - t2
        t3 = time.perf_counter()
        ingest.load_ingest(con, plan, reads)
        t_load = time.perf_counter() - t3
        counts = _counts(con)
    finally:
        con.close()
    return {"seconds": {"plan": t_plan, "read": t_read, "handoff": t_handoff, "load": t_load},
            "partitions": plan.partitions, "fresh": len(plan.fresh), "counts": counts, "rates": _rates(stamps),
            "reads_held_mb": held_mb, "plan": plan, "reads": reads}


def load_again(plan, reads, db: Path) -> float:
    """Seconds of ``load_ingest`` of the same reads into a new warehouse (the plan's schema made first)."""
    from sources import ingest, warehouse

    db.unlink(missing_ok=True)
    con = warehouse.connect(db)
    try:
        warehouse.ensure_raw_schema(con)
        t0 = time.perf_counter()
        ingest.load_ingest(con, plan, reads)
        return time.perf_counter() - t0
    finally:
        con.close()


def _rss_mb() -> int:
    """This process's resident memory now, in MB (Linux)."""
    status = Path(f"/proc/{os.getpid()}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) // 1024


def _median(samples: list[float]) -> float:
    return round(statistics.median(samples), 3)


def measure(size: int, landing: Path, out: Path, repeat: int, load_repeat: int, partitions: int | None,
            keep_reads: bool = False, say=print) -> dict:
    samples: dict[str, list[float]] = {phase: [] for phase in PHASES}
    held: list[int] = []
    result: dict = {"reports": size, "landing": str(landing), "load_average_before": _load_average()}
    work = out / f"n{size}"
    work.mkdir(parents=True, exist_ok=True)
    first = None
    for k in range(repeat):
        run = ingest_once(landing, work / "ingest.duckdb", work / "staging", partitions)
        for phase in PHASES:
            samples[phase].append(run["seconds"][phase])
        held.append(run["reads_held_mb"])
        say(f"N={size} run {k + 1}/{repeat}: " + ", ".join(f"{p} {run['seconds'][p]:.1f} s" for p in PHASES)
            + f", reads held {run['reads_held_mb']} MB ({run['fresh']} new files, {run['partitions']} partitions, "
              f"load {_load_average()})")
        if first is None:
            first = run
            result.update(partitions=run["partitions"], fresh=run["fresh"], counts=run["counts"],
                          read_rates_per_twentieth=run["rates"])
    for k in range(load_repeat):
        samples["load"].append(load_again(first["plan"], first["reads"], work / "load.duckdb"))
        say(f"N={size} load again {k + 1}/{load_repeat}: {samples['load'][-1]:.1f} s")
    if keep_reads:  # the first run's plan and reads, as the job's staging folder holds them
        from sources import ingest

        ingest.save_plan(first["plan"], work / "reads")
        for number, read in enumerate(first["reads"]):
            ingest.save_partition(read, ingest.partition_folder(work / "reads", number))
    shutil.rmtree(work / "staging", ignore_errors=True)
    for name in ("ingest.duckdb", "load.duckdb"):
        for leftover in (work / name, work / (name + ".wal")):
            leftover.unlink(missing_ok=True)
    result["load_average_after"] = _load_average()
    result["samples_seconds"] = {p: [round(s, 3) for s in v] for p, v in samples.items()}
    result["median_seconds"] = {p: _median(v) for p, v in samples.items()}
    # what the partitions' reads hold once read (this process's resident memory after the read less before)
    result["reads_held_mb"] = {"median": statistics.median(held), "samples": held}
    result["ms_per_report"] = {p: round(1000 * statistics.median(v) / size, 3) for p, v in samples.items()}
    result["ms_per_report"]["total"] = round(sum(result["ms_per_report"][p] for p in PHASES), 3)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=_corpus, action="append", required=True, metavar="N=FOLDER")
    parser.add_argument("--out", type=Path, required=True, help="a folder outside the source tree")
    parser.add_argument("--repeat", type=int, default=3, help="whole ingests per corpus")
    parser.add_argument("--load-repeat", type=int, default=2, help="extra loads of the first ingest's reads")
    parser.add_argument("--partitions", type=int, help="partitions read in parallel (default: Settings')")
    parser.add_argument("--keep-reads", action="store_true",
                        help="keep the first run's plan and reads in --out/n<N>/reads (to load them again)")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if out == ROOT or ROOT in out.parents:
        parser.error("--out must be outside the source tree")
    out.mkdir(parents=True, exist_ok=True)
    report = {"machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python "
                         f"{platform.python_version()}", "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
              "sizes": []}
    for size, landing in sorted(args.corpus):
        report["sizes"].append(measure(size, landing, out, args.repeat, args.load_repeat, args.partitions,
                                       args.keep_reads))
        (out / "ingest_scale.json").write_text(json.dumps(report, indent=1))
    print(f"{'N':>8} " + " ".join(f"{p + ' ms/rep':>16}" for p in (*PHASES, "total")))
    for row in report["sizes"]:
        print(f"{row['reports']:>8} " + " ".join(f"{row['ms_per_report'][p]:>16.3f}" for p in (*PHASES, "total")))
    print(f"written to {out / 'ingest_scale.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
