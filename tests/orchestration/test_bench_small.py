"""The whole benchmark at a small size: it breaks loudly when any of its steps or the baseline does.

``provreport bench`` at 10 000 reports crashed once (the baseline's seeds loaded untyped) and no
test ran it. This runs every step of it on 150 generated reports (about 2 minutes on the shared
2-core machine) and requires each step's time, the pipeline's success, the baseline's three parts,
the breakdown of one new report's seconds, and the JSON and HTML chart on disk."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.pipeline import IMPORTS, SCORER, TreeMemory, run_bench, tree_rss_bytes

N = 150
COLD = 2  # new-process runs of one new report (the full bench: 3); a second one catches what the first leaves
BENCH_STEPS = ("generate", "extraction", "pipeline", "new_report_new_process", "new_report_warm",
               "new_report_watch", "score", "baseline_compile", "baseline")
DAGSTER_STEP_WORDS = ("ingest", "dbt", "great_expectations")


def _positive(value, what: str) -> None:
    assert isinstance(value, int | float) and value > 0, f"{what}: {value!r}"


@pytest.mark.slow
def test_the_bench_runs_every_step_and_writes_json_and_chart(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "not-yet" / "bench.json"  # a folder that does not exist yet: the bench makes it
    bench = run_bench([N], out, import_repeats=1, cold_repeats=COLD)
    err = capsys.readouterr().err

    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["sizes"] == [N] and len(written["runs"]) == 1
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    # self-contained: plotly.js inline (~4.7 MB), no script loaded from the network
    assert "plotly.js v" in html and "<script src=" not in html and len(html) > 1_000_000
    assert written["machine"]["nproc"] >= 1 and written["date"]
    for name in IMPORTS:
        _positive(written["imports_new_process_seconds"][name], f"import {name}")

    run = written["runs"][0]
    assert run == json.loads(json.dumps(bench["runs"][0]))
    assert run["reports"] == N and run["pipeline_succeeded"] is True
    for step in BENCH_STEPS:  # every step of the bench ran, took time and said so on stderr, with its memory
        _positive(run["bench_steps_seconds"].get(step), f"bench step {step}")
        _positive(run["bench_steps_peak_memory_mb"].get(step), f"bench step {step}'s peak memory")
        assert f"[N={N}] {step}: " in err and " s (CPU " in err and " MB, process tree)" in err
    _positive(run["bench_steps_cpu_seconds"]["pipeline"], "the pipeline's CPU seconds")
    # the corpus is spread over the reform, and the load was recorded around the size
    assert run["corpus"]["documents"] == N and 0 < run["corpus"]["after_reform"] < N
    assert "load average" in run["uptime_start"] and "load average" in run["uptime_end"]
    assert f"N={N}: started at" in written["note"]
    # the tree's peak is at least the largest single process's, and the pipeline's is one of the steps'
    assert run["peak_memory_mb"] >= run["pipeline_peak_memory_mb"] > 0
    assert run["peak_memory_mb"] >= run["peak_memory_single_process_mb"] * 0.95
    for word in DAGSTER_STEP_WORDS:  # the pipeline's own steps, first build and one new report
        assert any(word in k for k in run["steps"]), (word, run["steps"])
        assert any(word in k for k in run["incremental_steps"]), (word, run["incremental_steps"])
    for key, value in run["steps"].items():
        _positive(value, f"Dagster step {key}")
    for key in ("e2e_seconds", "dbt_build_seconds", "validation_seconds", "ingest_seconds",
                "incremental_one_report_seconds", "incremental_one_report_in_process_seconds",
                "incremental_one_report_watch_seconds", "peak_memory_mb", "extraction_reports_per_second",
                "baseline_ingest_seconds", "baseline_sql_seconds", "baseline_checks_seconds", "baseline_seconds",
                "ratio_to_baseline"):
        _positive(run.get(key), key)
    assert len(run["incremental_one_report_samples"]) == COLD
    if SCORER.exists():  # ../shared beside the checkout: the F1 is measured, never silently left out
        assert 0 < run["recall_strict_f1"] <= 1
        # over the current reports only, the superseded versions' gold set aside
        assert isinstance(run["superseded_reports"], int) and run["superseded_reports"] >= 0
        assert run["recall_strict_f1"] <= run["strict_f1_current_reports"] <= 1
    else:  # said on stderr and in the JSON
        assert run["recall_strict_f1"] is None and "does not exist" in run["score_skipped"]
        assert f"score: skipped, {SCORER} does not exist" in err

    breakdown = run["new_report_breakdown"]
    for where in ("new_process", "watch"):
        b = breakdown[where]
        for key in ("wall_seconds", "dagster_run_seconds", "outside_dagster_run_seconds"):
            assert isinstance(b[key], int | float), (where, key, b)
        for word in DAGSTER_STEP_WORDS:
            assert any(word in k for k in b["steps"]), (where, word, b["steps"])
    assert len(breakdown["new_process_samples"]) == COLD


def test_tree_memory_adds_up_the_children_running_at_once() -> None:
    """Two children holding 200 MB each at the same time: the tree's peak counts both (getrusage's
    ru_maxrss would say 200 MB, the largest one)."""
    hold = "b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096]); import time; time.sleep(3)"
    alone, count = tree_rss_bytes()
    assert alone > 0 and count >= 1
    with TreeMemory(interval=0.1) as memory:
        children = [subprocess.Popen([sys.executable, "-c", hold]) for _ in range(2)]
        time.sleep(2)
        for child in children:
            child.wait(timeout=30)
    assert memory.peak - alone > 380 * 2**20, memory.peak / 2**20
    assert memory.peak_processes >= 3


def test_a_score_that_cannot_run_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No gold (or no ../shared scorer): the F1 fields stay null, and the bench says so on stderr and in the JSON."""
    from benchmarks.pipeline import score

    gold = tmp_path / "gold.jsonl"
    result = score(tmp_path / "w.duckdb", gold)
    assert result["recall_strict_f1"] is None and result["strict_f1_current_reports"] is None
    missing = SCORER if not SCORER.exists() else gold
    assert result["score_skipped"] == f"{missing} does not exist"
    assert f"score: skipped, {missing} does not exist" in capsys.readouterr().err
