"""Extraction speed on one core (a benchmark to rerun, not a timed test).

    .venv/bin/python benchmarks/bench_extract.py [--repeat 200] [--corpus-repeat 5]

1. A ~20 KB report, built from the seed reports when ../shared is beside the project (else from the
   synthetic generator): median of extract_report, and of normalise + resolve + extract, with a
   baseline measured in the same run (a bare regex scan for numbers over the same text).
   Target: extract_report under 20 ms.
2. The dev corpus (../shared/eval/dev/docs, when present): every report read, normalised, and then
   extracted (extract_report) and placed (Gazetteer.resolve) in turn; the median over the passes of
   the whole corpus, as reports per second. Target: >= 500 reports/s.

The process is pinned to one CPU where the platform allows it. Each rate is given by the wall clock and
by this process's CPU time (reports per CPU second): on a shared machine the wall clock counts the
other processes' turns on that CPU too.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sources.extract import extract_report  # noqa: E402
from sources.places import Gazetteer  # noqa: E402
from sources.readers import read_narrative  # noqa: E402
from sources.text import normalise_text  # noqa: E402

DEV_DOCS = ROOT.parent / "shared" / "eval" / "dev" / "docs"


def report_of_20kb() -> tuple[str, str]:
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir())]
        biggest = max(texts, key=len)
        return _first_20kb(biggest if len(biggest.encode("utf-8")) >= 20_480 else biggest * 2), "seed report"
    from synthetic.generator import generate_corpus

    with tempfile.TemporaryDirectory() as tmp:
        generate_corpus(Path(tmp), n_reports=40, seed=3)
        text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(Path(tmp).glob("*.txt")))
    return _first_20kb(text), "synthetic reports"


def _first_20kb(text: str) -> str:
    """The first 20 KB (UTF-8 bytes, as the report is stored) of the text, cut on a character."""
    return text.encode("utf-8")[:20_480].decode("utf-8", errors="ignore")


def median_ms(fn, repeat: int) -> float:
    return median_ms_wall_cpu(fn, repeat)[0]


def median_ms_wall_cpu(fn, repeat: int) -> tuple[float, float]:
    """Median wall-clock and median CPU milliseconds of ``fn``."""
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(times) * 1000, statistics.median(cpu) * 1000


def one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned"


def dev_corpus_rate(gazetteer: Gazetteer, passes: int) -> None:
    if not DEV_DOCS.is_dir():
        print("dev corpus: ../shared/eval/dev/docs absent, skipped")
        return
    paths = sorted(p for p in DEV_DOCS.iterdir() if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf"))
    texts = [normalise_text(read_narrative(p, p.read_bytes()).text) for p in paths]
    kb = sum(len(t.encode("utf-8")) for t in texts) / 1024

    def extract_all() -> None:
        for t in texts:
            extract_report(t)

    def extract_and_place_all() -> None:
        for t in texts:
            facts = extract_report(t)
            gazetteer.resolve(t, on_date=facts.report_date or facts.period_end)

    extract_all()  # warm
    extract_s, extract_cpu = (ms / 1000 for ms in median_ms_wall_cpu(extract_all, passes))
    both_s, both_cpu = (ms / 1000 for ms in median_ms_wall_cpu(extract_and_place_all, passes))
    print(f"dev corpus: {len(texts)} reports, {kb:.0f} KB; median of {passes} passes")
    print(f"  extract_report: {len(texts) / extract_s:.0f} reports/s (target >= 500), "
          f"{len(texts) / extract_cpu:.0f} reports per CPU second")
    print(f"  extract_report + gazetteer.resolve: {len(texts) / both_s:.0f} reports/s, "
          f"{len(texts) / both_cpu:.0f} reports per CPU second")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--corpus-repeat", type=int, default=5)
    args = ap.parse_args()
    print(one_core())
    raw, origin = report_of_20kb()
    gazetteer = Gazetteer.load()
    text = normalise_text(raw)
    extract_report(text)  # warm the catalogue cache
    number = re.compile(r"\d+(?:[.,]\d+)*")
    baseline = median_ms(lambda: number.findall(raw), args.repeat)
    full = median_ms(lambda: gazetteer.resolve(t := normalise_text(raw)) and extract_report(t), args.repeat)
    extract_only, extract_only_cpu = median_ms_wall_cpu(lambda: extract_report(text), args.repeat)
    n = len(extract_report(text).figures)
    print(f"report: {len(raw.encode('utf-8')) / 1024:.1f} KB of {origin}, {n} figures")
    print(f"extract_report median: {extract_only:.2f} ms (target < 20 ms), {extract_only_cpu:.2f} CPU ms")
    print(f"normalise + resolve + extract median: {full:.2f} ms")
    print(f"baseline (regex scan for numbers) median: {baseline:.3f} ms; ratio {full / baseline:.0f}x")
    dev_corpus_rate(gazetteer, args.corpus_repeat)


if __name__ == "__main__":
    main()
