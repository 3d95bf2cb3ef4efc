# The commands the README names. Each creates .venv and installs what it needs.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed  ## migrate, seed demo data, serve web + worker in the foreground
	PORT=$(PORT) scripts/run.sh

test: $(VENV)/.installed  ## pytest against Redis and SQLite (+ PostgreSQL if TEST_DATABASE_URL is set)
	scripts/test.sh

lint: $(VENV)/.installed
	$(BIN)/ruff check app menus workers tests bench
	$(BIN)/ruff format --check app menus workers tests bench
	$(BIN)/mypy app menus workers

clean:
	rm -rf $(VENV) instance/redis instance/*.db
