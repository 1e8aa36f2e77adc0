"""The pipeline against a bare baseline, on a generated corpus (``provreport bench`` or
``python -m benchmarks.pipeline`` from the checkout; needs ``synthetic``, in the source tree only).

Generates N synthetic reports (deterministic) in a temporary folder and measures, in one run
of this command so the machine's noise hits both sides alike:

- extraction throughput in one process (normalise + extract + resolve, no I/O),
- the pipeline end to end through Dagster (ingest, dbt build, validation), its peak memory,
  and one new report landing on top of the N: in a new ``provreport run`` process (the figure
  a user waits for; median of three), then another in the same warm process (what a long-lived
  worker pays), and one landing while ``provreport watch`` runs (drop -> validated marts),
- a bare baseline: the same ingest writing straight to DuckDB, the compiled dbt SQL executed
  directly in dependency order, and the compiled SQL of the dbt tests (the same checks ``dbt build``
  runs, read from the manifest, not copies),
- the extraction's strict F1 against the generated gold (../shared/tools/score_figures.py).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT, Settings, dbt_executable

SCORER = PROJECT_ROOT.parent / "shared" / "tools" / "score_figures.py"
COLD_REPEATS = 3  # one new report, timed in a new process this many times: the median is quoted
# Of the prose reports and of the submissions, this share is dated after the 1 July 2025 reform and is about a
# commune of the new map (the rest: districts, 2016-2024). The generator's pre-reform years are 9, the post-reform
# span 1.5 (July 2025 - December 2026): 1.5 / 10.5 is about 0.15.
REFORM_SHARE = 0.15


def _peak_rss_mb() -> float:
    """The largest resident set of this process or of any one waited-for child (getrusage): not the
    sum of processes running at once; :class:`TreeMemory` measures that."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _descendants(root: int) -> list[int]:
    """``root`` and every process under it, from the parent ids in /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rfind(b")") + 2:].split()  # after "(comm) ": state, ppid, ...
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def tree_rss_bytes(root: int | None = None) -> tuple[int, int]:
    """Resident bytes of ``root`` (default: this process) and all its descendants together, and how
    many processes that is. Pages shared between processes count in each: an upper bound."""
    total, count = 0, 0
    for pid in _descendants(root or os.getpid()):
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * _PAGE
            count += 1
        except (OSError, IndexError, ValueError):
            continue
    return total, count


class TreeMemory:
    """Peak memory of the bench's process tree (this process and every child at once: Dagster's
    workers, the ingest's reader processes, ``provreport`` runs, the scorer), sampled from /proc
    every ``interval`` seconds by a thread; :meth:`begin_step` / :meth:`end_step` give one step's peak."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.peak = self.step_peak = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> int:
        rss, count = tree_rss_bytes()
        with self._lock:
            if rss > self.peak:
                self.peak, self.peak_processes = rss, count
            self.step_peak = max(self.step_peak, rss)
        return rss

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            with suppress(Exception):  # /proc races (a process ending mid-read) must not end the sampling
                self.sample()

    def __enter__(self) -> TreeMemory:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def begin_step(self) -> None:
        with self._lock:
            self.step_peak = 0
        self.sample()

    def end_step(self) -> float:
        """The step's peak in MB."""
        self.sample()
        with self._lock:
            return round(self.step_peak / 2**20, 1)


def uptime() -> str:
    """``uptime``'s line (the load averages of the shared machine), for the JSON."""
    with suppress(OSError, subprocess.CalledProcessError):
        return subprocess.run(["uptime"], check=True, capture_output=True, text=True).stdout.strip()
    return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def measure_extraction(folder: Path, limit: int = 2000) -> dict:
    """Reports per second in one process, on up to ``limit`` reports already decoded."""
    from sources.extract import extract_report
    from sources.places import Gazetteer
    from sources.readers import read_narrative
    from sources.text import normalise_text

    gazetteer = Gazetteer.load()
    paths = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md", ".html", ".docx"))[:limit]
    decoded = [read_narrative(p, p.read_bytes()).text for p in paths]
    per_report = []
    started = time.perf_counter()
    for raw in decoded:
        t0 = time.perf_counter()
        text = normalise_text(raw)
        facts = extract_report(text)
        gazetteer.resolve(text, on_date=facts.report_date)
        per_report.append(time.perf_counter() - t0)
    total = time.perf_counter() - started
    return {
        "extraction_reports": len(decoded),
        "extraction_reports_per_second": round(len(decoded) / total, 1) if total else None,
        "extraction_median_ms": round(statistics.median(per_report) * 1000, 2) if per_report else None,
    }


def _step_spans(run_id: str) -> dict[str, tuple[float, float]]:
    """Start and end (epoch seconds) of each Dagster step, from the instance's step statistics."""
    from dagster import DagsterInstance

    with DagsterInstance.get() as instance:
        return {s.step_key: (s.start_time, s.end_time or s.start_time)
                for s in instance.get_run_step_stats(run_id) if s.start_time}


