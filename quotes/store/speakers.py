"""Speaker identity across articles, roles by title family, and fixing identities by hand.

The full name is the key: a mention of "John Kirby" joins the stored speaker "John Kirby"
(case ignored). :func:`resolve` then tries, in this order:

1. **Aliases that identify**: names given by hand (``quotes speakers alias``, the alias file,
   the name of a merged speaker) and spelling variants merged before.
2. **The same full name** with middle names and initials aside ("Donald J. Trump" is "Donald
   Trump"): the one stored person with that given name and surname, unless both give roles
   and none fit.
3. **Surname only** ("Kirby", "Gov. Kelly" -> "Kelly"): the one stored person with a full name
   and that surname whose roles fit a role the article gives that name (:func:`roles_fit`:
   the same organisation, title head word or field); failing that, the only stored person of
   that surname, unless both give roles and none fit (a senator Kelly is no governor Kelly).
   Of several candidates no role tells apart, the only one the same outlet has quoted (a weak
   link); failing that (Senator Mark Kelly and Senator Megan Kelly, both or neither quoted by
   the outlet), the name stays as given.
4. **Spelling variants** ("Volodymyr Zelenskiy" for "Volodymyr Zelenskyy"): the one stored
   person with the same given name, a surname :func:`near_surnames` and a fitting role.
5. Otherwise a new speaker under the name as given; a new full name then takes in the bare
   surname stored before it by the rule of step 3 (:func:`adopt_surname`). Anonymous sources
   ("a senior official") skip every step: they are a new speaker in every article.

Each link is recorded in ``speaker_links`` with its evidence (LINK_SCORES); one that no role
confirmed is weak (below WEAK_LINK) and ``quotes speakers review`` lists it.

:func:`resolve` and :func:`adopt_surname` read the stored speakers through a
:class:`quotes.store.directory.Directory`, which reads what a batch of articles can meet once.
Everything taking a ``Session`` (or a Directory) works inside the caller's transaction;
:func:`merge`, :func:`alias` and :func:`apply_alias_file` open their own, for the CLI and ingest.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, delete, exists, select, update
from sqlalchemy.orm import Session

from quotes.names import RoleKey, name_key, near_surnames, roles_fit
from quotes.store.clustering import merge_speaker_quotes
from quotes.store.db import data_dir, writer
from quotes.store.directory import ORIGIN_STRENGTH, SEEN, USER, Directory, Known, keys_of, set_name
from quotes.store.schema import (
    Article,
    Mention,
    Quote,
    QuoteWording,
    Role,
    Speaker,
    SpeakerAlias,
    SpeakerLink,
)

T = TypeVar("T")


#: The header of the alias file: one row per alias, the speaker's canonical name first.
ALIAS_FILE_COLUMNS = ("name", "alias")


class SpeakerNotFound(LookupError):
    """No stored speaker has the name, alias or id asked for."""


class AmbiguousSpeaker(LookupError):
    """A name or alias shared by several speakers; the message lists them with their ids."""


class AliasFileError(ValueError):
    """An alias file that cannot be read as ``name,alias`` CSV."""


def default_alias_file() -> Path:
    """The alias file ingest applies unless told otherwise: ``db/aliases.csv`` in a source checkout."""
    return data_dir() / "aliases.csv"


def read_alias_file(path: Path) -> list[tuple[str, str]]:
    """The (canonical name, alias) rows of a ``name,alias`` CSV file; none when the file does not exist.

    Blank lines are skipped; a missing header or a row without exactly a name and an alias is an
    AliasFileError naming the line, so a typo never silently drops an alias.
    """
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8-sig") as file:
        rows = [(number, [cell.strip() for cell in row]) for number, row in enumerate(csv.reader(file), 1)
                if any(cell.strip() for cell in row)]
    if not rows:
        return []
    if rows[0][1] != list(ALIAS_FILE_COLUMNS):
        raise AliasFileError(f"{path}:{rows[0][0]}: the first line must be {','.join(ALIAS_FILE_COLUMNS)}")
    for number, row in rows[1:]:
        if len(row) != len(ALIAS_FILE_COLUMNS) or not all(row):
            raise AliasFileError(f"{path}:{number}: expected a canonical name and an alias")
    return [(name, alias) for _, (name, alias) in rows[1:]]


# --- finding and creating speakers ----------------------------------------------------------------

def new_speaker(db: Session, name: str, kind: str) -> Speaker:
    speaker = Speaker(kind=kind)
    set_name(speaker, name)
    db.add(speaker)
    db.flush()
    return speaker


def _only(candidates: Iterable[T]) -> T | None:
    """The candidate when there is exactly one, else None: between two, nothing is guessed."""
    found = list(candidates)
    return found[0] if len(found) == 1 else None


def _fitting(known: Directory, candidates: Iterable[Known], roles: Collection[RoleKey]) -> Known | None:
    """The one candidate with a role that fits one of ``roles``, else None."""
    candidates = list(candidates)
    if not roles or not candidates:
        return None
    return _only(c for c in candidates if roles_fit(roles, known.roles_of(c)))


#: Evidence scores of the ways a name is linked to a stored speaker (see resolve).
LINK_SCORES = {"user": 1.0, "name": 1.0, "alias": 1.0, "new": 1.0, "full name": 0.9, "surname": 0.8, "variant": 0.8,
               "full name, no role": 0.7, "surname, same outlet": 0.55, "surname, no role": 0.5}
#: Links scoring below this are weak: kept, and listed by ``quotes speakers review``.
WEAK_LINK = 0.6


def _unless_conflicting(known: Directory, candidates: list[Known], roles: Collection[RoleKey],
                        how: str) -> tuple[Known, str] | None:
    """The only candidate, unless both sides give roles and none of them fit: ``how``, or ``how`` without a role."""
    if len(candidates) != 1:
        return None
    held = known.roles_of(candidates[0])
    if roles and held:
        return (candidates[0], how) if roles_fit(roles, held) else None
    return candidates[0], f"{how}, no role"


def _quoted_by_outlet(known: Directory, candidates: list[Known], roles: Collection[RoleKey],
                      outlet_id: int | None, quoted_too: Collection[int]) -> tuple[Known, str] | None:
    """Of namesakes no role tells apart, the only one the same outlet has quoted (and whose roles do not conflict);
    ``quoted_too`` are speakers it quoted in articles whose mentions are not written yet."""
    if outlet_id is None or len(candidates) < 2:
        return None
    quoted = set(quoted_too) | set(known.db.scalars(
        select(Mention.speaker_id).join(Article, Article.id == Mention.article_id)
        .where(Article.outlet_id == outlet_id, Mention.speaker_id.in_([c.id for c in candidates])).distinct()))
    found = _only(c for c in candidates if c.id in quoted)
    if found is None or (roles and (held := known.roles_of(found)) and not roles_fit(roles, held)):
        return None
    return found, "surname, same outlet"


def resolve(known: Directory, name: str, kind: str, roles: Collection[RoleKey],
            outlet_id: int | None = None, quoted_too: Collection[int] = ()) -> tuple[Known, str]:
    """The speaker an article's name stands for (see the module docstring), and how it was found.

    ``roles`` are every role the article gives that name, ``outlet_id`` the article's outlet. How
    is a key of LINK_SCORES: "name", "alias", "full name" (the same given name and surname, middle
    names and initials aside), "surname", "variant", each "..., no role" when no role confirmed
    it, "surname, same outlet" for the one of several namesakes the outlet has quoted (``quoted_too``:
    speakers it quoted in articles of the batch whose mentions are not written yet), or "new".
    """
    if kind == "anonymous":
        return known.new_speaker(name, kind), "new"
    known.ensure([(name, kind)])
    key, given, surname = keys_of(name, kind)
    surname_only = kind == "person" and given is None and surname is not None
    by_name = known.by_name(key, kind)
    if by_name is not None and not surname_only:
        return by_name, "name"
    by_alias = _only(known.by_alias(key, kind))
    if by_alias is not None:
        return by_alias, "alias"
    found: tuple[Known, str] | None = None
    if surname_only:
        namesakes = known.people(surname_key=surname)
        by_surname = _fitting(known, namesakes, roles)
        found = ((by_surname, "surname") if by_surname is not None
                 else _unless_conflicting(known, namesakes, roles, "surname")
                 or _quoted_by_outlet(known, namesakes, roles, outlet_id, quoted_too))
    elif given is not None:
        same = known.people(given_key=given, surname_key=surname)
        found = _unless_conflicting(known, same, roles, "full name")
        if found is None:
            variants = [p for p in known.people(given_key=given) if near_surnames(surname, p.surname_key)]
            by_variant = _fitting(known, variants, roles)
            found = (by_variant, "variant") if by_variant is not None else None
    if found is not None:
        return found
    if by_name is not None:
        return by_name, "name"
    return known.new_speaker(name, kind), "new"


def adopt_surname(known: Directory, person: Known, roles: Collection[RoleKey], keep: Collection[int] = (),
                  before_merge: Callable[[], object] = lambda: None) -> str | None:
    """Join to a person just stored with a full name the speaker stored earlier under that surname alone, when it
    is the only one, no other person has that surname, nobody gave it a name or id, and the roles do not
    conflict: the link a bare "Kasich" would have got had "John Kasich" come first. ``keep`` are speakers
    not to touch (the article's own); ``before_merge`` writes what the caller holds back (quotes.store.placing),
    since the merge moves every row of the bare speaker. Returns the adopted name, or None."""
    if person.kind != "person" or person.given_key is None:
        return None
    bare = _only(known.namesakes(person))
    if bare is None or bare.given_key is not None or bare.id in keep or bare.external_id is not None or (
            USER in known.origins(bare.id).values()):
        return None
    found = _unless_conflicting(known, [bare], roles, "surname")
    if found is None:
        return None
    how = found[1]
    before_merge()
    db = known.db
    db.execute(update(SpeakerLink).where(SpeakerLink.speaker_id == bare.id)
               .values(how=how, score=LINK_SCORES[how]))
    merged = merge_into(db, db.get(Speaker, person.id), db.get(Speaker, bare.id), SEEN).merged
    known.merged(person, bare)
    return merged


def add_alias(db: Session, speaker: Speaker, alias: str, origin: str) -> None:
    """Record another name of the speaker; an alias already there keeps the stronger origin of the two."""
    alias = " ".join(alias.split())
    row = db.get(SpeakerAlias, (speaker.id, alias))
    if row is None:
        db.add(SpeakerAlias(speaker_id=speaker.id, alias=alias, alias_key=name_key(alias), origin=origin))
    elif ORIGIN_STRENGTH[origin] > ORIGIN_STRENGTH[row.origin]:
        row.origin = origin


def drop_unused(db: Session, speaker_ids: Collection[int]) -> int:
    """Delete those of the speakers nothing holds any more (no mention, link, quote, role, external id or name a
    person gave), with their aliases: what re-extraction leaves of a name no article is quoted under now."""
    unused = list(db.scalars(select(Speaker.id).where(
        Speaker.id.in_(speaker_ids), Speaker.external_id.is_(None),
        *(~exists().where(column == Speaker.id) for column in (
            Mention.speaker_id, SpeakerLink.speaker_id, Quote.speaker_id, QuoteWording.speaker_id, Role.speaker_id)),
        ~exists().where(SpeakerAlias.speaker_id == Speaker.id, SpeakerAlias.origin == USER)))) if speaker_ids else []
    if unused:
        db.execute(delete(SpeakerAlias).where(SpeakerAlias.speaker_id.in_(unused)))
        db.execute(delete(Speaker).where(Speaker.id.in_(unused)))
    return len(unused)


def find_speaker(db: Session, ref: str) -> Speaker:
    """The speaker ``ref`` names: an id ("12"), a canonical name or an alias, case ignored.

    Raises SpeakerNotFound, or AmbiguousSpeaker when a name or alias is shared (anonymous
    sources, namesakes): their ids tell them apart.
    """
    ref = ref.strip()
    if ref.isdigit():
        found = [s for s in [db.get(Speaker, int(ref))] if s is not None]
    else:
        key = name_key(ref)
        found = list(db.scalars(select(Speaker).where(Speaker.name_key == key).order_by(Speaker.id))) or list(
            db.scalars(select(Speaker).join(SpeakerAlias, SpeakerAlias.speaker_id == Speaker.id)
                       .where(SpeakerAlias.alias_key == key).distinct().order_by(Speaker.id))
        )
    if not found:
        raise SpeakerNotFound(f"no speaker named {ref!r}")
    if len(found) > 1:
        names = ", ".join(f"{s.name} (#{s.id})" for s in found)
        raise AmbiguousSpeaker(f"{ref!r} names several speakers: {names}; give one by its id")
    return found[0]


# --- folding roles and quotes together ----------------------------------------------------------

def fold_role(db: Session, source: Role, target: Role) -> None:
    """Make ``source`` part of ``target`` (the same role): its mentions and dates move, it goes."""
    target.first_seen = min(target.first_seen, source.first_seen)
    target.last_seen = max(target.last_seen, source.last_seen)
    db.execute(update(Mention).where(Mention.role_id == source.id).values(role_id=target.id))
    db.delete(source)
    db.flush()


def _move_role(db: Session, role: Role, speaker_id: int, organization: str) -> None:
    """Give the role a new holder or organisation, folding it into that speaker's same role if there is one."""
    same = db.scalar(select(Role).where(Role.speaker_id == speaker_id, Role.title == role.title,
                                        Role.organization == organization, Role.id != role.id))
    if same is not None:
        fold_role(db, role, same)
    else:
        role.speaker_id, role.organization = speaker_id, organization
        db.flush()


def spell_out(db: Session, acronym: str, expansion: str) -> None:
    """Rename roles whose organisation is ``acronym`` to its ``expansion``, now that an article defined it."""
    for role in db.scalars(select(Role).where(Role.organization == acronym)).all():
        _move_role(db, role, role.speaker_id, expansion)


# --- fixing identities by hand ------------------------------------------------------------------

@dataclass
class MergeResult:
    """What a merge did: the speaker kept, the one merged into it, mentions moved, quotes joined."""

    kept: str
    merged: str
    mentions: int
    quotes_joined: int


def merge_into(db: Session, keep: Speaker, other: Speaker, origin: str = USER) -> MergeResult:
    """Make ``other`` part of ``keep``: mentions, quotes, roles and aliases move, its name becomes an alias
    of ``origin`` (a person's merge, by default).

    Deduplication then runs again over ``keep``'s quotes, so the same words filed under both join.
    """
    if keep.id == other.id:
        raise ValueError(f"{keep.name!r} and {other.name!r} are the same speaker")
    for row in db.scalars(select(SpeakerAlias).where(SpeakerAlias.speaker_id == other.id)).all():
        db.delete(row)
        add_alias(db, keep, row.alias, row.origin)
    if other.kind != "anonymous":
        add_alias(db, keep, other.name, origin)
    for role in db.scalars(select(Role).where(Role.speaker_id == other.id)).all():
        _move_role(db, role, keep.id, role.organization)
    moved = db.execute(update(Mention).where(Mention.speaker_id == other.id).values(speaker_id=keep.id)).rowcount
    db.execute(update(SpeakerLink).where(SpeakerLink.speaker_id == other.id).values(speaker_id=keep.id))
    db.execute(update(Quote).where(Quote.speaker_id == other.id).values(speaker_id=keep.id))
    joined = merge_speaker_quotes(db, keep.id, other.id)
    db.delete(other)
    db.flush()
    return MergeResult(keep.name, other.name, moved, joined)


def alias_speaker(db: Session, name: str, alias: str) -> Speaker:
    """Make ``alias`` a name of the speaker called ``name``.

    A speaker stored under the alias itself is merged in; when only that one exists, it is
    renamed to ``name`` (its old name kept as an alias). SpeakerNotFound when neither exists.
    """
    try:
        speaker: Speaker | None = find_speaker(db, name)
    except SpeakerNotFound:
        speaker = None
    # of any kind: "From" filed as an organisation is still Al From's when a person says so
    namesakes = [s for s in db.scalars(select(Speaker).where(Speaker.name_key == name_key(alias)).order_by(Speaker.id))
                 if speaker is None or s.id != speaker.id]
    if speaker is None:
        if len(namesakes) != 1:
            raise SpeakerNotFound(f"no speaker named {name!r} or {alias!r}")
        speaker = namesakes.pop()
        set_name(speaker, name)
    for other in namesakes:
        merge_into(db, speaker, other)
    add_alias(db, speaker, alias, USER)
    db.flush()
    return speaker


def merge(engine: Engine, keep: str, other: str) -> MergeResult:
    """Merge the speaker ``other`` names into the one ``keep`` names (names, aliases or ids), in one transaction."""
    with Session(writer(engine)) as db, db.begin():
        return merge_into(db, find_speaker(db, keep), find_speaker(db, other))


def alias(engine: Engine, name: str, alias: str) -> str:
    """Give the speaker ``name`` another name ``alias`` (see alias_speaker); returns the speaker's canonical name."""
    with Session(writer(engine)) as db, db.begin():
        return alias_speaker(db, name, alias).name


def apply_alias_file(engine: Engine, path: Path) -> dict[str, str]:
    """Apply every row of the alias file to the store; returns {alias key: canonical name} for naming new speakers.

    Rows whose speaker is not stored yet, or is ambiguous, change nothing now; ingest still
    files new mentions of the alias under the canonical name.
    """
    rows = read_alias_file(path)
    if rows:
        with Session(writer(engine)) as db, db.begin():
            for name, other in rows:
                with contextlib.suppress(LookupError):
                    alias_speaker(db, name, other)
    return {name_key(other): name for name, other in rows}
