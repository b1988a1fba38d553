"""The people one article names: full names, the surnames that stand for them, gender, and roles.

A surname or an honorific alone ("Kirby", "Ms. Kelly") resolves to the nearest full name the
article gives it; a pronoun resolves to the most salient person it fits: the subject of the
sentence before it, else the last named speaker, else the person named last, never a name
quoted inside a quote.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy
from spacy.attrs import DEP, ENT_TYPE, POS
from spacy.symbols import PROPN
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
from quotes.names import Role, name_key

#: Speech events a pronoun looks back through for its speaker before it takes the person named
#: last: far more than a news article has, a bound for a pathological one.
MAX_PRONOUN_LOOKBACK = 1000


@dataclass
class Person:
    """One person of the article, under the fullest name it gives them."""

    name: str
    gender: str | None = None  # "f" / "m", from honorifics and the pronouns that resolve to them
    gender_guessed: bool = False  # the gender comes from the first name alone: a pronoun may overrule it
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

    def last_met_before(self, i: int, skip: list[bool] | None = None) -> int | None:
        """Of the mentions before token ``i`` (not at tokens ``skip`` marks), the one met last (the latest in the text when met in order)."""
        k = bisect.bisect_left(self.positions, i) if self._ascending else len(self.positions)
        for j in range(k - 1, -1, -1):  # by index: no copy of the positions per look-up
            p = self.positions[j]
            if p < i and not (skip and skip[p]):
                return p
        return None

    def learn_gender(self, gender: str) -> None:
        """Record a gender the text states (an honorific, a pronoun standing for the person)."""
        if self.gender is None or self.gender_guessed:
            self.gender, self.gender_guessed = gender, False

    def fits(self, gender: str | None, strict: bool = True) -> bool:
        """Whether a pronoun of ``gender`` can stand for this person (a guessed gender yields unless ``strict``)."""
        return gender is None or self.gender in (None, gender) or (not strict and self.gender_guessed)


class People:
    """The persons one article names, registered as they are met; attribution adds those it finds."""

    def __init__(self, parse: Parse, cues: list[tuple[Token, Token]]):
        """The persons ``parse`` names; ``cues`` are its speech verbs with their speakers (cues.speech_cues)."""
        self.parse = parse
        self.by_name: dict[str, Person] = {}
        self.surnames: dict[str, list[str]] = {}  # surname -> the full names it ends, in order
        #: names as looked up whatever their case (names.name_key), shouted ones left out: for transcript labels
        self.folded_names: dict[str, str] = {}  # "ann smith" -> "Ann Smith"
        self.folded_surnames: dict[str, str] = {}  # "smith" -> the last full name it ends
        self.at: dict[int, Person] = {}  # first token of each mention -> its person
        #: names the article gives as an organisation's ("the watchdog site PolitiFact"), never a person's
        self.organizations: set[str] = set()
        doc = parse.doc
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                self.person_named(ent)
        # names the NER missed, as the subjects they usually are: "Mayor Ana Ruiz did" (read from the doc's arrays)
        dep, pos, entity = doc.to_array([DEP, POS, ENT_TYPE]).T
        subjects = numpy.isin(dep, [doc.vocab.strings["nsubj"], doc.vocab.strings["nsubjpass"]])
        for i in numpy.flatnonzero(subjects & (pos == PROPN) & (entity == 0)).tolist():
            self.person_named(parse.name_at(doc[i]))
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
        # unlabelled capitalised words are a person's unless they end as an organisation's ("Right Wing Watch")
        unlabelled_person = len(words) >= 2 and not shouted and surname.lower() not in ORGANIZATION_ENDINGS
        label = name.label_ if name.label_ else ("PERSON" if unlabelled_person or prefix else "")
        if prefix and len(words) >= 2 and surname.lower() not in ORGANIZATION_ENDINGS:
            label = "PERSON"  # "Mayor Ana Ruiz"; not "General Motors" nor the "President Obama Foundation"
        if label != "PERSON" and surname not in self.surnames and role_of(name) is None:
            return None  # an organisation's name; a titled one ("X, the president") is a person
        before = name.doc[name.start - 1] if name.start > 0 else None
        if len(words) >= 2:
            full = " ".join(words)
        else:  # "Mr. Lopez" is the Lopez of the article that is a man
            full = self.full_name_for(surname, name.start, _honorific_gender([*prefix, before]))
        person = self._register(full)
        self._learn(person, name, words, [*prefix, before])
        return person

    def person_labelled(self, label: Span) -> Person:
        """The person a transcript label names, matched whatever the case: "SMITH" is the article's "Ann Smith".

        A label matching no one is registered under its words in title case ("JAKE TAPPER" is
        "Jake Tapper"), and so is found by a later "TAPPER".
        """
        prefix, toks = _split_name(label)
        toks = toks or prefix[-1:]
        words = label.doc.text[toks[0].idx : toks[-1].idx + len(toks[-1])].split()
        key = name_key(" ".join(words))
        full = self.folded_surnames.get(key) if len(words) == 1 else None
        person = self.by_name.get(full or self.folded_names.get(key, ""))
        if person is None:
            person = self._register(" ".join(word.title() if word.isupper() else word for word in words))
        self._learn(person, label, person.name.split(), prefix)
        return person

    def _register(self, full: str) -> Person:
        """The person of this full name, made on first sight (a name of two words or more is its surname's)."""
        person = self.by_name.get(full)
        if person is None:
            person = self.by_name[full] = Person(full)
            words = full.split()
            if len(words) >= 2:
                self.surnames.setdefault(words[-1], []).append(full)
            if not full.isupper():
                self.folded_names.setdefault(name_key(full), full)
                if len(words) >= 2:
                    self.folded_surnames[name_key(words[-1])] = full
        return person

    def _learn(self, person: Person, name: Span, words: list[str], before: list[Token | None]) -> None:
        """Record a mention of ``person`` as ``name``, with the gender and role its honorific, title or first name tells."""
        person.mentioned_at(name.start)
        self.at.setdefault(name.start, person)
        gender = _honorific_gender(before)
        if gender is not None:
            person.learn_gender(gender)
        if person.gender is None and len(words) >= 2:  # "Laura Bush": no "he" stands for her
            person.gender = FIRST_NAME_GENDER.get(words[0].lower())
            person.gender_guessed = person.gender is not None
        if person.role is None:
            person.role = role_of(name) or _honorific_role(*before)

    def full_name_for(self, surname: str, i: int, gender: str | None = None) -> str:
        """The full name a bare surname at token ``i`` stands for: of those ending in it (and fitting the
        ``gender`` an honorific gives, when any does), the one met last before ``i`` ("Maria Lopez ... Lopez
        said ... Carlos Lopez ... Lopez said"), else the first."""
        known = self.surnames.get(surname)
        if not known:
            return surname
        known = [full for full in known if self.by_name[full].fits(gender)] or known
        met = [(last, full) for full in known if (last := self.by_name[full].last_met_before(i)) is not None]
        return max(met)[1] if met else known[0]

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
        """The person a pronoun stands for: the subject of the sentence before it, else the last
        named speaker, else the person named last, of those its gender fits (a gender guessed from a
        first name yields when nobody else fits)."""
        if tok.lower_ not in PRONOUN_GENDER:
            return None
        gender = PRONOUN_GENDER[tok.lower_]
        for strict in (True, False):
            person = self._subject_before(tok, gender, strict) or self._last_speaker(tok, gender, strict) or self._named_last(tok, gender, strict)
            if person is not None:
                return person
        return None

    def _subject_before(self, tok: Token, gender: str | None, strict: bool) -> Person | None:
        """The person named as the subject of the sentence before ``tok`` (or of its own, before it), outside quotes."""
        parse = self.parse
        sent = tok.sent
        earlier = [s for s in parse.sentences(max(0, sent.start_char - 400), sent.start_char) if s.end <= sent.start]
        earlier = [s for s in earlier if not all(parse.in_quote[t.i] for t in s)][-1:]
        for span in [sent[: tok.i - sent.start], *earlier]:
            subjects = [t for t in span if t.dep_ in {"nsubj", "nsubjpass"} and not parse.in_quote[t.i] and t.i < tok.i]
            for subj in reversed(subjects):
                name = parse.name_at(subj)
                person = self.at.get(name.start) if name is not None else None
                if person is not None and person.fits(gender, strict):
                    return person
        return None

    def _last_speaker(self, tok: Token, gender: str | None, strict: bool) -> Person | None:
        """The most recent named speaker before ``tok`` that the pronoun fits."""
        before = bisect.bisect_left(self.speech_events, tok.i, key=lambda event: event[0])
        for _, person in reversed(self.speech_events[max(0, before - MAX_PRONOUN_LOOKBACK) : before]):
            if person.fits(gender, strict):
                return person
        return None

    def _named_last(self, tok: Token, gender: str | None, strict: bool) -> Person | None:
        """The person named last before ``tok`` outside quotes that the pronoun fits."""
        best = None
        for person in self.by_name.values():
            if not person.fits(gender, strict):
                continue
            last = person.last_met_before(tok.i, skip=self.parse.in_quote)
            if last is not None and (best is None or last > best[0]):
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


def _honorific_gender(tokens: list[Token | None]) -> str | None:
    """The gender an honorific among ``tokens`` gives ("Mrs." -> "f", "Mr." -> "m"), or None."""
    for tok in tokens:
        if tok is not None and tok.lower_ in FEMALE_HONORIFICS:
            return "f"
        if tok is not None and tok.lower_ in MALE_HONORIFICS:
            return "m"
    return None
