PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test bench lint clean screenshots-xlsx screenshots-html

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(DEVSTAMP)

run: $(STAMP)
	$(BIN)/csitool score sample_data/survey.xlsx

test: $(DEVSTAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy csitool
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

# docs/summary-sheet.png (and -ko): page 1 of the sample's report, printed by LibreOffice
# headless (needs soffice from libreoffice-calc-nogui, and pdftoppm from poppler-utils)
screenshots-xlsx: $(STAMP)
	$(BIN)/python docs/render_xlsx.py

# BENCH_LARGE=1 make bench adds bench/large.py (10M and 20M-row CSVs: 3 GB of disk, ~10 GB RAM)
bench: $(DEVSTAMP)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/engine.py
	if [ -n "$(BENCH_LARGE)" ]; then $(BIN)/python bench/large.py; fi

# docs/report-html.png, the README's picture of the HTML report (needs Chromium)
screenshots-html: $(STAMP)
	$(BIN)/python docs/render_html.py

clean:
	rm -rf $(VENV) build *.egg-info bench/out
