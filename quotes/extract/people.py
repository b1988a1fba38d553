"""The people one article names: full names, the surnames that stand for them, gender, and roles.

A surname or an honorific alone ("Kirby", "Ms. Kelly") resolves to the full name the article
gave earlier; a pronoun resolves to the most recent named speaker (else person) it fits.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from quotes.extract.parse import Parse
from quotes.extract.roles import role_noun, role_of
from quotes.lexicon import (
    FEMALE_HONORIFICS,
    FIRST_NAME_GENDER,
    HONORIFICS,
    MALE_HONORIFICS,
    ORGANIZATION_ENDINGS,
    ORGANIZATION_NOUNS,
    PRONOUN_GENDER,
    TITLE_WORDS,
)
from quotes.names import Role

#: Speech events a pronoun looks back through for its speaker before it takes the person named
#: last: far more than a news article has, a bound for a pathological one.
MAX_PRONOUN_LOOKBACK = 1000


@dataclass
class Person:
    """One person of the article, under the fullest name it gives them."""

    name: str
    gender: str | None = None  # "f" / "m", from honorifics and the pronouns that resolve to them
    role: Role | None = None
    positions: list[int] = field(default_factory=list)  # token index of each mention, in the order met
    _seen: set[int] = field(default_factory=set, repr=False)
    _ascending: bool = field(default=True, repr=False)  # met in text order: positions can be bisected

    def mentioned_at(self, i: int) -> None:
        """Record a mention starting at token ``i``, once."""
        if i not in self._seen:
            self._ascending = self._ascending and (not self.positions or i > self.positions[-1])
            self.positions.append(i)
            self._seen.add(i)

    def last_met_before(self, i: int) -> int | None:
        """Of the mentions before token ``i``, the one met last (the latest in the text when met in order)."""
        if self._ascending:
            k = bisect.bisect_left(self.positions, i)
            return self.positions[k - 1] if k else None
        return next((p for p in reversed(self.positions) if p < i), None)


class People:
    """The persons one article names, registered as they are met; attribution adds those it finds."""

    def __init__(self, parse: Parse, cues: list[tuple[Token, Token]]):
        """The persons ``parse`` names; ``cues`` are its speech verbs with their speakers (cues.speech_cues)."""
        self.parse = parse
        self.by_name: dict[str, Person] = {}
        self.surnames: dict[str, list[str]] = {}  # surname -> the full names it ends, in order
        #: names the article gives as an organisation's ("the watchdog site PolitiFact"), never a person's
        self.organizations: set[str] = set()
        doc = parse.doc
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                self.person_named(ent)
        for tok in doc:  # names the NER missed, as the subjects they usually are: "Mayor Ana Ruiz did"
            if tok.dep_ in {"nsubj", "nsubjpass"} and tok.pos_ == "PROPN" and not tok.ent_type_:
                self.person_named(parse.name_at(tok))
        # speakers of speech verbs outside quotes, in order: the antecedents pronouns prefer
        self.speech_events: list[tuple[int, Person]] = []
        for cue, subj in cues:
            name = parse.name_at(subj)
            person = self.person_named(name) if name is not None else None
            if person is not None:
                self.speech_events.append((cue.i, person))

    def person_named(self, name: Span) -> Person | None:
        """The article's person for a name ("Kirby" finds "John Kirby"), registered on first sight.

        A name is a person's when the NER says so, when it is a known surname, when it is two
        or more capitalised words the NER left unlabelled, or when a title or honorific comes
        before them ("Mayor Ana Ruiz", whatever the NER says). A name the sentence calls by an
        organisation's noun ("the watchdog site PolitiFact") is no person's, here or later.
        """
        prefix, toks = _split_name(name)
        if not toks or not all(t.text[:1].isupper() for t in toks):
            return None
        words = [t.text for t in toks]
        surname = words[-1]
        if self.organization_named(name):
            return None
        shouted = all(t.is_upper for t in toks)  # an all-caps cross-headline ("HUMAN RIGHTS GROUP SAYS")
        label = name.label_ if name.label_ else ("PERSON" if (len(words) >= 2 and not shouted) or prefix else "")
        if prefix and len(words) >= 2 and surname.lower() not in ORGANIZATION_ENDINGS:
            label = "PERSON"  # "Mayor Ana Ruiz"; not "General Motors" nor the "President Obama Foundation"
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
        person.mentioned_at(name.start)
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

    def organization_named(self, name: Span) -> bool:
        """Whether ``name`` is an organisation's by the noun its sentence (or an earlier one) calls it."""
        prefix, toks = _split_name(name)
        words = " ".join(t.text for t in toks)
        if words in self.organizations:
            return True
        noun = role_noun(name) if not prefix else None  # "party Chairman Reince Priebus" is someone
        if noun is None or noun.lower_ not in ORGANIZATION_NOUNS or noun.lower_ in TITLE_WORDS:
            return False
        self.organizations.add(words)
        return True

    def resolve_pronoun(self, tok: Token) -> Person | None:
        """The most recent named speaker (else person) before ``tok`` that fits its gender."""
        gender = PRONOUN_GENDER.get(tok.lower_)
        if tok.lower_ not in PRONOUN_GENDER:
            return None
        before = bisect.bisect_left(self.speech_events, tok.i, key=lambda event: event[0])
        for _, person in reversed(self.speech_events[max(0, before - MAX_PRONOUN_LOOKBACK) : before]):
            if person.gender in (None, gender):
                return person
        best = None
        for person in self.by_name.values():
            last = person.last_met_before(tok.i)
            if last is not None and person.gender in (None, gender) and (best is None or last > best[0]):
                best = (last, person)
        return best[1] if best else None

    def holding_title(self, noun: str, organization: str | None = None) -> Person | None:
        """The person met last whose title has the word ``noun`` ("the spokesman"), if any;
        with ``organization``, only one whose role's organisation shares a word with it."""
        owner = set(organization.split()) if organization else None
        for person in reversed(list(self.by_name.values())):
            role = person.role
            if role and role.title and noun in role.title.split():
                if owner is None or role.organization and owner & set(role.organization.split()):
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
