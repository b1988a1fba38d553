"""The on-disk cache of fetched pages, so a run over the same URLs and feeds again downloads nothing it has.

Each URL is two files named by the SHA-256 of the URL: ``KEY.body.gz`` (the bytes as received,
gzipped: HTML shrinks to a fifth or less, and a daily monitor keeps thousands of pages) and
``KEY.json`` (final URL, status, content type, ``ETag`` and ``Last-Modified`` for conditional
requests, and when it was fetched). Both are written to a temporary name and renamed, the body
first, so a run killed mid-write leaves either a whole entry or none.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Cached:
    """One cached response: the URL it ended at (after redirects), its status and headers that matter, its body."""

    url: str
    status: int
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: float = 0.0
    body: bytes = b""

    @property
    def age(self) -> float:
        """Seconds since it was fetched or last confirmed unchanged."""
        return time.time() - self.fetched_at

    def validators(self) -> dict[str, str]:
        """The headers of a conditional request for it: the server answers 304 when it has not changed."""
        headers = {"If-None-Match": self.etag} if self.etag else {}
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class PageCache:
    """Responses kept under ``root``; with no root nothing is kept, and every look-up misses."""

    def __init__(self, root: Path | None) -> None:
        self.root = root

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
        folder = self.root / key[:2]
        return folder / f"{key}.json", folder / f"{key}.body.gz"

    def load(self, url: str) -> Cached | None:
        """The cached response to ``url``, or None when there is none (or it cannot be read)."""
        if self.root is None:
            return None
        meta, body = self._paths(url)
        try:
            fields = json.loads(meta.read_text(encoding="utf-8"))
            return Cached(**fields, body=gzip.decompress(body.read_bytes()))
        except (OSError, EOFError, ValueError, TypeError):  # missing, cut short, or not what was written
            return None

    def save(self, requested: str, entry: Cached) -> None:
        """Keep ``entry`` as the response to ``requested``; a cache that cannot be written is skipped silently."""
        if self.root is None:
            return
        meta, body = self._paths(requested)
        fields = {name: value for name, value in asdict(entry).items() if name != "body"}
        try:
            meta.parent.mkdir(parents=True, exist_ok=True)
            _write(body, gzip.compress(entry.body, compresslevel=6))
            _write(meta, json.dumps(fields).encode("utf-8"))
        except OSError:
            pass


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
