"""The report: one self-contained HTML page (or the same content as Markdown) a person reads.

:func:`build_report` gathers the data once (:mod:`quotes.report.model`); :func:`render` turns it
into HTML, with its CSS inline and its charts as inline SVG (:mod:`quotes.report.charts`), or into
Markdown, through Jinja2 templates escaping every stored text. The page opens from disk with no
network. Its one script, inline and small (``templates/report.js``), lets the speaker index be
filtered by typing and sorted by a column; without it the index is a plain table, all there.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote as url_quote
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from sqlalchemy import Engine

from quotes.report.charts import bar_chart, heat_map_chart, timeline_chart, volume_chart
from quotes.report.model import CONFLICTS, MARKDOWN_INDEX, EmptyReport, Report, Scope, build_report

__all__ = ["EmptyReport", "Scope", "build_report", "link_target", "render", "write_report"]

FORMATS = ("html", "md")

#: Unicode bidirectional controls (embeddings, overrides, isolates): stored text could use them to
#: make a URL or an outlet read as something else, so the report never prints them.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Characters a link keeps as they are; any other (``<``, ``>``, spaces, brackets) is percent-encoded.
_URL_SAFE = ":/?#[]@!$&'*+,;=%~-._"


def link_target(url: str | None, base: Path) -> str | None:
    """Where a source's link points, seen from a report written in directory ``base``.

    Web URLs stay as they are; a file path (an article read from disk has no URL) becomes a
    path relative to the report, so the link works wherever the two are copied together.
    Anything else (``javascript:``, ``data:``) gets no link at all.
    """
    if not url:
        return None
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("http", "https"):
        return url
    if scheme and len(scheme) > 1:  # a one-letter scheme is a Windows drive
        return None
    path = Path(url) if Path(url).is_absolute() else Path.cwd() / url
    return url_quote(Path(os.path.relpath(path, base.resolve())).as_posix())


def _md_href(url: str | None, base: Path) -> str | None:
    """A link target safe inside Markdown's ``(<...>)``: a ``>`` or line break can never end the link early."""
    target = link_target(url, base)
    return url_quote(target, safe=_URL_SAFE) if target else None


def _printable(value: object) -> object:
    """Every value the templates print, with bidirectional controls removed."""
    if isinstance(value, Markup):  # charts and other trusted markup stay markup
        return Markup(_BIDI_CONTROLS.sub("", value))
    return _BIDI_CONTROLS.sub("", value) if isinstance(value, str) else value


def _md(text: object) -> str:
    """Text safe inside Markdown (and a table cell): markup characters escaped, line breaks as spaces."""
    return re.sub(r"([\\`*_{}\[\]<>#|~])", r"\\\1", re.sub(r"\s+", " ", str(text)))


def _environment(fmt: str, base: Path) -> Environment:
    """The templates for ``fmt``, read from the package so they ship in a wheel; HTML autoescaped."""
    env = Environment(loader=PackageLoader("quotes.report", "templates"), autoescape=fmt == "html",
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=_printable)
    env.filters["md"] = _md
    env.filters["n"] = "{:,}".format
    env.filters["href"] = (lambda url: link_target(url, base)) if fmt == "html" else (lambda url: _md_href(url, base))
    env.globals.update(bar_chart=bar_chart, timeline_chart=timeline_chart, heat_map_chart=heat_map_chart,
                       volume_chart=volume_chart, conflicts_view=CONFLICTS, markdown_index=MARKDOWN_INDEX)
    return env


def render(report: Report, fmt: str = "html", base: Path | None = None) -> str:
    """The report as one HTML page or a Markdown document; links to article files are relative to ``base``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    return _environment(fmt, base or Path.cwd()).get_template(f"report.{fmt}.j2").render(r=report)


def write_report(engine: Engine, output: Path | None, fmt: str = "html", scope: Scope | None = None,
                 echo: Callable[[str], None] | None = None) -> Report:
    """Build and render the report, then write it to ``output`` (its directory created) or give it to ``echo``."""
    report = build_report(engine, scope)
    text = render(report, fmt, base=output.parent if output else None)
    if output is None:
        (echo or print)(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    return report