def _step_durations(run_id: str) -> dict[str, float]:
    """Seconds per Dagster step, from the instance's step statistics."""
    return {k: end - start for k, (start, end) in _step_spans(run_id).items()}


def stage_walls(spans: dict[str, tuple[float, float]]) -> dict[str, float]:
    """Wall seconds of each stage of the pipeline (ingest, dbt, validation): from the first of its steps
    to start to the last to end. A stage of several steps (the ingest's plan, partitions read in parallel
    step processes, load) is its span, not the sum of its steps, which would count parallel steps twice."""
    out = {}
    for stage, word in (("ingest", "ingest"), ("dbt", "dbt"), ("validation", "great_expectations")):
        mine = [span for key, span in spans.items() if word in key]
        if mine:
            out[stage] = max(end for _, end in mine) - min(start for start, _ in mine)
    return out


def prime_dagster_home(settings: Settings) -> None:
    """Create the Dagster instance of ``settings`` (its SQLite storages: runs, event log, schedules) before the
    bench's first run. The progress line opens the instance from a thread while the run starts; on a new
    home, two processes or threads creating the schedule storage at once stamp its alembic_version twice and
    every later open fails ("more than one head present"), as it did once at 10 000 reports when the
    runner's definitions took more than the first 15 s to import."""
    from dagster import DagsterInstance

    from orchestration.settings import ensure_dagster_home

    settings.export()
    ensure_dagster_home(settings.dagster_home, postgres=settings.dagster_on_postgres)
    with DagsterInstance.get() as instance:
        instance.get_runs(limit=1)


def run_pipeline_timed(settings: Settings, spans: dict | None = None) -> tuple[float, dict[str, float], bool]:
    """Wall seconds, each step's seconds and success of one pipeline run in this process (``spans``, when
    given, receives each step's start and end)."""
    from orchestration.runner import run_pipeline

    t0 = time.perf_counter()
    result = run_pipeline(settings)
    wall = time.perf_counter() - t0
    step_spans = _step_spans(result.run_id)
    if spans is not None:
        spans.update(step_spans)
    return wall, {k: end - start for k, (start, end) in step_spans.items()}, result.success


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "orchestration.cli", *args]


