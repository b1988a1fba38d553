"""Readers for web formats, each resting on a library that does the job well: HTML pages
(:mod:`quotes.readers.html`, trafilatura) and WARC web archives (:mod:`quotes.readers.warc`, warcio).

:func:`quotes.article.read_paths` imports them only when such a file turns up.
"""
