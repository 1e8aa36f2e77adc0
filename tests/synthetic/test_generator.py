"""The synthetic corpus is deterministic and its gold is true to its text."""

from __future__ import annotations

import json
from pathlib import Path

from sources.numbers import to_base
from synthetic.generator import generate_corpus


def _read(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "a", n_reports=30, seed=5)
    generate_corpus(tmp_path / "b", n_reports=30, seed=5)
    generate_corpus(tmp_path / "c", n_reports=30, seed=6)
    assert _read(tmp_path / "a") == _read(tmp_path / "b")
    assert _read(tmp_path / "a") != _read(tmp_path / "c")


def test_every_gold_quote_is_in_its_document_and_amounts_parse_back(tmp_path: Path) -> None:
    info = generate_corpus(tmp_path, n_reports=200, seed=1)
    records = [json.loads(line) for line in (tmp_path / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == info.figures and info.reports == 200
    for r in records:
        assert r["quote"] in (tmp_path / r["doc"]).read_text(encoding="utf-8")
        if r["kind"] == "funding" and r["measure"] == "allocated":
            number, scale = r["quote"].split(" là ")[1].split()[:2]
            assert to_base(number, scale) == r["value"]
    assert {r["kind"] for r in records} == {"funding", "indicator", "scorecard"}
