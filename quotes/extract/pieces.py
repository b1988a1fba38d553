"""Run the pipeline over articles of any length and content, in bounded time and memory.

spaCy refuses a text longer than ``nlp.max_length`` (E088); its parser and NER hold some 20 KB
a token while they work, for a whole batch at once; and its tokenizer takes time quadratic in
the length of a run of characters without whitespace. So a run longer than MAX_RUN_CHARS is
tokenized in parts; a doc of more than MAX_PIECE_TOKENS tokens is parsed in pieces cut at
paragraph breaks, and joined back into one doc before the ``quotes`` component, which so finds
the names and pronouns of the whole article and offsets into its whole text; and a batch holds
at most that many tokens. An ordinary article meets none of these limits and is parsed as
``nlp.pipe`` would, but for what the settings spare: the paragraphs and sentences far from any
quote (see quotes.extract.windows), and the NER's reading of long quotes' words and of words far
from any capitalised word, number or speech verb.

An article that fails does not take its batch with it: the batch is run again one article at a
time, and only the failing one is reported.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple, TypeVar

import numpy
from spacy.attrs import DEP, HEAD, NORM, SENT_START
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from threadpoolctl import threadpool_limits

from quotes.extract import windows
from quotes.extract.detect import QuoteSpan, find_quotes
from quotes.extract.settings import Settings
from quotes.lexicon import CUE_FORMS

T = TypeVar("T")

#: A run of characters without whitespace longer than this is tokenized in parts of RUN_PART_CHARS.
#: Up to here the tokenizer costs at most about what parsing the run's tokens costs; no word or URL
#: of a news article is this long.
MAX_RUN_CHARS = 1000
RUN_PART_CHARS = 100
#: The most tokens parsed at once, as one batch or one piece of a long article: some 400 MB.
MAX_PIECE_TOKENS = 20_000

_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN_CHARS + 1))
_ROOT = get_string_id("ROOT")


def make_doc(nlp: Language, text: str) -> Doc:
    """``text`` tokenized by ``nlp``, whatever its length, a run longer than MAX_RUN_CHARS in parts."""
    cuts = [cut for run in _LONG_RUN.finditer(text) for cut in range(run.start() + RUN_PART_CHARS, run.end(), RUN_PART_CHARS)]
    if not cuts:
        return _own_edges(nlp.tokenizer(text))
    bounds = [0, *cuts, len(text)]
    return _own_edges(Doc.from_docs([nlp.tokenizer(text[a:b]) for a, b in zip(bounds, bounds[1:])],
                                    ensure_whitespace=False))


def _own_edges(doc: Doc) -> Doc:
    """``doc`` with every token its own subtree, as a doc no parser has read must be.

    spaCy's tokenizer leaves the tokens after a special case that joins tokens ("''" of "' '") with the
    subtree edges of the tokens they were before: one past the end of the doc at the last token, which
    ``Token.children`` then reads (and crashes the process on) in a piece the parser skips. Setting every
    head to the token itself recomputes them; the sentence starts are put back as they were.
    """
    if not len(doc):
        return doc
    starts = doc.to_array(SENT_START).astype(numpy.uint64)
    none = numpy.zeros(len(doc), dtype=numpy.uint64)
    doc.from_array([HEAD, DEP], numpy.column_stack([none, none + _ROOT]))
    doc.from_array([DEP, SENT_START], numpy.column_stack([none, starts]))
    return doc


def parse(nlp: Language, text: str) -> Doc:
    """``text`` through every component of ``nlp``; exceptions are raised."""
    return _finish(nlp, _parse(nlp, [split(nlp, text)])[0])


def pipe(nlp: Language, items: Iterable[tuple[str, T]], batch_size: int,
         on_error: Callable[[T, Exception], None]) -> Iterator[tuple[Doc, T]]:
    """Each text of ``items`` through ``nlp`` with its context, in order, in batches of ``batch_size``.

    A text that cannot be processed is given to ``on_error`` with its context, and left out.
    """
    batch: list[tuple[str, list[Part], T]] = []
    tokens = 0
    for text, context in items:
        try:
            parts = split(nlp, text)
        except Exception as exc:  # whatever it is, it is this article's failure
            on_error(context, exc)
            continue
        parsed = sum(len(part.doc) for part in parts if part.models)
        if batch and (len(batch) == batch_size or tokens + parsed > MAX_PIECE_TOKENS):
            yield from _run(nlp, batch, on_error)
            batch, tokens = [], 0
        batch.append((text, parts, context))
        tokens += parsed
    yield from _run(nlp, batch, on_error)


class Part(NamedTuple):
    """One piece of an article, tokenized: whether the models parse it, and the token ranges of
    the words the NER does not read, in order (Settings.ner_skips_quotes_of, Settings.ner_reach)."""

    doc: Doc
    models: bool
    unread: tuple[tuple[int, int], ...] = ()


def split(nlp: Language, text: str) -> list[Part]:
    """``text`` tokenized in the pieces it is parsed in, in order: one, unless windows skip some of it or it is long.

    The models parse the windows of quotes.extract.windows when the ``quotes`` component's
    settings ask for them and some component before it has a model, else the whole text; a
    parsed piece of more than MAX_PIECE_TOKENS tokens is cut further. Each piece begins at a word
    after whitespace (where a paragraph or a sentence does), so it is tokenized as it is in the
    whole text. With windows, a parsed piece also says which of its words the NER skips: long
    quotes' and those far from any name or speech verb (Settings.ner_skips_quotes_of, Settings.ner_reach).
    """
    quotes = nlp.get_pipe("quotes") if "quotes" in nlp.pipe_names else None
    found: list[QuoteSpan] = []
    if quotes is None or not quotes.settings.parse_windows or not _has_models(nlp):
        bounds = [(0, len(text), True)]
    else:
        found = find_quotes(text, quotes.settings)
        bounds, done = [], 0
        for start, end in windows.parse_ranges(text, quotes.settings, found):
            bounds += [(done, start, False)] * (start > done) + [(start, end, True)]
            done = end
        bounds += [(done, len(text), False)] * (done < len(text) or not bounds)
    skipping = quotes.settings if quotes is not None and quotes.settings.parse_windows and _ner_last(nlp) else None
    parts: list[Part] = []
    for start, end, models in bounds:
        doc = make_doc(nlp, text if (start, end) == (0, len(text)) else text[start:end])
        pieces = [(doc[a:b].as_doc(), doc[a].idx) for a, b in _pieces(doc)] if models and len(doc) > MAX_PIECE_TOKENS \
            else [(doc, 0)]
        for piece, offset in pieces:
            unread = _unread(piece, start + offset, found, skipping) if models and skipping else ()
            parts.append(Part(piece, models, unread))
    return parts


def _unread(doc: Doc, offset: int, found: list[QuoteSpan], settings: Settings) -> tuple[tuple[int, int], ...]:
    """The token ranges of ``doc`` (the text from ``offset`` on) the NER does not read, in order: long
    quotes' words (Settings.ner_skips_quotes_of) and words far from any name or speech verb (Settings.ner_reach)."""
    least, reach = settings.ner_skips_quotes_of, settings.ner_reach
    ranges = [*(_long_quotes(doc, offset, found, least) if least else ()), *(_far_from_names(doc, reach) if reach else ())]
    return tuple(windows.merged(sorted(ranges)))


