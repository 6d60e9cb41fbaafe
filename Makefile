# The two commands of the README: `make run` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/incidents.db

.PHONY: run test install install-dev install-test-extras schema floor columns bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip > /dev/null 2>&1 || true

# pip's output goes to a log, shown only when the install fails.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installing extractor into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/python -m pip install -e . > $(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; exit 1; }
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@echo "Installing extractor and its test dependencies into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/python -m pip install -e '.[dev]' > $(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; exit 1; }
	@touch $(VENV)/.installed $@

# What the tests need beyond the dev extra, each in its own step because pip cannot be left to
# resolve it: the grammar engines (xgrammar without its CUDA torch and triton: the CPU torch
# these machines keep on disk instead) and the local model the tests run (llama-cpp-python's
# server, compiled once with safe CPU flags and cached outside the checkout, and SmolLM2).
XGRAMMAR := xgrammar==0.2.8
$(VENV)/.installed-test-extras: tests/requirements-grammars.txt tests/localmodel.py \
		$(VENV)/.installed-dev
	@echo "Installing the grammar engines into $(VENV) (log: $(VENV)/install-extras.log)"
	@{ $(BIN)/python -m pip install -r tests/requirements-grammars.txt \
		&& $(BIN)/python -m pip install --no-deps $(XGRAMMAR); } > $(VENV)/install-extras.log 2>&1 \
		|| { cat $(VENV)/install-extras.log; exit 1; }
	@PYTHON=$(BIN)/python scripts/ensure-llama-server
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
install-test-extras: $(VENV)/.installed-test-extras

run: install
	@mkdir -p $(dir $(DB))
	$(BIN)/extractor extract examples/articles --db $(DB)
	@echo
	@echo "Browse the results:  $(BIN)/extractor serve --db $(DB)"

test: install-dev install-test-extras
	@scripts/ensure-chromium || echo "Chromium missing: the browser tests will skip (they fail under CI=1)."
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Rewrite schemas/extraction_result.schema.json and its strict form after a change to the
# records.
schema: install
	$(BIN)/extractor schema --write
	$(BIN)/extractor schema --strict --write

# Rewrite docs/columns.md after a change to a schema description or a tables.toml.
columns: install
	$(BIN)/python -m extractor.browse.columns_doc docs/columns.md

# Rewrite the README's table of the baseline's scores on the gold set.
floor: install
	$(BIN)/python scripts/baseline-floor

# Throughput, CPU, memory and cache against the fake server; scoring of 1,000 gold articles.
# N=10000 for the memory target; results in bench/out/, figures in bench/RESULTS.md.
N ?= 1000
bench: install-dev
	$(BIN)/python bench/run.py --n $(N)

clean:
	rm -rf $(VENV) build *.egg-info
