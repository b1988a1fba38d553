"""Who the words naming a speaker stand for: a person of the article, an organisation, or an anonymous source.

Also the record the attribution ladder gives each quote (:class:`Attribution`).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from quotes.extract.parse import Parse
from quotes.extract.people import People
from quotes.extract.roles import role_from_tokens, role_of
from quotes.lexicon import (
    ANONYMOUS_NOUNS,
    DASHES,
    ORGANIZATION_NOUNS,
    PERSONAL_PRONOUNS,
    PRONOUN_GENDER,
    RELATIVE_PRONOUNS,
    TITLE_WORDS,
)
from quotes.names import Role


@dataclass
class Speaker:
    """Who a quote is attributed to, resolved within one article."""

    name: str
    kind: str  # person / organization / anonymous
    role: Role | None = None


@dataclass
class Attribution:
    """How a quote was attributed: the cue, the words naming the speaker, and who that is."""

    cue: Token | None
    mention: Span | None
    speaker: Speaker | None
    confidence: float
    how: str  # cue / colon / continuation / after / verb / before / none
    #: the quote's words hang from ``cue`` in the parse, or a transcript label names the speaker:
    #: evidence the learned scorer never overrides
    definite: bool = False


#: Attributions resting on the quote's own cue, which the other pieces of its group may share.
OWN_CUE = frozenset({"cue", "colon"})


def speaker_of(people: People, tok: Token) -> tuple[Span, Speaker | None]:
    """The words naming the speaker around ``tok`` and who they resolve to."""
    parse = people.parse
    doc = parse.doc
    if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
        # "Obama, who called it...": the words are "who", the speaker is who it stands for
        _, speaker = speaker_of(people, tok.head.head)
        return doc[tok.i : tok.i + 1], speaker
    if tok.lower_ in PERSONAL_PRONOUNS:
        person = people.resolve_pronoun(tok)
        mention = doc[tok.i : tok.i + 1]
        if person is not None and PRONOUN_GENDER.get(tok.lower_):
            person.learn_gender(PRONOUN_GENDER[tok.lower_])
        return mention, (Speaker(person.name, "person", person.role) if person else None)
    if tok.text.startswith("@") and tok.text[1:].replace("_", "").isalnum():
        return doc[tok.i : tok.i + 1], Speaker(tok.text, "person")  # a handle signing a post: "— @omardiaz"
    name = parse.name_at(tok)
    if name is None:
        name = hanging_name(parse, tok)
    if name is not None:
        person = people.person_named(name)
        if person is not None:
            return name, Speaker(person.name, "person", role_of(name) or person.role)
        if name.label_ in {"ORG", "GPE", "NORP", "FAC"} or people.organization_named(name):
            org = name.text[4:] if name.text.lower().startswith("the ") else name.text
            return name, Speaker(parse.acronyms.get(org, org).strip(), "organization")
    return _noun_phrase_speaker(people, tok)


def speaker_labelled(people: People, label: Span) -> Speaker:
    """The speaker a transcript label names ("SMITH" of "SMITH: We will win."): always a person."""
    person = people.person_labelled(label)
    return Speaker(person.name, "person", person.role)


def hanging_name(parse: Parse, tok: Token) -> Span | None:
    """The name hanging from a noun that calls it: "the economist Jared Bernstein", "the watchdog site PolitiFact"."""
    for child in tok.children:
        if child.pos_ != "PROPN":
            continue
        if child.dep_ == "appos" and child.ent_type_ in {"PERSON", "ORG", ""} or (
                child.dep_ == "compound" and child.ent_type_ in {"PERSON", ""}):
            return parse.name_at(child)
    return None


def _noun_phrase_speaker(people: People, tok: Token) -> tuple[Span, Speaker | None]:
    """A speaker named by a noun phrase, not a name: "the ministry", "a senior official", "the spokesman"."""
    left = min((c.i for c in tok.lefts if c.dep_ in {"det", "amod", "compound", "nummod", "poss", "nmod"}), default=tok.i)
    left = min(left, min((c.left_edge.i for c in tok.lefts if c.dep_ in {"amod", "compound", "poss", "nmod"}), default=left))
    doc = people.parse.doc
    # not past a spaced dash: "the Democratic caucus - HuffPollster" names HuffPollster
    left = max([left, *(t.i + 1 for t in doc[left : tok.i] if t.text in DASHES and (t.whitespace_ or doc[t.i - 1].whitespace_))])
    mention = doc[left : tok.i + 1]
    noun = tok.lower_
    det = mention[0].lower_
    if tok.pos_ == "PROPN" or (tok.text[:1].isupper() and not tok.is_sent_start):
        return mention, Speaker(mention.text, "organization")
    if noun in ANONYMOUS_NOUNS or det in {"a", "an", "one", "two", "three", "several", "some", "many"}:
        return mention, Speaker(mention.text, "anonymous")
    if noun in ORGANIZATION_NOUNS:
        return mention, Speaker(mention.text, "organization")
    if noun in TITLE_WORDS:
        # "the spokesman": the person in the article holding that title, else anonymous
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        owner = _owner(people, poss) if poss is not None else None
        person = people.holding_title(noun, owner)
        if person is not None:
            return mention, Speaker(person.name, "person", person.role)
        if owner is not None:  # "her spokesman": the quote is the spokesman's, in a role for her
            role = role_from_tokens([t for t in mention if t.i > poss.right_edge.i])
            title = role.title if role is not None and role.title else noun
            return mention, Speaker(f"{title} for {owner}", "anonymous", Role(title, owner))
        return mention, Speaker(mention.text, "anonymous")
    return mention, None


def _owner(people: People, poss: Token) -> str | None:
    """Whom the possessor of a title names: "Ruiz's spokesman" and "her spokesman" (after Ana Ruiz), Ana Ruiz."""
    if poss.lower_ in PRONOUN_GENDER:
        person = people.resolve_pronoun(poss)
        return person.name if person is not None else None
    name = people.parse.name_at(poss)
    if name is None:
        return None
    person = people.person_named(name)
    if person is not None:
        return person.name
    words = [t.text for t in name if t.text not in {"'s", "’s", "'", "’"} and t.pos_ != "DET"]
    return " ".join(words) or None
