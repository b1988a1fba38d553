"""The report: one self-contained HTML page (or the same content as Markdown) a person reads.

:func:`build_report` gathers the data once (:mod:`quotes.report.model`); :func:`render` turns it
into HTML, with its CSS inline and its charts as inline SVG (:mod:`quotes.report.charts`), or into
Markdown, through Jinja2 templates escaping every stored text. The page opens from disk with no
network and no script at all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote as url_quote
from urllib.parse import urlsplit

from jinja2 import DictLoader, Environment, StrictUndefined
from markupsafe import Markup
from sqlalchemy import Engine

from quotes.report.charts import bar_chart, heat_map_chart, timeline_chart
from quotes.report.model import CONFLICTS, EmptyReport, Report, Scope, build_report

__all__ = ["EmptyReport", "Scope", "build_report", "link_target", "render", "write_report"]

FORMATS = ("html", "md")


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


def _md(text: object) -> str:
    """Text safe inside Markdown (and a table cell): markup characters escaped, line breaks as spaces."""
    return re.sub(r"([\\`*_{}\[\]<>#|~])", r"\\\1", re.sub(r"\s+", " ", str(text)))


def _environment(fmt: str, base: Path) -> Environment:
    env = Environment(loader=DictLoader(TEMPLATES), autoescape=fmt == "html", undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = _md
    env.filters["n"] = "{:,}".format
    env.filters["href"] = lambda url: link_target(url, base)
    env.globals.update(bar_chart=bar_chart, timeline_chart=timeline_chart, heat_map_chart=heat_map_chart,
                       css=Markup(_CSS), conflicts_view=CONFLICTS)
    return env


def render(report: Report, fmt: str = "html", base: Path | None = None) -> str:
    """The report as one HTML page or a Markdown document; links to article files are relative to ``base``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    return _environment(fmt, base or Path.cwd()).get_template(fmt).render(r=report)


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


# --- templates -------------------------------------------------------------------------------

