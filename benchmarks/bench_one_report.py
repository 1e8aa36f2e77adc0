"""One new report on top of N: the seconds a user waits from a new ``provreport run`` process (a
benchmark to rerun, not a test; issue #18 must-hold 3).

    .venv/bin/python benchmarks/bench_one_report.py [--reports 10000] [--repeat 3] [--profile]
                                                   [--watch [--watch-sessions K]] [--trees A B] [--warm]
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
``--watch`` adds the latency of one report landing while ``provreport watch`` runs (drop -> validated marts), after
one report the watch makes untimed (its first run imports what a running watch has imported); ``--watch-sessions K``
makes K watch sessions per tree, the trees' sessions alternated (a tree's samples back to back would meet one stretch
of the machine's load).
``--handoff`` alternates ``--repeat`` pairs: a new ``provreport run`` process alone, then one while a ``provreport
watch`` runs on a copy of the same warehouse (the run handed over to it: orchestration.handoff), each for one new
report moved into the landing folder just before the process starts; the watch is started once, and makes one
report itself before the timed ones (a watch that has been running has built once).
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
# the new reports generated beside the base, each dropped in as "one new report": a sample of the same content as
# one ingested before would find nothing new, so a watch session takes at most this many (its untimed first too)
EXTRA_REPORTS = 8


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


# The command run under a clock: the process's phases (start-up, imports, the no-op check, the definitions,
# the Dagster run, publish, summary) as a timeline written to $BENCH_TIMELINE, by wrapping the functions the
# runner calls (each looked up by name: a tree that lacks one just has no such line). Not a profiler: the
# wrappers cost microseconds, so a timed sample can run under it.
TIMELINE = r"""
import importlib, importlib.abc, importlib.util, json, os, sys, threading, time
T0 = time.time()
MARKS = []
OUT = os.environ["BENCH_TIMELINE"]

def save():
    with open(OUT, "w") as fh:
        json.dump({"process_started": T0, "marks": MARKS, "saved": time.time()}, fh)

def wrap(owner, name, label):
    fn = getattr(owner, name, None)
    if fn is None:
        return
    def timed(*args, **kwargs):
        start = time.time()
        try:
            return fn(*args, **kwargs)
        finally:
            MARKS.append([label, start, time.time()])
            if label == "summary":
                save()
    setattr(owner, name, timed)

def after_dagster():
    import dagster
    wrap(dagster.DagsterInstance, "get", "Dagster instance")
    wrap(dagster.JobDefinition, "execute_in_process", "execute_in_process")

class ImportClock(importlib.abc.MetaPathFinder):
    # the seconds of a few imports, wherever they happen (in another thread: marked as overlapping)
    watched = {"dagster": after_dagster, "orchestration.definitions": None, "great_expectations": None,
               }
    busy = set()

    def find_spec(self, name, path, target=None):
        if name not in self.watched or name in self.busy:
            return None
        self.busy.add(name)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            self.busy.discard(name)
        if spec is None or spec.loader is None:
            return spec
        exec_module, then = spec.loader.exec_module, self.watched[name]
        def timed_exec(module):
            start = time.time()
            try:
                exec_module(module)
            finally:
                thread = threading.current_thread() is not threading.main_thread()
                MARKS.append([("(in a thread) " if thread else "") + "import " + name, start, time.time()])
            if then:
                then()
        spec.loader.exec_module = timed_exec
        return spec

sys.meta_path.insert(0, ImportClock())
import orchestration.cli as cli
MARKS.append(["import orchestration.cli", T0, time.time()])
for module, name, label in [
        ("orchestration.runner", "check_warehouse", "check warehouse"),
        ("orchestration.journal", "backfill", "journal backfill"),
        ("orchestration.ingest.noop", "read_inputs", "no-op check: survey of the landing folder"),
        ("sources.warehouse", "prepare_working_copy", "working copy"),
        ("orchestration.runner", "ensure_manifest", "ensure dbt manifest"),
        ("orchestration.runner", "ensure_dagster_home", "ensure Dagster home"),
        ("orchestration.ingest.partitions", "new_files_estimate", "new files estimate"),
        ("orchestration.runner", "run_pipeline", "run_pipeline"),
        ("orchestration.runner", "_remember_inputs", "remember inputs"),
        ("orchestration.runner", "keep_previous", "keep previous"),
        ("sources.warehouse", "publish", "publish"),
        ("orchestration.outputs.summary", "print_run_summary", "summary")]:
    try:
        wrap(importlib.import_module(module), name, label)
    except ImportError:
        pass
