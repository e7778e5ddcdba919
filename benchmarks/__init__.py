"""Benchmarks: measured speed, memory and scaling, each beside a floor measured in the same run."""
