"""Names, titles, organisations and acronyms as plain text: what extraction and the store agree on.

No model and no database: the store matches speakers across articles with these functions, and
extraction builds roles and expands acronyms with them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from quotes.lexicon import (
    ACRONYM_SMALL_WORDS,
    GENERIC_ROLE_WORDS,
    HONORIFICS,
    NAME_SUFFIXES,
    NOT_NAMES,
    NOT_PERSON_WORDS,
    ORGANIZATION_NOUNS,
    TITLE_FAMILIES,
    TITLE_WORDS,
)
from quotes.mention import role_text

#: A role as stored: (title family, normalised organisation), a part absent given as ''.
RoleKey = tuple[str, str]

#: Spelling variants: surnames at most one edit apart per this many letters of the shorter ...
LETTERS_PER_EDIT = 4
#: ... and never more than this many edits apart (Zelensky / Zelenskyy / Zelenskiy: 1).
MAX_SURNAME_EDITS = 2

_DETERMINERS = frozenset({"the", "a", "an"})
_SHORT = r"[A-Z][A-Z.&]{1,9}"
#: What an acronym articles define looks like ("NSC", "U.N.", "PACs").
ACRONYM_FORM = re.compile(_SHORT + "s?")
_ACRONYM = re.compile(r"\b([A-Z][A-Za-z.&'’\- ]{3,80}?)\s*\((" + ACRONYM_FORM.pattern + r")\)")
_ACRONYM_FIRST = re.compile(r"\b(" + _SHORT + r")\s*\(([A-Z][A-Za-z.&'’\- ]{3,80}?)\)")
_COUNTRY_QUALIFIER = re.compile(r"^(?:the\s+)?(?:U\.\s?S\.|US|United States|American)\s+", re.I)


@dataclass(frozen=True)
class Role:
    """A title held in an organisation, as one article states it."""

    title: str | None
    organization: str | None

    @property
    def text(self) -> str:
        """The role as a reader would say it: "National Security Council coordinator"."""
        return role_text(self.title, self.organization)


# --- people's names --------------------------------------------------------------------------

def name_key(name: str) -> str:
    """A name as looked up: spaces collapsed and case folded ("JOHN  Kirby" -> "john kirby")."""
    return " ".join(name.split()).casefold()


def is_name_form(text: str) -> bool:
    """True for words that name a speaker ("Kirby", "Mr. Kirby", "the Pentagon"), not "he" or "the spokesman"."""
    words = text.split()
    return text.casefold() not in NOT_NAMES and any(
        w[0].isupper() for w in words if w.casefold() not in _DETERMINERS
    )


#: Words a person's name never starts with: common words, titles, honorifics (stripped by person_name).
_NOT_GIVEN_NAMES = NOT_PERSON_WORDS | TITLE_WORDS | frozenset(HONORIFICS)  # "Mr." is looked up as "mr"


def person_name(name: str) -> str:
    """A person's name without leading words no name starts with: "March Rubio" (from "In March Rubio
    said") is "Rubio", "Spokeswoman Haley Morris" is "Haley Morris"; a name of such words alone stays."""
    words = name.split()
    while len(words) > 1 and words[0].casefold().strip(".,") in _NOT_GIVEN_NAMES:
        words = words[1:]
    return " ".join(words)


def speaker_key(name: str, kind: str | None) -> tuple[str, str]:
    """Who a mention's speaker is within its article: the name key (a person's name cleaned by
    :func:`person_name` first) and the kind, "person" when none is given; the store's and the rows' key."""
    return name_key(person_name(name) if kind == "person" else name), kind or "person"