MARKS.append(["import of the wrapped modules", MARKS[0][2], time.time()])
main = cli.main

def timed_main(*args, **kwargs):
    try:
        return main(*args, **kwargs)
    finally:
        MARKS.append(["main", T0, time.time()])
        save()

cli.main = timed_main
cli.console_main()  # as the provreport command ends: its streams flushed, then os._exit
"""


def timeline_cli(*args: str) -> list[str]:
    return [PYTHON, "-c", TIMELINE, *args]


def timeline_steps(marks: list, started: float, ended: float, dagster: dict) -> dict:
    """Seconds of each phase of one run, in the order they began (pure): the timeline's marks (a phase
    marked more than once is summed), the Dagster run's steps (from its run storage), and what lies around
    them: Python's start-up and exit, the part of ``execute_in_process`` outside the run's own time. Marks
    of work in another thread are listed but overlap the others."""
    order: dict[str, float] = {"python start-up": min((m[1] for m in marks), default=started) - started}
    spans: dict[str, list] = {}
    for label, start, end in marks:
        spans.setdefault(label, []).append((start, end))
    for label, times in sorted(spans.items(), key=lambda kv: kv[1][0][0]):
        if label in ("main", "run_pipeline", "execute_in_process"):
            continue
        order[label] = sum(e - s for s, e in times)
    if "execute_in_process" in spans:
        s, e = spans["execute_in_process"][0]
        steps = dagster.get("steps") or {}
        for step, seconds in steps.items():
            order[f"dagster step {step}"] = seconds
        if dagster.get("dagster_run_s") is not None:
            order["dagster run: outside its steps"] = dagster["dagster_run_s"] - sum(steps.values())
            order["execute_in_process: outside the run"] = (e - s) - dagster["dagster_run_s"]
    if "run_pipeline" in spans:
        begin, end = spans["run_pipeline"][0]
        inside = [lab for lab, times in spans.items() if lab not in ("main", "run_pipeline")
                  and not lab.startswith("(in a thread)") and begin <= times[0][0] < end]
        order["run_pipeline: the rest"] = end - begin - sum(e - s for lab in inside for s, e in spans[lab])
    main_end = max((e for label, s, e in marks if label == "main"), default=ended)
    order["python exit"] = ended - main_end
    order["total wall"] = ended - started
    return {k: round(v, 3) for k, v in order.items()}


def timed(command: list[str], env: dict, cwd: Path | None = None) -> dict:
    """Wall and CPU seconds of one child process (CPU: user + system of it and its own children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()[0]
    started = time.time()
    t0 = time.perf_counter()
    # the tree whose code runs: this checkout, or another one given by --trees (python -c imports from cwd)
    proc = subprocess.run(command, env=env, cwd=cwd or TREE["root"], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    ended = time.time()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} ... exited {proc.returncode}:\n{proc.stdout[-3000:]}\n"
                           f"{proc.stderr[-5000:]}")
    return {"wall_s": round(wall, 3),
            "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 3),
            "cpu_user_s": round(after.ru_utime - before.ru_utime, 3),
            "cpu_sys_s": round(after.ru_stime - before.ru_stime, 3),
            "load_1m_before": round(load_before, 2), "load_1m_after": round(os.getloadavg()[0], 2),
            "started": started, "ended": ended, "stdout": proc.stdout, "stderr": proc.stderr}


# what a checkout's code says a warehouse built by another checkout needs: its schema's latest migration and its
# dbt project's fingerprint (a base of another schema is migrated, and of another project rebuilt, by a run)
_CODE_KEY = ("from sources.schema import MIGRATIONS; from orchestration.dbt.fingerprint import project_fingerprint; "
             "print(f'schema{max(m.version for m in MIGRATIONS)}-dbt{project_fingerprint()}')")