def run_cli_timed(settings: Settings) -> float:
    """Wall time of ``provreport run`` as a user (or a sensor-launched run) pays it: a new process."""
    t0 = time.perf_counter()
    proc = subprocess.run(_cli("run"), env={**os.environ, **settings.env()},
                          check=False, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"`provreport run` exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return wall


class ProcessLines:
    """The process's stdout lines, read by a thread (select() cannot see what readline has buffered)."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(proc.stdout,), daemon=True).start()

    def _pump(self, stream) -> None:
        for line in stream:
            self.queue.put(line)
        self.queue.put(None)

    def until(self, marker: str, timeout: float) -> list[str]:
        """Lines up to and including the first that contains ``marker``."""
        lines: list[str] = []
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            lines.append(line)
            self.seen.append(line)
            if marker in line:
                return lines
        raise AssertionError(f"no line with {marker!r} within {timeout} s; got:\n{''.join(self.seen)}")


def watch_latency(settings: Settings, new_file: Path, interval: float = 1.0) -> float:
    """Seconds from a file landing to validated marts, with ``provreport watch`` already running."""
    proc = subprocess.Popen(_cli("watch", "--interval", str(interval)),
                            env={**os.environ, **settings.env()}, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    lines = ProcessLines(proc)
    try:
        lines.until(f"watching {settings.landing}\n", timeout=600)  # its first run: nothing new
        shutil.copy(new_file, settings.landing / ("watched_" + new_file.name))
        landed = time.perf_counter()
        lines.until(f"watching {settings.landing}\n", timeout=600)
        return time.perf_counter() - landed
    finally:
        proc.terminate()
        proc.wait(timeout=120)


def baseline(folder: Path, workdir: Path) -> dict:
    """The same work with no orchestration: ingest -> compiled model SQL -> compiled test SQL."""
    import duckdb

    from sources import warehouse

    db = workdir / "baseline.duckdb"
    t0 = time.perf_counter()
    con = duckdb.connect(str(db))
    partitions = bare_ingest(folder, con, db)
    t_ingest = time.perf_counter() - t0
    manifest = compiled_manifest(workdir)
    con.execute("create schema if not exists reference")
    t1 = time.perf_counter()
    for node in manifest["nodes"].values():
        if node["resource_type"] == "seed":
            csv = DBT_PROJECT_DIR / node["original_file_path"]
            # the column types the seed's yml declares (codes stay text, validity dates are dates), as dbt seed
            # loads them
            declared = node["config"].get("column_types") or {}
            types = ", ".join(f"'{column}': '{kind}'" for column, kind in declared.items())
            typed = f", types = {{{types}}}" if types else ""
            con.execute(f"create or replace table reference.{node['name']} as select * from "
                        f"read_csv(?, header = true, all_varchar = false{typed})", [str(csv)])
    models = _topological_models(manifest)
    for node in models:
        schema = node["config"].get("schema") or "main"
        con.execute(f"create schema if not exists {schema}")
        kind = "view" if node["config"]["materialized"] == "view" else "table"
        con.execute(f"create or replace {kind} {schema}.{node['name']} as {node['compiled_code']}")
    t_sql = time.perf_counter() - t1
    checks = baseline_checks(manifest)
    t2 = time.perf_counter()
    for sql in checks:
        con.execute(sql).fetchall()
    t_checks = time.perf_counter() - t2
    con.close()
    warehouse  # noqa: B018  (imported for the schema it creates through ingest_landing)
    return {"baseline_ingest_partitions": partitions,
            "baseline_ingest_seconds": round(t_ingest, 2), "baseline_sql_seconds": round(t_sql, 2),
            "baseline_checks_seconds": round(t_checks, 3), "baseline_checks": len(checks),
            "baseline_seconds": round(t_ingest + t_sql + t_checks, 2)}


def bare_ingest(folder: Path, con, db: Path, run_id: str = "baseline") -> int | None:
    """The ingest with no orchestration, reading on as many cores as the pipeline's ingest does: with
    ``sources.ingest.plan_ingest`` (partitioned ingest), the plan, the partitions the pipeline would use
    (``Settings.ingest_partitions``) each read by ``read_partition`` (its own sandboxed worker process) from a
    thread of this process, and the load; before it, ``ingest_landing``, which had its own pool of readers.
    Returns the number of partitions read in parallel (None: ingest_landing's own pool)."""
    from concurrent.futures import ThreadPoolExecutor

    from sources import ingest

    if not hasattr(ingest, "plan_ingest"):
        ingest.ingest_landing(folder, con, run_id)
        return None
    plan = ingest.plan_ingest(folder, con, run_id)
    # the partitions the pipeline's runner would choose here (PROVREPORT_INGEST_WORKERS, ..._PARALLEL_FROM)
    plan.partitions = Settings(warehouse=db, landing=folder).ingest_partitions(len(plan.fresh))
    with ThreadPoolExecutor(max_workers=plan.partitions) as pool:
        reads = list(pool.map(lambda k: ingest.read_partition(plan, k), range(plan.partitions)))
    ingest.load_ingest(con, plan, reads)
    return plan.partitions


def baseline_checks(manifest: dict) -> list[str]:
    """The checks ``dbt build`` runs, as it runs them: the compiled SQL of every data test of the project
    (schema and singular tests, from the manifest of :func:`compile_dbt`), each counting its failing rows
    the way dbt's test materialization wraps it. No copy of a check is written here."""
    return [f"select count(*) as failures from (\n{node['compiled_code']}\n) as dbt_internal_test"
            for _, node in sorted(manifest["nodes"].items()) if node["resource_type"] == "test"]


def _topological_models(manifest: dict) -> list[dict]:
    nodes = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}
    order, seen = [], set()

    def visit(key: str) -> None:
        if key in seen or key not in nodes:
            return
        seen.add(key)
        for dep in nodes[key]["depends_on"]["nodes"]:
            visit(dep)
        order.append(nodes[key])

    for key in sorted(nodes):
        visit(key)
    return order


def compile_dbt(env: dict, workdir: Path) -> None:
    """``dbt compile`` into ``workdir`` (its manifest: :func:`compiled_manifest`), not into the project's
    target folder, which other dbt runs on this tree rewrite (a parse leaves no compiled SQL there)."""
    subprocess.run([dbt_executable(), "compile", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
                    str(DBT_PROJECT_DIR), "--target-path", str(workdir / "dbt-target"), "--log-path",
                    str(workdir / "dbt-logs"), "--quiet"], env=env, check=True, capture_output=True)


def compiled_manifest(workdir: Path) -> dict:
    """The manifest :func:`compile_dbt` wrote into ``workdir``: every model's and test's compiled SQL."""
    return json.loads((workdir / "dbt-target" / "manifest.json").read_text(encoding="utf-8"))


def _strict_f1(warehouse: Path, gold: Path) -> float | None:
    proc = subprocess.run([sys.executable, str(SCORER), "--warehouse", str(warehouse), "--gold", str(gold), "--json"],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        say(f"score: {SCORER.name} failed on {gold.name} (exit {proc.returncode}): "
            f"{(proc.stderr.strip().splitlines() or ['no message'])[-1]}")
        return None
    return json.loads(proc.stdout)["micro"]["strict_f1"]


def score(warehouse: Path, gold: Path) -> dict:
    """The extraction's strict F1 against the generated gold (../shared/tools/score_figures.py), over every
    report (``recall_strict_f1``) and over the reports the warehouse holds as current
    (``strict_f1_current_reports``, with ``superseded_reports``). The generator draws each prose report's unit,
    year and title at random, so a larger corpus holds more reports on one unit, period and title: the
    warehouse keeps the later one current and the earlier one as a superseded version whose figures leave the
    marts, and the first F1 counts those figures as missed although they were read."""
    result: dict = {"recall_strict_f1": None, "strict_f1_current_reports": None, "superseded_reports": None}
    if not SCORER.exists() or not gold.exists():
        missing = SCORER if not SCORER.exists() else gold
        say(f"score: skipped, {missing} does not exist (the scorer is ../shared/tools/score_figures.py beside the "
            f"checkout); the F1 fields stay null")
        result["score_skipped"] = f"{missing} does not exist"
        return result
    result["recall_strict_f1"] = _strict_f1(warehouse, gold)
    from sources.connection import as_warehouse

    with as_warehouse(warehouse).connect(read_only=True) as con:
        superseded = {Path(f).name for (f,) in con.execute(
            "select source_file from marts.fct_report_versions where not is_current").fetchall()}
    current_gold = gold.with_name(gold.stem + ".current.jsonl")
    with gold.open(encoding="utf-8") as lines, current_gold.open("w", encoding="utf-8") as kept:
        kept.writelines(line for line in lines if Path(json.loads(line)["doc"]).name not in superseded)
    result["superseded_reports"] = len(superseded)
    result["strict_f1_current_reports"] = _strict_f1(warehouse, current_gold)
    return result


def say(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def _cpu_seconds() -> float:
    """CPU seconds (user and system) of this process and of its children waited for: on a shared machine
    the wall clock counts the other processes' turns, the CPU time does not."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class StepClock:
    """Times the bench's own steps, prints each as it finishes (on stderr) and, for a long step,
    a progress line every ``tick`` seconds (with counts when the step can report them)."""

    def __init__(self, n_reports: int | None, tick: float = 15.0, memory: TreeMemory | None = None) -> None:
        self.n = n_reports or "all sizes"
        self.tick = tick
        self.memory = memory
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}
        self.peak_mb: dict[str, float] = {}

    @contextmanager
    def step(self, name: str, what: str, progress: Callable[[], str] | None = None) -> Iterator[None]:
        say(f"[N={self.n}] {name}: {what} ...")
        done = threading.Event()
        t0 = time.perf_counter()
        cpu0 = _cpu_seconds()

        def ticker() -> None:
            while not done.wait(self.tick):
                extra = f", {progress()}" if progress else ""
                if self.memory:
                    extra += f", process tree {self.memory.sample() / 2**20:,.0f} MB now"
                say(f"[N={self.n}]   {name}: {time.perf_counter() - t0:.0f} s so far{extra}")

        thread = threading.Thread(target=ticker, daemon=True)
        if self.memory:
            self.memory.begin_step()
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()
            self.seconds[name] = round(time.perf_counter() - t0, 2)
            self.cpu_seconds[name] = round(_cpu_seconds() - cpu0, 2)
            memory = f", CPU {self.cpu_seconds[name]:.1f} s"
            if self.memory:
                self.peak_mb[name] = self.memory.end_step()
                memory += f", peak {self.peak_mb[name]:,.0f} MB, process tree"
            say(f"[N={self.n}] {name}: {self.seconds[name]:.2f} s ({memory.removeprefix(', ')})")


def _files_in(folder: Path, total: int) -> Callable[[], str]:
    def count() -> str:
        try:
            n = sum(1 for p in folder.iterdir() if p.is_file())
        except OSError:
            n = 0
        return f"{n} of {total} files"
    return count


def _dagster_progress(expected: int = 4) -> Callable[[], str]:
    """For the progress line of a Dagster run in progress: its steps done (of at least ``expected``: a
    partitioned ingest has more), with times."""
    def progress() -> str:
        try:
            from dagster import DagsterInstance

            with DagsterInstance.get() as instance:
                run = instance.get_runs(limit=1)[0]
                done = [(s.step_key, s.end_time - s.start_time)
                        for s in instance.get_run_step_stats(run.run_id) if s.start_time and s.end_time]
        except Exception:  # the instance may be busy or not created yet: the line goes without counts
            return "Dagster steps done: unknown"
        return f"Dagster steps done: {len(done)} (of at least {expected})" + (
            " (" + ", ".join(f"{k} {v:.1f} s" for k, v in done) + ")" if done else "")
    return progress


def _latest_run_breakdown(wall: float | None = None) -> dict:
    """The newest Dagster run of the instance: its duration and each step's seconds, and (given the
    wall time around it) what the process spent outside the run (start-up, imports, definitions,
    the fingerprint check, publishing the warehouse, exit)."""
    from dagster import DagsterInstance

    with DagsterInstance.get() as instance:
        run = instance.get_runs(limit=1)[0]
        stats = instance.get_run_stats(run.run_id)
        steps = {s.step_key: round((s.end_time or s.start_time) - s.start_time, 2)
                 for s in instance.get_run_step_stats(run.run_id) if s.start_time}
    run_seconds = round((stats.end_time or stats.start_time) - stats.start_time, 2) if stats.start_time else None
    out = {"run_id": run.run_id, "dagster_run_seconds": run_seconds, "steps": steps,
           "inside_run_outside_steps_seconds": round(run_seconds - sum(steps.values()), 2) if run_seconds else None}
    if wall is not None:
        out["wall_seconds"] = round(wall, 2)
        out["outside_dagster_run_seconds"] = round(wall - run_seconds, 2) if run_seconds else None
    return out


# What a new process pays before any data work: each measured as `python -c "import ..."` (median of 3)
IMPORTS = {
    "python_bare": "pass",
    "dagster": "import dagster",
    "orchestration.definitions": "from orchestration.definitions import defs",
    "great_expectations": "import great_expectations",
    "dbt.cli.main": "import dbt.cli.main",
    "duckdb+polars": "import duckdb, polars",
}


def measure_imports(repeats: int = 3) -> dict[str, float]:
    out = {}
    for name, stmt in IMPORTS.items():
        samples = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", stmt], check=True, capture_output=True, cwd=PROJECT_ROOT)
            samples.append(time.perf_counter() - t0)
        out[name] = round(statistics.median(samples), 2)
    return out


def bench_one(n_reports: int, *, keep: bool = False, seed: int = 7, cold_repeats: int = COLD_REPEATS,
              reform_share: float = REFORM_SHARE, new_report_once: bool = False, workroot: Path | None = None) -> dict:
    """The whole bench at one size; raises if the pipeline or the baseline breaks. With ``new_report_once``
    one new report is timed in one new process only (no median), and the warm-process and ``watch``
    measurements are skipped (for the largest size, to fit the time); the result says so."""
    with TreeMemory() as memory:
        return _bench_one(n_reports, keep=keep, seed=seed, cold_repeats=1 if new_report_once else cold_repeats,
                          reform_share=reform_share, new_report_once=new_report_once, workroot=workroot,
                          memory=memory)


def _bench_one(n_reports: int, *, keep: bool, seed: int, cold_repeats: int, reform_share: float,
               new_report_once: bool, workroot: Path | None, memory: TreeMemory) -> dict:
    from synthetic.generator import generate_corpus

    if workroot:
        workroot.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="provreport-bench-", dir=workroot))
    landing = workdir / "landing"
    extra = workdir / "extra"
    clock = StepClock(n_reports, memory=memory)
    result: dict = {"reports": n_reports, "workdir": str(workdir) if keep else None, "uptime_start": uptime(),
                    "commit": machine().get("commit"),
                    "reform_share": reform_share,
                    "new_report_measurements": "one new-process run only; warm process and watch skipped "
                    "(--new-report-once-above)" if new_report_once else
                    f"{cold_repeats} new-process runs (median), one warm-process run, one under watch"}
    try:
        with clock.step("generate", f"{n_reports} reports in {landing} ({reform_share:.0%} after the 2025 reform)",
                        _files_in(landing, n_reports + 1)):
            corpus = generate_corpus(landing, n_reports=n_reports, seed=seed, reform_share=reform_share)
            generate_corpus(extra, n_reports=cold_repeats + 2, seed=seed + 1, submission_share=0)
        result["corpus"] = {"documents": corpus.reports, "submissions": corpus.submissions,
                            "after_reform": len(corpus.post_reform), "gold_figures": corpus.figures}
        gold = landing / "gold.jsonl"
        if gold.exists():
            shutil.move(str(gold), workdir / "gold.jsonl")
        (extra / "gold.jsonl").unlink(missing_ok=True)
        result["generate_seconds"] = clock.seconds["generate"]
        with clock.step("extraction", "throughput in one process (up to 2000 reports)"):
            result.update(measure_extraction(landing))
        settings = Settings(warehouse=workdir / "bench.duckdb", landing=landing, dagster_home=workdir / "dagster",
                            docs_dir=workdir / "docs", dbt_target="duckdb")
        spans: dict[str, tuple[float, float]] = {}
        prime_dagster_home(settings)
        with clock.step("pipeline", "end to end through Dagster (ingest, dbt build, validation)",
                        _dagster_progress()):
            e2e, steps, ok = run_pipeline_timed(settings, spans)
        if not ok:
            raise RuntimeError(f"the pipeline failed at N={n_reports}; steps: {steps}")
        walls = stage_walls(spans)
        result.update({"e2e_seconds": round(e2e, 2), "pipeline_succeeded": ok,
                       "dbt_build_seconds": round(walls.get("dbt", 0), 2),
                       "validation_seconds": round(walls.get("validation", 0), 2),
                       "ingest_seconds": round(walls.get("ingest", 0), 2),
                       "ingest_steps": sum("ingest" in k for k in steps),
                       "steps": {k: round(v, 2) for k, v in steps.items()}})
        say(f"[N={n_reports}]   Dagster steps: " + ", ".join(f"{k} {v:.2f} s" for k, v in result["steps"].items()))
        new_files = [p for p in sorted(extra.iterdir()) if p.is_file()]
        cold, cold_breakdowns = [], []
        with clock.step("new_report_new_process", f"one new report on top, {cold_repeats} times, each in a new "
                        "`provreport run` process"):
            for i, new_file in enumerate(new_files[:cold_repeats], 1):
                shutil.copy(new_file, landing / ("new_" + new_file.name))
                cold.append(run_cli_timed(settings))
                cold_breakdowns.append(_latest_run_breakdown(cold[-1]))
                say(f"[N={n_reports}]   run {i} of {cold_repeats}: {cold[-1]:.2f} s")
        result["incremental_one_report_seconds"] = round(statistics.median(cold), 2)
        result["incremental_one_report_samples"] = [round(c, 2) for c in cold]
        result["new_report_breakdown"] = {"new_process": _median_breakdown(cold_breakdowns),
                                          "new_process_samples": cold_breakdowns}
        if not new_report_once:
            with clock.step("new_report_warm", "one more new report, in this (warm) process", _dagster_progress()):
                shutil.copy(new_files[cold_repeats], landing / ("new_" + new_files[cold_repeats].name))
                inc, inc_steps, inc_ok = run_pipeline_timed(settings)
            if not inc_ok:
                raise RuntimeError(f"the warm incremental run failed at N={n_reports}; steps: {inc_steps}")
            result["incremental_one_report_in_process_seconds"] = round(inc, 2)
            result["incremental_steps"] = {k: round(v, 2) for k, v in inc_steps.items()}
            with clock.step("new_report_watch", "one new report landing while `provreport watch` runs"):
                result["incremental_one_report_watch_seconds"] = round(
                    watch_latency(settings, new_files[cold_repeats + 1]), 2)
                watch_breakdown = _latest_run_breakdown()
            result["new_report_breakdown"].update({
                "warm_process": {"wall_seconds": round(inc, 2), "steps": result["incremental_steps"],
                                 "outside_steps_seconds": round(inc - sum(inc_steps.values()), 2)},
                "watch": {**watch_breakdown, "wall_seconds": result["incremental_one_report_watch_seconds"],
                          "outside_dagster_run_seconds": _minus(result["incremental_one_report_watch_seconds"],
                                                                watch_breakdown["dagster_run_seconds"])},
            })
        # the largest single process (getrusage), and the whole process tree at once (sampled from /proc)
        result["peak_memory_single_process_mb"] = round(_peak_rss_mb(), 1)
        result["peak_memory_mb"] = round(memory.peak / 2**20, 1)
        result["pipeline_peak_memory_mb"] = clock.peak_mb.get("pipeline")
        with clock.step("score", "strict F1 against the generated gold (all reports; current reports)"):
            result.update(score(settings.warehouse, workdir / "gold.jsonl"))
        for extra_file in new_files:  # the baseline reads the N reports only
            for prefix in ("new_", "watched_"):
                (landing / (prefix + extra_file.name)).unlink(missing_ok=True)
        with clock.step("baseline_compile", "dbt compile for the bare baseline"):
            # compiled against the baseline file itself, so the SQL names its catalog
            compile_dbt({**os.environ, "DUCKDB_PATH": str(workdir / "baseline.duckdb")}, workdir)
        with clock.step("baseline", "bare baseline (DuckDB + compiled model SQL + compiled dbt tests)"):
            result.update(baseline(landing, workdir))
        result["ratio_to_baseline"] = round(result["e2e_seconds"] / result["baseline_seconds"], 2)
        result["bench_steps_seconds"] = dict(clock.seconds)
        result["bench_steps_peak_memory_mb"] = dict(clock.peak_mb)
        # CPU of this process and its children waited for (Dagster's step processes, readers, provreport runs)
        result["bench_steps_cpu_seconds"] = dict(clock.cpu_seconds)
        result["peak_memory_mb"] = round(memory.peak / 2**20, 1)
        result["peak_memory_processes"] = memory.peak_processes
        result["uptime_end"] = uptime()
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return result


def _minus(a: float | None, b: float | None) -> float | None:
    return round(a - b, 2) if a is not None and b is not None else None


def _median_breakdown(samples: list[dict]) -> dict:
    """Median of each figure over the new-process samples."""
    def med(values: list) -> float | None:
        values = [v for v in values if v is not None]
        return round(statistics.median(values), 2) if values else None

    keys = sorted({k for s in samples for k in s["steps"]})
    return {"wall_seconds": med([s.get("wall_seconds") for s in samples]),
            "outside_dagster_run_seconds": med([s.get("outside_dagster_run_seconds") for s in samples]),
            "dagster_run_seconds": med([s.get("dagster_run_seconds") for s in samples]),
            "inside_run_outside_steps_seconds": med([s.get("inside_run_outside_steps_seconds") for s in samples]),
            "steps": {k: med([s["steps"].get(k) for s in samples]) for k in keys}}


def machine() -> dict:
    info: dict = {"nproc": os.cpu_count(), "python": sys.version.split()[0]}
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    with suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    with suppress(OSError, subprocess.CalledProcessError):
        info["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, check=True,
                                        capture_output=True, text=True).stdout.strip()
        # the code measured is the tree's: files changed since the commit are measured too, so they are named
        info["uncommitted"] = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                                             check=True, capture_output=True, text=True).stdout.splitlines()
    info["tree"] = str(PROJECT_ROOT)
    return info


def write_html(bench: dict, path: Path) -> None:
    """A self-contained chart (plotly.js inline, no network): each step's seconds against N, and where
    one new report's seconds go at each N."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    runs = sorted(bench["runs"], key=lambda r: r["reports"])
    ns = [r["reports"] for r in runs]
    fig = make_subplots(rows=1, cols=3, column_widths=[0.45, 0.33, 0.22], subplot_titles=(
        "seconds per step against N (log-log)", "one new report on top of N, new process: where the seconds go",
        "peak memory (MB) against N"))
    series: dict[str, list] = {
        "end to end (Dagster)": [r.get("e2e_seconds") for r in runs],
        "bare baseline": [r.get("baseline_seconds") for r in runs],
        "new report, new process (median)": [r.get("incremental_one_report_seconds") for r in runs],
        "new report, warm process": [r.get("incremental_one_report_in_process_seconds") for r in runs],
        "new report, watch": [r.get("incremental_one_report_watch_seconds") for r in runs],
        "generate corpus": [r.get("generate_seconds") for r in runs],
    }
    for key in sorted({k for r in runs for k in r.get("steps", {})}):
        series[f"step {key}"] = [r.get("steps", {}).get(key) for r in runs]
    for key in ("baseline_ingest_seconds", "baseline_sql_seconds", "baseline_checks_seconds"):
        series[key.removesuffix("_seconds").replace("_", " ")] = [r.get(key) for r in runs]
    for name, ys in series.items():
        fig.add_trace(go.Scatter(x=ns, y=ys, mode="lines+markers", name=name), row=1, col=1)
    labels = [f"N={n:,}" for n in ns]
    outside = "outside the Dagster run (start-up, imports, check, publish)"
    parts: dict[str, list] = {outside: []}
    step_keys = sorted({k for r in runs for k in r.get("new_report_breakdown", {}).get("new_process", {})
                        .get("steps", {})})
    for r in runs:
        b = r.get("new_report_breakdown", {}).get("new_process", {})
        parts[outside].append(b.get("outside_dagster_run_seconds"))
        parts.setdefault("in the run, between steps", []).append(b.get("inside_run_outside_steps_seconds"))
        for key in step_keys:
            parts.setdefault(f"step {key}", []).append(b.get("steps", {}).get(key))
    for name, ys in parts.items():
        fig.add_trace(go.Bar(x=labels, y=ys, name=name, legendgroup="breakdown"), row=1, col=2)
    memory = {"end-to-end run, process tree": [r.get("pipeline_peak_memory_mb") for r in runs],
              "whole bench, process tree": [r.get("peak_memory_mb") for r in runs],
              "largest single process": [r.get("peak_memory_single_process_mb") for r in runs]}
    for name, ys in memory.items():
        if any(y is not None for y in ys):
            fig.add_trace(go.Scatter(x=ns, y=ys, mode="lines+markers", name=f"memory: {name}",
                                     legendgroup="memory"), row=1, col=3)
    fig.update_layout(barmode="stack", height=650, title=(
        f"provreport bench, {bench.get('date', '')}: {bench['machine'].get('nproc')} cores, "
        f"{bench['machine'].get('ram_gib')} GiB, {bench['machine'].get('cpu', '')} (shared, noisy machine)"))
    fig.update_xaxes(type="log", title_text="reports (N)", row=1, col=1)
    fig.update_yaxes(type="log", title_text="seconds", row=1, col=1)
    fig.update_yaxes(title_text="seconds", row=1, col=2)
    fig.update_xaxes(type="log", title_text="reports (N)", row=1, col=3)
    fig.update_yaxes(title_text="MB", rangemode="tozero", row=1, col=3)
    fig.write_html(str(path), include_plotlyjs=True, full_html=True)


def _bench_one_in_child(n: int, *, keep: bool, seed: int, cold_repeats: int, reform_share: float,
                        new_report_once: bool, workroot: Path | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="provreport-bench-size-", dir=workroot) as tmp:
        result = Path(tmp) / "one.json"
        command = [sys.executable, "-m", "benchmarks.pipeline", "--one", str(n), "--result", str(result),
                   "--seed", str(seed), "--cold-repeats", str(cold_repeats), "--reform-share", str(reform_share),
                   *(["--new-report-once-above", "0"] if new_report_once else []),
                   *(["--workdir", str(workroot)] if workroot else []), *(["--keep"] if keep else [])]
        proc = subprocess.run(command, cwd=PROJECT_ROOT, check=False)  # its progress goes to our stderr
        if proc.returncode != 0 or not result.exists():
            raise RuntimeError(f"the bench at N={n} failed (exit {proc.returncode}); its output is above")
        return json.loads(result.read_text(encoding="utf-8"))


def run_bench(n_reports: int | Sequence[int], out: Path | None, keep: bool = False, seed: int = 7,
              html: Path | None = None, import_repeats: int = 3, cold_repeats: int = COLD_REPEATS,
              reform_share: float = REFORM_SHARE, new_report_once_above: int | None = None,
              workroot: Path | None = None) -> dict:
    """The bench at each size in ``n_reports``; the JSON to ``out`` and the chart to ``html``
    (default: ``out`` with the suffix .html). Raises if any size's pipeline or baseline breaks.
    Sizes above ``new_report_once_above`` time one new report once, in a new process, and skip the
    warm-process and watch measurements. Working folders go under ``workroot`` (default: the system's
    temporary folder), never into the source tree."""
    sizes = [n_reports] if isinstance(n_reports, int) else list(n_reports)
    html = html or (out.with_suffix(".html") if out else None)
    for written in (out, html):  # the folders named are made now, not found missing after the first size
        if written is not None:
            written.parent.mkdir(parents=True, exist_ok=True)
    bench: dict = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
                   "sizes": sizes, "reform_share": reform_share, "new_report_once_above": new_report_once_above,
                   "runs": []}
    started = time.perf_counter()
    with StepClock(None).step("imports", f"what a new process pays to import each heavy package "
                           f"(median of {import_repeats})"):
        bench["imports_new_process_seconds"] = measure_imports(import_repeats)
    for n in sizes:
        t0 = time.perf_counter()
        once = new_report_once_above is not None and n > new_report_once_above
        options = {"keep": keep, "seed": seed, "cold_repeats": cold_repeats, "reform_share": reform_share,
                   "new_report_once": once, "workroot": workroot}
        if len(sizes) == 1:
            bench["runs"].append(bench_one(n, **options))
        else:  # each size in its own process: Dagster's definitions keep the first size's landing folder
            bench["runs"].append(_bench_one_in_child(n, **options))
        run = bench["runs"][-1]
        run["bench_seconds"] = round(time.perf_counter() - t0, 1)
        say(f"N={n} done in {run['bench_seconds']:.0f} s")
        bench["note"] = "; ".join(
            f"N={r['reports']}: started at {r.get('uptime_start')}, ended at {r.get('uptime_end')}"
            + (" (one new report timed once, warm and watch skipped)" if "once" in r.get("new_report_measurements", "")
               else "") for r in bench["runs"])
        if out:  # written after each size, so a long bench keeps what it measured
            out.write_text(json.dumps(bench, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    bench["bench_seconds"] = round(time.perf_counter() - started, 1)
    text = json.dumps(bench, indent=2, ensure_ascii=False)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
    if html:
        write_html(bench, html)
        say(f"wrote {out} and {html}")
    print(text)
    return bench


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.pipeline --sizes 1000 10000 --out bench.json`` (``--reports`` takes the
    same list); ``--chart-from bench.json --html bench.html`` redraws the chart of a bench JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pipeline", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", "--reports", dest="sizes", type=int, nargs="+", default=[1000],
                        help="numbers of reports to generate, one bench each (default 1000)")
    parser.add_argument("--out", type=Path, help="write the JSON result to this file too")
    parser.add_argument("--html", type=Path, help="the chart (default: --out with the suffix .html)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cold-repeats", type=int, default=COLD_REPEATS,
                        help="new-process runs of one new report at each size (the median is quoted)")
    parser.add_argument("--import-repeats", type=int, default=3)
    parser.add_argument("--chart-from", type=Path, help="only draw the chart of this bench JSON")
    parser.add_argument("--reform-share", type=float, default=REFORM_SHARE,
                        help="share of the generated reports dated after the 1 July 2025 reform, about a commune "
                             f"(default {REFORM_SHARE})")
    parser.add_argument("--new-report-once-above", type=int, metavar="N",
                        help="at sizes above N, time one new report in one new process only and skip the "
                             "warm-process and watch measurements (to fit the time at 100 000)")
    parser.add_argument("--workdir", type=Path, help="where the working folders go (default: the system's "
                        "temporary folder)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, its result to --result
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.chart_from:
        html = args.html or args.chart_from.with_suffix(".html")
        write_html(json.loads(args.chart_from.read_text(encoding="utf-8")), html)
        say(f"wrote {html}")
        return 0
    if args.one is not None:
        once = args.new_report_once_above is not None and args.one > args.new_report_once_above
        one = bench_one(args.one, keep=args.keep, seed=args.seed, cold_repeats=args.cold_repeats,
                        reform_share=args.reform_share, new_report_once=once, workroot=args.workdir)
        args.result.write_text(json.dumps(one, ensure_ascii=False), encoding="utf-8")
        return 0
    run_bench(args.sizes, args.out, keep=args.keep, seed=args.seed, html=args.html,
              import_repeats=args.import_repeats, cold_repeats=args.cold_repeats, reform_share=args.reform_share,
              new_report_once_above=args.new_report_once_above, workroot=args.workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
