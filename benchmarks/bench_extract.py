"""Extraction speed on one core (a benchmark to rerun, not a timed test).

    .venv/bin/python benchmarks/bench_extract.py [--repeat 200] [--corpus-repeat 5]
    .venv/bin/python benchmarks/bench_extract.py --per-mb [--sizes 10000,100000,1000000[,10000000]] [--rounds 3]
                                                 [--kinds prose,oneline,digits,money,rates,varied]
                                                 [--tree before=/tmp/wt-before --tree after=.]
    .venv/bin/python benchmarks/bench_extract.py --floor [--sizes 1000000]

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

``--per-mb`` measures instead the CPU seconds per MB of text of each kind (issue #19 point 2), as ingest
reads it (``normalise_text`` then ``sources.ingest.extract_text``): bench_hostile's ``prose``, ``oneline``
(the prose with its line breaks turned into spaces), ``digits`` (runs of numbers without units),
``money`` ("12,5 tỷ đồng " repeated) and ``rates`` ("Đạt 45%. " repeated), and ``varied``: figure-dense text whose
figures all differ, as a table flattened to text or an annex writes them (``varied_dense``: amounts,
rates and counts of different values, scales and units, under programme and indicator names of the
project's lexicon and catalogue; deterministic). Each text is timed in a fresh process per round
(``benchmarks/time_extraction.py``) for every ``--tree`` in turn, so that two checkouts (a worktree of
an earlier commit and this one) are measured alternately under the same load; the medians of the rounds
are printed with the figures read, the microseconds of CPU per figure and the multiple of the prose
rate of the same tree and size.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_hostile import _text_of, kinds  # noqa: E402
from sources import lexicon as lex  # noqa: E402
from sources.extract import INDICATOR_SEED, extract_report  # noqa: E402
from sources.places import Gazetteer  # noqa: E402
from sources.readers import read_narrative  # noqa: E402
from sources.reference import seed_path  # noqa: E402
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


# --- figure-dense text whose figures differ ---------------------------------------------------------

def _catalogue_names() -> dict[str, list[str]]:
    """The catalogue's indicator names (dbt seed reference/indicators) by unit family."""
    names: dict[str, list[str]] = {"VND": [], "percent": [], "quantity": []}
    with seed_path(INDICATOR_SEED).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            family = row["unit"] if row["unit"] in ("VND", "percent") else "quantity"
            names[family].append(row["indicator_name_vi"])
    return names


def _number(rnd: random.Random, whole_max: int) -> str:
    """A number written the Vietnamese way: '.' groups thousands, ',' marks decimals."""
    whole = rnd.randint(0 if rnd.random() < 0.1 else 1, whole_max)
    text = f"{whole:,}".replace(",", ".")
    if rnd.random() < 0.6:
        text += "," + str(rnd.randint(1, 999)).rstrip("0")
    return text


def varied_dense(size: int, seed: int = 19) -> str:
    """``size`` bytes (UTF-8, cut at a character) of figure-dense text whose every figure differs: rows
    of a table flattened to text, each a label (an indicator of the catalogue, or a capital source and
    a programme of the lexicon) and three to seven cells (an amount with its scale, a rate, a count or
    a measure, bare or after a verb of result, some with a hedge or a yardstick), cells joined by ';'
    or ',', rows ended by a full stop, a paragraph every few rows. Deterministic for a seed."""
    rnd = random.Random(seed)
    names = _catalogue_names()
    programmes = [p for p in lex.PROGRAMMES if " " in p and not p.startswith("chương trình")]
    capital = list(lex.CAPITAL_SOURCES)
    measures = [m for m in lex.MEASURES if m not in ("dự kiến", "dự toán", "đề xuất", "kiến nghị")]
    verbs = list(lex.RESULT_VERBS)
    hedges = list(lex.HEDGES)
    yardsticks = [y for y in (*lex.PLAN_YARDSTICKS, *lex.EARLIER_YARDSTICKS) if len(y) > 3]
    counted = [u for u in lex.COUNT_UNITS if "," not in u]
    measured = ["ha", "tấn", "km", "m2", "m3", "kg"]

    def amount() -> str:
        scale = rnd.choice(("triệu", "triệu", "tỷ", "tỷ", "tỉ", "nghìn tỷ", "nghìn"))
        whole_max = 99 if scale == "nghìn tỷ" else 999 if rnd.random() < 0.7 or scale != "triệu" else 99_999
        return f"{_number(rnd, whole_max)} {scale} đồng"

    def cell() -> str:
        pick = rnd.random()
        if pick < 0.35:
            quantity = amount()
        elif pick < 0.65:
            quantity = f"{_number(rnd, 120)}%"
        elif pick < 0.85:
            quantity = f"{rnd.randint(1, 9_999):,} {rnd.choice(counted)}".replace(",", ".")
        else:
            quantity = f"{_number(rnd, 9_999)} {rnd.choice(measured)}"
        if rnd.random() < 0.15:
            quantity = f"{rnd.choice(hedges)} {quantity}"
        if rnd.random() < 0.4:
            quantity = f"{rnd.choice(verbs)} {quantity}"
        if rnd.random() < 0.15:
            quantity = f"{quantity} {rnd.choice(yardsticks)}"
        return quantity

    def label() -> str:
        pick = rnd.random()
        if pick < 0.4:
            return f"{rnd.choice(capital).capitalize()} Chương trình {rnd.choice(programmes)} {rnd.choice(measures)}"
        return rnd.choice(names[rnd.choice(("VND", "percent", "quantity"))])

    out: list[str] = []
    length = 0
    while length < size:
        row = f"{label()}: " + rnd.choice(("; ", ", ")).join(cell() for _ in range(rnd.randint(3, 7)))
        row += ".\n\n" if rnd.random() < 0.2 else ". "
        out.append(row)
        length += len(row.encode())
    return "".join(out).encode()[:size].decode("utf-8", "ignore")