_CSS = """
:root { --ink:#1d2330; --muted:#5b6474; --rule:#dde2ea; --accent:#1f5fae; --panel:#f5f7fa; --mark:#ffe8a3; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", Arial, sans-serif; }
.page { max-width: 980px; margin: 0 auto; padding: 2.5rem 1.5rem 4rem; }
header h1 { font-size: 2.1rem; line-height: 1.2; margin: 0 0 .4rem; letter-spacing: -.01em; }
.lede { color: var(--muted); margin: 0; }
h2 { font-size: 1.5rem; margin: 3rem 0 1rem; padding-bottom: .35rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.5rem 0 .5rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
a { color: var(--accent); text-underline-offset: 2px; }
a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
nav.toc {
  background: var(--panel);
  border: 1px solid var(--rule);
  border-radius: 10px;
  padding: .9rem 1.4rem;
  margin: 1.75rem 0 0;
}
nav.toc h2 {
  font-size: .85rem;
  text-transform: uppercase;
  letter-spacing: .05em;
  color: var(--muted);
  border: 0;
  margin: 0;
  padding: 0;
}
nav.toc ol { margin: .4rem 0 0; padding-left: 1.3rem; columns: 2; column-gap: 2.5rem; }
nav.toc li { break-inside: avoid; }
nav.toc ol ol { columns: 1; margin: 0; padding: 0; list-style: none; font-size: .92rem; }
nav.toc ol ol li { display: inline; }
nav.toc ol ol li + li::before { content: " · "; color: var(--muted); }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(125px, 1fr)); gap: .75rem; margin: 0; }
.stat {
  background: var(--panel);
  border: 1px solid var(--rule);
  border-radius: 10px;
  padding: .7rem 1rem;
  margin: 0;
}
.stat dt { color: var(--muted); font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; }
.stat dd { margin: 0; font-size: 1.6rem; font-weight: 650; font-variant-numeric: tabular-nums; line-height: 1.3; }
.stat dd.date { font-size: 1.05rem; padding-top: .3rem; }
.stat.wide { grid-column: span 2; }
figure { margin: 1.25rem 0; overflow-x: auto; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .4rem; }
table {
  border-collapse: collapse;
  width: 100%;
  font-size: .95rem;
  font-variant-numeric: tabular-nums;
  margin: .5rem 0 1rem;
}
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; font-weight: 600; }
.num { text-align: right; }
.speaker-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .3rem 1rem; }
.speaker-head h3 { margin-bottom: 0; }
.kind {
  display: inline-block;
  font-size: .75rem;
  padding: .05rem .5rem;
  border-radius: 999px;
  background: #e6edf7;
  color: #1f3f6e;
  vertical-align: middle;
}
.quote { border: 1px solid var(--rule); border-radius: 10px; padding: 1rem 1.25rem; margin: 1rem 0; }
.quote blockquote {
  margin: 0;
  font-family: Georgia, "Liberation Serif", "Times New Roman", serif;
  font-size: 1.15rem;
  line-height: 1.5;
}
.quote blockquote::before, .conflict blockquote::before { content: "“"; }
.quote blockquote::after, .conflict blockquote::after { content: "”"; }
.meta { color: var(--muted); font-size: .88rem; margin: .4rem 0 0; }
.sources { list-style: none; padding: 0; margin: .6rem 0 0; }
.sources > li { border-top: 1px dashed var(--rule); padding: .55rem 0 .2rem; }
.source-line { font-size: .92rem; }
.outlet { font-weight: 600; }
.context {
  font-size: .92rem;
  color: var(--muted);
  margin: .35rem 0 .2rem;
  padding-left: .8rem;
  border-left: 3px solid var(--rule);
}
table.carried .count { width: 5.5rem; font-size: 1.4rem; font-weight: 650; }
table.carried .said {
  display: block;
  font-family: Georgia, "Liberation Serif", "Times New Roman", serif;
  font-size: 1.05rem;
  line-height: 1.45;
}
table.carried td:last-child { width: 36%; font-size: .9rem; }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.plain li + li { margin-top: .45rem; }
.nowrap { white-space: nowrap; }
mark { background: var(--mark); color: var(--ink); padding: 0 .1em; border-radius: 2px; }
.note { color: var(--muted); font-style: italic; }
.conflict {
  display: grid;
  grid-template-columns: 1fr 1fr;
  gap: 1rem;
  border: 1px solid var(--rule);
  border-left: 4px solid #D55E00;
  border-radius: 10px;
  padding: 1rem 1.25rem;
  margin: 1rem 0;
}
.conflict .who { font-weight: 650; margin: 0; }
.conflict blockquote { margin: .3rem 0 .5rem; font-family: Georgia, "Liberation Serif", "Times New Roman", serif; }
.conflict ul { font-size: .9rem; }
@media (max-width: 700px) { .conflict { grid-template-columns: 1fr; } }
footer {
  margin-top: 4rem;
  padding-top: 1rem;
  border-top: 1px solid var(--rule);
  color: var(--muted);
  font-size: .85rem;
}
@media (max-width: 700px) { table { display: block; overflow-x: auto; } .stat.wide { grid-column: auto; } }
@media print { nav.toc { display: none; } .quote, figure { break-inside: avoid; } }
"""

