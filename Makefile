# The two commands of the README: `make scan` (the main job) and `make test`.
# Both create .venv and install gkaudit into it (not editable: what is tested is what ships).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SOURCES := pyproject.toml $(shell find gkaudit grammars rules -type f -not -path "*/__pycache__/*" 2>/dev/null)

.PHONY: scan test lint bench clean

$(BIN)/gkaudit: $(SOURCES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	rm -rf build  # a stale build/lib would ship modules deleted from the source
	$(BIN)/python -m pip install --quiet '.[test]'
	touch $@

# Exit status 1 means "findings at error level were found": the expected outcome here.
scan: $(BIN)/gkaudit
	$(BIN)/gkaudit scan reports_sample/ || test $$? -eq 1

test: $(BIN)/gkaudit
	$(BIN)/ruff check .
	$(BIN)/mypy
	# The layers of pyproject.toml, checked on the installed package (outside the checkout).
	cd tests && $(CURDIR)/$(BIN)/lint-imports --no-cache $(CURDIR)/pyproject.toml
	$(BIN)/pytest -q

bench: $(BIN)/gkaudit
	$(BIN)/python benchmarks/parse_throughput.py
	$(BIN)/python benchmarks/scan_throughput.py
	$(BIN)/python benchmarks/readers.py

clean:
	rm -rf $(VENV) build *.egg-info
