# Two commands for a fresh Debian/Ubuntu machine:
#   make demo   set up, build a demo ledger if there is none, open the app on it
#   make test   set up with test extras, install system packages (as root), run the suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_EVENTS ?= 20000

.PHONY: demo test system-deps lint bench clean package-linux test-packaging

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[gui]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(VENV)/.installed-packaging: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,packaging]'
	touch $@

system-deps:
	bash tools/system-deps.sh

demo: $(VENV)/.installed
	bash tools/system-deps.sh app
	$(BIN)/tracer demo --if-missing --events $(DEMO_EVENTS)
	$(BIN)/tracer gui

test: system-deps $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check tracer tests benchmarks
	$(BIN)/ruff format --check tracer tests benchmarks
	$(BIN)/mypy tracer

# Installable app (docs/install.md): build/dist/tracer/ and dist/tracer_<version>_<arch>.deb
package-linux: system-deps $(VENV)/.installed-packaging
	bash packaging/build_linux.sh
	bash packaging/linux/build_deb.sh --no-build

# Build (or reuse) the frozen app and run it without Python: tests/packaging/test_frozen.py
test-packaging: system-deps $(VENV)/.installed-packaging
	$(BIN)/python -m pytest -s -q -m packaging tests/packaging/test_frozen.py

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build dist *.egg-info
