"""Datasette over a quotes database file, with the table descriptions and canned queries whatever the file is called.

Datasette keys a database's metadata by the name it gives the database, the file's stem
(``monitor.db`` is ``monitor``), so the packaged ``data/datasette.yml``, written for ``quotes``,
is filed under the served file's stem at run time, in a file kept in the data directory's cache
(``datasette/STEM.json``, rewritten each time: Datasette reads it once, at start, and the
server stops on a signal with no chance to remove a temporary file). The database is opened read-only: Datasette
opens a file with ``mode=ro`` (it sees what a running ``quotes ingest`` adds) or, with
``immutable``, as a file nothing writes, and no canned query writes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

from quotes.store.location import data_dir

#: The database name the packaged metadata is written for.
WRITTEN_FOR = "quotes"


def datasette_metadata(database: Path) -> dict:
    """The packaged Datasette metadata with its database entry named as Datasette names ``database``."""
    import yaml

    metadata = yaml.safe_load(files("quotes").joinpath("data/datasette.yml").read_text(encoding="utf-8"))
    metadata["databases"] = {database.stem: metadata["databases"][WRITTEN_FOR]}
    return metadata


def serve(database: Path, host: str, port: int, immutable: bool = False, extra: Sequence[str] = ()) -> None:
    """Run ``datasette serve`` on ``database`` with :func:`datasette_metadata` until it is stopped.

    ``extra`` arguments go to ``datasette serve`` as they are. ImportError when Datasette is not installed.
    """
    from datasette.cli import cli as datasette

    metadata = data_dir() / "cache" / "datasette" / f"{database.stem}.json"
    metadata.parent.mkdir(parents=True, exist_ok=True)
    written = metadata.with_name(f"{metadata.name}.{os.getpid()}.tmp")
    written.write_text(json.dumps(datasette_metadata(database)), encoding="utf-8")
    os.replace(written, metadata)  # whole, even while another `quotes browse` of a file so named starts
    opened = ["--immutable", str(database)] if immutable else [str(database)]
    datasette.main(["serve", *opened, "--metadata", str(metadata), "--host", host, "--port", str(port), *extra],
                   prog_name="datasette", standalone_mode=False)
