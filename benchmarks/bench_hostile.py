"""Bounded work per file (issue #19 point 2): extraction time per MB of text, by kind and size, and
what an inflating .docx costs.

    .venv/bin/python benchmarks/bench_hostile.py [--sizes 10000,100000,1000000] [--ten-mb] [--dense-ten-mb]
                                                 [--repeats N] [--bomb-mb 1024]

Kinds: ``prose`` (the seed reports, repeated), ``digits`` (runs of "1.2.3,4/5-6"-like numbers without
units, one line per 2,000 of them), ``oneline`` (the prose with its line breaks turned into spaces),
and two figure-dense kinds that no report resembles, kept to show the extractor's per-figure cost:
``money`` ("12,5 tỷ đồng " repeated: a funding figure every 13 characters) and ``rates`` ("Đạt
45%. " repeated: a one-line paragraph of a sentence and a figure every 9 characters). Each text goes
through what ingest does to it: ``normalise_text`` then ``sources.ingest.extract_text``. The median
of the repeats is printed as seconds per MB (of UTF-8) and as a multiple of the prose rate at the
same size, by the wall clock and by this process's CPU time (steadier on a shared machine); repeats
are 5 up to 100 KB, 3 up to 1 MB and 1 at 10 MB unless ``--repeats`` sets them. At 10 MB the
figure-dense kinds (a minute or more each) run only with ``--dense-ten-mb``. The zip bomb goes
through ``ingest_landing`` (worker process, budgets as configured).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sources.ingest import extract_text, ingest_landing  # noqa: E402
from sources.text import normalise_text  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"


def _prose() -> str:
    texts = [normalise_text(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    if not texts:
        texts = [normalise_text(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "samples").rglob("*.txt"))]
    return "\n\n".join(texts)


def _digits() -> str:
    rnd = random.Random(19)
    tokens = ["1.2.3,4/5-6", "7.000,25", "12/2023", "3-4", "45,6", "0,1.2", "99", "2.019-2.020", "1/2/3"]
    return " ".join(rnd.choice(tokens) for _ in range(2000)) + "\n"


def kinds() -> dict[str, str]:
    prose = _prose()
    return {
        "prose": prose,
        "digits": _digits(),
        "oneline": prose.replace("\n", " ") + " ",
        "money": "12,5 tỷ đồng ",
        "rates": "Đạt 45%. ",
    }


def _text_of(unit: str, size: int) -> str:
    """``unit`` repeated to ``size`` bytes of UTF-8 (cut at a character)."""
    reps = size // max(1, len(unit.encode())) + 1
    return (unit * reps).encode()[:size].decode("utf-8", "ignore")


def time_extraction(text: str, repeats: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds (the CPU time of this process: on a shared machine it
    moves less with the other processes' load than the wall clock)."""
    runs, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        extract_text(normalise_text(text))
        runs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(runs), statistics.median(cpu)


def zip_bomb(folder: Path, inflated_mb: int) -> Path:
    path = folder / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>')
            chunk = b"A" * (1 << 20)
            for _ in range(inflated_mb):
                fh.write(chunk)
            fh.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return path


def bench_bomb(inflated_mb: int) -> dict:
    from orchestration.settings import ingest_limits
    from sources import warehouse

    limits = ingest_limits(os.environ)  # the budgets as configured, as a run reads them through Settings
    with tempfile.TemporaryDirectory() as tmp:
        landing = Path(tmp) / "landing"
        landing.mkdir()
        bomb = zip_bomb(landing, inflated_mb)
        size = bomb.stat().st_size
        with warehouse.open_warehouse(Path(tmp) / "w.duckdb") as con:
            t0 = time.perf_counter()
            summary = ingest_landing(landing, con, "bench-bomb", limits=limits)
            took = time.perf_counter() - t0
        [refusal] = summary.rejected
        # the same file read by one worker, its peak resident memory read from /proc (VmHWM)
        from sources.ingest import _peak_rss_bytes, _Sandbox, survey_landing

        box = _Sandbox(limits)
        [landed] = survey_landing(landing, settle=0).files
        box.submit(0, landed, "bench-bomb")
        while box.poll() is None:
            time.sleep(0.01)
        worker_idle, worker_peak = box.baseline, _peak_rss_bytes(box.proc.pid)
        box.close()
    return {
        "docx_mb": round(size / 1e6, 2), "inflates_to_mb": inflated_mb, "seconds": round(took, 2),
        "reason": refusal["reason"], "detail": refusal["detail"],
        "worker_peak_over_idle_mb": summary.peak_file_memory_mb,
        "worker_idle_rss_mb": round(worker_idle / 2**20, 1),
        "worker_peak_rss_mb": round(worker_peak / 2**20, 1),
        "this_process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--ten-mb", action="store_true", help="also 10 MB (prose, digits, oneline; minutes)")
    parser.add_argument("--dense-ten-mb", action="store_true", help="at 10 MB, the figure-dense kinds too")
    parser.add_argument("--repeats", type=int, help="runs per text (default 5 / 3 / 1 by size)")
    parser.add_argument("--kinds", default="prose,digits,oneline,money,rates")
    parser.add_argument("--bomb-mb", type=int, default=1024, help="0: skip the zip bomb")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.ten_mb:
        sizes.append(10_000_000)
    texts = kinds()
    wanted = [k for k in args.kinds.split(",") if k in texts]
    rows = []
    print(f"{'kind':8} {'size':>10} {'median s':>9} {'s/MB':>7} {'x prose':>8} {'CPU s/MB':>9} {'x prose':>8}")
    for size in sizes:
        repeats = args.repeats or (5 if size <= 100_000 else (3 if size <= 1_000_000 else 1))
        prose_rate = prose_cpu_rate = None
        for kind in wanted:
            if size >= 10_000_000 and kind in ("money", "rates") and not args.dense_ten_mb:
                continue
            text = _text_of(texts[kind], size)
            seconds, cpu = time_extraction(text, repeats)
            mb = len(text.encode()) / 1e6
            rate, cpu_rate = seconds / mb, cpu / mb
            if kind == "prose":
                prose_rate, prose_cpu_rate = rate, cpu_rate
            ratio = rate / prose_rate if prose_rate else float("nan")
            cpu_ratio = cpu_rate / prose_cpu_rate if prose_cpu_rate else float("nan")
            rows.append({"kind": kind, "bytes": size, "median_s": round(seconds, 4), "s_per_mb": round(rate, 3),
                         "x_prose": round(ratio, 2), "median_cpu_s": round(cpu, 4), "cpu_s_per_mb": round(cpu_rate, 3),
                         "cpu_x_prose": round(cpu_ratio, 2), "repeats": repeats})
            print(f"{kind:8} {size:>10} {seconds:>9.3f} {rate:>7.2f} {ratio:>8.2f} {cpu_rate:>9.2f} {cpu_ratio:>8.2f}",
                  flush=True)
    result = {"extraction": rows}
    if args.bomb_mb:
        result["zip_bomb"] = bench_bomb(args.bomb_mb)
        print(json.dumps(result["zip_bomb"], ensure_ascii=False, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
