"""The package's layers stack as the data flow, with no import cycles; the query side starts without the NLP stack."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess:
    """import-linter's contracts from pyproject.toml, checked against the ``quotes`` found under ``package_parent``."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run([str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
                          cwd=package_parent, env=env, capture_output=True, text=True, timeout=120)


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contracts_break_when_the_store_imports_spacy(tmp_path):
    shutil.copytree(ROOT / "quotes", tmp_path / "quotes", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "quotes" / "store" / "nlp_probe.py").write_text("import spacy\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "quotes.store.nlp_probe -> spacy" in result.stdout


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("quotes", exclude_type_checking_imports=True)


def test_no_module_imports_one_that_imports_it_back(graph):
    cycles = [(a, b) for a in sorted(graph.modules) for b in sorted(graph.find_modules_directly_imported_by(a))
              if graph.find_shortest_chain(importer=b, imported=a) is not None]
    assert cycles == []


def test_no_two_parts_of_the_package_import_each_other(graph):
    parts = sorted(graph.find_children("quotes"))
    both_ways = [(a, b) for a, b in itertools.combinations(parts, 2)
                 if graph.chain_exists(a, b, as_packages=True) and graph.chain_exists(b, a, as_packages=True)]
    assert both_ways == []


def test_query_commands_import_neither_spacy_nor_alembic():
    code = ("import sys, quotes.cli, quotes.store.query, quotes.store.db, quotes.report; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'alembic', 'textacy', 'thinc'}))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


#: Every command that only reads the store, as a person runs it.
QUERY_COMMANDS = [["search", "--speaker", "kirby"], ["search", "--role", "council"], ["search", "--text", "ready"],
                  ["show", "1"], ["speakers"], ["speakers", "show", "kirby"], ["speakers", "review"],
                  ["sql", "select count(*) from mentions"], ["report", "--format", "md", "-o", "-"],
                  ["articles"], ["outlets"]]
HEAVY = {"spacy", "thinc", "textacy", "alembic"}
#: The query commands that read a SQLite file with sqlite3 alone: SQLAlchemy costs more to import than they run.
PLAIN_SQL_COMMANDS = [["search", "--speaker", "kirby"], ["search", "--role", "council"],
                      ["search", "--text", "ready", "--sort", "sources"], ["show", "1"], ["speakers"], ["articles"],
                      ["outlets"], ["sql", "select count(*) from mentions"]]


def modules_loaded_by(tmp_path: Path, *code: str, watched: set[str] = HEAVY) -> set[str]:
    """The top-level packages of ``watched`` a fresh interpreter has loaded after running ``code`` (through to exit)."""
    out = tmp_path / "loaded.txt"
    program = ["import atexit, sys",
               f"atexit.register(lambda: open({str(out)!r}, 'w').write(' '.join(sorted("
               f"{{m.split('.')[0] for m in sys.modules}} & {watched!r}))))", *code]
    done = subprocess.run([sys.executable, "-c", "\n".join(program)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return set(out.read_text().split())


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    from quotes.store.db import open_db
    from quotes.store.write import store_article
    from test_store import story

    path = tmp_path_factory.mktemp("db") / "quotes.sqlite"
    store_article(open_db(str(path)), *story("We are ready to act on the plan", said_by="Kirby"))
    return path


@pytest.mark.parametrize("command", QUERY_COMMANDS, ids=" ".join)
def test_a_query_command_loads_neither_the_language_stack_nor_alembic(stored, tmp_path, command):
    args = ["--db", str(stored), *command]
    assert modules_loaded_by(tmp_path, "from quotes.cli import main", f"sys.argv = ['quotes', *{args!r}]",
                             "main()") == set()


@pytest.mark.parametrize("command", PLAIN_SQL_COMMANDS, ids=" ".join)
def test_a_query_command_on_a_sqlite_file_loads_neither_sqlalchemy_nor_tabulate(stored, tmp_path, command):
    args = ["--db", str(stored), *command]
    assert modules_loaded_by(tmp_path, "from quotes.cli import main", f"sys.argv = ['quotes', *{args!r}]", "main()",
                             watched={"sqlalchemy", "tabulate", *HEAVY}) == set()


def test_opening_a_current_database_to_write_loads_no_alembic_and_migrating_one_does(stored, tmp_path):
    opening = ["from quotes.store.db import open_db", f"open_db({str(stored)!r})"]
    assert "alembic" not in modules_loaded_by(tmp_path, *opening)
    migrating = ["from quotes.store.db import open_db", f"open_db({str(tmp_path / 'new.sqlite')!r})"]
    assert "alembic" in modules_loaded_by(tmp_path, *migrating)
