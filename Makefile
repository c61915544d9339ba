# Two commands on a fresh machine: `make run` and `make test`. Both build .venv first.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT   ?= 8501
DATA   ?= data

.PHONY: run test bench chromium venv clean

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

test: $(STAMP) chromium
	$(PY) -m pytest

bench: $(STAMP) chromium
	$(PY) -m bench.bench_core
	$(PY) -m bench.bench_render
	$(PY) -m bench.bench_app

clean:
	rm -rf $(VENV) .pytest_cache tests/artifacts
