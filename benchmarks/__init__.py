"""The benchmark suite (`python -m benchmarks run`, docs/benchmarks.md); not installed."""
