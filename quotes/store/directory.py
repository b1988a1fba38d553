"""The stored speakers a batch of articles can be resolved to, read once and kept up to date in memory.

Resolving a name (quotes.store.speakers.resolve) looks speakers up by name, alias, given name and
surname, then reads the roles of the candidates: some ten statements a name when each look-up is
its own query. A :class:`Directory` reads every speaker those look-ups can find for a set of names
in three statements (:meth:`Directory.ensure`), with their aliases and roles, and answers the look-ups
from memory. The batch's own writes keep it true: speakers it creates, aliases and roles it adds, a
merge (:meth:`Directory.merged`) and roles renamed for an acronym (:meth:`Directory.spelled_out`).
What it cannot follow (an article rolled back) empties it (:meth:`Directory.forget`), and the next
look-up reads again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, or_, select
from sqlalchemy.orm import Session

from quotes.names import ACRONYM_FORM, RoleKey, name_key, split_name
from quotes.store.schema import Acronym, Role, Speaker, SpeakerAlias

_SPEAKERS, _ALIASES, _ROLES = Speaker.__table__, SpeakerAlias.__table__, Role.__table__
_COLUMNS = ("id", "name", "kind", "name_key", "given_key", "surname_key", "external_id")

_ROW = select(*(_SPEAKERS.c[column] for column in _COLUMNS))
#: How each look-up finds its speakers, each by an index: by name or identifying alias, every person of a
#: surname, every person of a given name (spelling variants), and people by given name and surname.
_FIND = {
    "names": _ROW.where(or_(
        _SPEAKERS.c.name_key.in_(bindparam("keys", expanding=True)),
        _SPEAKERS.c.id.in_(select(_ALIASES.c.speaker_id).where(_ALIASES.c.alias_key.in_(bindparam("keys", expanding=True)))))),
    "surnames": _ROW.where(_SPEAKERS.c.surname_key.in_(bindparam("keys", expanding=True))),
    "givens": _ROW.where(_SPEAKERS.c.given_key.in_(bindparam("keys", expanding=True))),
    "full names": _ROW.where(_SPEAKERS.c.surname_key.in_(bindparam("keys", expanding=True)),
                             _SPEAKERS.c.given_key.in_(bindparam("given", expanding=True))),
}
_ALIASES_OF = select(_ALIASES.c.speaker_id, _ALIASES.c.alias, _ALIASES.c.alias_key, _ALIASES.c.origin).where(
    _ALIASES.c.speaker_id.in_(bindparam("speakers", expanding=True)))
_ROLES_OF = select(_ROLES.c.speaker_id, _ROLES.c.title, _ROLES.c.organization, _ROLES.c.id, _ROLES.c.first_seen,
                   _ROLES.c.last_seen).where(
    _ROLES.c.speaker_id.in_(bindparam("speakers", expanding=True))).order_by(_ROLES.c.id)
_EXPANSIONS = select(Acronym.__table__.c.expansion).where(Acronym.__table__.c.acronym == bindparam("acronym")).limit(2)
_NEW = insert(_SPEAKERS).returning(_SPEAKERS.c.id)
#: Values one IN list is given at most, well within SQLite's limit on parameters.
CHUNK = 500


#: Where an alias came from; only VARIANT and USER aliases identify a speaker at ingest.
SEEN, VARIANT, USER = "seen", "variant", "user"
ORIGIN_STRENGTH = {SEEN: 0, VARIANT: 1, USER: 2}


@dataclass(eq=False)
class Known:
    """A stored speaker as resolution reads it (the columns of ``speakers``)."""

    id: int
    name: str
    kind: str
    name_key: str | None
    given_key: str | None
    surname_key: str | None
    external_id: str | None = None


def set_name(speaker: Known | Speaker, name: str) -> None:
    """Give the speaker its canonical name and the keys it is looked up by."""
    speaker.name = " ".join(name.split())
    speaker.name_key = None if speaker.kind == "anonymous" else name_key(name)
    speaker.given_key, speaker.surname_key = split_name(name) if speaker.kind == "person" else (None, None)


def keys_of(name: str, kind: str) -> tuple[str, str | None, str | None]:
    """The name key, given-name key and surname key a name is looked up by."""
    given, surname = split_name(name) if kind == "person" else (None, None)
    return name_key(name), given, surname


class Directory:
    """The speakers found by the names asked for so far, their aliases and roles, in ``db``'s transaction."""

    def __init__(self, db: Session) -> None:
        self.db = db
        self.forget()

    def forget(self) -> None:
        """Drop everything read: the next look-up reads the store again."""
        self.speakers: dict[int, Known] = {}
        self.aliases: dict[int, dict[str, str]] = defaultdict(dict)  # speaker -> alias -> origin
        self.alias_keys: dict[str, set[int]] = defaultdict(set)  # alias key -> speakers
        self.roles: dict[int, list[RoleKey]] = defaultdict(list)
        #: speaker -> role id -> [title, organisation, first seen, last seen], for speakers all of whose roles
        #: are known here (a merge or an acronym spelled out may fold roles: those speakers are read again)
        self.role_rows: dict[int, dict[int, list]] = {}
        self.index: dict[str, dict[str, list[Known]]] = {column: defaultdict(list) for column in
                                                           ("name_key", "given_key", "surname_key")}
        self.asked: dict[str, set] = {look_up: set() for look_up in _FIND}  # the keys read whole, by look-up
        self.expansions: dict[str, str | None] = {}  # acronym -> its one expansion, as read

    def ensure(self, names: Iterable[tuple[str, str]], new_people: bool = False) -> None:
        """Read the speakers :func:`quotes.store.speakers.resolve` finds first for these (name, kind) pairs: by
        name or alias, and people by given name and surname, or by surname for a surname alone. Every person of
        a surname or given name, which only a new full name looks through, is read when it does (people()), or
        with ``new_people`` here too, for every full name no stored speaker has by name or alias (a batch's)."""
        wanted: dict[str, set] = {look_up: set() for look_up in _FIND}
        people = []
        for name, kind in names:
            key, given, surname = keys_of(name, kind)
            wanted["names"].add(key)
            if surname is not None:
                wanted["surnames" if given is None else "full names"].add(surname if given is None else (given, surname))
                if given is not None:
                    people.append((key, given, surname))
        self._read(wanted)
        if new_people:  # what resolve() and adopt_surname() look through for a full name first seen
            unknown = [(given, surname) for key, given, surname in people
                       if self.by_name(key, "person") is None and not self.by_alias(key, "person")]
            self._read({"givens": {given for given, _ in unknown}, "surnames": {surname for _, surname in unknown}})

    def _read(self, wanted: dict[str, set]) -> None:
        """Read the speakers of the keys not read yet, by look-up, then the new ones' aliases and roles."""
        conn = self.db.connection()
        new: list[Known] = []
        for look_up, keys in wanted.items():
            keys = sorted(key for key in keys - self.asked[look_up]  # people of a surname read whole hold its full names
                          if look_up != "full names" or key[1] not in self.asked["surnames"])
            for start in range(0, len(keys), CHUNK):
                part = keys[start:start + CHUNK]
                values = ({"keys": [s for _, s in part], "given": [g for g, _ in part]} if look_up == "full names"
                          else {"keys": part})
                new += [self._add(Known(*row)) for row in conn.execute(_FIND[look_up], values)
                        if row.id not in self.speakers]
            self.asked[look_up] |= set(keys)
        ids = [speaker.id for speaker in new]
        for start in range(0, len(ids), CHUNK):
            part = {"speakers": ids[start:start + CHUNK]}
            for speaker_id, alias, alias_key, origin in conn.execute(_ALIASES_OF, part):
                self.aliases[speaker_id][alias] = origin
                self.alias_keys[alias_key].add(speaker_id)
            self.role_rows.update((speaker_id, {}) for speaker_id in part["speakers"])
            for speaker_id, title, organization, role_id, first_seen, last_seen in conn.execute(_ROLES_OF, part):
                self.roles[speaker_id].append((title, organization))
                self.role_rows[speaker_id][role_id] = [title, organization, first_seen, last_seen]

    def _add(self, speaker: Known) -> Known:
        self.speakers[speaker.id] = speaker
        for column, index in self.index.items():
            key = getattr(speaker, column)
            if key is not None:
                index[key].append(speaker)
        return speaker

    # --- look-ups (by_name and by_alias of names ensure()d) ---------------------------------------------
    def by_name(self, key: str, kind: str) -> Known | None:
        """The oldest speaker of that kind with that name key."""
        return min((s for s in self.index["name_key"].get(key, ()) if s.kind == kind), key=lambda s: s.id, default=None)

    def by_alias(self, key: str, kind: str) -> list[Known]:
        """Speakers with an identifying alias (VARIANT, USER) of that key, of that kind unless a person gave it."""
        found = []
        for speaker_id in sorted(self.alias_keys.get(key, ())):
            speaker = self.speakers.get(speaker_id)
            origins = {origin for alias, origin in self.aliases[speaker_id].items() if name_key(alias) == key}
            if speaker is not None and origins - {SEEN} and (speaker.kind == kind or USER in origins):
                found.append(speaker)
        return found

    def people(self, given_key: str | None = None, surname_key: str | None = None) -> list[Known]:
        """People with a full name (given name and surname) and the keys given, oldest first; read when not yet."""
        if surname_key is None:
            self._read({"givens": {given_key}})
            column, key = "given_key", given_key
        else:
            self._read({"surnames": {surname_key}} if given_key is None else {"full names": {(given_key, surname_key)}})
            column, key = "surname_key", surname_key
        return sorted((s for s in self.index[column].get(key, ()) if s.kind == "person" and s.given_key is not None
                       and given_key in (None, s.given_key) and surname_key in (None, s.surname_key)),
                      key=lambda s: s.id)

    def namesakes(self, person: Known) -> list[Known]:
        """The other people stored under the person's surname, with a given name or without."""
        self._read({"surnames": {person.surname_key}})
        return [s for s in self.index["surname_key"].get(person.surname_key or "", ())
                if s.kind == "person" and s.id != person.id]

    def roles_of(self, speaker: Known) -> list[RoleKey]:
        return list(self.roles.get(speaker.id, ()))

    def latest_role(self, speaker_id: int, title: str, organization: str) -> tuple[int, dt.date, dt.date] | None:
        """The id and dates of the speaker's latest role whose title and organisation are these, case aside (either
        left out when empty); None when it has none. KeyError when the speaker's roles are not all known here."""
        rows = self.role_rows[speaker_id]
        found = [(last, role_id, first) for role_id, (held_title, held_organization, first, last) in rows.items()
                 if (not title or (held_title or "").lower() == title)
                 and (not organization or (held_organization or "").lower() == organization)]
        if not found:
            return None
        last, role_id, first = max(found)
        return role_id, first, last

    def origins(self, speaker_id: int) -> dict[str, str]:
        """The speaker's aliases as stored, with their origins."""
        return dict(self.aliases.get(speaker_id, {}))

    def expansion(self, acronym: str) -> str | None:
        """What the acronym stands for when the articles define it one way only, else None; read once."""
        if not ACRONYM_FORM.fullmatch(acronym):
            return None  # no article can have defined it
        if acronym not in self.expansions:
            found = self.db.execute(_EXPANSIONS, {"acronym": acronym}).scalars().all()
            self.expansions[acronym] = found[0] if len(found) == 1 else None
        return self.expansions[acronym]

    # --- what the batch writes -------------------------------------------------------------------------
    def new_speaker(self, name: str, kind: str) -> Known:
        """Store a new speaker under ``name`` (named as quotes.store.speakers.set_name names one)."""
        speaker = Known(0, name, kind, None, None, None)
        set_name(speaker, name)
        speaker.id = self.db.execute(_NEW, {column: getattr(speaker, column) for column in _COLUMNS[1:]}).scalar_one()
        self.role_rows[speaker.id] = {}
        return self._add(speaker)

    def alias_added(self, speaker_id: int, alias: str, origin: str) -> None:
        if speaker_id in self.speakers:
            self.aliases[speaker_id][alias] = origin
            self.alias_keys[name_key(alias)].add(speaker_id)

    def role_added(self, speaker_id: int, role: RoleKey, role_id: int, seen: dt.date) -> None:
        if speaker_id in self.speakers:
            self.roles[speaker_id].append(role)
        if speaker_id in self.role_rows:
            self.role_rows[speaker_id][role_id] = [*role, seen, seen]

    def role_dates(self, speaker_id: int, role_id: int, first: dt.date, last: dt.date) -> None:
        """The role's dates were widened to ``first`` .. ``last``."""
        if speaker_id in self.role_rows:
            self.role_rows[speaker_id][role_id][2:] = [first, last]

    def acronym_added(self, acronym: str) -> None:
        """An article defined the acronym (maybe another way): its expansion is read again."""
        self.expansions.pop(acronym, None)

    def spelled_out(self, acronym: str, expansion: str) -> None:
        """Roles of ``acronym`` are roles of ``expansion`` now (quotes.store.speakers.spell_out)."""
        for held in self.roles.values():
            held[:] = [(title, expansion if organization == acronym else organization) for title, organization in held]
        for speaker_id in [speaker_id for speaker_id, rows in self.role_rows.items()
                           if any(row[1] == acronym for row in rows.values())]:
            del self.role_rows[speaker_id]  # a role renamed may have folded into another: read them again

    def merged(self, keep: Known, other: Known) -> None:
        """What quotes.store.speakers.merge_into did, making ``other`` part of ``keep``: other's aliases (its
        name among them, seen) and roles are keep's, the stronger origin of an alias kept, and other is gone."""
        if keep.id not in self.speakers or other.id not in self.speakers:
            self.forget()
            return
        moved = self.aliases.pop(other.id, {})
        if other.kind != "anonymous" and ORIGIN_STRENGTH[SEEN] >= ORIGIN_STRENGTH[moved.get(other.name, SEEN)]:
            moved[other.name] = SEEN
        for alias, origin in moved.items():
            self.alias_keys[name_key(alias)].discard(other.id)
            held = self.aliases[keep.id].get(alias)
            if held is None or ORIGIN_STRENGTH[origin] > ORIGIN_STRENGTH[held]:
                self.aliases[keep.id][alias] = origin
            self.alias_keys[name_key(alias)].add(keep.id)
        self.roles[keep.id] += self.roles.pop(other.id, [])
        self.role_rows.pop(keep.id, None)  # the merge may fold their roles together
        self.role_rows.pop(other.id, None)
        del self.speakers[other.id]
        for column, index in self.index.items():
            key = getattr(other, column)
            if key is not None:
                index[key] = [speaker for speaker in index[key] if speaker.id != other.id]
