"""The code lists (programmes, capital sources, measures, units, attainment statuses, source kinds,
administrative levels, the indicator catalogue) are written once, as dbt seeds in
dbt_project/seeds/reference: dbt tests the marts against them, and Python reads them through
``sources.reference.codes``. A code Python uses that the seeds lack fails here, and so does a copy of a
list in the marts' yml or a code column of a mart left without its test against the seed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from sources.reference import codes, seed_path, seed_rows

MARTS_YML = Path(__file__).resolve().parents[1] / "dbt_project" / "models" / "marts" / "_marts__models.yml"
CODE_LISTS = ("programmes", "capital_sources", "measures", "units", "attainment_statuses", "source_kinds",
              "admin_levels", "approval_statuses", "supersede_reasons", "indicators")
# the marts' code columns and the seed (or the dim built from it) each is tested against
CODE_COLUMNS = {"programme_code": "dim_programme", "capital_source": "capital_sources", "measure": "measures",
                "status": "attainment_statuses", "source_kind": "source_kinds", "admin_level": "admin_levels",
                "approval_status": "approval_statuses", "superseded_reason": "supersede_reasons"}


@pytest.mark.parametrize("name", CODE_LISTS)
def test_each_code_list_is_a_seed_of_unique_non_empty_codes(name: str) -> None:
    values = codes(name)
    assert values and all(values) and len(set(values)) == len(values), (name, values)
    with seed_path(f"reference/{name}.csv").open(encoding="utf-8", newline="") as fh:
        assert tuple(row[0] for row in list(csv.reader(fh))[1:]) == values


def test_the_figure_code_lists_are_the_seeds() -> None:
    from sources import figures

    assert codes("programmes") == figures.PROGRAMME_CODES
    assert codes("capital_sources") == figures.CAPITAL_SOURCES
    assert codes("measures") == figures.MEASURES
    assert codes("units") == figures.INDICATOR_UNITS


def test_the_suites_value_sets_are_the_seeds() -> None:
    from expectations.suites import CHECKS

    value_sets = {(c.mart, c.kwargs["column"]): c.kwargs["value_set"] for c in CHECKS
                  if c.expectation == "ExpectColumnValuesToBeInSet" and c.name.endswith("_allowed")}
    assert value_sets == {
        ("fct_programme_funding", "programme_code"): list(codes("programmes")),
        ("fct_programme_funding", "capital_source"): list(codes("capital_sources")),
        ("fct_programme_funding", "measure"): list(codes("measures")),
        ("fct_indicator_attainment", "status"): list(codes("attainment_statuses")),
        ("fct_indicator_attainment", "unit"): list(codes("units")),
    }
    in_catalogue = next(c for c in CHECKS if c.name == "indicator_code_in_catalogue")
    assert set(in_catalogue.kwargs["value_set"]) == {*codes("indicators"), "UNMAPPED"}


def test_every_code_the_extractor_and_the_generator_write_is_in_the_seeds() -> None:
    from sources.extract import _funding
    from sources.lexicon import funding as lex
    from synthetic import generator

    programmes, capital, measures, units = (set(codes(n)) for n in ("programmes", "capital_sources", "measures",
                                                                    "units"))
    assert set(lex.PROGRAMMES.values()) <= programmes
    assert set(lex.CAPITAL_SOURCES.values()) <= capital
    assert set(lex.MEASURES.values()) | {m for m, _ in _funding._MODAL_MEASURES} <= measures
    # the programmes a report names by their own name are the catalogue's national target programmes
    national = {r["programme_code"] for r in seed_rows("programmes") if r["is_national_target_programme"] == "true"}
    assert set(_funding._NAMED_PROGRAMMES) == national
    assert set(_funding._NAMED_OR_PUBLIC) <= programmes
    assert set(generator.PROGRAMMES) <= programmes and set(generator.CAPITAL) <= capital
    assert tuple(generator.SUBMISSION_PROGRAMMES) == codes("programmes")
    catalogue = {r["indicator_code"]: r for r in seed_rows("indicators")}
    for code, name, unit, *_ in generator.SUBMISSION_INDICATORS:
        assert catalogue[code]["indicator_name_vi"] == name and catalogue[code]["unit"] == unit
    assert {r["unit"] for r in catalogue.values()} <= units


def test_the_sign_off_states_are_the_seed() -> None:
    from orchestration.signoff.assets import STATES

    assert set(STATES) == set(codes("approval_statuses"))


def test_every_seed_code_is_one_the_readers_can_produce() -> None:
    """The other way round, where it means something: each measure and capital source of the seeds is one
    the extractor can read off a report (unspecified: when it reads none), and each programme one it names."""
    from sources.extract import _funding
    from sources.lexicon import funding as lex

    assert set(codes("measures")) <= set(lex.MEASURES.values()) | {m for m, _ in _funding._MODAL_MEASURES}
    assert set(codes("capital_sources")) - set(lex.CAPITAL_SOURCES.values()) == {"unspecified"}
    assert set(codes("programmes")) - set(lex.PROGRAMMES.values()) <= {"OTHER"}


def _marts() -> dict[str, dict]:
    return {m["name"]: m for m in yaml.safe_load(MARTS_YML.read_text(encoding="utf-8"))["models"]}


def test_the_marts_yml_holds_no_copy_of_a_code_list() -> None:
    every_code = {c for name in CODE_LISTS for c in codes(name)}
    copies = []
    for model in _marts().values():
        for column in model.get("columns", []):
            for test in column.get("data_tests", []):
                if isinstance(test, dict) and "accepted_values" in test:
                    values = set(test["accepted_values"]["arguments"]["values"])
                    if values & every_code:
                        copies.append((model["name"], column["name"], sorted(values & every_code)))
    assert copies == []


def test_every_code_column_of_the_marts_is_tested_against_its_seed() -> None:
    """Against the seed through dim_code_list (in_code_list), or against the dim built from it: a test that
    refers to a seed itself would leave every run that does not reload the seeds."""
    untested = []
    for model in _marts().values():
        for column in model.get("columns", []):
            seed = CODE_COLUMNS.get(column["name"])
            if model["name"] == "fct_indicator_attainment" and column["name"] == "unit":
                seed = "units"
            if seed is None or model["name"] in (seed, "dim_code_list"):  # dim_programme: the seed itself
                continue
            tests = [test for test in column.get("data_tests", []) if isinstance(test, dict)]
            lists = {test["in_code_list"]["arguments"]["code_list"] for test in tests if "in_code_list" in test}
            dims = {test["relationships"]["arguments"]["to"] for test in tests if "relationships" in test}
            if seed not in lists and f"ref('{seed}')" not in dims:
                untested.append((model["name"], column["name"]))
    assert untested == []


def test_no_mart_test_refers_to_a_seed() -> None:
    seeds = {f"ref('{name}')" for name in CODE_LISTS}
    refs = [(model["name"], column["name"]) for model in _marts().values() for column in model.get("columns", [])
            for test in column.get("data_tests", []) if isinstance(test, dict)
            for kind in test.values() if isinstance(kind, dict)
            if kind.get("arguments", {}).get("to") in seeds]
    assert refs == []


def test_dim_code_list_holds_every_code_list_but_the_catalogues() -> None:
    sql = (MARTS_YML.parent / "dim_code_list.sql").read_text(encoding="utf-8")
    for name in CODE_LISTS:
        if name not in ("programmes", "indicators"):  # dim_programme and dim_indicator
            assert f"('{name}', " in sql, name
