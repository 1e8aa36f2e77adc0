"""One new report on top of N: the seconds a user waits from a new ``provreport run`` process (a
benchmark to rerun, not a test; issue #18 must-hold 3).

    .venv/bin/python benchmarks/bench_one_report.py [--reports 10000] [--repeat 3] [--profile] [--watch]
                                                   [--base /tmp/provreport-bench-one-report] [--out F.json]

Builds a warehouse of ``--reports`` generated reports once (synthetic.generator, as ``provreport bench``
generates them; kept in ``--base``/N<reports> and reused by later runs of this script), then
``--repeat`` times: a fresh copy of that warehouse (the landing folder hard-linked), one new report
dropped in, and ``provreport run`` timed as a new process. Each sample gives

- the wall time and the CPU time of the process (user + system, from ``getrusage`` of children: on a
  shared machine the CPU seconds are the steadier figure), the load average around it,
- the run's own steps as Dagster recorded them (ingest, dbt, validation, ...), and what the process spent
  outside the Dagster run (start-up, imports, definitions, the fingerprint check, publishing).

``--profile`` adds one run under ``python -X importtime`` (the slowest imports, cumulative) and one under
cProfile (the top functions by cumulative time), each on its own fresh copy: they are not timed samples.
``--watch`` adds the latency of one report landing while ``provreport watch`` runs (drop -> validated marts).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
TREE = {"root": ROOT}
SEED = 7


def say(msg: str) -> None:
    print(f"bench_one_report: {msg}", file=sys.stderr, flush=True)


def _past(path: Path, seconds: float = 120) -> None:
    """Older than the settle time: a run treats a just-written file as possibly still being copied."""
    t = time.time() - seconds
    os.utime(path, (t, t))


def env_for(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DUCKDB_PATH", "PROVREPORT_", "DAGSTER_HOME"))}
    env.update({"DUCKDB_PATH": str(work / "wh" / "w.duckdb"), "PROVREPORT_LANDING": str(work / "landing"),
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DAGSTER_TELEMETRY_DISABLED": "true"})
    return env


def cli(*args: str) -> list[str]:
    return [PYTHON, "-c", "from orchestration.cli import console_main; console_main()", *args]


def timed(command: list[str], env: dict, cwd: Path | None = None) -> dict:
    """Wall and CPU seconds of one child process (CPU: user + system of it and its own children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    # the tree whose code runs: this checkout, or another one given by --trees (python -c imports from cwd)
    proc = subprocess.run(command, env=env, cwd=cwd or TREE["root"], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} ... exited {proc.returncode}:\n{proc.stdout[-3000:]}\n"
                           f"{proc.stderr[-5000:]}")
    return {"wall_s": round(wall, 3),
            "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 3),
            "cpu_user_s": round(after.ru_utime - before.ru_utime, 3),
            "cpu_sys_s": round(after.ru_stime - before.ru_stime, 3),
            "load_1m_before": round(load_before, 2), "load_1m_after": round(os.getloadavg()[0], 2),
            "stdout": proc.stdout, "stderr": proc.stderr}


def build_base(base: Path, n_reports: int, extra: int) -> Path:
    """The warehouse of ``n_reports`` generated reports, built once by ``provreport run`` and kept."""
    from synthetic.generator import generate_corpus

    stamp = base / "built.json"
    if stamp.exists():
        info = json.loads(stamp.read_text())
        if info.get("extra", 0) >= extra:
            say(f"reusing the base of {n_reports} reports in {base} (built {info['built']}, {info['wall_s']} s)")
            return base
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    say(f"generating {n_reports} reports in {base / 'landing'} ...")
    t0 = time.perf_counter()
    generate_corpus(base / "landing", n_reports=n_reports, seed=SEED)
    generate_corpus(base / "extra", n_reports=extra, seed=SEED + 1, submission_share=0)
    for folder in ("landing", "extra"):
        (base / folder / "gold.jsonl").unlink(missing_ok=True)
        for p in (base / folder).rglob("*"):
            _past(p, 3600)
    say(f"generated in {time.perf_counter() - t0:.0f} s; building the warehouse (provreport run) ...")
    (base / "wh").mkdir()
    run = timed(cli("run"), env_for(base))
    stamp.write_text(json.dumps({"reports": n_reports, "extra": extra, "built": time.strftime("%Y-%m-%d %H:%M"),
                                 "wall_s": run["wall_s"], "cpu_s": run["cpu_s"]}))
    say(f"base built in {run['wall_s']:.0f} s wall, {run['cpu_s']:.0f} s CPU")
    return base


