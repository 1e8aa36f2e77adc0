"""Validation of the marts with Great Expectations 1.x (file context in expectations/gx).

    check_specs() -> list[CheckSpec]          every check, before any run
    run_validation(warehouse, run_id=..., docs_dir=...) -> ValidationSummary

The check specs come from :mod:`expectations.suites` alone; :mod:`expectations.validate` (polars, and pandas
and Great Expectations where a frame is validated) and :mod:`expectations.validation_run` (``run_validation``) are
imported at the first use of their names here, so that
declaring the checks (Dagster's definitions) imports none of them. Great Expectations itself is imported only
when validation runs (it takes seconds to import), in this process or in a validation worker
(:mod:`expectations.worker`).
"""

from expectations.suites import CheckSpec, check_specs

_FROM_VALIDATE = ("CheckOutcome", "ValidationSummary")

__all__ = ["CheckOutcome", "CheckSpec", "ValidationSummary", "check_specs", "run_validation"]


def __getattr__(name: str):
    if name == "run_validation":
        from expectations.validation_run import run_validation

        return run_validation
    if name in _FROM_VALIDATE:
        from expectations import validate

        return getattr(validate, name)
    raise AttributeError(f"module 'expectations' has no attribute {name!r}")
