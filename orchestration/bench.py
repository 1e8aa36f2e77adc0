"""``provreport bench``: the pipeline against a bare baseline, on a generated corpus.

Generates N synthetic reports (deterministic) in a temporary folder and measures, in one run
of this command so the machine's noise hits both sides alike:

- extraction throughput in one process (normalise + extract + resolve, no I/O),
- the pipeline end to end through Dagster (ingest, dbt build, validation), its peak memory,
  and one new report landing on top of the N: in a new ``provreport run`` process (the figure
  a user waits for; median of three), then another in the same warm process (what a long-lived
  worker pays), and one landing while ``provreport watch`` runs (drop -> validated marts),
- a bare baseline: the same ingest writing straight to DuckDB, the compiled dbt SQL executed
  directly in dependency order, and the main checks as plain SQL,
- the extraction's strict F1 against the generated gold (../shared/tools/score_figures.py).
"""

from __future__ import annotations

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
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT, Settings, dbt_executable

SCORER = PROJECT_ROOT.parent / "shared" / "tools" / "score_figures.py"
COLD_REPEATS = 3  # one new report, timed in a new process this many times: the median is quoted


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


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


def _step_durations(run_id: str) -> dict[str, float]:
    """Seconds per Dagster step, from the instance's step statistics."""
    from dagster import DagsterInstance

    with DagsterInstance.get() as instance:
        return {s.step_key: (s.end_time or s.start_time) - s.start_time
                for s in instance.get_run_step_stats(run_id) if s.start_time}


def run_pipeline_timed(settings: Settings) -> tuple[float, dict[str, float], bool]:
    from orchestration.cli import run_pipeline

    t0 = time.perf_counter()
    result = run_pipeline(settings)
    return time.perf_counter() - t0, _step_durations(result.run_id), result.success


