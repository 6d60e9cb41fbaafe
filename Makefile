# The two commands of the README: `make run` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/incidents.db

.PHONY: run test install install-dev schema floor columns bench clean

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

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	@mkdir -p $(dir $(DB))
	$(BIN)/extractor extract examples/articles --db $(DB)
	@echo
	@echo "Browse the results:  $(BIN)/extractor serve --db $(DB)"

test: install-dev
	@scripts/ensure-chromium || echo "Chromium missing: the browser tests will skip (they fail under CI=1)."
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# Rewrite schemas/extraction_result.schema.json after a change to the records.
schema: install
	$(BIN)/extractor schema --write

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
