"""The numbers describing one speaker candidate of one quote, for the learned scorer (issue 12).

:data:`FEATURES` names them in order; :func:`describe` gives one row per candidate. They are
about the candidate's relation to the quote and its cue (subject of the speech verb the quote
hangs from, "according to", distance in tokens, sentences and paragraphs, before or after), what
it is (name, noun, pronoun; entity label; dependency), whether it agrees with what the article
knows (a pronoun's gender, the person's earlier speech), and what the rule ladder did.
"""

from __future__ import annotations

import math

from quotes.extract.candidates import Candidate, quote_sentence_range
from quotes.extract.detect import QuoteSpan
from quotes.extract.filters import quote_kind
from quotes.extract.parse import Parse
from quotes.extract.people import People
from quotes.extract.speakers import Attribution
from quotes.lexicon import (
    ANONYMOUS_NOUNS,
    ORGANIZATION_NOUNS,
    PRONOUN_GENDER,
    RELATIVE_PRONOUNS,
    TITLE_WORDS,
    VOCAL_FORMS,
)

_SOURCES = ("ladder", "cue", "according", "name", "noun", "pronoun", "previous", "antecedent", "verb1", "verb2", "verb3")
_HOW = ("cue", "colon", "continuation", "after", "verb", "before", "none")
_ENTS = ("PERSON", "ORG", "GPE", "NORP")
_DEPS = ("nsubj", "nsubjpass", "pobj", "dobj", "poss", "appos", "conj", "compound", "ROOT")
_POS = ("PROPN", "NOUN", "PRON", "DET", "ADP", "ADJ", "NUM")

#: Feature names, in the order of each row :func:`describe` gives.
FEATURES: tuple[str, ...] = (
    *(f"source_{s}" for s in _SOURCES),
    "n_sources",
    "subject_of_ladder_cue", "cue_in_quote_sentence", "cue_after_quote", "cue_before_quote",
    "cue_negated", "cue_vocal", "cue_distance_log", "n_cues",
    *(f"pos_{p}" for p in _POS), *(f"ent_{e}" for e in _ENTS), "ent_other",
    *(f"dep_{d}" for d in _DEPS),
    "before_quote", "after_quote", "inside_quote_sentence", "token_distance_log", "sentence_distance",
    "same_paragraph", "paragraph_distance", "inside_a_quote",
    "pronoun_gendered", "pronoun_plural", "pronoun_first_person", "pronoun_resolves", "pronoun_gender_clash",
    "known_person", "person_speech_events_log", "person_mentions_log", "person_gender_known",
    "same_person_as_ladder", "previous_speaker", "same_person_as_previous",
    "title_noun", "anonymous_noun", "organization_noun", "span_words", "capitalised",
    *(f"ladder_how_{h}" for h in _HOW), "ladder_confidence", "ladder_resolved", "quote_partial",
    "quote_words_log", "n_candidates", "rank_by_distance",
    "relative_pronoun", "plain_noun", "indefinite", "nearest_cue_subject", "nearest_name", "nearest_quote_sentence_subject",
    "ladder_is_pronoun", "ladder_is_relative", "ladder_is_plain_noun", "ladder_inside_quote_sentence",
)


def _log(x: float) -> float:
    return math.log1p(max(0.0, x))


def _paragraph_index(text: str, char: int, starts: list[int]) -> int:
    import bisect

    return bisect.bisect_right(starts, char)


