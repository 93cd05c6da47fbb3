# Voisinage: two commands do the set-up. `make run` and `make test`.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test bench lint typecheck format messages makemessages clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

messages: $(VENV)/.installed
	$(PY) bin/compile-messages

run: $(VENV)/.installed messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) voisinage.asgi:application

test: $(VENV)/.installed messages
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed messages
	$(PY) -m pytest -m bench -s tests/bench $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy .

makemessages: $(VENV)/.installed
	$(PY) manage.py makemessages -l fr -l en --ignore 'var/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore '.venv/*' --no-obsolete
	$(PY) manage.py makemessages -d djangojs -l fr -l en --ignore 'var/*' --ignore 'staticfiles/*' --ignore '.venv/*' --no-obsolete

clean:
	rm -rf $(VENV) var staticfiles
