"""Extraction speed on a ~20 KB report, on one core (a benchmark to rerun, not a timed test).

    .venv/bin/python benchmarks/bench_extract.py [--repeat 200]

Builds the report from the seed reports when ../shared is beside the project (else from the
synthetic generator), then times normalise + extract + resolve and prints the median, with a
baseline measured in the same run: a bare regex scan for numbers over the same text.
"""

from __future__ import annotations

import argparse
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
from sources.text import normalise_text  # noqa: E402


def report_of_20kb() -> tuple[str, str]:
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir())]
        biggest = max(texts, key=len)
        return biggest[:20_000] if len(biggest) >= 20_000 else (biggest * 2)[:20_000], "seed report"
    from synthetic.generator import generate_corpus

    with tempfile.TemporaryDirectory() as tmp:
        generate_corpus(Path(tmp), n_reports=40, seed=3)
        text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(Path(tmp).glob("*.txt")))
    return text[:20_000], "synthetic reports"


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    raw, origin = report_of_20kb()
    gazetteer = Gazetteer.load()
    text = normalise_text(raw)
    extract_report(text)  # warm the catalogue cache
    number = re.compile(r"\d+(?:[.,]\d+)*")
    baseline = median_ms(lambda: number.findall(raw), args.repeat)
    full = median_ms(lambda: gazetteer.resolve(t := normalise_text(raw)) and extract_report(t), args.repeat)
    extract_only = median_ms(lambda: extract_report(text), args.repeat)
    n = len(extract_report(text).figures)
    print(f"report: {len(raw.encode('utf-8')) / 1024:.1f} KB of {origin}, {n} figures")
    print(f"extract_report median: {extract_only:.2f} ms (target < 20 ms)")
    print(f"normalise + resolve + extract median: {full:.2f} ms")
    print(f"baseline (regex scan for numbers) median: {baseline:.3f} ms; ratio {full / baseline:.0f}x")


if __name__ == "__main__":
    main()