def _fold(text: str) -> str:
    """Accents stripped, case folded and edge punctuation dropped: "Zelenskyj," -> "zelenskyj"."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.casefold().strip(".,")


def split_name(name: str) -> tuple[str | None, str | None]:
    """A person's folded (given name, surname): honorifics and suffixes dropped, particles kept in the surname.

    "Gov. Laura Kelly" -> ("laura", "kelly"); "Kelly" -> (None, "kelly");
    "Ursula von der Leyen" -> ("ursula", "von der leyen").
    """
    words = name.replace(",", " ").split()
    while words and words[0].casefold() in HONORIFICS:
        words = words[1:]
    while len(words) > 1 and words[-1].casefold() in NAME_SUFFIXES:
        words = words[:-1]
    if not words:
        return None, None
    surname_from = next((i for i, word in enumerate(words) if word[0].islower()), len(words) - 1)
    given = _fold(words[0]) if surname_from > 0 else None
    return given, _fold(" ".join(words[surname_from:]))


def near_surnames(a: str, b: str) -> bool:
    """Whether two folded surnames can be spellings of one name (see LETTERS_PER_EDIT, MAX_SURNAME_EDITS)."""
    allowed = min(MAX_SURNAME_EDITS, min(len(a), len(b)) // LETTERS_PER_EDIT)
    return Levenshtein.distance(a, b, score_cutoff=allowed) <= allowed


# --- titles and roles ------------------------------------------------------------------------

def title_family(title: str | None) -> str:
    """A title as roles store it: lower case, each word named by its family ("Spokeswoman" -> "spokesperson")."""
    return " ".join(TITLE_FAMILIES.get(word, word) for word in (title or "").casefold().split())


def _head(family: str) -> str:
    """The word a title family is about: "national security spokesperson" -> "spokesperson"."""
    return family.rsplit(" ", 1)[-1]


def _field_words(role: RoleKey) -> set[str]:
    """The words of a role that say what field it is in: "national security spokesperson" -> national, security."""
    words = set(re.findall(r"[a-z]+", " ".join(role).casefold()))
    return words - GENERIC_ROLE_WORDS - TITLE_WORDS - ORGANIZATION_NOUNS - ACRONYM_SMALL_WORDS


def roles_fit(ours: Iterable[RoleKey], theirs: Iterable[RoleKey]) -> bool:
    """Whether two sets of roles can be one person's: a shared organisation, a shared title head word,
    or a shared field ("White House national security spokesman" and "National Security Council")."""
    theirs = list(theirs)
    return any(
        (org and org.casefold() == other_org.casefold()) or (title and _head(title) == _head(other_title))
        or _field_words((title, org)) & _field_words((other_title, other_org))
        for title, org in ours
        for other_title, other_org in theirs
    )


# --- organisations and acronyms --------------------------------------------------------------

def _initials(words: list[str]) -> str:
    return "".join(w[0].upper() for w in words if w and w.lower() not in ACRONYM_SMALL_WORDS)


def _definition_matches(definition: str, acronym: str) -> str | None:
    """The tail of ``definition`` whose initials spell ``acronym`` ("the National Security Council")."""
    letters = acronym.replace(".", "").rstrip("s").upper()
    words = definition.split()
    for start in range(len(words)):
        tail = words[start:]
        if (tail[0][0].isupper() and tail[0].lower() not in ACRONYM_SMALL_WORDS
                and _initials(" ".join(tail).replace("-", " ").split()) == letters):
            return " ".join(tail)
    return None


def acronyms(text: str) -> dict[str, str]:
    """Acronyms an article defines, mapped to their long form: {"NSC": "National Security Council"}.

    Our own small matcher (``Long Name (ACR)`` and ``ACR (Long Name)``, the only patterns news
    copy uses) rather than textacy's ``acronyms_and_definitions``, which calls ``np.NaN``, gone
    from the NumPy 2 that spaCy 3.8 needs.
    """
    found: dict[str, str] = {}
    for pattern, definition, acronym in ((_ACRONYM, 1, 2), (_ACRONYM_FIRST, 2, 1)):
        for m in pattern.finditer(text):
            long = _definition_matches(m.group(definition).strip(), m.group(acronym))
            if long:
                found.setdefault(m.group(acronym).replace(".", ""), long)
    return found


def normalize_organization(name: str | None, acronym_map: dict[str, str] | None = None) -> str | None:
    """An organisation's name for matching: acronyms expanded, leading "U.S." and "the" dropped."""
    if not name:
        return None
    name = re.sub(r"\s*\([^)]*\)", "", name).strip(" ,;")
    name = _COUNTRY_QUALIFIER.sub("", name)
    name = re.sub(r"^the\s+", "", name, flags=re.I).strip()
    return (acronym_map or {}).get(name, name) or None
