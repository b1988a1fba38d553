"""Every look-up that storing an article makes is answered by an index: storing costs the same in a store of
any size (issue 14), which a look-up that reads a whole table would break as the store grows."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import event

from quotes.article import Article
from quotes.ingest import ingest
from quotes.store.db import open_db

ARTICLES = [
    Article(id="briefing", published=None, outlet="Harbor Times", url="https://harbor.example/briefing", text=(
        'NSC coordinator John Kirby spoke on Monday.\n\n"We are watching the launches closely," Kirby said.\n\n'
        '"Nobody wants a wider war," said Ana Ruiz, the mayor of Port Elm.\n')),
    Article(id="council", published=None, outlet="Bay Courier", url="https://bay.example/council", text=(
        'The National Security Council (NSC) met again.\n\n"The launches must stop," said John Kirby, the '
        'NSC coordinator.\n\n"She is right about the war," Kirby added. "We are ready," Ruiz said.\n')),
]

#: Plan lines of a look-up that reads every row of a table (SQLite's EXPLAIN QUERY PLAN).
_FULL_SCAN = re.compile(r"\bSCAN (?!CONSTANT ROW)(\w+)(?! USING (?:COVERING )?INDEX)")


def _plans(tmp_path: Path, nlp) -> list[tuple[str, tuple[str, ...]]]:
    """Each SELECT ingest runs while storing ARTICLES, with the lines of its query plan (run with its parameters)."""
    engine = open_db(str(tmp_path / "quotes.sqlite"))
    seen: list[tuple[str, tuple]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and not executemany:
            seen.append((statement, tuple(parameters or ())))

    assert ingest(engine, ARTICLES, nlp=nlp).articles == len(ARTICLES)
    event.remove(engine, "before_cursor_execute", record)
    plans = []
    with engine.connect() as conn:
        for statement, parameters in seen:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            plans.append((statement, tuple(row[-1] for row in plan)))
    engine.dispose()
    return plans


def test_storing_articles_looks_nothing_up_by_reading_a_whole_table(tmp_path, nlp):
    plans = _plans(tmp_path, nlp)
    assert any("roles" in statement and "organization" in statement for statement, _ in plans)  # the acronym rename ran
    scans = {(statement, line) for statement, lines in plans for line in lines
             if (found := _FULL_SCAN.search(line)) and found.group(1) != "staged_articles"}
    assert not scans, "\n\n".join(f"{line}\n  in {statement}" for statement, line in sorted(scans))