def run_cli_timed(settings: Settings) -> float:
    """Wall time of ``provreport run`` as a user (or a sensor-launched run) pays it: a new process."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "orchestration.cli", "run"], env={**os.environ, **settings.env()},
                   check=True, capture_output=True)
    return time.perf_counter() - t0


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
    proc = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "watch", "--interval", str(interval)],
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
    """The same work with no orchestration: ingest -> compiled SQL -> checks as SQL."""
    import duckdb

    from sources import warehouse
    from sources.ingest import ingest_landing

    db = workdir / "baseline.duckdb"
    t0 = time.perf_counter()
    con = duckdb.connect(str(db))
    ingest_landing(folder, con, "baseline")
    t_ingest = time.perf_counter() - t0
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
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
    t2 = time.perf_counter()
    for sql in BASELINE_CHECKS:
        con.execute(sql).fetchall()
    t_checks = time.perf_counter() - t2
    con.close()
    warehouse  # noqa: B018  (imported for the schema it creates through ingest_landing)
    return {"baseline_ingest_seconds": round(t_ingest, 2), "baseline_sql_seconds": round(t_sql, 2),
            "baseline_checks_seconds": round(t_checks, 3),
            "baseline_seconds": round(t_ingest + t_sql + t_checks, 2)}


# The 28 checks of expectations/suites.py as plain SQL, each returning the failing rows' figure_ids
# (what the pipeline's Great Expectations run reports), with the same tolerances.
_F, _I, _S = "marts.fct_programme_funding", "marts.fct_indicator_attainment", "marts.fct_district_scorecard"
_UNIT = "coalesce(admin_unit_code, report_id)"
BASELINE_CHECKS = (
    *(f"select figure_id from {t} where {c} is null" for t in (_F, _I) for c in ("figure_id", "source_quote")),
    *(f"select figure_id from {t} group by figure_id having count(*) > 1" for t in (_F, _I)),
    f"select figure_id from {_F} where programme_code not in ('NTM','GNBV','DTTS_MN','PUBLIC_INVESTMENT','OTHER')",
    f"select figure_id from {_F} where capital_source not in ('investment','recurrent','unspecified')",
    f"select figure_id from {_F} where measure not in ('allocated','disbursed','requested','planned','spent')",
    f"select figure_id from {_F} where amount_vnd < 0",
    f"select figure_id from {_F} where reported_rate_pct not between 0 and 200",
    f"select figure_id from {_F} where period_start > period_end",
    # components add up to their stated total
    f"select t.figure_id from {_F} t join {_F} c on c.parent_figure_id = t.figure_id "
    f"where t.amount_vnd > 0 and c.amount_vnd is not null group by t.figure_id, t.amount_vnd "
    f"having abs(sum(c.amount_vnd) - t.amount_vnd) / t.amount_vnd > 0.00005",
    # a stated rate equals disbursed / allocated
    f"select figure_id from {_F} where measure = 'disbursed' and abs(reported_rate_pct - computed_rate_pct) > 0.05",
    # an average equals total / count in the same sentence
    f"select n.figure_id from {_F} n join {_F} t on t.report_id = n.report_id and t.sentence = n.sentence "
    f"and t.per_unit is null and t.amount_vnd is not null join {_I} c on c.report_id = n.report_id "
    f"and c.sentence = n.sentence and c.actual_value > 0 where n.per_unit is not null and n.amount_vnd > 0 "
    f"and (n.sentence ilike '%trung bình%' or n.sentence ilike '%bình quân%') "
    f"and abs(t.amount_vnd / c.actual_value - n.amount_vnd) / n.amount_vnd > 0.005",
    # disbursed <= allocated per unit, programme, capital source and period
    f"select {_UNIT}, programme_code from {_F} where per_unit is null and parent_figure_id is null "
    f"and amount_vnd is not null group by {_UNIT}, programme_code, capital_source, period_start, "
    f"year(period_end) having sum(amount_vnd) filter (where measure = 'disbursed') "
    f"> sum(amount_vnd) filter (where measure = 'allocated')",
    f"select figure_id from {_I} where status not in ('exceeded','met','not_met','unknown')",
    f"select figure_id from {_I} where unit not in "
    f"('percent','count','VND','ha','tonne','person','household','commune','other')",
    f"select figure_id from {_I} where attainment_pct not between 0 and 1000",
    f"select figure_id from {_I} where indicator_code not in (select indicator_code from marts.dim_indicator)",
    f"select figure_id from {_I} where abs(attainment_pct - computed_attainment_pct) > 0.5",
    f"select i.figure_id from {_I} i join marts.dim_indicator d using (indicator_code) where d.unit = i.unit "
    f"and (i.actual_value < d.min_value or i.actual_value > d.max_value "
    f"or i.target_value < d.min_value or i.target_value > d.max_value)",
    # modified z-score of actual values per indicator and unit (groups of 5 or more)
    f"with v as (select figure_id, indicator_code, unit, actual_value from {_I} "
    f"where indicator_code <> 'UNMAPPED' and actual_value is not null), "
    f"m as (select indicator_code, unit, median(actual_value) as med, count(*) as n from v group by all), "
    f"d as (select v.indicator_code, v.unit, median(abs(v.actual_value - m.med)) as mad from v join m "
    f"using (indicator_code, unit) group by all) "
    f"select v.figure_id from v join m using (indicator_code, unit) join d using (indicator_code, unit) "
    f"where m.n >= 5 and d.mad > 0 and 0.6745 * abs(v.actual_value - m.med) / d.mad > 3.5",
    f"select figure_id from {_S} where report_id is null",
    f"select figure_id from {_S} where indicators_met_or_exceeded > indicators_total",
    f"select figure_id from {_S} where indicators_exceeded > indicators_met_or_exceeded",
    "select admin_unit_code, period_start from marts.fct_reporting_completeness where not has_reported",
    "select admin_unit_code, period_start from marts.fct_reporting_completeness where not is_on_time",
)


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


def compile_dbt(env: dict) -> None:
    subprocess.run([dbt_executable(), "compile", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
                    str(DBT_PROJECT_DIR), "--quiet"], env=env, check=True, capture_output=True)


def score(warehouse: Path, gold: Path) -> float | None:
    if not SCORER.exists() or not gold.exists():
        return None
    proc = subprocess.run([sys.executable, str(SCORER), "--warehouse", str(warehouse), "--gold", str(gold), "--json"],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout)["micro"]["strict_f1"]


def run_bench(n_reports: int, out: Path | None, keep: bool = False, seed: int = 7) -> dict:
    from synthetic.generator import generate_corpus

    workdir = Path(tempfile.mkdtemp(prefix="provreport-bench-"))
    landing = workdir / "landing"
    extra = workdir / "extra"
    say = lambda msg: print(f"bench: {msg}", file=sys.stderr, flush=True)  # noqa: E731
    try:
        say(f"generating {n_reports} reports in {landing}")
        t0 = time.perf_counter()
        generate_corpus(landing, n_reports=n_reports, seed=seed)
        generate_corpus(extra, n_reports=COLD_REPEATS + 2, seed=seed + 1, submission_share=0)
        gold = landing / "gold.jsonl"
        if gold.exists():
            shutil.move(str(gold), workdir / "gold.jsonl")
        extra_gold = extra / "gold.jsonl"
        if extra_gold.exists():
            extra_gold.unlink()
        result: dict = {"reports": n_reports, "generate_seconds": round(time.perf_counter() - t0, 2)}
        say("extraction throughput (one process)")
        result.update(measure_extraction(landing))
        settings = Settings(warehouse=workdir / "bench.duckdb", landing=landing, dagster_home=workdir / "dagster",
                            docs_dir=workdir / "docs", dbt_target="duckdb")
        say("pipeline end to end (Dagster: ingest, dbt build, validation)")
        e2e, steps, ok = run_pipeline_timed(settings)
        result.update({"e2e_seconds": round(e2e, 2), "pipeline_succeeded": ok,
                       "dbt_build_seconds": round(sum(v for k, v in steps.items() if "dbt" in k), 2),
                       "validation_seconds": round(sum(v for k, v in steps.items() if "great_expectations" in k), 2),
                       "ingest_seconds": round(sum(v for k, v in steps.items() if "ingest" in k), 2),
                       "steps": {k: round(v, 2) for k, v in steps.items()}})
        new_files = [p for p in sorted(extra.iterdir()) if p.is_file()]
        say(f"one new report on top, {COLD_REPEATS} times, each in a new `provreport run` process")
        cold = []
        for new_file in new_files[:COLD_REPEATS]:
            shutil.copy(new_file, landing / ("new_" + new_file.name))
            cold.append(run_cli_timed(settings))
        result["incremental_one_report_seconds"] = round(statistics.median(cold), 2)
        result["incremental_one_report_samples"] = [round(c, 2) for c in cold]
        say("one more new report, in this (warm) process")
        shutil.copy(new_files[COLD_REPEATS], landing / ("new_" + new_files[COLD_REPEATS].name))
        inc, inc_steps, _ = run_pipeline_timed(settings)
        result["incremental_one_report_in_process_seconds"] = round(inc, 2)
        result["incremental_steps"] = {k: round(v, 2) for k, v in inc_steps.items()}
        say("one new report landing while `provreport watch` runs (drop -> validated marts)")
        result["incremental_one_report_watch_seconds"] = round(watch_latency(settings, new_files[COLD_REPEATS + 1]), 2)
        result["peak_memory_mb"] = round(_peak_rss_mb(), 1)
        result["recall_strict_f1"] = score(settings.warehouse, workdir / "gold.jsonl")
        say("bare baseline (DuckDB + compiled SQL + SQL checks)")
        for extra_file in new_files:  # the baseline reads the N reports only
            for prefix in ("new_", "watched_"):
                (landing / (prefix + extra_file.name)).unlink(missing_ok=True)
        # compiled against the baseline file itself, so the SQL names its catalog
        compile_dbt({**os.environ, "DUCKDB_PATH": str(workdir / "baseline.duckdb")})
        result.update(baseline(landing, workdir))
        result["ratio_to_baseline"] = round(result["e2e_seconds"] / result["baseline_seconds"], 2)
        result["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return result
