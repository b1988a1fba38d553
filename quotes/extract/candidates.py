"""Every plausible speaker of a quote, for the learned scorer to choose among (issue 12).

For each quote the ladder attributed (quotes.extract.attribute), the candidates are: the ladder's
own pick; the subject of every speech verb (and the object of every "according to") in the
quote's sentences and the two sentences either side; the names, subject nouns and personal
pronouns there; and the previous quote's speaker. Each is the words naming the speaker (a
token span, as ``Mention.speaker_mention`` gives it) with the ways it was found.

Days, times, amounts, events and abstract nouns ("Tuesday", "a number") are never candidates:
they do not speak (``NOT_SPEAKER_ENTITIES``, ``NEVER_SPEAKING_NOUNS`` in the lexicon).
Nothing here changes the article's people (no names registered, no genders learned).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from quotes.extract.cues import subject_of
from quotes.extract.detect import QuoteSpan
from quotes.extract.parse import Parse
from quotes.extract.speakers import Attribution, hanging_name
from quotes.extract.speech_verbs import is_cue
from quotes.lexicon import (
    NEVER_SPEAKING_ENTITIES,
    NEVER_SPEAKING_NOUNS,
    NON_SPEAKING_PRONOUNS,
    PERSONAL_PRONOUNS,
    RELATIVE_PRONOUNS,
)

#: Sentences before and after the quote's own in which candidates are looked for.
SENTENCES_AROUND = 2
#: Candidates of one quote at most (the nearest are kept).
MAX_CANDIDATES = 24
_SPEAKING_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


@dataclass
class Candidate:
    """One possible speaker of one quote: the words naming it and how they were found."""

    head: Token  # the token the words hang from
    span: Span  # the words naming the speaker
    sources: set[str] = field(default_factory=set)  # ladder / cue / according / name / noun / pronoun / previous / antecedent
    cues: list[Token] = field(default_factory=list)  # speech verbs it is the subject of

    @property
    def key(self) -> tuple[int, int]:
        return self.span.start, self.span.end


def words_naming(parse: Parse, tok: Token) -> Span:
    """The words naming the speaker around ``tok``, as quotes.extract.speakers.speaker_of finds them."""
    doc = parse.doc
    if tok.lower_ in PERSONAL_PRONOUNS or tok.lower_ in RELATIVE_PRONOUNS:
        return doc[tok.i : tok.i + 1]
    name = parse.name_at(tok) or hanging_name(parse, tok)  # "the economist Jared Bernstein"
    if name is not None:
        return name
    left = min((c.i for c in tok.lefts if c.dep_ in {"det", "amod", "compound", "nummod", "poss", "nmod"}), default=tok.i)
    left = min(left, min((c.left_edge.i for c in tok.lefts if c.dep_ in {"amod", "compound", "poss", "nmod"}), default=left))
    return doc[left : tok.i + 1]


def never_speaks(tok: Token) -> bool:
    """A day, time, amount, event or abstract noun: no speaker, whatever the parse says."""
    if tok.ent_type_ in NEVER_SPEAKING_ENTITIES:
        return not (tok.ent_type_ == "DATE" and tok.pos_ != "PROPN")  # "the 46-year-old" is someone
    if tok.lower_ in NON_SPEAKING_PRONOUNS and tok.lower_ not in RELATIVE_PRONOUNS:
        return True
    return tok.pos_ == "NOUN" and tok.lower_ in NEVER_SPEAKING_NOUNS


def quote_sentence_range(parse: Parse, q: QuoteSpan) -> tuple[int, int]:
    """Indices (into ``parse.sents``) of the first and last sentence the quote overlaps."""
    first = bisect.bisect_right(parse.sent_ends, q.outer_start)
    last = max(first, bisect.bisect_left(parse.sent_ends, q.outer_end))
    return first, min(last, len(parse.sents) - 1)


def candidates(parse: Parse, q: QuoteSpan, a: Attribution, previous: Attribution | None) -> list[Candidate]:
    """Every plausible speaker of quote ``q``; the ladder's pick (``a``) first when it has one."""
    found: dict[tuple[int, int], Candidate] = {}
    in_quote = parse.in_quote

    def add(tok: Token | None, source: str, cue: Token | None = None, span: Span | None = None) -> None:
        if tok is None or never_speaks(tok):
            return
        span = span if span is not None else words_naming(parse, tok)
        if len(span) == 0:
            return
        if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl" and source != "antecedent":
            add(tok.head.head, "antecedent", cue)  # "Mr. Trump, who said ...": the name too
        cand = found.get((span.start, span.end))
        if cand is None:
            cand = found[(span.start, span.end)] = Candidate(tok, span)
        cand.sources.add(source)
        if cue is not None and all(c.i != cue.i for c in cand.cues):
            cand.cues.append(cue)

    if a.mention is not None:
        add(a.mention.root, "ladder", a.cue, a.mention)
    for depth, verb in governing_verbs(parse, q):  # the clause the quoted words sit in, innermost first
        add(subject_of(parse, verb), f"verb{min(depth, 3)}", verb if is_cue(verb) else None)
    first, last = quote_sentence_range(parse, q)
    lo, hi = max(0, first - SENTENCES_AROUND), min(len(parse.sents) - 1, last + SENTENCES_AROUND)
    for sent in parse.sents[lo : hi + 1]:
        for tok in sent:
            if in_quote[tok.i]:
                continue
            if is_cue(tok):
                add(subject_of(parse, tok), "according" if tok.lower_ == "according" else "cue", tok)
            if tok.ent_type_ in _SPEAKING_ENTITIES and tok.ent_iob_ == "B":
                ent = parse.entity.get(tok.i)
                if ent is not None:
                    add(ent.root, "name", span=ent)
            elif tok.pos_ == "PROPN" and tok.dep_ in _SUBJECTS:
                add(tok, "name")
            elif tok.dep_ in _SUBJECTS and tok.pos_ == "NOUN":
                add(tok, "noun")
            elif tok.pos_ == "PRON" and tok.lower_ in PERSONAL_PRONOUNS and tok.lower_ not in NON_SPEAKING_PRONOUNS:
                add(tok, "pronoun")
    if previous is not None and previous.mention is not None:
        add(previous.mention.root, "previous", previous.cue, previous.mention)
    out = list(found.values())
    if len(out) > MAX_CANDIDATES:
        ladder_first = [c for c in out if "ladder" in c.sources]
        rest = sorted((c for c in out if "ladder" not in c.sources), key=lambda c: _distance(c.span, q))
        out = ladder_first + rest[: MAX_CANDIDATES - len(ladder_first)]
    return out


def governing_verbs(parse: Parse, q: QuoteSpan, limit: int = 4) -> list[tuple[int, Token]]:
    """The verbs outside the quote that its words hang from, each with its depth (1 = nearest)."""
    doc = parse.doc
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return []
    out: list[tuple[int, Token]] = []
    seen: set[int] = set()
    for tok in span:
        head, depth = tok.head, 0
        if q.outer_start <= head.idx < q.outer_end:
            continue
        for _ in range(8):
            if parse.in_quote[head.i]:
                break
            if head.pos_ in {"VERB", "AUX"} or head.lower_ == "according":
                depth += 1
                if head.i not in seen:
                    seen.add(head.i)
                    out.append((depth, head))
                if depth >= limit:
                    break
            if head.head.i == head.i:
                break
            head = head.head
    return sorted(out, key=lambda pair: pair[0])


def _distance(span: Span, q: QuoteSpan) -> int:
    """Characters between the words and the quote (marks included); 0 when they touch or overlap."""
    if span.end_char <= q.outer_start:
        return q.outer_start - span.end_char
    if span.start_char >= q.outer_end:
        return span.start_char - q.outer_end
    return 0