def code_key(tree: Path) -> str:
    """``schema<N>-dbt<fingerprint>`` of the checkout ``tree``, printed by its own code (``python -c`` imports from
    its folder first); "unknown" when that code cannot say."""
    proc = subprocess.run([PYTHON, "-c", _CODE_KEY], cwd=tree, capture_output=True, text=True, check=False)
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else "unknown"


def build_base(base: Path, n_reports: int, extra: int) -> Path:
    """The warehouse of ``n_reports`` generated reports, built once by ``provreport run`` and kept. A base
    kept from code of another schema or dbt project is reused with a warning: without ``--warm`` each sample
    would also migrate it or rebuild every model."""
    from synthetic.generator import generate_corpus

    stamp = base / "built.json"
    if stamp.exists():
        info = json.loads(stamp.read_text())
        if info.get("extra", 0) >= extra:
            say(f"reusing the base of {n_reports} reports in {base} (built {info['built']}, {info['wall_s']} s)")
            now = code_key(TREE["root"])
            if info.get("code") != now:
                say(f"warning: the base was built by code {info.get('code', 'of an unrecorded schema and project')}, "
                    f"{TREE['root']} is {now}: a sample without --warm also migrates the base or rebuilds every "
                    f"model; use --warm, or --rebuild")
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
                                 "wall_s": run["wall_s"], "cpu_s": run["cpu_s"], "code": code_key(TREE["root"])}))
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


def stage_report(base: Path, work: Path, index: int, name: str) -> Path:
    """An extra report copied beside the landing folder (on its file system) with a past modification time, to
    be moved in by one rename: a watch never sees it half written."""
    extras = sorted(p for p in (base / "extra").iterdir() if p.is_file())
    source = extras[index % len(extras)]
    incoming = work / "incoming"
    incoming.mkdir(exist_ok=True)
    staged = incoming / f"{name}_{index:03d}_{source.name}"
    shutil.copyfile(source, staged)
    _past(staged)
    return staged


def drop_report(base: Path, work: Path, index: int) -> Path:
    extras = sorted(p for p in (base / "extra").iterdir() if p.is_file())
    source = extras[index % len(extras)]
    target = work / "landing" / f"new_{index:03d}_{source.name}"
    shutil.copyfile(source, target)
    _past(target)
    return target