_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quotes report: {{ r.scope.describe() }}</title>
<style>{{ css }}</style>
</head>
<body>
<div class="page">
{% set o = r.overview %}
{% macro date(d) %}{{ d or "undated" }}{% endmacro %}
{% macro context_note(s) %}{{ "The quote in its paragraph" if s.context_is_paragraph else "The quote between those printed just before and after it in the article" }}{% endmacro %}
{% macro link(s) %}{% set target = s.url | href %}{% if target %}<a href="{{ target }}">{{ s.title or s.url }}</a>{% elif s.url %}{{ s.title or s.url }} ({{ s.url }}){% else %}{{ s.title or "no link" }}{% endif %}{% endmacro %}
{% macro quote_card(q) %}
<article class="quote" id="quote-{{ q.quote_id }}">
<blockquote>{{ q.text }}</blockquote>
<p class="meta">{% if q.speaker %}{{ q.speaker }} · {% endif %}first seen {{ q.first_seen }} · {{ q.sources | length }} source{{ "s" if q.sources | length != 1 }} in {{ q.outlets | length }} outlet{{ "s" if q.outlets | length != 1 }} · #{{ q.quote_id }}</p>
<ul class="sources">
{% for s in q.sources %}
<li><div class="source-line"><span class="outlet">{{ s.outlet or "(no outlet)" }}</span>, {{ date(s.published) }}{% if s.role %}, as {{ s.role }}{% endif %}: {{ link(s) }}</div>
<p class="context" title="{{ context_note(s) }}">{% for seg in s.context %}{% if seg.quote %}<mark>{{ seg.text }}</mark>{% else %}{{ seg.text }}{% endif %}{% endfor %}</p>
</li>
{% endfor %}
</ul>
</article>
{% endmacro %}
{% macro quote_list(listed, more) %}
{% for q in listed.quotes %}{{ quote_card(q) }}{% endfor %}
{% if listed.hidden %}<p class="note">{{ listed.hidden }} more quote{{ "s" if listed.hidden != 1 }} not shown: see <code>{{ more }}</code>.</p>{% endif %}
{% endmacro %}
<header>
<h1>Who said what, where</h1>
<p class="lede">{{ r.scope.describe() }} · {{ o.quotes | n }} quotes from {{ o.articles | n }} articles · generated {{ r.generated.strftime("%Y-%m-%d %H:%M UTC") }}</p>
<nav class="toc" aria-label="Contents">
<h2>Contents</h2>
<ol>
<li><a href="#overview">Overview</a></li>
<li><a href="#speakers">Speakers ranked by quotes</a></li>
<li><a href="#profiles">Speakers: roles and quotes</a>
{% if r.sections %}<ol>{% for sec in r.sections %}<li><a href="#{{ sec.anchor }}">{{ sec.speaker.name }}</a></li>{% endfor %}</ol>{% endif %}</li>
{% if r.unattributed.quotes %}<li><a href="#unattributed">Quotes with no identified speaker</a></li>{% endif %}
<li><a href="#carried">Most widely carried quotes</a></li>
<li><a href="#outlets">Who quotes whom: outlets × speakers</a></li>
<li><a href="#misattributions">Possible misattributions</a></li>
</ol>
</nav>
</header>

<main>
<section id="overview">
<h2>Overview</h2>
<dl class="stats">
<div class="stat"><dt>Quotes</dt><dd>{{ o.quotes | n }}</dd></div>
<div class="stat"><dt>Mentions</dt><dd>{{ o.mentions | n }}</dd></div>
<div class="stat"><dt>Speakers</dt><dd>{{ o.speakers | n }}</dd></div>
<div class="stat"><dt>Articles</dt><dd>{{ o.articles | n }}</dd></div>
<div class="stat"><dt>Outlets</dt><dd>{{ o.outlets | n }}</dd></div>
<div class="stat wide"><dt>Published</dt><dd class="date">{% if o.first_published %}<span class="nowrap">{{ o.first_published }}</span>{% if o.last_published != o.first_published %} to <span class="nowrap">{{ o.last_published }}</span>{% endif %}{% else %}no dates{% endif %}</dd></div>
</dl>
<p class="meta">A <strong>quote</strong> is one utterance however many articles printed it; each printing is a <strong>mention</strong>.
{% if o.undated_articles %}{{ o.undated_articles | n }} of the {{ o.articles | n }} articles carry no publication date. {% endif %}
{% if o.unattributed %}{{ o.unattributed | n }} quote{{ "s have" if o.unattributed != 1 else " has" }} no identified speaker. {% endif %}
The database holds {{ o.total_articles | n }} article{{ "s" if o.total_articles != 1 }} in all.</p>
</section>

<section id="speakers">
<h2>Speakers ranked by quotes</h2>
{% if r.ranking %}
<figure>
{{ bar_chart("Quotes per speaker", r.ranking | map(attribute="name") | list, r.ranking | map(attribute="quotes") | list, "Quotes (each utterance counted once)") }}
<figcaption>The {{ r.ranking | length }} most quoted speaker{{ "s" if r.ranking | length != 1 }}, by number of distinct quotes.</figcaption>
</figure>
<table>
<thead><tr><th class="num">#</th><th>Speaker</th><th>Kind</th><th class="num">Quotes</th><th class="num">Mentions</th><th class="num">Outlets</th></tr></thead>
<tbody>
{% for s in r.ranking %}<tr><td class="num">{{ loop.index }}</td><td><a href="#speaker-{{ s.speaker_id }}">{{ s.name }}</a></td><td>{{ s.kind }}</td><td class="num">{{ s.quotes | n }}</td><td class="num">{{ s.mentions | n }}</td><td class="num">{{ s.outlets | n }}</td></tr>
{% endfor %}
</tbody>
</table>
{% else %}<p class="note">No quote has an identified speaker.</p>{% endif %}
</section>

