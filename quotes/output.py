"""Print rows as an aligned table, one JSON array, JSON lines or CSV: the CLI's only output formatting.

Tables are aligned here rather than by tabulate, whose import cost a query command more than its query.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from collections.abc import Sequence

import click

from quotes.article import printable

#: Widest a table cell gets before it is cut with "…" (json and csv are never cut).
MAX_CELL = 80


def _plain(value: object) -> object:
    """A value JSON can hold: dates as ISO strings, bytes as text, lists and dicts recursively."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def cell(value: object) -> str:
    """A value as table or CSV text: empty for None, lists joined with "; "."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(cell(v) for v in value)
    return str(value)


def _cut(text: str) -> str:
    text = printable(" ".join(text.split()))  # a stored escape sequence never reaches the terminal raw
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def print_json(value: object) -> None:
    """Print one JSON document (Unicode kept, dates as ISO strings)."""
    click.echo(json.dumps(_plain(value), ensure_ascii=False, indent=2))


def print_jsonl(values: Sequence[object]) -> None:
    """Print one JSON document a line, for pipelines (Unicode kept, dates as ISO strings)."""
    for value in values:
        click.echo(json.dumps(_plain(value), ensure_ascii=False))


def print_rows(columns: Sequence[str], rows: Sequence[Sequence[object]], fmt: str) -> None:
    """Print rows under their column names: ``table`` aligned, ``json`` one array of objects, ``jsonl`` an
    object a line, ``csv``."""
    if fmt == "json":
        print_json([dict(zip(columns, row, strict=True)) for row in rows])
    elif fmt == "jsonl":
        print_jsonl([dict(zip(columns, row, strict=True)) for row in rows])
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell(v) for v in row] for row in rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo(table(columns, [[_cut(cell(v)) for v in row] for row in rows]))


def _width(text: str) -> int:
    """Terminal columns ``text`` takes: wide (East Asian) characters two, combining marks none."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows of text under their column names, left-aligned, a dashed rule under the names, columns two spaces apart."""
    widths = [max([_width(name), *(_width(row[i]) for row in rows)]) for i, name in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths]), *(line(row) for row in rows)])