def dagster_breakdown(work: Path, wall: float, newest: int = 1) -> dict:
    """The newest run of the copy's Dagster instance (``newest``: the n-th newest): each step's seconds and
    the run's, and the wall time outside the run."""
    os.environ["DAGSTER_HOME"] = str(work / "wh" / ".dagster")
    from dagster import DagsterInstance

    with DagsterInstance.get() as instance:
        runs = instance.get_runs(limit=newest)
        if len(runs) < newest:
            return {}
        run = runs[newest - 1]
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
    (dbt's kept parse, Dagster's instance), so that a sample measures a later run, as users make them. Named by
    the tree's folder and its :func:`code_key`: another commit checked out in the same folder warms its own."""
    warm = base.parent / f"{base.name}-warm-{tree.name}-{code_key(tree)}"
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
    timeline = work / "timeline.json"
    result = timed(timeline_cli("run"), {**env_for(work), "BENCH_TIMELINE": str(timeline)})
    out = result.pop("stdout")
    result.pop("stderr")
    if out.startswith("nothing new"):
        raise RuntimeError(f"the run saw nothing new:\n{out}")
    result.update(dagster_breakdown(work, result["wall_s"]))
    result["phases"] = timeline_steps(json.loads(timeline.read_text())["marks"], result.pop("started"),
                                      result.pop("ended"), result)
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
                  start: Path | None = None, at: Path | None = None, settle_before: float = 1.0) -> dict:
    """Seconds from a file landing to the end of its run, with ``provreport watch`` already running
    (its first look finds nothing new) and having made one report's run (not timed: the first run of a watch
    imports Dagster, dbt and Great Expectations, which a watch that has been running has done); each file lands
    ``settle_before`` seconds after the last run ended."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.pipeline import ProcessLines

    work = fresh_copy(start or base, at or scratch / "watch")
    env = env_for(work)
    marker = f"watching {work / 'landing'}\n"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    timeline = work / "timeline.json"
    proc = subprocess.Popen(timeline_cli("watch", "--interval", str(interval)),
                            env={**env, "BENCH_TIMELINE": str(timeline)}, cwd=TREE["root"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = ProcessLines(proc)
    latencies, spans, loads = [], [], []
    try:
        lines.until(marker, timeout=600)
        stage_report(base, work, 949, "warmup").rename(work / "landing" / "warmup.txt")
        lines.until(marker, timeout=600)
        for i in range(samples):
            time.sleep(settle_before)  # a watch that has waited a moment since its last run (it collects then)
            staged = stage_report(base, work, 950 + i, "watched")
            loads.append(round(os.getloadavg()[0], 2))
            t0, dropped = time.perf_counter(), time.time()
            staged.rename(work / "landing" / staged.name)  # one step: the watcher never sees it half-written
            lines.until(marker, timeout=600)
            latencies.append(round(time.perf_counter() - t0, 3))
            spans.append((dropped, time.time()))
            say(f"watch sample {i + 1}: {latencies[-1]:.2f} s (the watch's poll interval {interval} s included)")
    finally:
        proc.terminate()
        proc.wait(timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    marks = json.loads(timeline.read_text())["marks"]
    phases = []
    for i, (dropped, seen) in enumerate(spans):
        dagster = dagster_breakdown(work, seen - dropped, newest=len(spans) - i)
        within = [m for m in marks if dropped <= m[1] < seen and m[0] != "main"]
        phase = timeline_steps(within, dropped, seen, dagster)
        phase.pop("python start-up")
        phase["waiting for the poll and the settle look"] = round(min((m[1] for m in within), default=seen)
                                                                  - dropped, 3)
        phase["python exit"] = round(seen - max((m[2] for m in within), default=seen), 3)
        phases.append(phase)
    shutil.rmtree(work, ignore_errors=True)
    return {"samples_s": latencies, "median_s": statistics.median(latencies), "interval_s": interval,
            "load_1m_at_drops": loads,
            "phases": phases, "median_phases": median_phases(phases),
            "process_cpu_s_incl_first_look": round(after.ru_utime - before.ru_utime + after.ru_stime
                                                   - before.ru_stime, 2)}


def merged_watches(sessions: list[dict]) -> dict:
    """The watch sessions of one tree (:func:`watch_latency`) as one: their samples and phases together."""
    if len(sessions) == 1:
        return sessions[0]
    samples = [x for s in sessions for x in s["samples_s"]]
    phases = [p for s in sessions for p in s["phases"]]
    return {"samples_s": samples, "median_s": statistics.median(samples), "interval_s": sessions[0]["interval_s"],
            "load_1m_at_drops": [x for s in sessions for x in s["load_1m_at_drops"]], "phases": phases,
            "median_phases": median_phases(phases), "sessions": len(sessions),
            "process_cpu_s_incl_first_look": [s["process_cpu_s_incl_first_look"] for s in sessions]}


def handoff_comparison(base: Path, scratch: Path, repeat: int, start: Path | None = None, at: Path | None = None,
                       watched_at: Path | None = None, interval: float = 2.0) -> dict:
    """``repeat`` pairs, alternated: one new report and a new ``provreport run`` process alone (:func:`one_sample`,
    at ``at``), then one new report and a new ``provreport run`` process while ``provreport watch`` runs on another
    copy (``watched_at``), which the run is handed over to. The report is moved into the landing folder just before
    the process starts, so the watch may see it first: the client's request then waits behind the watch's own run
    of it and finds nothing new (``queued``, counted). Each pair's reports differ from the others' (the base keeps
    8 extra reports: at most 5 pairs)."""
    if not 1 <= repeat <= 5:
        raise SystemExit("--handoff takes 1 to 5 pairs (--repeat): the base keeps 8 extra reports")
    sys.path.insert(0, str(ROOT))
    from benchmarks.pipeline import ProcessLines

    work = fresh_copy(start or base, watched_at or scratch / "handoff")
    env = env_for(work)
    marker = f"watching {work / 'landing'}\n"
    watch = subprocess.Popen(cli("watch", "--interval", str(interval)), env=env, cwd=TREE["root"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = ProcessLines(watch)
    alone, handed = [], []
    try:
        lines.until(" every ", timeout=600)  # its first line; the next says whether it takes runs handed over
        taking = lines.until("", timeout=60)[-1]
        if not taking.startswith("taking"):
            raise RuntimeError(f"{TREE['root']}'s watch takes no run handed over: {taking.strip()}")
        lines.until(marker, timeout=600)  # its first look: nothing new
        staged = stage_report(base, work, 3, "warmup")
        staged.rename(work / "landing" / staged.name)
        lines.until(marker, timeout=600)  # the watch builds once, as one that has been running has
        for i in range(repeat):
            sample = one_sample(base, scratch, i, start, at)
            alone.append(sample)
            say(f"alone {i + 1}: wall {sample['wall_s']:.2f} s, CPU {sample['cpu_s']:.2f} s, load "
                f"{sample['load_1m_before']:.1f}")
            staged = stage_report(base, work, 4 + i, "handed")
            staged.rename(work / "landing" / staged.name)
            result = timed(cli("run"), env)
            out, err = result.pop("stdout"), result.pop("stderr")
            if not err.startswith("handed over to"):
                raise RuntimeError(f"the run was not handed over:\n{err[-3000:]}")
            result.update(queued=", after the run it is making" in err.splitlines()[0],
                          nothing_new=out.startswith("nothing new"), summary_head=out.strip().splitlines()[:2])
            for key in ("started", "ended"):
                result.pop(key)
            handed.append(result)
            lines.until("the handed-over run ended", timeout=600)
            lines.until(marker, timeout=600)
            queued = " (queued behind the watch's own run of it)" if result["queued"] else ""
            say(f"handed over {i + 1}: wall {result['wall_s']:.2f} s, CPU {result['cpu_s']:.2f} s, load "
                f"{result['load_1m_before']:.1f}{queued}")
    finally:
        watch.terminate()
        watch.wait(timeout=120)
        shutil.rmtree(work, ignore_errors=True)
    a, h = median_of(alone, "wall_s"), median_of(handed, "wall_s")
    return {"alone": alone, "handed": handed, "interval_s": interval,
            "median": {"alone_wall_s": a, "handed_wall_s": h, "ratio": round(h / a, 3),
                       "alone_cpu_s": median_of(alone, "cpu_s"), "handed_client_cpu_s": median_of(handed, "cpu_s"),
                       "load_1m": median_of(alone + handed, "load_1m_before"),
                       "queued": sum(r["queued"] for r in handed)}}


def print_handoff(tree: str, h: dict) -> None:
    m = h["median"]
    print(f"{tree}: one new report, a new `provreport run` process, median of {len(h['alone'])} pairs alternated "
          f"(load {m['load_1m']}): alone {m['alone_wall_s']:.2f} s (samples {[s['wall_s'] for s in h['alone']]}), "
          f"with `provreport watch` up, handed over {m['handed_wall_s']:.2f} s "
          f"(samples {[s['wall_s'] for s in h['handed']]}; the client's CPU {m['handed_client_cpu_s']:.2f} s; "
          f"queued behind the watch's own run of the report in {m['queued']}): ratio {m['ratio']:.2f}")


def median_phases(phases: list[dict]) -> dict:
    """Each phase's median over the samples that have it, in the order of the first sample."""
    keys = list(dict.fromkeys(k for p in phases for k in p))
    return {k: round(statistics.median([p[k] for p in phases if k in p]), 3) for k in keys}


