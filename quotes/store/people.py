"""A people file: the speakers a monitor tracks, seeded by hand with aliases, roles and an external id.

``name,aliases,roles,external_id`` CSV, one person a row: aliases separated by ``;``, roles by
``;`` each as ``title|organization`` (either part may be empty), and an optional external id
such as a Wikidata QID. An external id decides identity over names: a row whose id is stored
updates that speaker whatever it is called now.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from quotes.names import name_key, normalize_organization, title_family
from quotes.store.db import writer
from quotes.store.schema import Role, Speaker
from quotes.store.speakers import USER, new_speaker, set_name, add_alias

COLUMNS = ("name", "aliases", "roles", "external_id")


class PeopleFileError(ValueError):
    """A people file that cannot be read; the message names the line."""


@dataclass
class ImportResult:
    """What an import did: speakers created and updated, and rows refused (with why)."""

    created: int = 0
    updated: int = 0
    refused: list[str] = field(default_factory=list)


def read_people_file(path: Path) -> list[dict[str, str]]:
    """The rows of a people file, each with every column of COLUMNS; PeopleFileError for a bad header or row."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            if reader.fieldnames is None or "name" not in reader.fieldnames:
                raise PeopleFileError(f"{path}:1: the first line must name the columns {','.join(COLUMNS)}")
            rows = []
            for row in reader:
                if None in row:
                    raise PeopleFileError(f"{path}:{reader.line_num}: more cells than columns")
                cleaned = {column: (row.get(column) or "").strip() for column in COLUMNS}
                if not cleaned["name"]:
                    raise PeopleFileError(f"{path}:{reader.line_num}: a person needs a name")
                rows.append(cleaned)
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PeopleFileError(f"{path}: {exc}") from None


def _roles(cell: str) -> list[tuple[str, str]]:
    roles = []
    for part in filter(None, (p.strip() for p in cell.split(";"))):
        title, _, organization = part.partition("|")
        roles.append((title_family(title), normalize_organization(organization.strip()) or ""))
    return [role for role in roles if any(role)]


def _person(db: Session, row: dict[str, str]) -> tuple[Speaker | None, str]:
    """The stored speaker the row is ("updated"), a new one ("created"), or None with why it was refused."""
    name, external = row["name"], row["external_id"] or None
    if external:
        by_id = db.scalar(select(Speaker).where(Speaker.external_id == external))
        if by_id is not None:
            if name_key(by_id.name) != name_key(name):
                add_alias(db, by_id, by_id.name, USER)
                set_name(by_id, name)
            return by_id, "updated"
    by_name = db.scalar(select(Speaker).where(Speaker.name_key == name_key(name), Speaker.kind == "person"))
    if by_name is not None:
        if external and by_name.external_id and by_name.external_id != external:
            return None, (f"{name!r} is stored as another person ({by_name.external_id}); "
                          "rename one of them first")
        by_name.external_id = by_name.external_id or external
        return by_name, "updated"
    speaker = new_speaker(db, name, "person")
    speaker.external_id = external
    return speaker, "created"


def import_people(engine: Engine, path: Path, today: dt.date | None = None) -> ImportResult:
    """Create or update the speakers of a people file, in one transaction; roles are dated ``today``."""
    rows = read_people_file(path)
    today = today or dt.date.today()
    result = ImportResult()
    with Session(writer(engine)) as db, db.begin():
        for row in rows:
            speaker, outcome = _person(db, row)
            if speaker is None:
                result.refused.append(outcome)
                continue
            db.flush()
            add_alias(db, speaker, speaker.name, USER)
            for alias in filter(None, (a.strip() for a in row["aliases"].split(";"))):
                add_alias(db, speaker, alias, USER)
            for title, organization in _roles(row["roles"]):
                held = db.scalar(select(Role).where(Role.speaker_id == speaker.id, Role.title == title,
                                                    Role.organization == organization))
                if held is None:
                    db.add(Role(speaker_id=speaker.id, title=title, organization=organization,
                                first_seen=today, last_seen=today))
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result