def _far_from_names(doc: Doc, reach: int) -> list[tuple[int, int]]:
    """The token ranges of ``doc`` whose words are all more than ``reach`` tokens from a word that starts
    with a capital or a digit, is a number or is a speech verb ("said"), in order: no entity the NER
    finds there is one attribution reads ("Ana Ruiz", "60 percent", "the transport ministry said"),
    and its reading of a word looks only some four tokens either side."""
    if not len(doc):
        return []
    named = numpy.array([t.text[:1].isupper() or t.text[:1].isdigit() or t.like_num or t.lower_ in CUE_FORMS for t in doc],
                        dtype=numpy.int64)
    seen = numpy.concatenate(([0], numpy.cumsum(named)))
    at = numpy.arange(len(doc))
    near = seen[numpy.minimum(at + reach + 1, len(doc))] - seen[numpy.maximum(at - reach, 0)] > 0
    edges = numpy.flatnonzero(numpy.diff(numpy.concatenate(([1], near.astype(numpy.int64), [1]))))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def _long_quotes(doc: Doc, offset: int, found: list[QuoteSpan], least: int) -> tuple[tuple[int, int], ...]:
    """The token ranges of ``doc`` (the text from ``offset`` on) holding the words of a quote of ``found`` that
    has at least ``least`` tokens, in order."""
    if not len(doc):
        return ()
    end = offset + doc[-1].idx + len(doc[-1].text_with_ws)
    ranges = []
    for q in found[bisect.bisect_left(found, offset, key=lambda q: q.start):]:  # found is in text order
        if q.start >= end:
            break
        if q.end <= end and q.end - q.start >= least:  # a quote of n tokens has at least n characters
            words = doc.char_span(q.start - offset, q.end - offset, alignment_mode="contract")
            if words is not None and len(words) >= least:
                ranges.append((words.start, words.end))
    return tuple(ranges)


