# Every target creates .venv when it is missing and installs the package into it (pinned by
# constraints.txt), so a fresh clone needs only `make data` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup data build site test lint typecheck bench bench-scale faults clean

$(STAMP): pyproject.toml constraints.txt
	@echo "installing dependencies into $(VENV), about a minute (once; again only when pyproject.toml or constraints.txt change)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,plot,excel]'
	touch $(STAMP)

setup: $(STAMP)

# Everything a user downloads: the tables, the release bundle and the download site.
data: build site

# Fetch (from KZEGOV_MIRROR or the network), validate and publish processed/ and the release bundle
# (build/release/); without sources, validate the shipped tables and say which sources could not be refreshed.
build: setup
	$(BIN)/kzegov-data build --summary

# The static download site, build/site/index.html (opens from file://), from the tables just built.
site: build
	$(BIN)/kzegov-data site --output build/site

lint: setup
	$(BIN)/ruff check src tests scripts

typecheck: setup
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest

# Every goal of issue 11 as a measured ratio with PASS/FAIL. `make bench SCALE=10` (or SCALE="1 10 50")
# runs only the scale mode (scripts/scale.py) for those factors; `make bench-scale` for 1, 10 and 50.
bench: setup
	$(BIN)/python scripts/bench.py $(SCALE)

bench-scale: setup
	$(BIN)/python scripts/scale.py 1 10 50

# The fault suite's cases as a table (exit status, time, peak RSS, message).
faults: setup
	$(BIN)/python scripts/fault_report.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
