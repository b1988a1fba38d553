"""The people one article names: full names, the surnames that stand for them, gender, and roles.

A surname or an honorific alone ("Kirby", "Ms. Kelly") resolves to the full name the article
gave earlier; a pronoun resolves to the most recent named speaker (else person) it fits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from quotes.extract.cues import is_cue, subject_of
from quotes.extract.parse import Parse
from quotes.extract.roles import role_of
from quotes.lexicon import FEMALE_HONORIFICS, FIRST_NAME_GENDER, HONORIFICS, MALE_HONORIFICS, PRONOUN_GENDER, TITLE_WORDS
from quotes.names import Role


@dataclass
class Person:
    """One person of the article, under the fullest name it gives them."""

    name: str
    gender: str | None = None  # "f" / "m", from honorifics and the pronouns that resolve to them
    role: Role | None = None
    positions: list[int] = field(default_factory=list)  # token index of each mention


class People:
    """The persons one article names, registered as they are met; attribution adds those it finds."""

    def __init__(self, parse: Parse):
        self.parse = parse
        self.by_name: dict[str, Person] = {}
        self.surnames: dict[str, list[str]] = {}  # surname -> the full names it ends, in order
        doc = parse.doc
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                self.person_named(ent)
        for tok in doc:  # names the NER missed, as the subjects they usually are: "Mayor Ana Ruiz did"
            if tok.dep_ in {"nsubj", "nsubjpass"} and tok.pos_ == "PROPN" and not tok.ent_type_:
                self.person_named(parse.name_at(tok))
        # speakers of speech verbs outside quotes, in order: the antecedents pronouns prefer
        self.speech_events: list[tuple[int, Person]] = []
        for tok in doc:
            if is_cue(tok) and not parse.in_quote[tok.i]:
                subj = subject_of(parse, tok)
                name = parse.name_at(subj) if subj is not None else None
                person = self.person_named(name) if name is not None else None
                if person is not None:
                    self.speech_events.append((tok.i, person))

    def person_named(self, name: Span) -> Person | None:
        """The article's person for a name ("Kirby" finds "John Kirby"), registered on first sight.

        A name is a person's when the NER says so, when it is a known surname, or when it is
        two or more capitalised words the NER left unlabelled.
        """
        prefix, toks = _split_name(name)
        if not toks or not all(t.text[:1].isupper() for t in toks):
            return None
        words = [t.text for t in toks]
        surname = words[-1]
        shouted = all(t.is_upper for t in toks)  # an all-caps cross-headline ("HUMAN RIGHTS GROUP SAYS")
        label = name.label_ if name.label_ else ("PERSON" if (len(words) >= 2 and not shouted) or prefix else "")
        if label != "PERSON" and surname not in self.surnames and role_of(name) is None:
            return None  # an organisation's name; a titled one ("X, the president") is a person
        if len(words) >= 2:
            full = " ".join(words)
        else:
            known = self.surnames.get(surname)
            full = known[-1] if known else surname
        person = self.by_name.get(full)
        if person is None:
            person = self.by_name[full] = Person(full)
            if len(words) >= 2:
                self.surnames.setdefault(surname, []).append(full)
        if name.start not in person.positions:
            person.positions.append(name.start)
        before = name.doc[name.start - 1] if name.start > 0 else None
        for tok in [*prefix, before]:
            if tok is not None and tok.lower_ in FEMALE_HONORIFICS:
                person.gender = "f"
            elif tok is not None and tok.lower_ in MALE_HONORIFICS:
                person.gender = "m"
        if person.gender is None and len(words) >= 2:  # "Laura Bush": no "he" stands for her
            person.gender = FIRST_NAME_GENDER.get(words[0].lower())
        if person.role is None:
            person.role = role_of(name) or _honorific_role(*prefix, before)
        return person

    def resolve_pronoun(self, tok: Token) -> Person | None:
        """The most recent named speaker (else person) before ``tok`` that fits its gender."""
        gender = PRONOUN_GENDER.get(tok.lower_)
        if tok.lower_ not in PRONOUN_GENDER:
            return None
        for pos, person in reversed(self.speech_events):
            if pos < tok.i and (person.gender in (None, gender)):
                return person
        best = None
        for person in self.by_name.values():
            earlier = [p for p in person.positions if p < tok.i]
            if earlier and person.gender in (None, gender) and (best is None or earlier[-1] > best[0]):
                best = (earlier[-1], person)
        return best[1] if best else None

    def holding_title(self, noun: str) -> Person | None:
        """The person met last whose title has the word ``noun`` ("the spokesman"), if any."""
        for person in reversed(list(self.by_name.values())):
            if person.role and person.role.title and noun in person.role.title.split():
                return person
        return None


def _split_name(name: Span) -> tuple[list[Token], list[Token]]:
    """Leading honorifics and titles ("Mayor", "Sen.") apart from the name's own words."""
    toks = [t for t in name if t.text not in {"'s", "’s", "'", "’"} and not t.is_space]
    i = 0
    while i < len(toks) and (toks[i].lower_ in HONORIFICS or toks[i].lower_ in TITLE_WORDS or toks[i].is_punct):
        i += 1
    return toks[:i], toks[i:]


def _honorific_role(*tokens: Token | None) -> Role | None:
    """The title an honorific or title word before a name gives ("Sen." -> senator)."""
    for tok in tokens:
        if tok is None:
            continue
        if HONORIFICS.get(tok.lower_):
            return Role(HONORIFICS[tok.lower_], None)
        if tok.lower_ in TITLE_WORDS:
            return Role(tok.lower_, None)
    return None
