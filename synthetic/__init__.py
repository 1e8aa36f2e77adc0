"""Synthetic district reports with their true figures, for samples, benchmarks and scoring at scale."""
