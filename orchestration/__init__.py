"""Dagster orchestration of the provincial reporting warehouse, and the ``provreport`` CLI."""
