"""One timing of the extraction of each text, with the sources of a given checkout (run by
``benchmarks/bench_extract.py --per-mb``, one process per tree and round).

    .venv/bin/python benchmarks/time_extraction.py --tree /tmp/wt-before --warm warm.txt text.txt [...]

Each text file (UTF-8) goes through what ingest does to a text: ``normalise_text`` then
``sources.ingest.extract_text``, imported from ``--tree``; printed as JSON: its path, bytes, figures
read and the CPU seconds (and wall seconds) of this process for it. The ``--warm`` text is extracted
first, so that the imports, the catalogue's first reading and the patterns compiled on first use are
not counted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree", type=Path, required=True, help="the checkout whose sources/ to time")
    ap.add_argument("--warm", type=Path, required=True, help="a text extracted first, not timed")
    ap.add_argument("texts", nargs="+", type=Path)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(args.tree.resolve()))
    from sources.ingest import extract_text
    from sources.text import normalise_text

    extract_text(normalise_text(args.warm.read_text(encoding="utf-8")))
    rows = []
    for path in args.texts:
        text = path.read_text(encoding="utf-8")
        t0, c0 = time.perf_counter(), time.process_time()
        facts = extract_text(normalise_text(text))
        cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        rows.append({"path": str(path), "bytes": len(text.encode("utf-8")), "figures": len(facts.figures),
                     "cpu_s": round(cpu, 4), "wall_s": round(wall, 4)})
    json.dump(rows, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
