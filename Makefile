# Two commands on a fresh machine: `make run` and `make test`. Both build .venv first.
# While working: `make test-fast` (everything but the browser tests) and `make lint`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT   ?= 8501
DATA   ?= data
LINTED := graph ui app.py tests bench

.PHONY: run test test-fast lint bench chromium tools venv clean chart-pictures pictures

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) -- --data $(DATA)

# Browser tests need a Chromium: Debian's, else Playwright's own, else stop and say so.
chromium: $(STAMP)
	@if [ -x /usr/bin/chromium ]; then echo "chromium: /usr/bin/chromium"; \
	elif $(PY) -m playwright install chromium >/dev/null 2>&1; then echo "chromium: Playwright's own"; \
	else echo "ERROR: no Chromium for the browser tests. Install Debian's package:" >&2; \
	     echo "    sudo apt-get install chromium" >&2; exit 1; fi

# The OCR legibility check (tesseract) and the PDF text check (pdftotext) need Debian tools.
tools:
	@missing=""; for tool in tesseract pdftotext; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then echo "ERROR: missing$$missing. Install Debian's packages:" >&2; \
	     echo "    sudo apt-get install tesseract-ocr poppler-utils" >&2; exit 1; fi

# Lint first (ruff format check, ruff check, mypy), then everything, browser tests included;
# they never skip.
test: $(STAMP) lint chromium tools
	$(PY) -m pytest

# The quick loop: unit, CLI, app and doctests; no Chromium needed (`-m "not browser"`).
test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser"

# Read-only: reports, changes nothing. Settings in pyproject.toml. To fix what it reports:
# `$(VENV)/bin/ruff format $(LINTED)` and `$(VENV)/bin/ruff check --fix $(LINTED)`.
# All three tools run even if one fails; the target fails if any did.
lint: $(STAMP)
	@status=0; \
	$(VENV)/bin/ruff format --check --output-format concise $(LINTED) || status=1; \
	$(VENV)/bin/ruff check --output-format concise $(LINTED) || status=1; \
	$(PY) -m mypy || status=1; \
	exit $$status

bench: $(STAMP) chromium tools
	$(PY) -m bench.bench_core
	$(PY) -m bench.bench_render
	$(PY) -m bench.bench_app
	$(PY) -m bench.bench_ingest
	$(PY) -m bench.bench_legibility

# The README's timeline and chart pictures (docs/images/), taken from the app and the HTML page.
chart-pictures: $(STAMP) chromium
	$(PY) -m bench.chart_pictures --data $(DATA)

# The README's static drawings (graph.static), from the bundled data by the CLI; no browser.
pictures: $(STAMP)
	$(PY) -m graph export --data $(DATA) --format png --out docs/images/focus-ncmec.png \
	  --view 'focus=ncmec&depth=2' --width 8 --dpi 110 --title "NCMEC within two relations"
	$(PY) -m graph export --data $(DATA) --format svg --out docs/images/focus-ncmec.svg \
	  --view 'focus=ncmec&depth=2' --width 8 --title "NCMEC within two relations"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/artifacts
