"""Run the pipeline over articles of any length and content, in bounded time and memory.

spaCy refuses a text longer than ``nlp.max_length`` (E088); its parser and NER hold some 20 KB
a token while they work, for a whole batch at once; and its tokenizer takes time quadratic in
the length of a run of characters without whitespace. So a run longer than MAX_RUN_CHARS is
tokenized in parts; a doc of more than MAX_PIECE_TOKENS tokens is parsed in pieces cut at
paragraph breaks, and joined back into one doc before the ``quotes`` component, which so finds
the names and pronouns of the whole article and offsets into its whole text; and a batch holds
at most that many tokens. An ordinary article meets none of these limits and is parsed as
``nlp.pipe`` would.

An article that fails does not take its batch with it: the batch is run again one article at a
time, and only the failing one is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

T = TypeVar("T")

#: A run of characters without whitespace longer than this is tokenized in parts of RUN_PART_CHARS.
#: Up to here the tokenizer costs at most about what parsing the run's tokens costs; no word or URL
#: of a news article is this long.
MAX_RUN_CHARS = 1000
RUN_PART_CHARS = 100
#: The most tokens parsed at once, as one batch or one piece of a long article: some 400 MB.
MAX_PIECE_TOKENS = 20_000

_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN_CHARS + 1))


def make_doc(nlp: Language, text: str) -> Doc:
    """``text`` tokenized by ``nlp``, whatever its length, a run longer than MAX_RUN_CHARS in parts."""
    cuts = [cut for run in _LONG_RUN.finditer(text) for cut in range(run.start() + RUN_PART_CHARS, run.end(), RUN_PART_CHARS)]
    if not cuts:
        return nlp.tokenizer(text)
    bounds = [0, *cuts, len(text)]
    return Doc.from_docs([nlp.tokenizer(text[a:b]) for a, b in zip(bounds, bounds[1:])], ensure_whitespace=False)


def parse(nlp: Language, text: str) -> Doc:
    """``text`` through every component of ``nlp``; exceptions are raised."""
    return _finish(nlp, _parse(nlp, [make_doc(nlp, text)])[0])


def pipe(nlp: Language, items: Iterable[tuple[str, T]], batch_size: int,
         on_error: Callable[[T, Exception], None]) -> Iterator[tuple[Doc, T]]:
    """Each text of ``items`` through ``nlp`` with its context, in order, in batches of ``batch_size``.

    A text that cannot be processed is given to ``on_error`` with its context, and left out.
    """
    batch: list[tuple[str, Doc, T]] = []
    tokens = 0
    for text, context in items:
        try:
            doc = make_doc(nlp, text)
        except Exception as exc:  # whatever it is, it is this article's failure
            on_error(context, exc)
            continue
        if batch and (len(batch) == batch_size or tokens + len(doc) > MAX_PIECE_TOKENS):
            yield from _run(nlp, batch, on_error)
            batch, tokens = [], 0
        batch.append((text, doc, context))
        tokens += len(doc)
    yield from _run(nlp, batch, on_error)


def _run(nlp: Language, batch: list[tuple[str, Doc, T]], on_error: Callable[[T, Exception], None]) -> Iterator[tuple[Doc, T]]:
    """The docs of one batch through ``nlp``; when the batch fails, each again alone from its text."""
    try:
        docs = _parse(nlp, [doc for _, doc, _ in batch])
    except Exception as exc:
        if len(batch) == 1:
            on_error(batch[0][2], exc)
            return
        for text, _, context in batch:  # the docs may be half annotated: start again from the texts
            yield from _run(nlp, [(text, make_doc(nlp, text), context)], on_error)
        return
    for doc, (_, _, context) in zip(docs, batch):
        try:
            yield _finish(nlp, doc), context
        except Exception as exc:
            on_error(context, exc)


def _parse(nlp: Language, docs: list[Doc]) -> list[Doc]:
    """``docs`` through the components before ``quotes``: a batch, or a single long doc in pieces."""
    later = nlp.pipe_names[_quotes_index(nlp):]
    if len(docs) == 1 and len(docs[0]) > MAX_PIECE_TOKENS:
        doc, bounds = docs[0], _pieces(docs[0])
        parsed = []
        for piece in nlp.pipe((doc[start:end].as_doc() for start, end in bounds), batch_size=1, disable=later):
            piece.tensor = piece.tensor[:0].copy()  # nothing after the parser reads it: let it go
            parsed.append(piece)
        if len(parsed) != len(bounds):
            raise RuntimeError("a component of the pipeline dropped a piece of the article")
        return [Doc.from_docs(parsed, ensure_whitespace=False, exclude=["tensor"])]
    parsed = list(nlp.pipe(docs, batch_size=len(docs), disable=later))
    if len(parsed) != len(docs):
        raise RuntimeError("a component of the pipeline dropped an article")
    return parsed


def _finish(nlp: Language, doc: Doc) -> Doc:
    """``doc``, parsed, through ``quotes`` and the components after it."""
    for _, proc in nlp.pipeline[_quotes_index(nlp):]:
        doc = proc(doc)
    return doc


def _quotes_index(nlp: Language) -> int:
    """Where ``quotes`` is in the pipeline: the components from there on see the whole article."""
    return nlp.pipe_names.index("quotes") if "quotes" in nlp.pipe_names else len(nlp.pipe_names)


def _pieces(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges cutting ``doc`` in pieces of at most MAX_PIECE_TOKENS tokens, each at least half that but the last."""
    bounds, start = [], 0
    while len(doc) - start > MAX_PIECE_TOKENS:
        end = _cut(doc, start + MAX_PIECE_TOKENS // 2, start + MAX_PIECE_TOKENS)
        bounds.append((start, end))
        start = end
    bounds.append((start, len(doc)))
    return bounds


def _cut(doc: Doc, lo: int, hi: int) -> int:
    """Where to end a piece within tokens (lo, hi]: after the last blank line, else line break, else space."""
    for ends_piece in (lambda t: t.text.count("\n") > 1, lambda t: "\n" in t.text_with_ws, lambda t: bool(t.whitespace_)):
        end = next((i for i in range(hi, lo, -1) if ends_piece(doc[i - 1])), None)
        if end is not None:
            return end
    return hi