def fresh_copy(base: Path, into: Path) -> Path:
    """A copy of the base to add a report to: the warehouse folder copied (runs rewrite it), the landing
    folder hard-linked (runs only read it; hard links keep the size and mtime the hash cache keys on)."""
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    subprocess.run(["cp", "-a", str(base / "wh"), str(into / "wh")], check=True)
    subprocess.run(["cp", "-al", str(base / "landing"), str(into / "landing")], check=True)
    return into


def drop_report(base: Path, work: Path, index: int) -> Path:
    extras = sorted(p for p in (base / "extra").iterdir() if p.is_file())
    source = extras[index % len(extras)]
    target = work / "landing" / f"new_{index:03d}_{source.name}"
    shutil.copyfile(source, target)
    _past(target)
    return target


def dagster_breakdown(work: Path, wall: float) -> dict:
    """The newest run of the copy's Dagster instance: each step's seconds and the run's, and the wall time
    outside the run."""
    os.environ["DAGSTER_HOME"] = str(work / "wh" / ".dagster")
    from dagster import DagsterInstance

    with DagsterInstance.get() as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            return {}
        run = runs[0]
        stats = instance.get_run_stats(run.run_id)
        steps = {s.step_key: round((s.end_time or s.start_time) - s.start_time, 3)
                 for s in instance.get_run_step_stats(run.run_id) if s.start_time}
    run_s = round((stats.end_time or stats.start_time) - stats.start_time, 3) if stats.start_time else None
    return {"steps": steps, "dagster_run_s": run_s,
            "outside_run_s": round(wall - run_s, 3) if run_s is not None else None}


def run_path(base: Path, tree: Path) -> Path:
    """Where ``tree``'s samples run: one path for all of them, as a warehouse stays where it is (dbt reuses a
    parse only for the same profile, and the profile names the warehouse file)."""
    return base.parent / f"{base.name}-run-{tree.name}"


def warmed(base: Path, tree: Path) -> Path:
    """A snapshot of the base after ``tree``'s code ran on it once at :func:`run_path` (``provreport run
    --force``: every step, nothing new): what a warehouse looks like after its first run with that code
    (dbt's kept parse, Dagster's instance), so that a sample measures a later run, as users make them."""
    warm = base.parent / f"{base.name}-warm-{tree.name}"
    if not (warm / "warmed").exists():
        shutil.rmtree(warm, ignore_errors=True)
        work = fresh_copy(base, run_path(base, tree))
        say(f"warming {work} with {tree} (provreport run --force) ...")
        run = timed(cli("run", "--force"), env_for(work))
        fresh_copy(work, warm)
        (warm / "warmed").write_text(json.dumps({"wall_s": run["wall_s"], "cpu_s": run["cpu_s"]}))
    return warm


def one_sample(base: Path, scratch: Path, index: int, start: Path | None = None, at: Path | None = None) -> dict:
    """``start``: the warehouse to copy (default: the base's); ``at``: where (default: a new folder)."""
    work = fresh_copy(start or base, at or scratch / f"sample{index}")
    drop_report(base, work, index)
    result = timed(cli("run"), env_for(work))
    out = result.pop("stdout")
    result.pop("stderr")
    if out.startswith("nothing new"):
        raise RuntimeError(f"the run saw nothing new:\n{out}")
    result.update(dagster_breakdown(work, result["wall_s"]))
    result["summary_head"] = out.strip().splitlines()[:3]
    shutil.rmtree(work, ignore_errors=True)
    return result


