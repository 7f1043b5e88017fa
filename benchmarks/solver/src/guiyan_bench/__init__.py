"""Benchmarks of the optimiser. Not tests: they print tables and ratios, measured in one run."""
