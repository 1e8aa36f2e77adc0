"""Score the extractor alone on the seed reports, fast (no Dagster, no dbt): for iterating.

    .venv/bin/python scripts/score_seeds.py [--seeds ../shared/seeds] [--gold ...] [--verbose]

Writes a temporary DuckDB holding the three fact marts' scored columns, straight from
``extract_report`` and the gazetteer, then runs ../shared/tools/score_figures.py on it.
The real numbers come from the pipeline (`provreport run`), which this mirrors.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sources.extract import extract_report  # noqa: E402
from sources.readers import read_narrative  # noqa: E402
from sources.text import normalise_text  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default=str(ROOT.parent / "shared" / "seeds"))
    ap.add_argument("--gold", default=str(ROOT.parent / "shared" / "eval" / "seeds_gold.jsonl"))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    try:
        from sources.places import Gazetteer
        gazetteer = Gazetteer.load()
    except Exception:  # the gazetteer is optional here: place accuracy then reads 0
        gazetteer = None
    funding, indicators, scorecards = [], [], []
    for path in sorted(p for p in Path(args.seeds).iterdir() if p.suffix in (".txt", ".md", ".html", ".docx")):
        text = normalise_text(read_narrative(path, path.read_bytes()).text)
        facts = extract_report(text)
        place = gazetteer.resolve(text, on_date=facts.report_date) if gazetteer else None
        district = place.district_name if place else None
        province = place.province_name if place else None
        for f in facts.figures:
            if f.kind == "funding":
                funding.append((path.name, district, province, f.programme_code, f.measure, f.amount_vnd,
                                None if f.rate_pct is None else float(f.rate_pct), f.source_quote))
            elif f.kind == "indicator":
                indicators.append((path.name, district, province, f.unit, *(None if v is None else float(v) for v in (
                    f.target_value, f.actual_value, f.attainment_pct, f.exceed_pct, f.change_value)), f.source_quote))
            else:
                scorecards.append((path.name, district, province, f.indicators_total, f.indicators_met_or_exceeded,
                                   f.source_quote))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seeds.duckdb"
        con = duckdb.connect(str(db))
        con.execute("create schema marts")
        con.execute("create table marts.fct_programme_funding (source_file varchar, district_name varchar, "
                    "province_name varchar, programme_code varchar, measure varchar, amount_vnd bigint, "
                    "reported_rate_pct double, source_quote varchar)")
        con.execute("create table marts.fct_indicator_attainment (source_file varchar, district_name varchar, "
                    "province_name varchar, unit varchar, target_value double, actual_value double, "
                    "attainment_pct double, exceed_pct double, change_value double, source_quote varchar)")
        con.execute("create table marts.fct_district_scorecard (source_file varchar, district_name varchar, "
                    "province_name varchar, indicators_total integer, indicators_met_or_exceeded integer, "
                    "source_quote varchar)")
        if funding:
            con.executemany("insert into marts.fct_programme_funding values (?,?,?,?,?,?,?,?)", funding)
        if indicators:
            con.executemany("insert into marts.fct_indicator_attainment values (?,?,?,?,?,?,?,?,?,?)", indicators)
        if scorecards:
            con.executemany("insert into marts.fct_district_scorecard values (?,?,?,?,?,?)", scorecards)
        con.close()
        cmd = [sys.executable, str(ROOT.parent / "shared" / "tools" / "score_figures.py"), "--warehouse", str(db),
               "--gold", args.gold] + (["--verbose"] if args.verbose else [])
        return subprocess.run(cmd, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