def print_phases(title: str, phases: dict) -> None:
    print(title)
    for name, seconds in phases.items():
        print(f"    {seconds:7.2f} s  {name}")


def median_of(samples: list[dict], key: str) -> float | None:
    values = [s[key] for s in samples if s.get(key) is not None]
    return round(statistics.median(values), 3) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=10000, help="reports in the base warehouse (default 10000)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed new-process runs (default 3; 0 with --trees and --watch: the watch alone)")
    parser.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "provreport-bench-one-report",
                        help="where the base warehouses are kept between runs of this script")
    parser.add_argument("--rebuild", action="store_true", help="build the base again")
    parser.add_argument("--profile", action="store_true", help="one run under -X importtime and one under cProfile")
    parser.add_argument("--watch", action="store_true", help="also the latency in `provreport watch`")
    parser.add_argument("--watch-samples", type=int, default=3,
                        help="reports dropped in a watch session (default 3), after one that is not timed")
    parser.add_argument("--watch-sessions", type=int, default=1,
                        help="watch sessions per tree (default 1); with --trees the trees' sessions alternate, in "
                        "turned order each round, so that the machine's load hits each alike")
    parser.add_argument("--handoff", action="store_true",
                        help="--repeat pairs (1-5) alternated: a new `provreport run` process alone, and one while "
                        "`provreport watch` runs on the warehouse (handed over to it); instead of the plain samples")
    parser.add_argument("--trees", type=Path, nargs="+",
                        help="checkouts to compare (e.g. the last commit exported with git archive, and this one): "
                        "their samples alternate, so that the machine's load hits each alike; default: this one")
    parser.add_argument("--warm", action="store_true",
                        help="start each tree's samples (this checkout's without --trees) from a copy on which its "
                        "code ran once")
    parser.add_argument("--out", type=Path, help="write the result as JSON to this file too")
    args = parser.parse_args()
    if args.watch and not 1 <= args.watch_samples < EXTRA_REPORTS:
        parser.error(f"--watch-samples: 1 to {EXTRA_REPORTS - 1} (a watch session drops {EXTRA_REPORTS} different "
                     "reports at most, its untimed first one included)")
    if args.warm and not args.trees:  # the warm copies are made per tree: this checkout is the one tree
        args.trees = [ROOT]
    args.base.mkdir(parents=True, exist_ok=True)  # the scratch folders are made in it, before the base is built
    if args.trees:
        results = {}
        for tree in args.trees:
            results[str(tree)] = {"samples": []}
        with tempfile.TemporaryDirectory(prefix="bench_one_report_", dir=args.base) as scratch:
            base = args.base / f"N{args.reports}"
            build_base(base, args.reports, extra=EXTRA_REPORTS)
            starts = {}
            for tree in args.trees:
                TREE["root"] = tree.resolve()
                starts[tree] = warmed(base, tree) if args.warm else base
            for tree in args.trees if args.handoff else []:
                TREE["root"] = tree.resolve()
                results[str(tree)]["handoff"] = handoff_comparison(
                    base, Path(scratch), args.repeat, starts[tree], run_path(base, tree) if args.warm else None,
                    base.parent / f"{base.name}-handoff-{tree.name}" if args.warm else None)
                results[str(tree)]["samples"] = results[str(tree)]["handoff"]["alone"]
            for i in range(0 if args.handoff else args.repeat):
                for tree in args.trees:
                    TREE["root"] = tree.resolve()
                    sample = one_sample(base, Path(scratch), i, starts[tree],
                                        run_path(base, tree) if args.warm else None)
                    results[str(tree)]["samples"].append(sample)
                    say(f"{tree} sample {i + 1}: wall {sample['wall_s']:.2f} s, CPU {sample['cpu_s']:.2f} s, load "
                        f"{sample['load_1m_before']:.1f}; outside the run {sample.get('outside_run_s')} s; "
                        + ", ".join(f"{k} {v:.2f}" for k, v in sample.get("steps", {}).items()))
            sessions: dict[Path, list[dict]] = {tree: [] for tree in args.trees}
            for round_ in range(args.watch_sessions if args.watch else 0):
                for tree in args.trees if round_ % 2 == 0 else args.trees[::-1]:
                    TREE["root"] = tree.resolve()
                    say(f"{tree}: one report at a time landing while `provreport watch` runs, session {round_ + 1}")
                    sessions[tree].append(watch_latency(
                        base, Path(scratch), samples=args.watch_samples, start=starts[tree],
                        at=run_path(base, tree) if args.warm else None))
            for tree in args.trees if args.watch else []:
                results[str(tree)]["watch"] = merged_watches(sessions[tree])
        for tree, r in results.items():
            samples = r["samples"]
            keys = sorted({k for s in samples for k in s.get("steps", {})})
            r["median"] = {"wall_s": median_of(samples, "wall_s"), "cpu_s": median_of(samples, "cpu_s"),
                           "outside_run_s": median_of(samples, "outside_run_s"),
                           "load_1m": median_of(samples, "load_1m_before"),
                           "steps": {k: round(statistics.median([s["steps"][k] for s in samples
                                                                 if k in s.get("steps", {})]), 3) for k in keys}}
            m = r["median"]
            r["median"]["phases"] = median_phases([s["phases"] for s in samples if "phases" in s])
            if samples:  # --repeat 0 --watch: the watch alone
                print(f"{tree}: one new report on top of {args.reports}, median of {len(samples)} (load "
                      f"{m['load_1m']}): wall {m['wall_s']:.2f} s, CPU {m['cpu_s']:.2f} s, outside the Dagster run "
                      f"{m['outside_run_s']} s; " + ", ".join(f"{k} {v:.2f}" for k, v in m["steps"].items()))
                print_phases(f"{tree}: where the seconds go (medians of each phase)", r["median"]["phases"])
            if "handoff" in r:
                print_handoff(tree, r["handoff"])
            if "watch" in r:
                print_phases(f"{tree}: in `provreport watch` (medians of each phase)", r["watch"]["median_phases"])
                print(f"{tree}: in `provreport watch`, drop -> validated marts: median {r['watch']['median_s']:.2f} s "
                      f"(samples {r['watch']['samples_s']}, poll interval {r['watch']['interval_s']} s, load "
                      f"{r['watch']['load_1m_at_drops']})")
        if args.out:
            args.out.write_text(json.dumps({"machine": f"{platform.node()}, {os.cpu_count()} cores",
                                            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                            "reports": args.reports, "trees": results}, indent=2) + "\n")
        return
    base = args.base / f"N{args.reports}"
    if args.rebuild:
        shutil.rmtree(base, ignore_errors=True)
    build_base(base, args.reports, extra=EXTRA_REPORTS)
    result: dict = {
        "machine": f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "reports": args.reports,
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                 text=True).stdout.strip(),
        "samples": []}
    with tempfile.TemporaryDirectory(prefix="bench_one_report_", dir=args.base) as scratch:
        scratch = Path(scratch)
        if args.handoff:
            result["handoff"] = handoff_comparison(base, scratch, args.repeat)
            result["samples"] = result["handoff"]["alone"]
        for i in range(0 if args.handoff else args.repeat):
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
            result["watch"] = watch_latency(base, scratch, samples=args.watch_samples)
    samples = result["samples"]
    step_keys = sorted({k for s in samples for k in s.get("steps", {})})
    result["median"] = {
        "wall_s": median_of(samples, "wall_s"), "cpu_s": median_of(samples, "cpu_s"),
        "outside_run_s": median_of(samples, "outside_run_s"), "dagster_run_s": median_of(samples, "dagster_run_s"),
        "load_1m": median_of(samples, "load_1m_before"),
        "steps": {k: round(statistics.median([s["steps"][k] for s in samples if k in s.get("steps", {})]), 3)
                  for k in step_keys}}
    result["median"]["phases"] = median_phases([s["phases"] for s in samples if "phases" in s])
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
    print_phases("  where the seconds go (median of each phase):", m["phases"])
    if "handoff" in result:
        print_handoff("  this checkout", result["handoff"])
    if "watch" in result:
        print_phases("  in `provreport watch` (median of each phase):", result["watch"]["median_phases"])
        print(f"  in `provreport watch`: median {result['watch']['median_s']:.2f} s ({result['watch']['samples_s']})")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
