"""Reconciliation frames on synthetic marts of ~10 rows per report (a benchmark to rerun, not a test).

    .venv/bin/python benchmarks/bench_reconcile.py [--reports 10000] [--repeat 5] [--baseline REV]

Builds Polars marts shaped like the real ones (totals with components, disbursements with rates,
averages per commune with their counts, indicators across ~700 districts, scorecards), times
``expectations.reconcile.derived_frames`` on them and prints the median of ``--repeat`` runs.
With ``--baseline REV`` it also loads ``expectations/reconcile.py`` as of that git revision from a
temporary file, times it on the same marts (as pandas, which is what that version takes; the
conversion is not timed), prints the ratio and checks the two give the same rows and values. The
pandas implementation is the one of 1804287 (a baseline run at 10 000 reports takes minutes).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from expectations.reconcile import derived_frames  # noqa: E402
from sources.figures import PROGRAMME_CODES  # noqa: E402

CODES = [(f"IND_{i:02d}", unit, lo, hi) for i, (unit, lo, hi) in
         enumerate([("percent", 0.0, 100.0), ("VND", 0.0, None), ("ton_per_ha", None, None), ("count", 0.0, None)]
                   * 8)]


def _funding_row(report: dict, figure_id: str, measure: str = "allocated", amount: float | None = None,
                 **kw) -> dict:
    return {"figure_id": figure_id, "report_id": report["report_id"], "admin_unit_code": report["unit"],
            "programme_code": report["programme"], "capital_source": report["source"], "measure": measure,
            "amount_vnd": amount, "reported_rate_pct": None, "computed_rate_pct": None,
            "period_start": report["start"], "period_end": report["end"], "parent_figure_id": None, "per_unit": None,
            "sentence": f"{report['report_id']} câu 0", **kw}


def synthetic_marts(n_reports: int, seed: int = 7) -> dict[str, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    funding, indicators, scorecards = [], [], []
    for i in range(n_reports):
        report = f"R{i:06d}"
        unit = None if rng.random() < 0.05 else f"D{rng.integers(1, 700):03d}"
        year = int(rng.integers(2016, 2025))
        meta = {"report_id": report, "unit": unit, "start": date(year, 1, 1),
                "end": date(year, 1, 1) + timedelta(days=int(rng.integers(150, 365))),
                "programme": str(rng.choice(PROGRAMME_CODES)),
                "source": str(rng.choice(["investment", "recurrent"]))}
        ids = (f"{report}-{n:04d}" for n in range(1, 100))

        def fig(ids=ids) -> str:
            return next(ids)

        def row(*args, meta=meta, **kw) -> dict:
            return _funding_row(meta, *args, **kw)

        parts = [float(rng.integers(1_000, 40_000)) * 1e6 for _ in range(3)]
        total = sum(parts) + (1e6 * float(rng.integers(-20, 20)) if rng.random() < 0.2 else 0.0)
        total_id = fig()
        funding.append(row(total_id, amount=total))
        funding += [row(fig(), amount=p, parent_figure_id=total_id, sentence=f"{report} câu 1") for p in parts]
        disbursed = total * float(rng.uniform(0.4, 1.1))
        rate = round(100 * disbursed / total, 2)
        funding.append(row(fig(), "disbursed", disbursed, reported_rate_pct=rate + (0.3 if rng.random() < 0.1 else 0),
                           computed_rate_pct=rate, sentence=f"{report} câu 2"))
        communes = int(rng.integers(2, 12))
        avg_total = float(rng.integers(1_000, 20_000)) * 1e6
        average = f"{report}: {avg_total / 1e6:.0f} triệu đồng (trung bình ... triệu đồng/xã) cho {communes} xã"
        funding.append(row(fig(), amount=avg_total, sentence=average))
        funding.append(row(fig(), amount=round(avg_total / communes / 1e6) * 1e6, per_unit="commune",
                           sentence=average))
        funding.append(row(fig(), capital_source="other", amount=float(rng.integers(1, 900)) * 1e6))
        indicators.append({"figure_id": fig(), "report_id": report, "admin_unit_code": unit,
                           "indicator_code": "COMMUNES", "unit": "commune", "actual_value": float(communes),
                           "target_value": None, "attainment_pct": None, "computed_attainment_pct": None,
                           "sentence": average})
        for _ in range(2):
            code, code_unit, _lo, _hi = CODES[int(rng.integers(0, len(CODES)))]
            target = float(rng.integers(1, 100))
            actual = target * float(rng.uniform(0.5, 1.5)) * (40 if rng.random() < 0.01 else 1)
            indicators.append({"figure_id": fig(), "report_id": report, "admin_unit_code": unit,
                               "indicator_code": code if rng.random() > 0.05 else "UNMAPPED", "unit": code_unit,
                               "actual_value": actual, "target_value": target,
                               "attainment_pct": round(100 * actual / target, 2),
                               "computed_attainment_pct": round(100 * actual / target, 2), "sentence": "x"})
        total_ind = int(rng.integers(10, 30))
        met = int(rng.integers(0, total_ind + 1))
        scorecards.append({"figure_id": fig(), "report_id": report, "admin_unit_code": unit,
                           "indicators_total": total_ind, "indicators_met_or_exceeded": met,
                           "indicators_exceeded": int(rng.integers(0, met + 1))})
    catalogue = [{"indicator_code": c, "unit": u, "min_value": lo, "max_value": hi} for c, u, lo, hi in CODES]
    catalogue += [{"indicator_code": "COMMUNES", "unit": "commune", "min_value": 0.0, "max_value": None},
                  {"indicator_code": "UNMAPPED", "unit": "other", "min_value": None, "max_value": None}]
    return {
        "fct_programme_funding": pl.DataFrame(funding, infer_schema_length=None),
        "fct_indicator_attainment": pl.DataFrame(indicators, infer_schema_length=None),
        "fct_district_scorecard": pl.DataFrame(scorecards, schema_overrides={
            c: pl.Int32 for c in ("indicators_total", "indicators_met_or_exceeded", "indicators_exceeded")}),
        "dim_indicator": pl.DataFrame(catalogue, infer_schema_length=None),
    }


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def load_baseline(revision: str):
    source = subprocess.run(["git", "show", f"{revision}:expectations/reconcile.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "reconcile_baseline.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("reconcile_baseline", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def canonical(frame) -> list[tuple]:
    """Rows without row_key, in a fixed order, nulls as None (numbers compared exactly)."""
    def clean(v):
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else v
    rows = [tuple(clean(v) for v in row) for row in frame.drop(columns="row_key").itertuples(index=False)]
    return sorted(rows, key=repr)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--baseline", help="a git revision whose expectations/reconcile.py to compare with")
    args = ap.parse_args()
    marts = synthetic_marts(args.reports)
    rows = marts["fct_programme_funding"].height + marts["fct_indicator_attainment"].height
    print(f"{args.reports} reports, {rows} funding + indicator rows, "
          f"{marts['fct_district_scorecard'].height} scorecards")
    derived_frames(marts)  # warm up
    after, frames = timed(lambda: derived_frames(marts), args.repeat)
    print(f"polars derived_frames: median {after * 1000:.1f} ms of {args.repeat}")
    sample = sorted({u for u in marts["fct_programme_funding"]["admin_unit_code"].drop_nulls()})[:10]
    scoped, _ = timed(lambda: derived_frames(marts, units=sample), args.repeat)
    print(f"polars derived_frames(units=<10 units>): median {scoped * 1000:.1f} ms")
    print("rows per frame:", json.dumps({name: len(frame) for name, frame in frames.items()}))
    if args.baseline:
        baseline = load_baseline(args.baseline)
        pandas_marts = {name: frame.to_pandas() for name, frame in marts.items()}
        before, old_frames = timed(lambda: baseline.derived_frames(pandas_marts), args.repeat)
        print(f"{args.baseline} derived_frames (pandas): median {before * 1000:.1f} ms of {args.repeat}")
        print(f"ratio: {before / after:.0f}x")
        for name, frame in frames.items():
            same = canonical(frame) == canonical(old_frames[name])
            print(f"  {name}: {len(frame)} rows, {'same rows and values' if same else 'DIFFERENT ROWS'}")


if __name__ == "__main__":
    main()
