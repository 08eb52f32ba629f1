"""Benchmarks: one command each, run with `python -m bench.<name>`."""
