"""Score the extractor alone on real reports, fast (no Dagster, no dbt): for iterating.

    .venv/bin/python scripts/score_seeds.py                 # seeds + eval/dev, merged gold
    .venv/bin/python scripts/score_seeds.py --set seeds     # or: --set dev
    .venv/bin/python scripts/score_seeds.py --verbose       # every miss
    .venv/bin/python scripts/score_seeds.py --json          # the scorer's report as JSON (tests read it)

Writes a temporary DuckDB holding the three fact marts' scored columns (periods and places
included), straight from ``extract_report`` and the gazetteer, then runs
../shared/tools/score_figures.py on it. The real numbers come from the pipeline
(`provreport run`), which this mirrors.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from sources.extract import extract_report  # noqa: E402
from sources.places import Gazetteer  # noqa: E402
from sources.readers import read_narrative  # noqa: E402
from sources.text import normalise_text  # noqa: E402

SETS = {
    "seeds": ([SHARED / "seeds"], [SHARED / "eval" / "seeds_gold.jsonl"]),
    "dev": ([SHARED / "eval" / "dev" / "docs"], [SHARED / "eval" / "dev" / "gold.jsonl"]),
}
SETS["all"] = (SETS["seeds"][0] + SETS["dev"][0], SETS["seeds"][1] + SETS["dev"][1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=sorted(SETS), default="all")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", action="store_true", help="print the scorer's report as JSON")
    args = ap.parse_args()
    folders, golds = SETS[args.set]
    gazetteer = Gazetteer.load()
    funding, indicators, scorecards = [], [], []
    for folder in folders:
        for path in sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf")):
            text = normalise_text(read_narrative(path, path.read_bytes()).text)
            facts = extract_report(text)
            place = gazetteer.resolve(text, on_date=facts.report_date or facts.period_end)  # as sources.ingest
            where = (path.name, place.district_name, place.province_name)
            for f in facts.figures:
                when = (f.period_start, f.period_end, f.source_quote)
                if f.kind == "funding":
                    funding.append((*where, f.programme_code, f.measure, f.amount_vnd,
                                    None if f.rate_pct is None else float(f.rate_pct), *when))
                elif f.kind == "indicator":
                    indicators.append((*where, f.unit, *(None if v is None else float(v) for v in (
                        f.target_value, f.actual_value, f.attainment_pct, f.exceed_pct, f.change_value)), *when))
                else:
                    scorecards.append((*where, f.indicators_total, f.indicators_met_or_exceeded, *when))
    common = "source_file varchar, district_name varchar, province_name varchar"
    when = "period_start date, period_end date, source_quote varchar"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "score.duckdb"
        gold = Path(tmp) / "gold.jsonl"
        gold.write_text("".join(g.read_text(encoding="utf-8") for g in golds), encoding="utf-8")
        con = duckdb.connect(str(db))
        con.execute("create schema marts")
        con.execute(f"create table marts.fct_programme_funding ({common}, programme_code varchar, measure varchar, "
                    f"amount_vnd bigint, reported_rate_pct double, {when})")
        con.execute(f"create table marts.fct_indicator_attainment ({common}, unit varchar, target_value double, "
                    f"actual_value double, attainment_pct double, exceed_pct double, change_value double, {when})")
        con.execute(f"create table marts.fct_district_scorecard ({common}, indicators_total integer, "
                    f"indicators_met_or_exceeded integer, {when})")
        for table, rows in (("fct_programme_funding", funding), ("fct_indicator_attainment", indicators),
                            ("fct_district_scorecard", scorecards)):
            if rows:
                con.executemany(f"insert into marts.{table} values ({', '.join('?' * len(rows[0]))})", rows)
        con.close()
        cmd = [sys.executable, str(SHARED / "tools" / "score_figures.py"), "--warehouse", str(db),
               "--gold", str(gold)] + (["--verbose"] if args.verbose else []) + (
            ["--json"] if args.json else [])
        return subprocess.run(cmd, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
