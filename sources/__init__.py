"""Reading district reports: file formats, Vietnamese text, figures, places.

Pure Python + polars; no Dagster imports, so that every piece is testable alone.
"""
