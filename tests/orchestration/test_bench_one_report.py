"""benchmarks/bench_one_report.py's breakdown of one run into phases (pure: no run needed)."""

from __future__ import annotations

import pytest

from benchmarks.bench_one_report import median_phases, merged_watches, timeline_steps

# a process started at t=100: imports, the no-op check, then run_pipeline holding the definitions' import,
# the instance and the Dagster run (6 s, of which the steps 5.5 s); GE imported in a thread meanwhile
MARKS = [
    ["import orchestration.cli", 100.1, 100.3],
    ["no-op check: survey of the landing folder", 100.3, 100.5],
    ["no-op check: survey of the landing folder", 111.0, 111.25],  # a phase marked twice is summed
    ["run_pipeline", 100.5, 110.0],
    ["import dagster", 100.6, 101.1],
    ["import orchestration.definitions", 101.1, 103.1],
    ["Dagster instance", 103.1, 103.6],
    ["execute_in_process", 103.6, 110.0],
    ["(in a thread) import great_expectations", 104.0, 108.5],
    ["publish", 110.0, 110.2],
    ["main", 100.0, 111.5],
]
DAGSTER = {"steps": {"ingest": 1.5, "dbt": 3.0, "validation": 1.0}, "dagster_run_s": 6.0}


def test_each_phase_in_the_order_it_began_with_what_lies_between_the_marks():
    phases = timeline_steps(MARKS, started=99.9, ended=111.7, dagster=DAGSTER)

    assert list(phases)[:6] == ["python start-up", "import orchestration.cli",
                                "no-op check: survey of the landing folder", "import dagster",
                                "import orchestration.definitions", "Dagster instance"]
    assert phases["python start-up"] == pytest.approx(0.1)  # to the first line of the script (main's start)
    assert phases["no-op check: survey of the landing folder"] == pytest.approx(0.45)
    assert phases["import orchestration.definitions"] == pytest.approx(2.0)
    assert phases["dagster step dbt"] == 3.0
    assert phases["dagster run: outside its steps"] == pytest.approx(0.5)
    assert phases["execute_in_process: outside the run"] == pytest.approx(0.4)
    # run_pipeline's 9.5 s less what is marked inside it (0.5 + 2.0 + 0.5 + 6.4; not the thread's import)
    assert phases["run_pipeline: the rest"] == pytest.approx(0.1)
    assert phases["(in a thread) import great_expectations"] == pytest.approx(4.5)
    assert phases["python exit"] == pytest.approx(0.2)
    assert phases["total wall"] == pytest.approx(11.8)
    assert "main" not in phases and "execute_in_process" not in phases and "run_pipeline" not in phases


def test_a_run_without_dagster_steps_has_no_dagster_lines():
    phases = timeline_steps([["import orchestration.cli", 10.0, 10.5], ["main", 10.0, 11.0]], 9.9, 11.1, {})

    assert phases == {"python start-up": pytest.approx(0.1), "import orchestration.cli": 0.5,
                      "python exit": pytest.approx(0.1), "total wall": pytest.approx(1.2)}


def test_median_phases_keeps_the_first_samples_order_and_skips_missing_phases():
    samples = [{"a": 1.0, "b": 5.0}, {"a": 3.0, "b": 1.0, "c": 2.0}, {"a": 2.0, "b": 3.0}]

    assert median_phases(samples) == {"a": 2.0, "b": 3.0, "c": 2.0}
    assert list(median_phases(samples)) == ["a", "b", "c"]


def test_a_base_kept_from_other_code_is_reused_with_a_warning(tmp_path, capsys):
    """A base built by code of another schema or dbt project would make every sample without --warm a migration
    or a full rebuild: the bench says so. The key is the checkout's latest migration and dbt fingerprint."""
    import json

    from benchmarks.bench_one_report import ROOT, build_base, code_key
    from orchestration.dbt.fingerprint import project_fingerprint
    from sources.schema import MIGRATIONS

    now = code_key(ROOT)
    assert now == f"schema{max(m.version for m in MIGRATIONS)}-dbt{project_fingerprint()}"
    base = tmp_path / "N10"
    base.mkdir()
    stamp = {"reports": 10, "extra": 8, "built": "2026-11-28 10:52", "wall_s": 1.0, "cpu_s": 1.0}
    (base / "built.json").write_text(json.dumps({**stamp, "code": "schema3-dbt0000000000000000"}))
    assert build_base(base, 10, extra=8) == base
    err = capsys.readouterr().err
    assert "warning: the base was built by code schema3-dbt0000000000000000" in err and f"is {now}" in err
    (base / "built.json").write_text(json.dumps({**stamp, "code": now}))
    assert build_base(base, 10, extra=8) == base
    assert "warning" not in capsys.readouterr().err


def test_a_report_for_the_watch_is_staged_beside_the_landing_folder_with_a_past_time(tmp_path):
    """--handoff and --watch move a report in by one rename: staged on the landing folder's file system, older
    than the settle time, so that the watch neither sees it half written nor waits for it to settle."""
    import time

    from benchmarks.bench_one_report import stage_report

    base, work = tmp_path / "base", tmp_path / "work"
    (base / "extra").mkdir(parents=True)
    (work / "landing").mkdir(parents=True)
    for name in ("a.txt", "b.txt", "c.txt"):
        (base / "extra" / name).write_text(f"report {name}")
    staged = stage_report(base, work, 4, "handed")
    assert staged == work / "incoming" / "handed_004_b.txt"  # the extras in name order, the index wrapping round
    assert staged.read_text() == "report b.txt"
    assert 119 <= time.time() - staged.stat().st_mtime < 130
    assert list((work / "landing").iterdir()) == []


def test_watch_sessions_of_a_tree_merge_into_one_set_of_samples():
    one = {"samples_s": [5.0, 4.0], "median_s": 4.5, "interval_s": 0.5, "load_1m_at_drops": [1.0, 1.1],
           "phases": [{"dbt": 1.0}, {"dbt": 2.0}], "median_phases": {"dbt": 1.5}, "process_cpu_s_incl_first_look": 9.0}
    two = {"samples_s": [7.0], "median_s": 7.0, "interval_s": 0.5, "load_1m_at_drops": [2.0],
           "phases": [{"dbt": 4.0}], "median_phases": {"dbt": 4.0}, "process_cpu_s_incl_first_look": 8.0}
    assert merged_watches([one]) is one
    merged = merged_watches([one, two])
    assert merged["samples_s"] == [5.0, 4.0, 7.0] and merged["median_s"] == 5.0
    assert merged["median_phases"] == {"dbt": 2.0} and merged["sessions"] == 2
    assert merged["load_1m_at_drops"] == [1.0, 1.1, 2.0] and merged["process_cpu_s_incl_first_look"] == [9.0, 8.0]