<section id="profiles">
<h2>Speakers: roles and quotes</h2>
<p class="meta">Each quote lists every article that printed it, with the wording and role given there; the highlighted text is the quote in its context.</p>
{% for sec in r.sections %}
<section id="{{ sec.anchor }}">
<div class="speaker-head"><h3>{{ sec.speaker.name }}</h3><span class="kind">{{ sec.speaker.kind }}</span>
<span class="meta">{{ sec.speaker.quotes | n }} quotes · {{ sec.speaker.mentions | n }} mentions · {{ sec.speaker.outlets | n }} outlets</span></div>
<h4>Roles over time</h4>
{% if sec.roles %}
<figure>
{{ timeline_chart("Roles of " ~ sec.speaker.name ~ " over time", sec.roles) }}
<figcaption>Each bar runs from the first to the last date an article gave {{ sec.speaker.name }} that role; each dot is a day with such articles, larger for more.</figcaption>
</figure>
<table>
<thead><tr><th>Role</th><th>First seen</th><th>Last seen</th><th class="num">Articles</th><th>Outlets</th></tr></thead>
<tbody>
{% for span in sec.roles %}<tr><td>{{ span.role }}</td><td class="nowrap">{{ span.first }}</td><td class="nowrap">{{ span.last }}</td><td class="num">{{ span.articles | n }}</td><td>{{ span.top_outlets() }}</td></tr>
{% endfor %}
</tbody>
</table>
{% if sec.hidden_roles %}<p class="note">{{ sec.hidden_roles }} rarer role{{ "s" if sec.hidden_roles != 1 }} not shown: see <code>quotes speakers show "{{ sec.speaker.name }}"</code>.</p>{% endif %}
{% else %}<p class="note">No article in scope gives {{ sec.speaker.name }} a role.</p>{% endif %}
<h4>Quotes</h4>
{{ quote_list(sec.quotes, 'quotes search --speaker "' ~ sec.speaker.name ~ '"') }}
</section>
{% else %}<p class="note">No quote has an identified speaker.</p>
{% endfor %}
</section>

{% if r.unattributed.quotes %}
<section id="unattributed">
<h2>Quotes with no identified speaker</h2>
<p class="meta">The articles print these quotes without a speaker the extraction could name.</p>
{{ quote_list(r.unattributed, 'quotes sql "select * from quote_sources where speaker is null"') }}
</section>
{% endif %}

<section id="carried">
<h2>Most widely carried quotes</h2>
{% if r.carried %}
<p class="meta">Quotes printed by two outlets or more, most outlets first, each with every article that carried it.</p>
<table class="carried">
<thead><tr><th class="num">Outlets</th><th>Quote</th><th>Carried by</th></tr></thead>
<tbody>
{% for q in r.carried %}<tr id="carried-{{ q.quote_id }}"><td class="num count">{{ q.outlets | length }}</td>
<td><span class="said">“{{ q.text }}”</span><span class="meta">{{ q.speaker or "unknown speaker" }} · first seen {{ q.first_seen }}</span></td>
<td><ul class="plain">{% for s in q.sources %}<li><span class="outlet">{{ s.outlet or "(no outlet)" }}</span> · {{ date(s.published) }}<br>{{ link(s) }}</li>{% endfor %}</ul></td></tr>
{% endfor %}
</tbody>
</table>
{% else %}<p class="note">No quote was carried by more than one outlet.</p>{% endif %}
</section>

<section id="outlets">
<h2>Who quotes whom: outlets × speakers</h2>
{% if r.heatmap.outlets %}
<figure>
{{ heat_map_chart("Quotes of each speaker carried by each outlet", r.heatmap) }}
<figcaption>Number of distinct quotes of each speaker (rows) that each outlet (columns) printed; darker means more, “·” none.</figcaption>
</figure>
{% else %}<p class="note">No quote has an identified speaker.</p>{% endif %}
</section>

