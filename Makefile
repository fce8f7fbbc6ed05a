# The two commands a new user needs: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MODELMAP := $(VENV)/bin/modelmap
STAMP := $(VENV)/.modelmap-installed
PYTEST_ARGS ?=

.PHONY: demo test install clean lint

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-install when the project's dependencies change.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(MODELMAP) init demo --force
	cd demo && ../$(MODELMAP) run jobs/iris.json jobs/wine.json jobs/breast_cancer.json \
		jobs/digits.json jobs/digits_cross_validation.json jobs/multi_label.json \
		jobs/example_plugins.json jobs/table.json jobs/passengers.json --quiet
	@echo
	@echo "Results are in demo/modelmap.db (the workspace is demo/)."
	@echo "See them in the web app:  cd demo && ../$(MODELMAP) serve   then open http://127.0.0.1:8050/"
	@echo "Next:  cd demo && ../$(MODELMAP) compare Iris     # which classifiers are tied with the best"
	@echo "       cd demo && ../$(MODELMAP) plugins          # what you can use"
	@echo "       cd demo && ../$(MODELMAP) expand jobs/iris.json --titles"
	@echo "       $(PY) -c \"import modelmap; print(modelmap.Store('demo/modelmap.db').results(job='Iris'))\""

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff, and no block of 10 or more lines repeated in src/ (pylint's duplicate-code check)
lint: install
	$(PY) -m pip install --quiet ruff
	$(VENV)/bin/ruff check src tests
	$(PY) -m pylint --disable=all --enable=duplicate-code --min-similarity-lines=10 \
		--score=n src/modelmap

clean:
	rm -rf $(VENV) demo .pytest_cache
