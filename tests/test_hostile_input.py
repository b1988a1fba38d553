"""Hostile inputs to the readers (issue 17): odd file names, links, devices, endless streams and encodings
each give one clear error line, or are read, and never crash, hang or stop the rest."""

from __future__ import annotations

import signal
from contextlib import contextmanager
from pathlib import Path

from quotes.article import Article, ReadError
from quotes.read import read_paths

STORY = '"We will rebuild the pier by June," Mayor Ana Ruiz said.\n'


@contextmanager
def deadline(seconds: float):
    """Fail, rather than hang, when the body blocks for longer than ``seconds``."""
    def expired(signum, frame):
        raise TimeoutError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read(*paths, max_bytes: int = 10_000) -> list[Article | ReadError]:
    with deadline(10):
        return list(read_paths([str(p) for p in paths], max_bytes=max_bytes))


def summary(items: list[Article | ReadError]) -> list[str]:
    """Each item as the file name it came from, and "error: reason" for an error."""
    return [f"{Path(i.source).name} error: {i.reason}" if isinstance(i, ReadError) else Path(i.path).name
            for i in items]


# --- error lines ---------------------------------------------------------------------------


def test_an_error_line_escapes_control_characters_and_keeps_ordinary_unicode():
    line = str(ReadError("in/a\x1b[31mred\nnext\u202e é.txt", "binary file", record="https://x.test/\x07"))
    assert line == "in/a\\x1b[31mred\\nnext\\u202e é.txt record https://x.test/\\x07: binary file"


def test_a_name_with_an_escape_sequence_is_read_and_its_error_printed_escaped(tmp_path):
    (tmp_path / "a\x1b[31mred.txt").write_text(STORY)
    (tmp_path / "two\nlines.txt").write_bytes(b"\x00\x01")
    items = read(tmp_path)
    assert summary(items) == ["a\x1b[31mred.txt", "two\nlines.txt error: binary file (contains NUL bytes)"]
    assert str(items[1]).endswith("/two\\nlines.txt: binary file (contains NUL bytes)")