PER_MB_KINDS = ("prose", "oneline", "digits", "money", "rates", "varied")


def per_mb_texts(sizes: list[int], wanted: list[str]) -> dict[tuple[str, int], str]:
    units = kinds()
    return {(kind, size): varied_dense(size) if kind == "varied" else _text_of(units[kind], size)
            for size in sizes for kind in wanted}


def per_mb(trees: list[tuple[str, Path]], sizes: list[int], wanted: list[str], rounds: int,
           out: Path | None) -> None:
    """CPU seconds per MB of each kind and size, each tree timed in turn in its own process per round."""
    texts = per_mb_texts(sizes, wanted)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for (kind, size), text in texts.items():
            path = Path(tmp) / f"{kind}-{size}.txt"
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
        warm = Path(tmp) / "warm.txt"  # (a little of each kind)
        warm.write_text("\n\n".join(text[:20_000] for (_, size), text in texts.items() if size == min(sizes)),
                        encoding="utf-8")
        runs: dict[tuple[str, str], list[dict]] = {}
        for r in range(rounds):
            for label, tree in trees:
                command = [sys.executable, str(ROOT / "benchmarks" / "time_extraction.py"), "--tree", str(tree),
                           "--warm", str(warm), *files]
                done = subprocess.run(command, check=True, capture_output=True, text=True)
                for row in json.loads(done.stdout):
                    runs.setdefault((label, Path(row["path"]).stem), []).append(row)
                print(f"round {r + 1}/{rounds}: {label} done", file=sys.stderr, flush=True)
    rows = []
    print(f"{'tree':8} {'kind':8} {'bytes':>9} {'CPU s/MB':>9} {'x prose':>8} {'figures':>8} {'µs/figure':>10}  runs")
    for label, _ in trees:
        for size in sizes:
            prose = None
            for kind in wanted:
                got = runs[(label, f"{kind}-{size}")]
                mb = got[0]["bytes"] / 1e6
                cpu = statistics.median(g["cpu_s"] for g in got)
                rate = cpu / mb
                prose = rate if kind == "prose" else prose
                figures = got[0]["figures"]
                per_figure = cpu / figures * 1e6 if figures else float("nan")
                ratio = rate / prose if prose else float("nan")
                each = ", ".join(f"{g['cpu_s'] / mb:.2f}" for g in got)
                print(f"{label:8} {kind:8} {size:>9} {rate:>9.2f} {ratio:>8.2f} {figures:>8} {per_figure:>10.1f}  "
                      f"{each}")
                rows.append({"tree": label, "kind": kind, "bytes": size, "cpu_s_per_mb": round(rate, 3),
                             "x_prose": round(ratio, 2), "figures": figures, "us_per_figure": round(per_figure, 1),
                             "cpu_s_runs": [g["cpu_s"] for g in got]})
    if out:
        out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


