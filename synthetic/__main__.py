"""python -m synthetic --out DIR --reports N [--seed S]"""

import argparse
from pathlib import Path

from synthetic.generator import generate_corpus

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--out", required=True)
parser.add_argument("--reports", type=int, default=10)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
info = generate_corpus(Path(args.out), n_reports=args.reports, seed=args.seed)
print(f"wrote {info.reports} reports with {info.figures} gold figures to {info.out_dir}")
