"""Print README's Performance table from a ``provreport bench`` JSON.

    .venv/bin/python scripts/perf_table.py bench.json > table.md

One column per N in the JSON; the machine (cores, RAM, CPU model, from the JSON, else from this
machine's /proc) and the bench's date above the table. Each pipeline figure is one run at that N,
except one new report in a new process (median of 3 samples, listed); the ratio is to the bare
baseline measured in the same bench run."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def _machine(bench: dict) -> dict:
    info = dict(bench.get("machine") or {})
    info.setdefault("nproc", os.cpu_count())
    if "cpu" not in info:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    if "ram_gib" not in info:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    return info


def _s(value) -> str:
    return "-" if value is None else f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def _plain(value, unit: str = "", digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}{unit}"


def _load(uptime: str | None) -> str:
    """The three load averages of an ``uptime`` line."""
    return "?" if not uptime else uptime.rsplit("load average:", 1)[-1].strip()


def _samples(run: dict) -> str:
    samples = run.get("incremental_one_report_samples", [])
    if not samples:
        return "-"
    listed = ", ".join(f"{x:.1f}" for x in samples)
    return _s(run.get("incremental_one_report_seconds")) + (f" ({listed})" if len(samples) > 1 else " (one run)")


def _comparison(bench: dict, runs: list[dict]) -> list[str]:
    """A bench of another commit kept in the JSON (``bench["compared"]``: ``label``, ``commit``, ``runs``),
    beside this bench's runs of the same N."""
    other = bench.get("compared")
    if not other:
        return []
    mine = {r["reports"]: r for r in runs}
    theirs = sorted(other["runs"], key=lambda r: r["reports"])
    head = [f"N={r['reports']:,}: {bench['machine'].get('commit', 'this bench')} / {other.get('commit', '?')}"
            for r in theirs]
    out = ["", f"{other.get('label', 'Another bench')} (same machine; load at start and end: "
           + "; ".join(f"N={r['reports']:,}: {_load(r.get('uptime_start'))} -> {_load(r.get('uptime_end'))}"
                       for r in theirs) + "):", "",
           "| measure | " + " | ".join(head) + " |", "| --- | " + " | ".join("---" for _ in theirs) + " |"]

    def pair(label: str, key: str, fmt=_s) -> None:
        cells = [f"{fmt(mine.get(r['reports'], {}).get(key))} / {fmt(r.get(key))}" for r in theirs]
        out.append(f"| {label} | " + " | ".join(cells) + " |")

    pair("end to end through Dagster", "e2e_seconds")
    pair("bare baseline in the same run", "baseline_seconds")
    pair("ratio pipeline / baseline", "ratio_to_baseline", _plain)
    pair("Dagster stage: ingest (first step's start to last step's end)", "ingest_seconds")
    pair("Dagster stage: dbt build", "dbt_build_seconds")
    pair("Dagster stage: validation", "validation_seconds")
    pair("baseline ingest", "baseline_ingest_seconds")
    pair("one new report, new process (median)", "incremental_one_report_seconds")
    pair("peak memory during the end-to-end run (process tree)", "pipeline_peak_memory_mb",
         lambda v: _plain(v, " MB", 0))
    return out


