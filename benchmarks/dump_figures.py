"""Every figure the extractor reads, with all its fields, dumped to one file: a before/after check
for changes meant to make the extractor faster without changing what it reads.

    .venv/bin/python benchmarks/dump_figures.py --out /tmp/figures-before.txt
    ... change the extractor ...
    .venv/bin/python benchmarks/dump_figures.py --out /tmp/figures-after.txt
    cmp /tmp/figures-before.txt /tmp/figures-after.txt

The corpus: the seed reports (../shared/seeds), the dev reports (../shared/eval/dev/docs), the
project's samples (samples/**.txt), a synthetic corpus (``synthetic.generator.generate_corpus``,
prose reports only, generated into a temporary folder), and bench_hostile's generated texts (every
kind at 10 KB and 100 KB, and at 1 MB with ``--big``) with bench_extract's figure-dense text of varied
figures (``varied_dense``, the same sizes). Each text is read as ingest reads it
(``read_narrative`` then ``normalise_text``) and goes through ``sources.ingest.extract_text`` (which
is ``extract_report`` for a text of report size) and ``Gazetteer.resolve``. One line per report
(its date, period, title and place) and one per figure (every slot of ``Figure``, by name). Nothing
is written into the checkout.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_extract import varied_dense  # noqa: E402
from benchmarks.bench_hostile import _text_of, kinds  # noqa: E402
from sources.figures import Figure, PlaceResolution  # noqa: E402
from sources.ingest import extract_text  # noqa: E402
from sources.places import Gazetteer  # noqa: E402
from sources.readers import read_narrative  # noqa: E402
from sources.text import normalise_text  # noqa: E402

SHARED = ROOT.parent / "shared"
NARRATIVE = (".txt", ".md", ".html", ".docx", ".pdf")


def _documents(folder: Path, label: str) -> Iterator[tuple[str, str]]:
    if not folder.is_dir():
        print(f"{label}: {folder} absent, skipped", file=sys.stderr)
        return
    for p in sorted(q for q in folder.rglob("*") if q.is_file() and q.suffix in NARRATIVE):
        yield f"{label}/{p.relative_to(folder)}", normalise_text(read_narrative(p, p.read_bytes()).text)


def corpus(synthetic_reports: int, big: bool) -> Iterator[tuple[str, str]]:
    yield from _documents(SHARED / "seeds", "seeds")
    yield from _documents(SHARED / "eval" / "dev" / "docs", "dev")
    yield from _documents(ROOT / "samples", "samples")
    if synthetic_reports:
        from synthetic.generator import generate_corpus

        with tempfile.TemporaryDirectory() as tmp:
            generate_corpus(Path(tmp), n_reports=synthetic_reports, seed=7, submission_share=0.0,
                            reform_share=0.2)
            yield from _documents(Path(tmp), "synthetic")
    sizes = (10_000, 100_000, 1_000_000) if big else (10_000, 100_000)
    for kind, unit in kinds().items():
        for size in sizes:
            yield f"hostile/{kind}/{size}", normalise_text(_text_of(unit, size))
    for size in sizes:
        yield f"dense/varied/{size}", normalise_text(varied_dense(size))


def _figure_line(f: Figure) -> str:
    return "\t".join(f"{name}={getattr(f, name)!r}" for name in Figure.__slots__)


def _place_line(p: PlaceResolution) -> str:
    return "\t".join(f"{name}={getattr(p, name)!r}" for name in PlaceResolution.__slots__)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--synthetic", type=int, default=240, help="synthetic prose reports (0: none)")
    ap.add_argument("--big", action="store_true", help="also bench_hostile's texts at 1 MB")
    args = ap.parse_args(argv)
    if args.out.resolve().is_relative_to(ROOT):
        ap.error("write the dump outside the checkout")
    gazetteer = Gazetteer.load()
    t0 = time.process_time()
    reports = figures = 0
    digest = hashlib.sha256()
    with args.out.open("w", encoding="utf-8") as out:
        for name, text in corpus(args.synthetic, args.big):
            facts = extract_text(text)
            place = gazetteer.resolve(text, on_date=facts.report_date or facts.period_end)
            lines = [f"## {name}\tdate={facts.report_date!r}\tperiod=({facts.period_start!r}, {facts.period_end!r})"
                     f"\ttitle={facts.title!r}\t{_place_line(place)}"]
            lines += [_figure_line(f) for f in facts.figures]
            block = "\n".join(lines) + "\n"
            out.write(block)
            digest.update(block.encode("utf-8"))
            reports += 1
            figures += len(facts.figures)
    print(f"{reports} texts, {figures} figures, sha256 {digest.hexdigest()[:16]}, "
          f"{time.process_time() - t0:.1f} CPU s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
