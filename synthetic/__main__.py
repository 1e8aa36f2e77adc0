"""python -m synthetic --out DIR --reports N [--seed S] [--submission-share F]"""

import argparse
from pathlib import Path

from synthetic.generator import generate_corpus

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--out", required=True)
parser.add_argument("--reports", type=int, default=10)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--submission-share", type=float, default=0.2,
                    help="fraction of the files written as spreadsheet submissions (CSV/XLSX), 0 to 1")
args = parser.parse_args()
info = generate_corpus(Path(args.out), n_reports=args.reports, seed=args.seed, submission_share=args.submission_share)
print(f"wrote {info.reports} reports ({info.submissions} spreadsheets) with {info.figures} gold figures "
      f"to {info.out_dir}")
