"""Benchmarks: one command each, run with `python -m bench.<name>`; loading.py holds what they share."""