def _ner_last(nlp: Language) -> bool:
    """Whether the NER is the last component before ``quotes``, so it can run apart after the others."""
    before = nlp.pipe_names[: _quotes_index(nlp)]
    return bool(before) and before[-1] == "ner"


def _has_models(nlp: Language) -> bool:
    """Whether a component before ``quotes`` has a model (what windows spare)."""
    return any(isinstance(proc, TrainablePipe) for _, proc in nlp.pipeline[: _quotes_index(nlp)])


def _run(nlp: Language, batch: list[tuple[str, list[Part], T]],
         on_error: Callable[[T, Exception], None]) -> Iterator[tuple[Doc, T]]:
    """The articles of one batch through ``nlp``; when the batch fails, each again alone from its text."""
    try:
        docs = _parse(nlp, [parts for _, parts, _ in batch])
    except Exception as exc:
        if len(batch) == 1:
            on_error(batch[0][2], exc)
            return
        for text, _, context in batch:  # the docs may be half annotated: start again from the texts
            yield from _run(nlp, [(text, split(nlp, text), context)], on_error)
        return
    for doc, (_, _, context) in zip(docs, batch):
        try:
            yield _finish(nlp, doc), context
        except Exception as exc:
            on_error(context, exc)


def _parse(nlp: Language, articles: list[list[Part]]) -> list[Doc]:
    """Each article's pieces through the components before ``quotes``, joined back into one doc.

    The pieces the models parse go through every component, all the batch's at once, at most
    MAX_PIECE_TOKENS tokens at a time; the others through those without a model. An article in
    one parsed piece is parsed as ``nlp.pipe`` would parse it.
    """
    parsed = iter(_through_models(nlp, [(part, len(parts) == 1) for parts in articles for part in parts if part.models]))
    out = []
    for parts in articles:
        done = [next(parsed) if part.models else _without_models(nlp, part.doc) for part in parts]
        whole = len(parts) == 1 and parts[0].models
        out.append(done[0] if whole else _joined(done, [not part.models for part in parts]))
    return out


def _through_models(nlp: Language, docs: list[tuple[Part, bool]]) -> Iterator[Doc]:
    """Each part's doc through the components before ``quotes``, at most MAX_PIECE_TOKENS tokens at once (the
    NER apart when it skips words); a doc that is only a piece (False) is let go of its tensor, which nothing
    after the parser reads."""
    later = nlp.pipe_names[_quotes_index(nlp):]
    group: list[tuple[Part, bool]] = []
    tokens = 0
    for i, (part, whole) in enumerate(docs):
        group.append((part, whole))
        tokens += len(part.doc)
        if i + 1 < len(docs) and tokens + len(docs[i + 1][0].doc) <= MAX_PIECE_TOKENS:
            continue
        apart = any(part.unread for part, _ in group)
        with threadpool_limits(limits=1, user_api="blas"):  # a core per process: parallel extraction takes them all
            parsed = list(nlp.pipe([part.doc for part, _ in group], batch_size=len(group),
                                   disable=[*later, "ner"] if apart else later))
            if len(parsed) != len(group):
                raise RuntimeError("a component of the pipeline dropped an article or a piece of one")
            if apart:
                _recognize(nlp.get_pipe("ner"), parsed, [part.unread for part, _ in group])
        for done, (_, keep) in zip(parsed, group):
            if not keep:
                done.tensor = done.tensor[:0].copy()
            yield done
        group, tokens = [], 0