<section id="misattributions">
<h2>Possible misattributions</h2>
{% set c = r.conflicts %}
{% if not c.available %}<p class="note">This database has no <code>{{ conflicts_view }}</code> view yet, so the same words given to different speakers are not flagged here.</p>
{% elif not c.pairs %}<p>No possible misattribution: no words in this report are given to two different speakers.</p>
{% else %}
<p>The same words, given to different speakers by different outlets: one of each pair may be wrongly attributed.
{% if c.total > c.pairs | length %}The first {{ c.pairs | length }} of {{ c.total | n }} pairs are shown.{% endif %}</p>
{% for pair in c.pairs %}
<div class="conflict">
{% for q in pair %}
<div><p class="who">{{ q.speaker or "unknown speaker" }}</p><blockquote>{{ q.text }}</blockquote>
<ul class="plain">{% for s in q.sources %}<li><span class="outlet">{{ s.outlet or "(no outlet)" }}</span> · {{ date(s.published) }}: {{ link(s) }}</li>{% endfor %}</ul></div>
{% endfor %}
</div>
{% endfor %}
{% endif %}
</section>
</main>
<footer>Made by <code>quotes report</code> from the quotes database. Dates are publication dates, or ingestion dates for undated articles. Links without a web address point to the article files the quotes were read from.</footer>
</div>
</body>
</html>
"""

_MARKDOWN = """\
{% set o = r.overview %}
{% macro date(d) %}{{ d or "undated" }}{% endmacro %}
{% macro link(s) %}{% set target = s.url | href %}{% if target %}[{{ (s.title or s.url) | md }}](<{{ target }}>){% else %}{{ (s.title or s.url or "no link") | md }}{% endif %}{% endmacro %}
{% macro quote_block(q) %}
> {{ q.text | md }}

{% if q.speaker %}{{ q.speaker | md }} · {% endif %}first seen {{ q.first_seen }} · {{ q.sources | length }} source(s) in {{ q.outlets | length }} outlet(s) · \\#{{ q.quote_id }}

{% for s in q.sources %}
- **{{ (s.outlet or "(no outlet)") | md }}**, {{ date(s.published) }}{% if s.role %}, as {{ s.role | md }}{% endif %}: {{ link(s) }}
  - {{ "In its paragraph" if s.context_is_paragraph else "Between the quotes printed around it" }}: {% for seg in s.context %}{% if seg.quote %}**{{ seg.text | md }}**{% else %}{{ seg.text | md }}{% endif %}{% endfor %}

{% endfor %}

{% endmacro %}
{% macro quote_list(listed, more) %}
{% for q in listed.quotes %}{{ quote_block(q) }}{% endfor %}
{% if listed.hidden %}
_{{ listed.hidden }} more quote(s) not shown: see `{{ more }}`._

{% endif %}
{% endmacro %}
# Who said what, where

{{ r.scope.describe() | md }} · {{ o.quotes | n }} quotes from {{ o.articles | n }} articles · generated {{ r.generated.strftime("%Y-%m-%d %H:%M UTC") }}

## Contents

