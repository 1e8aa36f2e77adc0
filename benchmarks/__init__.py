"""Benchmarks to rerun, not tests and not part of the product: ``python -m benchmarks.pipeline`` (the
pipeline against a bare baseline, also ``provreport bench``) and the standalone scripts beside it."""