def _recognize(ner: TrainablePipe, docs: list[Doc], unread: list[tuple[tuple[int, int], ...]]) -> None:
    """Set each doc's entities as ``ner`` finds them in its words outside the ``unread`` token ranges, which
    it reads as one doc (_stretches); a doc with none it reads whole."""
    reads = [_stretches(doc, skipped) if skipped else (doc, None) for doc, skipped in zip(docs, unread)]
    for doc, (_, kept), done in zip(docs, reads, ner.pipe([read for read, _ in reads], batch_size=max(1, len(reads)))):
        if kept is not None:
            doc.set_ents([Span(doc, int(kept[ent.start]), int(kept[ent.end - 1]) + 1, label=ent.label) for ent in done.ents],
                         default="outside")


def _stretches(doc: Doc, skipped: tuple[tuple[int, int], ...]) -> tuple[Doc, numpy.ndarray]:
    """The words of ``doc`` outside the ``skipped`` token ranges as a doc of their own, and where each is in ``doc``.

    Each stretch between the ranges starts a sentence, which the NER never reads an entity across, so no
    entity joins words that are apart in ``doc``; the words keep their norms and sentence starts. One doc
    for the article, not one a stretch: a doc costs the NER as much as some dozens of its words.
    """
    keep = numpy.ones(len(doc), dtype=bool)
    starts = doc.to_array(SENT_START).astype(numpy.int64)
    for start, end in skipped:
        keep[start:end] = False
        starts[end : end + 1] = 1
    kept = numpy.flatnonzero(keep)
    words = [doc[i] for i in kept.tolist()]
    read = Doc(doc.vocab, words=[t.text for t in words], spaces=[bool(t.whitespace_) for t in words],
               sent_starts=[1, *starts[kept[1:]].tolist()] if len(kept) else [])
    read.from_array([NORM], doc.to_array([NORM])[kept])
    return read, kept


def _without_models(nlp: Language, doc: Doc) -> Doc:
    """``doc`` through the components before ``quotes`` that have no model (paragraph_sentences, rulers)."""
    for _, proc in nlp.pipeline[: _quotes_index(nlp)]:
        if not isinstance(proc, TrainablePipe):
            doc = proc(doc)
    return doc


def _joined(parts: list[Doc], unparsed: list[bool]) -> Doc:
    """``parts`` as one doc; each unparsed part a sentence from its start, and wherever its components start one."""
    doc = parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor"])
    if not len(doc):
        return doc
    starts = doc.to_array(SENT_START).astype(numpy.int64)
    offset = 0
    for part, skipped in zip(parts, unparsed):
        if skipped and len(part):
            own = part.to_array(SENT_START).astype(numpy.int64)
            own[own != 1] = -1
            own[0] = 1
            starts[offset : offset + len(part)] = own
        offset += len(part)
    doc.from_array([SENT_START], starts.astype(numpy.uint64))
    return doc


def _finish(nlp: Language, doc: Doc) -> Doc:
    """``doc``, parsed, through ``quotes`` and the components after it."""
    for _, proc in nlp.pipeline[_quotes_index(nlp):]:
        doc = proc(doc)
    return doc


def _quotes_index(nlp: Language) -> int:
    """Where ``quotes`` is in the pipeline: the components from there on see the whole article."""
    return nlp.pipe_names.index("quotes") if "quotes" in nlp.pipe_names else len(nlp.pipe_names)


def _pieces(doc: Doc, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Token ranges cutting ``doc[start:end]`` in pieces of at most MAX_PIECE_TOKENS tokens, each at least half that but the last."""
    end = len(doc) if end is None else end
    bounds = []
    while end - start > MAX_PIECE_TOKENS:
        cut = _cut(doc, start + MAX_PIECE_TOKENS // 2, start + MAX_PIECE_TOKENS)
        bounds.append((start, cut))
        start = cut
    bounds.append((start, end))
    return bounds


def _cut(doc: Doc, lo: int, hi: int) -> int:
    """Where to end a piece within tokens (lo, hi]: after the last blank line, else line break, else space."""
    for ends_piece in (lambda t: t.text.count("\n") > 1, lambda t: "\n" in t.text_with_ws, lambda t: bool(t.whitespace_)):
        end = next((i for i in range(hi, lo, -1) if ends_piece(doc[i - 1])), None)
        if end is not None:
            return end
    return hi
