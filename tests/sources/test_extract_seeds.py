"""The extractor on the five real seed reports (read from ../shared, never copied in)."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest

from sources.extract import extract_report
from sources.readers import read_narrative
from sources.text import normalise_text


@pytest.fixture(scope="module")
def extracted(seeds_dir: Path) -> dict:
    out = {}
    for path in sorted(seeds_dir.iterdir()):
        text = normalise_text(read_narrative(path, path.read_bytes()).text)
        out[path.name[:3]] = (text, extract_report(text))
    return out


def test_every_quote_is_exact_at_its_offsets(extracted) -> None:
    for text, facts in extracted.values():
        for f in facts.figures:
            assert text[f.char_start:f.char_end] == f.source_quote


def test_ntm_total_2016_2019_with_four_components(extracted) -> None:
    figures = extracted["000"][1].figures
    total = next(f for f in figures if f.amount_vnd == 106_182_000_000)
    assert (total.programme_code, total.capital_source, total.measure) == ("NTM", "investment", "allocated")
    parts = [f for f in figures if f.parent_local_id == total.local_id]
    assert sorted(f.amount_vnd for f in parts) == [19_740_000_000, 24_257_000_000, 25_872_000_000, 36_295_000_000]


def test_dtts_disbursement_with_rate(extracted) -> None:
    f = next(f for f in extracted["001"][1].figures if f.amount_vnd == 28_757_000_000)
    assert (f.programme_code, f.capital_source, f.measure, f.rate_pct) == (
        "DTTS_MN", "investment", "disbursed", Decimal("46"))


def test_public_investment_rate_only(extracted) -> None:
    f = next(f for f in extracted["001"][1].figures if f.rate_pct == Decimal("15.9"))
    assert (f.programme_code, f.measure, f.amount_vnd) == ("PUBLIC_INVESTMENT", "disbursed", None)


def test_scorecard_24_of_27(extracted) -> None:
    (s,) = [f for f in extracted["002"][1].figures if f.kind == "scorecard"]
    assert (s.indicators_met_or_exceeded, s.indicators_total, s.indicators_exceeded) == (24, 27, 10)


def test_dakrong_allocated_and_disbursed(extracted) -> None:
    funding = {f.measure: f for f in extracted["003"][1].figures if f.kind == "funding"}
    assert funding["allocated"].amount_vnd == 154_228_000_000
    assert funding["disbursed"].amount_vnd == 109_475_000_000
    assert funding["disbursed"].rate_pct == Decimal("70.98")


def test_strict_f1_on_the_seeds_stays_above_the_floor(extracted, shared_dir: Path, gold_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("score_figures", shared_dir / "tools" / "score_figures.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold, _docs = scorer.load_gold(str(gold_path))
    names = {p.name[:3]: p.name for p in (shared_dir / "seeds").iterdir()}
    tp = n_pred = n_gold = 0
    roles = {"target_value": "target", "actual_value": "actual", "attainment_pct": "attainment_pct",
             "exceed_pct": "exceed_pct", "change_value": "change"}
    for key, (_text, facts) in extracted.items():
        preds = []
        for f in facts.figures:
            if f.kind == "funding":
                preds.append({"kind": "funding", "value": f.amount_vnd, "rate_pct": f.rate_pct,
                              "programme": f.programme_code, "measure": f.measure})
            elif f.kind == "scorecard":
                preds.append({"kind": "scorecard", "met": f.indicators_met_or_exceeded, "total": f.indicators_total})
            else:
                for column, role in roles.items():
                    if getattr(f, column) is not None:
                        unit = "percent" if role in ("attainment_pct", "exceed_pct") else f.unit
                        preds.append({"kind": "indicator", "role": role, "value": getattr(f, column), "unit": unit})
        pairs, _extra = scorer.match_doc(gold[names[key]], preds)
        tp += sum(1 for _g, p, strict in pairs if p is not None and strict)
        n_pred += len(preds)
        n_gold += len(gold[names[key]])
    precision, recall = tp / n_pred, tp / n_gold
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.85, f"strict micro F1 {f1:.3f}"