def table(bench: dict) -> str:
    runs = sorted(bench["runs"], key=lambda r: r["reports"])
    m = _machine(bench)
    lines = [
        f"Machine: {m.get('nproc')} cores (nproc), {m.get('ram_gib')} GiB RAM, {m.get('cpu', 'unknown CPU')}; "
        f"shared with other work and noisy. Bench of {bench.get('date', 'unknown date')}"
        + (f", commit {m['commit']}" if m.get("commit") else "") + ".",
        *(["", "Load on the machine (`uptime`) at the start and end of each size: " + "; ".join(
            f"N={r['reports']:,}: {_load(r.get('uptime_start'))} -> {_load(r.get('uptime_end'))}" for r in runs) + "."]
          if any(r.get("uptime_start") for r in runs) else []),
        "",
        "| measure (`provreport bench`) | " + " | ".join(f"{r['reports']:,} reports" for r in runs) + " |",
        "| --- | " + " | ".join("---" for _ in runs) + " |",
    ]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    if any(r.get("corpus") for r in runs):
        row("corpus: documents (of them spreadsheets; after the July 2025 reform, communes)", [
            f"{r['corpus']['documents']:,} ({r['corpus']['submissions']:,}; {r['corpus']['after_reform']:,})"
            if r.get("corpus") else "-" for r in runs])
    row("end to end through Dagster (ingest, dbt build, full validation; one run)",
        [_s(r.get("e2e_seconds")) for r in runs])
    row("bare baseline in the same run (same ingest into DuckDB, compiled mart SQL, checks as SQL)",
        [_s(r.get("baseline_seconds")) for r in runs])
    row("ratio pipeline / baseline", [_plain(r.get("ratio_to_baseline")) for r in runs])
    for key, label in (("ingest_seconds", "Dagster step: ingest"), ("dbt_build_seconds", "Dagster step: dbt build"),
                       ("validation_seconds", "Dagster step: validation (Great Expectations)")):
        row(label, [_s(r.get(key)) for r in runs])
    row("baseline parts: ingest / SQL models / checks", [
        f"{_s(r.get('baseline_ingest_seconds'))} / {_s(r.get('baseline_sql_seconds'))} / "
        f"{_s(r.get('baseline_checks_seconds'))}" for r in runs])
    row("one new report, `provreport run` in a new process (median of the samples; samples)",
        [_samples(r) for r in runs])
    row("one new report, second run in a warm process", [_s(r.get("incremental_one_report_in_process_seconds"))
                                                          for r in runs])
    row("one new report, `provreport watch` running: drop -> validated marts",
        [_s(r.get("incremental_one_report_watch_seconds")) for r in runs])
    row("extraction, one process", [_plain(r.get("extraction_reports_per_second"), " reports/s", 0) for r in runs])
    if any(r.get("pipeline_peak_memory_mb") for r in runs):
        row("peak memory during the end-to-end run (bench process and all its children at once, sampled)",
            [_plain(r.get("pipeline_peak_memory_mb"), " MB", 0) for r in runs])
        row("peak memory over the whole bench at this N (same, any step)",
            [_plain(r.get("peak_memory_mb"), " MB", 0) for r in runs])
        row("largest single process (getrusage)", [_plain(r.get("peak_memory_single_process_mb"), " MB", 0)
                                                  for r in runs])
    else:  # older JSON: getrusage only
        row("peak memory (largest of the bench process and its children)",
            [_plain(r.get("peak_memory_mb"), " MB", 0) for r in runs])
    row("strict F1 on the generated gold", [_plain(r.get("recall_strict_f1"), "", 3) for r in runs])
    row("generating the corpus (not part of the pipeline)", [_s(r.get("generate_seconds")) for r in runs])
    if any(r.get("bench_seconds") for r in runs):
        row("the whole bench at this N (every measurement above)", [_s(r.get("bench_seconds")) for r in runs])

    lines += ["", "One new report on top of N, new process (median of the samples above), where the seconds go:", "",
              "| part | " + " | ".join(f"{r['reports']:,}" for r in runs) + " |",
              "| --- | " + " | ".join("---" for _ in runs) + " |"]
    parts = [r.get("new_report_breakdown", {}) for r in runs]
    row("wall, command to exit", [_s(p.get("new_process", {}).get("wall_seconds")) for p in parts])
    row("outside the Dagster run: start-up, imports, definitions, fingerprint check, publish, exit",
        [_s(p.get("new_process", {}).get("outside_dagster_run_seconds")) for p in parts])
    row("Dagster run, start to end", [_s(p.get("new_process", {}).get("dagster_run_seconds")) for p in parts])
    keys = sorted({k for p in parts for k in p.get("new_process", {}).get("steps", {})})
    for key in keys:
        row(f"&nbsp;&nbsp;step `{key}`", [_s(p.get("new_process", {}).get("steps", {}).get(key)) for p in parts])
    row("&nbsp;&nbsp;in the run, between steps", [_s(p.get("new_process", {}).get("inside_run_outside_steps_seconds"))
                                                  for p in parts])
    row("**in `watch`**: drop -> validated marts", [_s(p.get("watch", {}).get("wall_seconds")) for p in parts])
    row("&nbsp;&nbsp;outside the run (polling interval 1 s, the landing check, publish)",
        [_s(p.get("watch", {}).get("outside_dagster_run_seconds")) for p in parts])
    for key in sorted({k for p in parts for k in p.get("watch", {}).get("steps", {})}):
        row(f"&nbsp;&nbsp;step `{key}`", [_s(p.get("watch", {}).get("steps", {}).get(key)) for p in parts])
    row("&nbsp;&nbsp;in the run, between steps", [_s(p.get("watch", {}).get("inside_run_outside_steps_seconds"))
                                                  for p in parts])

    lines += _comparison(bench, runs)
    imports = bench.get("imports_new_process_seconds") or {}
    if imports:
        lines += ["", "A new process importing, alone (`python -c`, median of 3): "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in imports.items()) + "."]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: perf_table.py BENCH.json", file=sys.stderr)
        return 2
    print(table(json.loads(Path(argv[0]).read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
