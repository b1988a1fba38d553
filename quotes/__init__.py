"""quotes: find every direct quote in news articles, attribute it, deduplicate it, store it.

The package reads like the data flow::

    article    read articles (txt, jsonl, html, warc)          -> Article
    detect     find quote spans by their quotation marks        -> spans
    attribute  speakers, cues and roles over a spaCy Doc        -> Mention
    extract    the two above as one call and a spaCy component  -> list[Mention]
    dedup      cluster mentions of the same words by one speaker
    store      SQL database: schema, ingest, queries
    report     the HTML / Markdown report
    evaluate   scoring against gold data, and the textacy baseline
"""

__version__ = "0.1.0"


class QuotesError(Exception):
    """A failure of the setting up that a person fixes (a lexicon file that cannot be read): the
    command line prints it as one line, never a traceback."""
