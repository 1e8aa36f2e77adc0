"""The reconciliation rows validation reads, on synthetic marts of ~10 rows per report (a benchmark to rerun,
not a test).

    .venv/bin/python benchmarks/bench_reconcile.py [--reports 10000] [--repeat 5] [--baseline REV]

Writes marts shaped like the real ones (totals with components, disbursements with rates, averages per
commune with their counts, indicators across ~700 districts, scorecards) into a temporary DuckDB file, builds
the reconciliation models on them with dbt (``intermediate.int_checks__*``), and times what validation does
with them: read every model and take its rows (``expectations.validate.check_rows``), for every unit and for
ten units; the median of ``--repeat`` runs. With ``--baseline REV`` it also loads ``expectations/reconcile.py``
as of that git revision (the Polars frames the models replace; its last revision is e668ccf), times its
``derived_frames`` on the same marts, prints the ratio and checks that both give the same rows (the same
figure_ids) with the same values (within 1e-9, relative).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from expectations.validate import CHECK_FRAMES, Scope, check_rows  # noqa: E402
from orchestration.settings import DBT_PROJECT_DIR, dbt_executable  # noqa: E402
from sources.figures import PROGRAMME_CODES  # noqa: E402

CODES = [(f"IND_{i:02d}", unit, lo, hi) for i, (unit, lo, hi) in
         enumerate([("percent", 0.0, 100.0), ("VND", 0.0, None), ("ton_per_ha", None, None), ("count", 0.0, None)]
                   * 8)]
# the mart columns the reconciliations read, typed as the marts are
FUNDING = {"figure_id": pl.String, "report_id": pl.String, "unit_key": pl.String, "admin_unit_code": pl.String,
           "programme_code": pl.String, "capital_source": pl.String, "measure": pl.String, "amount_vnd": pl.Int64,
           "reported_rate_pct": pl.Float64, "computed_rate_pct": pl.Float64, "period_start": pl.Date,
           "period_end": pl.Date, "parent_figure_id": pl.String, "per_unit": pl.String, "sentence": pl.String,
           "char_start": pl.Int32}
INDICATORS = {"figure_id": pl.String, "report_id": pl.String, "unit_key": pl.String, "admin_unit_code": pl.String,
              "indicator_code": pl.String, "unit": pl.String, "target_value": pl.Float64, "actual_value": pl.Float64,
              "attainment_pct": pl.Float64, "computed_attainment_pct": pl.Float64, "sentence": pl.String,
              "char_start": pl.Int32}
SCORECARDS = {"figure_id": pl.String, "report_id": pl.String, "unit_key": pl.String, "admin_unit_code": pl.String,
              "indicators_total": pl.Int32, "indicators_met_or_exceeded": pl.Int32, "indicators_exceeded": pl.Int32,
              "char_start": pl.Int32}
CATALOGUE = {"indicator_code": pl.String, "unit": pl.String, "min_value": pl.Float64, "max_value": pl.Float64}


def synthetic_marts(n_reports: int, seed: int = 7) -> dict[str, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    funding, indicators, scorecards = [], [], []
    for i in range(n_reports):
        report = f"R{i:06d}"
        unit = None if rng.random() < 0.05 else f"D{rng.integers(1, 700):03d}"
        year = int(rng.integers(2016, 2025))
        start = date(year, 1, 1)
        end = start + timedelta(days=int(rng.integers(150, 365)))
        programme, source = str(rng.choice(PROGRAMME_CODES)), str(rng.choice(["investment", "recurrent"]))
        place = {"report_id": report, "unit_key": unit or report, "admin_unit_code": unit}
        numbers = iter(range(1, 100))

        def fig(numbers=numbers, report=report) -> tuple[str, int]:
            n = next(numbers)
            return f"{report}-{n:04d}", n

        def row(measure="allocated", amount=None, place=place, programme=programme, source=source, start=start,
                end=end, sentence=f"{report} câu 0", **kw) -> dict:
            figure_id, n = fig()
            return {**place, "figure_id": figure_id, "char_start": n, "programme_code": programme,
                    "capital_source": source, "measure": measure, "amount_vnd": amount, "period_start": start,
                    "period_end": end, "sentence": sentence, **kw}

        parts = [int(rng.integers(1_000, 40_000)) * 1_000_000 for _ in range(3)]
        total = sum(parts) + (1_000_000 * int(rng.integers(-20, 20)) if rng.random() < 0.2 else 0)
        funding.append(row(amount=total))
        total_id = funding[-1]["figure_id"]
        funding += [row(amount=p, parent_figure_id=total_id, sentence=f"{report} câu 1") for p in parts]
        disbursed = int(total * float(rng.uniform(0.4, 1.1)))
        rate = round(100 * disbursed / total, 2)
        funding.append(row("disbursed", disbursed, reported_rate_pct=rate + (0.3 if rng.random() < 0.1 else 0),
                           computed_rate_pct=rate, sentence=f"{report} câu 2"))
        communes = int(rng.integers(2, 12))
        avg_total = int(rng.integers(1_000, 20_000)) * 1_000_000
        average = f"{report}: {avg_total // 1_000_000} triệu đồng (trung bình ... triệu đồng/xã) cho {communes} xã"
        funding.append(row(amount=avg_total, sentence=average))
        funding.append(row(amount=round(avg_total / communes / 1e6) * 1_000_000, per_unit="commune",
                           sentence=average))
        funding.append(row(capital_source="other", amount=int(rng.integers(1, 900)) * 1_000_000))
        figure_id, n = fig()
        indicators.append({**place, "figure_id": figure_id, "char_start": n, "indicator_code": "COMMUNES",
                           "unit": "commune", "actual_value": float(communes), "sentence": average})
        for _ in range(2):
            code, code_unit, _lo, _hi = CODES[int(rng.integers(0, len(CODES)))]
            target = float(rng.integers(1, 100))
            actual = target * float(rng.uniform(0.5, 1.5)) * (40 if rng.random() < 0.01 else 1)
            figure_id, n = fig()
            indicators.append({**place, "figure_id": figure_id, "char_start": n,
                               "indicator_code": code if rng.random() > 0.05 else "UNMAPPED", "unit": code_unit,
                               "actual_value": actual, "target_value": target,
                               "attainment_pct": round(100 * actual / target, 2),
                               "computed_attainment_pct": round(100 * actual / target, 2), "sentence": "x"})
        total_ind = int(rng.integers(10, 30))
        met = int(rng.integers(0, total_ind + 1))
        figure_id, n = fig()
        scorecards.append({**place, "figure_id": figure_id, "char_start": n, "indicators_total": total_ind,
                           "indicators_met_or_exceeded": met, "indicators_exceeded": int(rng.integers(0, met + 1))})
    catalogue = [{"indicator_code": c, "unit": u, "min_value": lo, "max_value": hi} for c, u, lo, hi in CODES]
    catalogue += [{"indicator_code": "COMMUNES", "unit": "commune", "min_value": 0.0, "max_value": None},
                  {"indicator_code": "UNMAPPED", "unit": "other", "min_value": None, "max_value": None}]

    def frame(rows: list[dict], schema: dict) -> pl.DataFrame:
        return pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema)

    return {"fct_programme_funding": frame(funding, FUNDING), "fct_indicator_attainment": frame(indicators, INDICATORS),
            "fct_district_scorecard": frame(scorecards, SCORECARDS), "dim_indicator": frame(catalogue, CATALOGUE)}


def build_models(marts: dict[str, pl.DataFrame], folder: Path) -> Path:
    """The marts in a DuckDB file, and the reconciliation models built on them by dbt."""
    path = folder / "bench.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    for name, frame in marts.items():
        con.register("mart_rows", frame.to_arrow())
        con.execute(f"create table marts.{name} as select * from mart_rows")
        con.unregister("mart_rows")
    con.close()
    env = {**os.environ, "DUCKDB_PATH": str(path), "PROVREPORT_DBT_TARGET": "duckdb",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    models = [relation.split(".")[1] for relation in CHECK_FRAMES.values()]
    subprocess.run([dbt_executable(), "run", "--select", *models, "--project-dir", str(DBT_PROJECT_DIR),
                    "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(folder / "target"),
                    "--log-path", str(folder / "logs")], env=env, check=True, capture_output=True)
    return path


def read_checks(path: Path, scope: Scope) -> dict:
    """What validation does with the models: read each one and take the scope's rows, ordered."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {frame: check_rows(con.sql(f"select * from {relation}").pl(), scope)
                for frame, relation in CHECK_FRAMES.items()}
    finally:
        con.close()


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


