"""Validation of the marts with Great Expectations 1.x (file context in expectations/gx).

    check_specs() -> list[CheckSpec]          every check, before any run
    run_validation(warehouse, run_id=..., docs_dir=...) -> ValidationSummary

Great Expectations itself is imported only when validation runs (it takes seconds to import).
"""

from expectations.validate import CheckOutcome, CheckSpec, ValidationSummary, check_specs, run_validation

__all__ = ["CheckOutcome", "CheckSpec", "ValidationSummary", "check_specs", "run_validation"]
