"""`python -m benchmarks run …`: see benchmarks/cli.py and docs/benchmarks.md."""

from benchmarks.cli import main

main()