def data_model_floor(size: int, wanted: list[str]) -> None:
    """What a figure costs before any grammar (issue #19 point 2: how far figure-dense text can go): each
    number of the text found (``numbers_in``, sentence by sentence), parsed, and recorded as a ``Quantity``,
    a ``Found`` and a ``Figure``, as if the grammar had decided everything in no time; and each sentence
    tokenised once (numbers, words, marks), the entry fee of a grammar reading tokens. CPU seconds per MB
    in this process, beside the whole extraction of the same text and the budget per figure that 3x the
    prose rate leaves once the floor is paid."""
    from sources.extract._found import Found
    from sources.extract._grammar import Quantity, numbers_in
    from sources.figures import Figure
    from sources.ingest import extract_text
    from sources.numbers import parse_number
    from sources.text import split_sentences

    token = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|\S")

    def record_every_number(text: str) -> int:
        figures: list[Figure] = []
        for s, e in split_sentences(text):
            for m in numbers_in(text, s, e):
                value = parse_number(m.group(1))
                q = Quantity(m.start(1), m.end(1), value, None, "percent", None, None, None, None)
                f = Found(kind="indicator", rule="indicator_level", start=q.start, end=q.end,
                          fields={"unit": q.unit, "indicator_name": None, "actual_value": value})
                fig = Figure(kind=f.kind, local_id=len(figures), rule=f.rule, source_quote=text[f.start:f.end],
                             char_start=f.start, char_end=f.end, sentence=text[s:e])
                for name, field_value in f.fields.items():
                    setattr(fig, name, field_value)
                figures.append(fig)
        return len(figures)

    def tokenise(text: str) -> int:
        return sum(len(token.findall(text, s, e)) for s, e in split_sentences(text))

    def cpu(fn, text: str) -> tuple[float, int]:
        c0 = time.process_time()
        n = fn(text)
        return time.process_time() - c0, n

    texts = {kind: normalise_text(text) for (kind, _), text in per_mb_texts([size], wanted).items()}
    extract_text(next(iter(texts.values()))[:20_000])  # warm
    mb = {kind: len(text.encode("utf-8")) / 1e6 for kind, text in texts.items()}
    full = {kind: cpu(lambda t: len(extract_text(t).figures), text) for kind, text in texts.items()}
    prose_rate = full["prose"][0] / mb["prose"] if "prose" in full else float("nan")
    print(f"{'kind':8} {'bytes':>9} {'numbers':>8} {'floor s/MB':>10} {'µs/number':>9} {'tokens s/MB':>11} "
          f"{'whole s/MB':>10} {'µs/figure':>9} {'3x budget µs/figure':>19}")
    for kind, text in texts.items():
        floor_s, numbers = cpu(record_every_number, text)
        token_s, _ = cpu(tokenise, text)
        whole_s, figures = full[kind]
        budget = (3 * prose_rate * mb[kind] - floor_s - token_s) / figures * 1e6 if figures else float("nan")
        print(f"{kind:8} {size:>9} {numbers:>8} {floor_s / mb[kind]:>10.2f} "
              f"{floor_s / numbers * 1e6 if numbers else float('nan'):>9.1f} {token_s / mb[kind]:>11.2f} "
              f"{whole_s / mb[kind]:>10.2f} {whole_s / figures * 1e6 if figures else float('nan'):>9.1f} "
              f"{budget:>19.1f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--corpus-repeat", type=int, default=5)
    ap.add_argument("--per-mb", action="store_true", help="CPU s per MB by kind of text (see the docstring)")
    ap.add_argument("--sizes", default="10000,100000,1000000",
                    help="--per-mb: text sizes in bytes (add 10000000 for the 10 MB row: minutes per dense kind)")
    ap.add_argument("--kinds", default=",".join(PER_MB_KINDS), help="--per-mb: kinds of text")
    ap.add_argument("--rounds", type=int, default=3, help="--per-mb: runs of each text per tree (median)")
    ap.add_argument("--tree", action="append", default=[], metavar="LABEL=PATH",
                    help="--per-mb: a checkout whose sources to time (repeatable; default this one)")
    ap.add_argument("--out", type=Path, help="--per-mb: the rows as JSON")
    ap.add_argument("--floor", action="store_true",
                    help="what a figure costs before any grammar, by kind, at the largest --sizes "
                         "(see data_model_floor)")
    args = ap.parse_args()
    if args.floor:
        data_model_floor(max(int(s) for s in args.sizes.split(",") if s),
                         [k for k in args.kinds.split(",") if k in PER_MB_KINDS])
        return
    if args.per_mb:
        trees = [(t.split("=", 1)[0], Path(t.split("=", 1)[1]).resolve()) for t in args.tree] or [("this", ROOT)]
        wanted = [k for k in args.kinds.split(",") if k in PER_MB_KINDS]
        per_mb(trees, [int(s) for s in args.sizes.split(",") if s], wanted, args.rounds, args.out)
        return
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
