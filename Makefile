# Two commands on a fresh machine: `make demo` (the main job) and `make test` (every test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo load test lint bench neo4j-up neo4j-down neo4j-status clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install the project with its dev tools

demo: setup ## load the seed data into the embedded store and start the dashboard
	$(BIN)/insikt load seed_data
	$(BIN)/insikt dashboard --no-load

test: setup ## lint, type-check and run all tests (starts a local Neo4j when it can)
	bash scripts/test.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: setup ## the benchmark suite at scales 1-1000 on both backends: docs/benchmarks.md (empties NEO4J_URI's database)
	$(BIN)/python -m benchmarks run $(BENCH_ARGS)

neo4j-up: ## start the local Neo4j 5.26 server (Java 17 + Maven)
	bash scripts/neo4j/neo4j.sh start

neo4j-down:
	bash scripts/neo4j/neo4j.sh stop

neo4j-status:
	bash scripts/neo4j/neo4j.sh status

clean:
	rm -rf .insikt artifacts .pytest_cache .mypy_cache .ruff_cache
