"""Roles (title + organisation) of the people an article names, read from the parse.

A role comes from the words around a person's name: pre-modifying titles ("NSC coordinator
John Kirby"), appositions ("Maria Alvarez, the port authority's director"), "X, chief
economist at Y" and "X, commander of the Pacific Fleet".
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from quotes.lexicon import TITLE_MODIFIERS, TITLE_WORDS
from quotes.names import Role


def _clean(tokens: list[Token]) -> str:
    """Tokens as printed, with parenthesised acronyms, possessive endings and determiners dropped; a dropped
    token's space stays ("New Jersey's sitting governor" gives "New Jersey sitting governor")."""
    words, depth = [], 0
    for tok in tokens:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and tok.text not in {"'s", "’s"} and tok.pos_ != "DET":
            words.append(tok.text_with_ws)
            continue
        if words and tok.whitespace_ and not words[-1][-1:].isspace():
            words[-1] += tok.whitespace_
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


def _head(name: Span) -> Token:
    """The name's last word, which heads it even where the parser hung a first name elsewhere."""
    return next((t for t in reversed(name) if t.text not in {"'s", "’s"} and not t.is_punct), name.root)


def role_noun(name: Span) -> Token | None:
    """The common noun the sentence names ``name`` by, if any, which tells what it is.

    "the watchdog site PolitiFact", "the news site Axios" and "PolitiFact, the watchdog site,"
    give "site"; "the economist Jared Bernstein" gives "economist". A noun before the name
    stands right before it.
    """
    head = _head(name)
    if head.dep_ == "appos" and head.head.pos_ == "NOUN" and head.head.i < name.start:
        return head.head
    for child in head.children:
        if child.pos_ == "NOUN" and child.dep_ == "compound" and child.i == name.start - 1:
            return child
    return next((c for c in head.children if c.pos_ == "NOUN" and c.dep_ == "appos" and c.i >= name.end), None)


def role_of(name: Span) -> Role | None:
    """The role given to the person named by ``name`` in its own sentence, if any."""
    head = _head(name)
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
