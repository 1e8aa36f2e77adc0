"""python -m synthetic --out DIR --reports N [--seed S] [--submission-share F] [--reform-share F]"""

import argparse
from pathlib import Path

from synthetic.generator import generate_corpus

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--out", required=True)
parser.add_argument("--reports", type=int, default=10)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--submission-share", type=float, default=0.2,
                    help="fraction of the files written as spreadsheet submissions (CSV/XLSX), 0 to 1")
parser.add_argument("--reform-share", type=float, default=0.0,
                    help="fraction of the prose reports, and of the submissions, dated after the 1 July 2025 reform "
                         "and about a commune of the new map, 0 to 1 (0 writes the same bytes as before it existed)")
args = parser.parse_args()
info = generate_corpus(Path(args.out), n_reports=args.reports, seed=args.seed, submission_share=args.submission_share,
                       reform_share=args.reform_share)
print(f"wrote {info.reports} reports ({info.submissions} spreadsheets, {len(info.post_reform)} after the 2025 reform) "
      f"with {info.figures} gold figures to {info.out_dir}")