def same_rows(new, old, columns: list[str]) -> bool:
    """The same figure_ids (as many rows each) and the same values within 1e-9 relative."""
    def keyed(frame) -> list[tuple]:
        rows = []
        for row in frame[["figure_ids", *columns]].itertuples(index=False):
            values = [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in row[1:]]
            rows.append((row[0], [float(v) if isinstance(v, (int, float)) else v for v in values]))
        return sorted(rows, key=repr)

    a, b = keyed(new), keyed(old)
    if [r[0] for r in a] != [r[0] for r in b]:
        return False
    return all((x is None and y is None) or (isinstance(x, str) and x == y)
               or (x is not None and y is not None and not isinstance(x, str)
                   and math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12))
               for ra, rb in zip(a, b, strict=True) for x, y in zip(ra[1], rb[1], strict=True))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--baseline", help="a git revision whose expectations/reconcile.py to compare with (e668ccf)")
    args = ap.parse_args()
    marts = synthetic_marts(args.reports)
    rows = marts["fct_programme_funding"].height + marts["fct_indicator_attainment"].height
    print(f"{args.reports} reports, {rows} funding + indicator rows, "
          f"{marts['fct_district_scorecard'].height} scorecards")
    with tempfile.TemporaryDirectory(prefix="bench-reconcile-") as folder:
        path = build_models(marts, Path(folder))
        everything = Scope(None, None)
        read_checks(path, everything)  # warm up
        after, frames = timed(lambda: read_checks(path, everything), args.repeat)
        print(f"check models read (every unit): median {after * 1000:.1f} ms of {args.repeat}")
        sample = frozenset(sorted(marts["fct_programme_funding"]["unit_key"].unique())[:10])
        scoped, _ = timed(lambda: read_checks(path, Scope(sample, None)), args.repeat)
        print(f"check models read (10 units): median {scoped * 1000:.1f} ms")
        print("rows per model:", json.dumps({name: len(frame) for name, frame in frames.items()}))
        if args.baseline:
            baseline = load_baseline(args.baseline)
            before, old_frames = timed(lambda: baseline.derived_frames(marts), args.repeat)
            print(f"{args.baseline} derived_frames (Polars): median {before * 1000:.1f} ms of {args.repeat}")
            print(f"ratio (check models / Polars frames): {after / before:.2f}")
            for name, frame in frames.items():
                same = same_rows(frame, old_frames[name], baseline.FRAME_COLUMNS[name])
                print(f"  {name}: {len(frame)} rows, {'same rows and values' if same else 'DIFFERENT ROWS'}")


if __name__ == "__main__":
    main()
