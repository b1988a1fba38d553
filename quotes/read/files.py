"""Find and open input files: a directory walk that reports what it cannot enter, and opening that refuses
anything but a regular file, so no name a user passes can hang the run or feed it without end.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from quotes.article import ReadError
from quotes.read.fields import has_surrogate

#: The reason given for a device, FIFO or socket passed or found as an input file.
NOT_REGULAR = "not a regular file (a device, FIFO or socket): only files are read"


def walk(paths: Iterable[str], wanted: Callable[[str], bool]) -> Iterator[str | ReadError]:
    """Each path, with directories expanded (recursively, sorted, hidden entries skipped) into the
    files whose names ``wanted`` accepts.

    A directory that cannot be listed, a symbolic link that leads nowhere (dangling, or a loop of
    links) and a link back to a directory already walked are each one ReadError, and the walk goes on.
    """
    seen: dict[tuple[int, int], str] = {}
    for path in paths:
        if path != "-" and os.path.isdir(path):
            yield from _walk_dir(path, wanted, seen)
        else:
            yield path


def _walk_dir(path: str, wanted: Callable[[str], bool],
              seen: dict[tuple[int, int], str]) -> Iterator[str | ReadError]:
    try:
        info = os.stat(path)
        key = (info.st_dev, info.st_ino)
        if key in seen:
            yield ReadError(path, f"a link to {seen[key]}, which is read already: skipped")
            return
        seen[key] = path
        with os.scandir(path) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        yield ReadError(path, exc.strerror or str(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if _is_dir(entry):
            yield from _walk_dir(entry.path, wanted, seen)
        elif entry.is_symlink() and not os.path.exists(entry.path):
            yield ReadError(entry.path, "broken symbolic link (its target does not exist, or links loop)")
        elif wanted(entry.name):
            yield entry.path


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link that cannot be followed: reported as broken
        return False


def open_regular(name: str) -> BinaryIO:
    """The file opened for reading in binary; OSError with a reason for a name that is not valid UTF-8
    (its path could not be stored) and for anything but a regular file, which is never opened, as
    opening a FIFO blocks and reading a device never ends."""
    if has_surrogate(name):
        raise OSError(0, "file name is not valid UTF-8: rename the file to read it")
    if not stat.S_ISREG(os.stat(name).st_mode):
        raise OSError(0, NOT_REGULAR)
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO swapped in since stat cannot block
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, NOT_REGULAR)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