- [Overview](#overview)
- [Speakers ranked by quotes](#speakers-ranked-by-quotes)
- [Speakers: roles and quotes](#speakers-roles-and-quotes)
{% if r.unattributed.quotes %}
- [Quotes with no identified speaker](#quotes-with-no-identified-speaker)
{% endif %}
- [Most widely carried quotes](#most-widely-carried-quotes)
- [Who quotes whom: outlets × speakers](#who-quotes-whom-outlets--speakers)
- [Possible misattributions](#possible-misattributions)

## Overview

| Quotes | Mentions | Speakers | Articles | Outlets | Published |
|---:|---:|---:|---:|---:|---|
| {{ o.quotes | n }} | {{ o.mentions | n }} | {{ o.speakers | n }} | {{ o.articles | n }} | {{ o.outlets | n }} | {% if o.first_published %}{{ o.first_published }}{% if o.last_published != o.first_published %} to {{ o.last_published }}{% endif %}{% else %}no dates{% endif %} |

A quote is one utterance however many articles printed it; each printing is a mention.
{% if o.undated_articles %}
{{ o.undated_articles | n }} of the {{ o.articles | n }} articles carry no publication date.
{% endif %}
{% if o.unattributed %}
{{ o.unattributed | n }} quote(s) have no identified speaker.
{% endif %}
The database holds {{ o.total_articles | n }} article(s) in all.

## Speakers ranked by quotes

{% if r.ranking %}
| # | Speaker | Kind | Quotes | Mentions | Outlets | |
|---:|---|---|---:|---:|---:|---|
{% set top = r.ranking[0].quotes %}
{% for s in r.ranking %}
| {{ loop.index }} | {{ s.name | md }} | {{ s.kind }} | {{ s.quotes | n }} | {{ s.mentions | n }} | {{ s.outlets | n }} | {{ "█" * ((20 * s.quotes / top) | round(0, "ceil") | int) }} |
{% endfor %}
{% else %}
_No quote has an identified speaker._
{% endif %}

## Speakers: roles and quotes

{% for sec in r.sections %}
### {{ sec.speaker.name | md }}

{{ sec.speaker.kind }} · {{ sec.speaker.quotes | n }} quotes · {{ sec.speaker.mentions | n }} mentions · {{ sec.speaker.outlets | n }} outlets

#### Roles over time

{% if sec.roles %}
| Role | First seen | Last seen | Articles | Outlets |
|---|---|---|---:|---|
{% for span in sec.roles %}
| {{ span.role | md }} | {{ span.first }} | {{ span.last }} | {{ span.articles | n }} | {{ span.top_outlets() | md }} |
{% endfor %}
{% if sec.hidden_roles %}

_{{ sec.hidden_roles }} rarer role(s) not shown: see `quotes speakers show "{{ sec.speaker.name }}"`._
{% endif %}
{% else %}
_No article in scope gives {{ sec.speaker.name | md }} a role._
{% endif %}

#### Quotes

{{ quote_list(sec.quotes, 'quotes search --speaker "' ~ sec.speaker.name ~ '"') }}
{% else %}
_No quote has an identified speaker._

{% endfor %}
{% if r.unattributed.quotes %}
## Quotes with no identified speaker

The articles print these quotes without a speaker the extraction could name.

{{ quote_list(r.unattributed, 'quotes sql "select * from quote_sources where speaker is null"') }}
{% endif %}
## Most widely carried quotes

{% if r.carried %}
Quotes printed by two outlets or more, most outlets first, each with every article that carried it.

| Outlets | Quote | Carried by |
|---:|---|---|
{% for q in r.carried %}
| {{ q.outlets | length }} | “{{ q.text | md }}” ({{ (q.speaker or "unknown speaker") | md }}, first seen {{ q.first_seen }}) | {% for s in q.sources %}{{ (s.outlet or "(no outlet)") | md }} {{ date(s.published) }}: {{ link(s) }}{{ "; " if not loop.last }}{% endfor %} |
{% endfor %}
{% else %}
_No quote was carried by more than one outlet._
{% endif %}

## Who quotes whom: outlets × speakers

{% if r.heatmap.outlets %}
Distinct quotes of each speaker (rows) printed by each outlet (columns).

| Speaker | {% for outlet in r.heatmap.outlets %}{{ outlet | md }} | {% endfor %}

|---|{% for outlet in r.heatmap.outlets %}---:|{% endfor %}

{% for speaker in r.heatmap.speakers %}
| {{ speaker | md }} | {% for n in r.heatmap.counts[loop.index0] %}{{ n or "·" }} | {% endfor %}

{% endfor %}
{% else %}
_No quote has an identified speaker._
{% endif %}

## Possible misattributions

{% set c = r.conflicts %}
{% if not c.available %}
_This database has no `{{ conflicts_view }}` view yet, so the same words given to different speakers are not flagged here._
{% elif not c.pairs %}
No possible misattribution: no words in this report are given to two different speakers.
{% else %}
The same words, given to different speakers by different outlets: one of each pair may be wrongly attributed.
{% if c.total > c.pairs | length %}The first {{ c.pairs | length }} of {{ c.total | n }} pairs are shown.{% endif %}

{% for pair in c.pairs %}
### {{ (pair[0].speaker or "unknown speaker") | md }} or {{ (pair[1].speaker or "unknown speaker") | md }}?

{% for q in pair %}
- **{{ (q.speaker or "unknown speaker") | md }}**: “{{ q.text | md }}”
{% for s in q.sources %}
  - {{ (s.outlet or "(no outlet)") | md }}, {{ date(s.published) }}: {{ link(s) }}
{% endfor %}
{% endfor %}

{% endfor %}
{% endif %}
"""

TEMPLATES = {"html": _HTML, "md": _MARKDOWN}