def describe(parse: Parse, people: People, q: QuoteSpan, a: Attribution, previous: Attribution | None,
             cands: list[Candidate], paragraph_starts: list[int]) -> list[list[float]]:
    """One row of :data:`FEATURES` per candidate of quote ``q``."""
    text = parse.text
    first, last = quote_sentence_range(parse, q)
    q_tok = parse.doc.char_span(q.outer_start, q.outer_end, alignment_mode="expand")
    q_first, q_last = (q_tok.start, q_tok.end - 1) if q_tok is not None else (0, 0)
    q_para = _paragraph_index(text, q.outer_start, paragraph_starts)
    kind = quote_kind(text, q)
    ladder_person = _person_of(parse, people, a.mention.root) if a.mention is not None else None
    prev_person = _person_of(parse, people, previous.mention.root) if previous is not None and previous.mention is not None else None
    prev_key = (previous.mention.start, previous.mention.end) if previous is not None and previous.mention is not None else None
    dists = sorted(_tok_distance(c, q_first, q_last) for c in cands)
    cue_dists = [_tok_distance(c, q_first, q_last) for c in cands if c.cues]
    name_dists = [_tok_distance(c, q_first, q_last) for c in cands if c.head.pos_ == "PROPN"]
    own_subjects = [_tok_distance(c, q_first, q_last) for c in cands
                    if c.head.dep_ in {"nsubj", "nsubjpass"} and first <= _sentence_index(parse, c.span.start_char) <= last]
    lroot = a.mention.root if a.mention is not None else None
    ladder_flags = [
        float(lroot is not None and lroot.lower_ in PRONOUN_GENDER),
        float(lroot is not None and lroot.lower_ in RELATIVE_PRONOUNS),
        float(lroot is not None and _plain_noun(lroot)),
        float(lroot is not None and first <= _sentence_index(parse, lroot.idx) <= last),
    ]
    rows = []
    for c in cands:
        tok, span = c.head, c.span
        lower = tok.lower_
        sent_i = _sentence_index(parse, span.start_char)
        if first <= sent_i <= last:
            sent_dist = 0
        else:
            sent_dist = first - sent_i if sent_i < first else sent_i - last
        cue_dist = min((abs(cue.i - (q_first if cue.i < q_first else q_last)) for c2 in [c] for cue in c2.cues), default=50)
        negated = any(any(ch.dep_ == "neg" for ch in cue.children) for cue in c.cues)
        c_para = _paragraph_index(text, span.start_char, paragraph_starts)
        person = _person_of(parse, people, tok)
        pron_gender = PRONOUN_GENDER.get(lower)
        resolved = people.resolve_pronoun(tok) if pron_gender else None
        clash = bool(pron_gender and resolved is not None and resolved.gender not in (None, pron_gender))
        if pron_gender and resolved is None:
            clash = any(p.gender not in (None, pron_gender) for p in _people_before(people, tok.i))
        tok_dist = _tok_distance(c, q_first, q_last)
        row = [
            *(float(s in c.sources) for s in _SOURCES),
            float(len(c.sources)),
            float(a.cue is not None and any(cue.i == a.cue.i for cue in c.cues)),
            float(any(first <= _sentence_index(parse, cue.idx) <= last for cue in c.cues)),
            float(any(cue.i > q_last for cue in c.cues)),
            float(any(cue.i < q_first for cue in c.cues)),
            float(negated),
            float(any(cue.lower_ in VOCAL_FORMS for cue in c.cues)),
            _log(cue_dist),
            float(len(c.cues)),
            *(float(tok.pos_ == p) for p in _POS),
            *(float(tok.ent_type_ == e) for e in _ENTS),
            float(bool(tok.ent_type_) and tok.ent_type_ not in _ENTS),
            *(float(tok.dep_ == d) for d in _DEPS),
            float(span.end <= q_first),
            float(span.start > q_last),
            float(sent_dist == 0),
            _log(tok_dist),
            float(min(sent_dist, 4)),
            float(c_para == q_para),
            float(min(abs(c_para - q_para), 3)),
            float(parse.in_quote[tok.i]),
            float(pron_gender is not None),
            float(lower in {"they", "them", "we"}),
            float(lower in {"i", "we"}),
            float(resolved is not None),
            float(clash),
            float(person is not None),
            _log(sum(1 for _, p in people.speech_events if p is person)) if person is not None else 0.0,
            _log(len(person.positions)) if person is not None else 0.0,
            float(person is not None and person.gender is not None),
            float(ladder_person is not None and (person is ladder_person or resolved is ladder_person)),
            float(prev_key == c.key),
            float(prev_person is not None and (person is prev_person or resolved is prev_person)),
            float(lower in TITLE_WORDS),
            float(lower in ANONYMOUS_NOUNS),
            float(lower in ORGANIZATION_NOUNS),
            float(min(len(span), 8)),
            float(tok.text[:1].isupper()),
            *(float(a.how == h) for h in _HOW),
            a.confidence,
            float(a.speaker is not None),
            float(kind == "partial"),
            _log(len(text[q.start:q.end].split())),
            float(len(cands)),
            float(dists.index(tok_dist)),
            float(lower in RELATIVE_PRONOUNS),
            float(_plain_noun(tok)),
            float(lower in _INDEFINITE),
            float(bool(c.cues) and tok_dist == min(cue_dists)),
            float(tok.pos_ == "PROPN" and tok_dist == min(name_dists)),
            float(tok.dep_ in {"nsubj", "nsubjpass"} and sent_dist == 0 and tok_dist == min(own_subjects)),
            *ladder_flags,
        ]
        rows.append(row)
    return rows


_INDEFINITE = frozenset({"some", "somebody", "someone", "everyone", "everybody", "anyone", "anybody", "nobody",
                         "many", "others", "all", "both", "you", "one"})


def _plain_noun(tok) -> bool:
    """A common noun naming no person, organisation or title ("calculations", "his meeting")."""
    lower = tok.lower_
    return tok.pos_ == "NOUN" and not tok.ent_type_ and lower not in TITLE_WORDS and lower not in ANONYMOUS_NOUNS \
        and lower not in ORGANIZATION_NOUNS and lower.rstrip("s") not in TITLE_WORDS


def _tok_distance(c: Candidate, q_first: int, q_last: int) -> int:
    if c.span.end <= q_first:
        return q_first - c.span.end
    if c.span.start > q_last:
        return c.span.start - q_last
    return 0


def _sentence_index(parse: Parse, char: int) -> int:
    import bisect

    return bisect.bisect_right(parse.sent_ends, char)


def _person_of(parse: Parse, people: People, tok):
    """The article's person named at ``tok`` (a name or surname it registered), else None."""
    name = parse.name_at(tok)
    if name is None:
        return None
    words = [t.text for t in name if t.text[:1].isupper()]
    if not words:
        return None
    full = " ".join(words)
    if full in people.by_name:
        return people.by_name[full]
    return people.by_name.get(people.full_name_for(words[-1], name.start))


def _people_before(people: People, i: int):
    return [p for p in people.by_name.values() if any(pos < i for pos in p.positions)][-3:]
