"""Hostile inputs to the readers (issue 17): odd file names, links, devices, endless streams and encodings
each give one clear error line, or are read, and never crash, hang or stop the rest."""

from __future__ import annotations

import io
import itertools
import json
import os
import signal
import tracemalloc
from collections.abc import Iterable
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


# --- devices, FIFOs and standard input -----------------------------------------------------


def test_a_device_is_refused_as_not_a_regular_file():
    (error,) = read("/dev/zero")
    assert str(error) == "/dev/zero: not a regular file (a device, FIFO or socket): only files are read"


def test_a_fifo_is_refused_without_blocking_and_the_next_file_read(tmp_path):
    os.mkfifo(tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text(STORY)
    assert summary(read(tmp_path / "a.txt", tmp_path / "b.txt")) == [
        "a.txt error: not a regular file (a device, FIFO or socket): only files are read", "b.txt"]


class Stream(io.RawIOBase):
    """A stream of the given chunks (endless if they are), failing once more than ``budget`` bytes are taken."""

    def __init__(self, chunks: Iterable[bytes], budget: float = float("inf")):
        self.chunks, self.budget, self.taken, self.pending = iter(chunks), budget, 0, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.pending = self.pending or next(self.chunks, b"")
        size = min(len(buffer), len(self.pending))
        buffer[:size], self.pending = self.pending[:size], self.pending[size:]
        self.taken += size
        assert self.taken <= self.budget, "read far past the limit"
        return size


def stdin(monkeypatch, raw: io.RawIOBase) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BufferedReader(raw)))


def test_endless_text_on_stdin_is_read_to_the_limit_and_refused(monkeypatch):
    stdin(monkeypatch, Stream(itertools.repeat(b"words "), budget=100_000))
    assert [str(i) for i in read("-", max_bytes=1000)] == ["<stdin>: input larger than 1000 bytes (see --max-bytes)"]


def test_endless_jsonl_on_stdin_is_read_an_article_at_a_time(monkeypatch):
    line = json.dumps({"text": STORY}).encode() + b"\n"
    stdin(monkeypatch, Stream(itertools.repeat(line), budget=200 * len(line) + 65536))
    items = read_paths(["-"], max_bytes=1000)
    assert all(next(items).text == STORY for _ in range(100))


def test_a_50_mb_jsonl_line_is_one_error_skipped_in_bounded_memory_and_the_next_line_read(monkeypatch):
    chunks = [b'{"text": "', *itertools.repeat(b"x" * 65536, 800), b'"}\n', json.dumps({"text": STORY}).encode()]
    stdin(monkeypatch, Stream(chunks))
    tracemalloc.start()
    try:
        items = read("-", max_bytes=1000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [str(i) if isinstance(i, ReadError) else i.text for i in items] == [
        "<stdin>:1: article larger than 1000 bytes", STORY]
    assert peak < 2_000_000


def test_the_jsonl_line_limit_counts_utf8_bytes_not_characters(tmp_path):
    feed = tmp_path / "feed.jsonl"
    fits = json.dumps({"text": "é" * 10}, ensure_ascii=False)
    feed.write_text(fits + "\n" + json.dumps({"text": "é" * 11}, ensure_ascii=False) + "\r\n", encoding="utf-8")
    limit = len(fits.encode("utf-8"))  # 24 bytes, 14 characters
    assert [str(i) if isinstance(i, ReadError) else i.text for i in read(feed, max_bytes=limit)] == [
        "é" * 10, f"{feed}:2: article larger than {limit} bytes"]