IMPORT_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def importtime(base: Path, scratch: Path, top: int = 25) -> dict:
    """One run under ``python -X importtime``: total import seconds and the slowest top-level packages."""
    work = fresh_copy(base, scratch / "importtime")
    drop_report(base, work, 900)
    command = [PYTHON, "-X", "importtime", *cli("run")[1:]]
    result = timed(command, env_for(work))
    rows = []
    for line in result["stderr"].splitlines():
        m = IMPORT_LINE.match(line)
        if m:
            rows.append((int(m[2]) / 1e6, len(m[3]) // 2, m[4]))
    top_level = sorted(((s, name) for s, depth, name in rows if depth == 0), reverse=True)[:top]
    shutil.rmtree(work, ignore_errors=True)
    return {"wall_s": result["wall_s"], "cpu_s": result["cpu_s"],
            "imports_total_s": round(sum(s for s, depth, _ in rows if depth == 0), 3),
            "slowest_top_level": [[name, round(s, 3)] for s, name in top_level]}


PROFILE = """
import cProfile, os, sys
from orchestration.cli import main
profile = cProfile.Profile()
profile.enable()
try:
    code = main(['run'])
finally:
    profile.disable()
    profile.dump_stats(sys.argv[1])
sys.stdout.flush()
os._exit(code)
"""


def cprofile(base: Path, scratch: Path, top: int = 40) -> dict:
    work = fresh_copy(base, scratch / "cprofile")
    drop_report(base, work, 901)
    prof = scratch / "run.prof"
    result = timed([PYTHON, "-c", PROFILE, str(prof)], env_for(work))
    buffer = io.StringIO()
    stats = pstats.Stats(str(prof), stream=buffer)
    stats.sort_stats("cumulative").print_stats(top)
    shutil.rmtree(work, ignore_errors=True)
    return {"wall_s": result["wall_s"], "cpu_s": result["cpu_s"], "profile": str(prof),
            "top_cumulative": buffer.getvalue()}


def watch_latency(base: Path, scratch: Path, samples: int = 3, interval: float = 0.5,
                  start: Path | None = None, at: Path | None = None) -> dict:
    """Seconds from a file landing to the end of its run, with ``provreport watch`` already running
    (its first look finds nothing new)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.pipeline import ProcessLines

    work = fresh_copy(start or base, at or scratch / "watch")
    env = env_for(work)
    marker = f"watching {work / 'landing'}\n"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(cli("watch", "--interval", str(interval)), env=env, cwd=TREE["root"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = ProcessLines(proc)
    latencies = []
    try:
        lines.until(marker, timeout=600)
        extras = sorted(p for p in (base / "extra").iterdir() if p.is_file())
        incoming = work / "incoming"  # beside the landing folder, on the same file system
        incoming.mkdir()
        for i in range(samples):
            source = extras[(950 + i) % len(extras)]
            staged = incoming / f"watched_{i:03d}_{source.name}"
            shutil.copyfile(source, staged)
            _past(staged)
            t0 = time.perf_counter()
            staged.rename(work / "landing" / staged.name)  # one step: the watcher never sees it half-written
            lines.until(marker, timeout=600)
            latencies.append(round(time.perf_counter() - t0, 3))
            say(f"watch sample {i + 1}: {latencies[-1]:.2f} s (the watch's poll interval {interval} s included)")
    finally:
        proc.terminate()
        proc.wait(timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(work, ignore_errors=True)
    return {"samples_s": latencies, "median_s": statistics.median(latencies), "interval_s": interval,
            "process_cpu_s_incl_first_look": round(after.ru_utime - before.ru_utime + after.ru_stime
                                                   - before.ru_stime, 2)}


def median_of(samples: list[dict], key: str) -> float | None:
    values = [s[key] for s in samples if s.get(key) is not None]
    return round(statistics.median(values), 3) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=10000, help="reports in the base warehouse (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed new-process runs (default 3)")
    parser.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "provreport-bench-one-report",
                        help="where the base warehouses are kept between runs of this script")
    parser.add_argument("--rebuild", action="store_true", help="build the base again")
    parser.add_argument("--profile", action="store_true", help="one run under -X importtime and one under cProfile")
    parser.add_argument("--watch", action="store_true", help="also the latency in `provreport watch`")
    parser.add_argument("--trees", type=Path, nargs="+",
                        help="checkouts to compare (e.g. the last commit exported with git archive, and this one): "
                        "their samples alternate, so that the machine's load hits each alike; default: this one")
    parser.add_argument("--warm", action="store_true",
                        help="with --trees: start each tree's samples from a copy on which its code ran once")
    parser.add_argument("--out", type=Path, help="write the result as JSON to this file too")
    args = parser.parse_args()
    if args.trees:
        results = {}
        for tree in args.trees:
            results[str(tree)] = {"samples": []}
        with tempfile.TemporaryDirectory(prefix="bench_one_report_", dir=args.base) as scratch:
            base = args.base / f"N{args.reports}"
            build_base(base, args.reports, extra=8)
            starts = {}
            for tree in args.trees:
                TREE["root"] = tree.resolve()
                starts[tree] = warmed(base, tree) if args.warm else base
            for i in range(args.repeat):
                for tree in args.trees:
                    TREE["root"] = tree.resolve()
                    sample = one_sample(base, Path(scratch), i, starts[tree],
                                        run_path(base, tree) if args.warm else None)
                    results[str(tree)]["samples"].append(sample)
                    say(f"{tree} sample {i + 1}: wall {sample['wall_s']:.2f} s, CPU {sample['cpu_s']:.2f} s, load "
                        f"{sample['load_1m_before']:.1f}; outside the run {sample.get('outside_run_s')} s; "
                        + ", ".join(f"{k} {v:.2f}" for k, v in sample.get("steps", {}).items()))
            if args.watch:
                for tree in args.trees:
                    TREE["root"] = tree.resolve()
                    say(f"{tree}: one report at a time landing while `provreport watch` runs ...")
                    results[str(tree)]["watch"] = watch_latency(
                        base, Path(scratch), start=starts[tree], at=run_path(base, tree) if args.warm else None)
        for tree, r in results.items():
            samples = r["samples"]
            keys = sorted({k for s in samples for k in s.get("steps", {})})
            r["median"] = {"wall_s": median_of(samples, "wall_s"), "cpu_s": median_of(samples, "cpu_s"),
                           "outside_run_s": median_of(samples, "outside_run_s"),
                           "load_1m": median_of(samples, "load_1m_before"),
                           "steps": {k: round(statistics.median([s["steps"][k] for s in samples
                                                                 if k in s.get("steps", {})]), 3) for k in keys}}
            m = r["median"]
            print(f"{tree}: one new report on top of {args.reports}, median of {len(samples)} (load {m['load_1m']}): "
                  f"wall {m['wall_s']:.2f} s, CPU {m['cpu_s']:.2f} s, outside the Dagster run {m['outside_run_s']} s; "
                  + ", ".join(f"{k} {v:.2f}" for k, v in m["steps"].items()))
            if "watch" in r:
                print(f"{tree}: in `provreport watch`, drop -> validated marts: median {r['watch']['median_s']:.2f} s "
                      f"(samples {r['watch']['samples_s']}, poll interval {r['watch']['interval_s']} s)")
        if args.out:
            args.out.write_text(json.dumps({"machine": f"{platform.node()}, {os.cpu_count()} cores",
                                            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                            "reports": args.reports, "trees": results}, indent=2) + "\n")
        return
    base = args.base / f"N{args.reports}"
    if args.rebuild:
        shutil.rmtree(base, ignore_errors=True)
    build_base(base, args.reports, extra=8)
    result: dict = {
        "machine": f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "reports": args.reports,
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                 text=True).stdout.strip(),
        "samples": []}
    with tempfile.TemporaryDirectory(prefix="bench_one_report_", dir=args.base) as scratch:
        scratch = Path(scratch)
        for i in range(args.repeat):
            sample = one_sample(base, scratch, i)
            result["samples"].append(sample)
            steps = ", ".join(f"{k} {v:.2f}" for k, v in sample.get("steps", {}).items())
            say(f"sample {i + 1}/{args.repeat}: wall {sample['wall_s']:.2f} s, CPU {sample['cpu_s']:.2f} s, load "
                f"{sample['load_1m_before']:.1f}; outside the Dagster run {sample.get('outside_run_s')} s; {steps}")
        if args.profile:
            say("one run under -X importtime ...")
            result["importtime"] = importtime(base, scratch)
            say("one run under cProfile ...")
            result["cprofile"] = cprofile(base, scratch)
            keep = args.base / "last_run.prof"
            shutil.copyfile(result["cprofile"]["profile"], keep)
            result["cprofile"]["profile"] = str(keep)
        if args.watch:
            result["watch"] = watch_latency(base, scratch)
    samples = result["samples"]
    step_keys = sorted({k for s in samples for k in s.get("steps", {})})
    result["median"] = {
        "wall_s": median_of(samples, "wall_s"), "cpu_s": median_of(samples, "cpu_s"),
        "outside_run_s": median_of(samples, "outside_run_s"), "dagster_run_s": median_of(samples, "dagster_run_s"),
        "load_1m": median_of(samples, "load_1m_before"),
        "steps": {k: round(statistics.median([s["steps"][k] for s in samples if k in s.get("steps", {})]), 3)
                  for k in step_keys}}
    m = result["median"]
    print(f"one new report on top of {args.reports} ({result['machine']}; load average {m['load_1m']}), "
          f"median of {len(samples)}:")
    print(f"  new `provreport run` process: wall {m['wall_s']:.2f} s, CPU {m['cpu_s']:.2f} s")
    print(f"  outside the Dagster run (start-up, imports, definitions, check, publish): {m['outside_run_s']} s")
    print(f"  the Dagster run: {m['dagster_run_s']} s")
    for k, v in m["steps"].items():
        print(f"    step {k}: {v:.2f} s")
    if "importtime" in result:
        it = result["importtime"]
        print(f"  imports (-X importtime, top level): {it['imports_total_s']:.2f} s; slowest: "
              + ", ".join(f"{n} {s:.2f}" for n, s in it["slowest_top_level"][:10]))
    if "cprofile" in result:
        print("  cProfile, top functions by cumulative time:")
        print("\n".join("    " + line for line in result["cprofile"]["top_cumulative"].splitlines()[:60]))
    if "watch" in result:
        print(f"  in `provreport watch`: median {result['watch']['median_s']:.2f} s ({result['watch']['samples_s']})")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
