"""Benchmarks: a synthetic dataset generator (:mod:`bench.synthetic`) and timings of the core
library on it (:mod:`bench.bench_core`)."""
