"""Roles (title + organisation) of the people an article names, and the acronyms it defines.

A role comes from the words around a person's name in the parse: pre-modifying titles
("NSC coordinator John Kirby"), appositions ("Maria Alvarez, the port authority's director"),
"X, chief economist at Y" and "X, commander of the Pacific Fleet".

Acronyms are found with our own small matcher (``Long Name (ACR)`` and ``ACR (Long Name)``)
rather than textacy's ``extract.acronyms_and_definitions``: textacy 0.13 calls ``np.NaN`` there,
which NumPy 2 removed, and spaCy 3.8 / thinc 8.3 are built for NumPy 2, so pinning NumPy 1 is
not an option; the parenthesised pattern is also the only one news copy uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # roles are read without loading spaCy (quotes search, speakers)
    from spacy.tokens import Span, Token

#: Head words of job titles; the last of them in a modifier run is the title.
TITLE_WORDS = frozenset(
    """
    spokesman spokeswoman spokesperson spokespeople coordinator director secretary president
    minister senator governor mayor chairman chairwoman chair ceo cfo coo cto executive
    economist commander ambassador adviser advisor official analyst professor leader
    representative congressman congresswoman lawmaker manager chief head founder
    strategist pollster consultant attorney lawyer general admiral colonel captain
    lieutenant sergeant officer judge justice prosecutor counsel aide deputy
    candidate nominee chancellor premier king queen prince speaker whip
    councilman councilwoman councillor councilor alderman commissioner superintendent administrator inspector envoy diplomat negotiator
    researcher scientist expert fellow partner editor correspondent columnist
    reporter author historian sheriff chief-of-staff owner operator vice-president
    treasurer auditor comptroller regulator member organizer activist campaigner
    """.split()
)

#: Words that make a title of the title after them: "Deputy Mayor", "acting mayor".
TITLE_MODIFIERS = frozenset("deputy acting interim vice assistant associate senior chief executive former managing".split())

#: Honorifics that may stand before a name, and the title some of them imply.
HONORIFICS = {
    "mr": None, "mr.": None, "mrs": None, "mrs.": None, "ms": None, "ms.": None,
    "miss": None, "dr": None, "dr.": None, "prof": "professor", "prof.": "professor",
    "sen": "senator", "sen.": "senator", "senator": "senator",
    "gov": "governor", "gov.": "governor", "governor": "governor",
    "rep": "representative", "rep.": "representative",
    "gen": "general", "gen.": "general", "adm": "admiral", "adm.": "admiral",
    "col": "colonel", "col.": "colonel", "lt": "lieutenant", "lt.": "lieutenant",
    "capt": "captain", "capt.": "captain", "sgt": "sergeant", "sgt.": "sergeant",
    "president": "president", "pres": "president", "pres.": "president",
    "mayor": "mayor", "judge": "judge", "justice": "justice", "sir": None, "dame": None,
    "lord": None, "lady": None, "rev": None, "rev.": None, "fr": None, "fr.": None,
}
FEMALE_HONORIFICS = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady"})
MALE_HONORIFICS = frozenset({"mr", "mr.", "sir", "lord"})

_ACRONYM = re.compile(r"\b([A-Z][A-Za-z.&'’\- ]{3,80}?)\s*\(([A-Z][A-Z.&]{1,9}s?)\)")
_ACRONYM_FIRST = re.compile(r"\b([A-Z][A-Z.&]{1,9})\s*\(([A-Z][A-Za-z.&'’\- ]{3,80}?)\)")
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "to", "at", "&", "a", "de"})
_COUNTRY_QUALIFIER = re.compile(r"^(?:the\s+)?(?:U\.\s?S\.|US|United States|American)\s+", re.I)


@dataclass(frozen=True)
class Role:
    """A title held in an organisation, as one article states it."""

    title: str | None
    organization: str | None

    @property
    def text(self) -> str:
        """The role as a reader would say it: "National Security Council coordinator"."""
        return " ".join(part for part in (self.organization, self.title) if part)


def _initials(words: list[str]) -> str:
    return "".join(w[0].upper() for w in words if w and w.lower() not in _SMALL_WORDS)


def _definition_matches(definition: str, acronym: str) -> str | None:
    """The tail of ``definition`` whose initials spell ``acronym`` ("the National Security Council")."""
    letters = acronym.replace(".", "").rstrip("s").upper()
    words = definition.split()
    for start in range(len(words)):
        tail = words[start:]
        if tail[0][0].isupper() and tail[0].lower() not in _SMALL_WORDS and _initials(" ".join(tail).replace("-", " ").split()) == letters:
            return " ".join(tail)
    return None


def acronyms(text: str) -> dict[str, str]:
    """Acronyms an article defines, mapped to their long form: {"NSC": "National Security Council"}."""
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


def _clean(tokens: list[Token]) -> str:
    """Tokens as printed, with parenthesised acronyms and possessive endings dropped."""
    words, depth = [], 0
    for tok in tokens:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and tok.text not in {"'s", "’s"} and tok.pos_ != "DET":
            words.append(tok.text_with_ws)
    return "".join(words).strip(" ,")


def role_from_tokens(tokens: list[Token]) -> Role | None:
    """Split a run of role words into title and organisation around the last title word."""
    tokens = [t for t in tokens if not t.is_space]
    while tokens and (tokens[-1].is_punct or tokens[-1].pos_ in {"DET", "ADP", "CCONJ"}):
        tokens = tokens[:-1]
    if not tokens:
        return None
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i].lower_ in TITLE_WORDS or tokens[i].lower_.rstrip("s") in TITLE_WORDS:
            # the title is the title word with the lower-case words just before it ("chief economist")
            j = i
            while j > 0 and (tokens[j - 1].lower_ in TITLE_MODIFIERS or (tokens[j - 1].is_lower and tokens[j - 1].pos_ in {"ADJ", "NOUN"})):
                j -= 1
            title_tokens = tokens[j : i + 1]
            after = tokens[i + 1 :]
            if after and after[0].lower_ in {"of", "at", "for", "with", "in", "on"}:
                org_tokens = after[1:]  # "commander of the Pacific Fleet", "economist at Y"
            else:
                org_tokens = tokens[:j]  # "National Security Council coordinator"
            title = _clean(title_tokens).lower() or None
            organization = _clean(org_tokens) or None
            return Role(title, organization) if title else None
    return None


def _hangs_from(tok: Token, head: Token, lo: int, hi: int) -> bool:
    """Whether ``tok`` depends (transitively) on ``head`` through tokens within [lo, hi)."""
    while tok.i != head.i:
        if tok.head.i == tok.i or not lo <= tok.head.i < hi:
            return False
        tok = tok.head
    return True


def role_of(name: Span) -> Role | None:
    """The role given to the person named by ``name`` in its own sentence, if any."""
    # the name's last word heads it, even where the parser hung a first name elsewhere
    head = next((t for t in reversed(name) if t.text not in {"'s", "’s"} and not t.is_punct), name.root)
    # pre-modifiers: "National Security Council (NSC) coordinator John Kirby"
    pre: list[Token] = []
    for i in range(name.start - 1, name.sent.start - 1, -1):
        tok = head.doc[i]
        if tok.is_space and "\n" not in tok.text:
            continue  # a non-breaking space between title and name
        if tok.is_space or (tok.pos_ in {"VERB", "AUX", "PRON", "SCONJ"} and tok.lower_ not in TITLE_MODIFIERS):
            break
        if not _hangs_from(tok, head, name.sent.start, name.end):
            break
        pre.insert(0, tok)
    if pre:
        role = role_from_tokens(pre)
        if role:
            return role
    # apposition: "Maria Alvarez, the port authority's director, said"
    for child in head.children:
        if child.dep_ == "appos" and child.i >= name.end:
            tokens = list(child.subtree)
            end = next((k for k, t in enumerate(tokens) if t.text in {",", ";", "—", "–"} and k > 0), len(tokens))
            role = role_from_tokens(tokens[:end])
            if role:
                return role
    return None
