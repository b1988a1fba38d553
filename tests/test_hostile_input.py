"""Hostile inputs to the readers (issue 17): odd file names, links, devices, endless streams and encodings
each give one clear error line, or are read, and never crash, hang or stop the rest."""

from __future__ import annotations

import codecs
import io
import itertools
import json
import os
import signal
import sys
import tracemalloc
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

import pytest

from quotes.article import Article, ReadError
from quotes.read import files, read_paths, read_stream

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


def test_a_file_name_that_is_not_utf8_is_an_error_that_prints_and_the_walk_goes_on(tmp_path):
    for name in (b"a.txt", b"bad\xff.txt", b"z.txt"):
        fd = os.open(os.path.join(os.fsencode(tmp_path), name), os.O_WRONLY | os.O_CREAT)
        os.write(fd, STORY.encode())
        os.close(fd)
    items = read(tmp_path)
    reason = "file name is not valid UTF-8: rename the file to read it"
    assert summary(items) == ["a.txt", f"bad\udcff.txt error: {reason}", "z.txt"]
    assert str(items[1]).encode("utf-8") == f"{tmp_path}/bad\\xff.txt: {reason}".encode()


# --- the directory walk --------------------------------------------------------------------


def test_a_dangling_symbolic_link_is_an_error_and_the_walk_goes_on(tmp_path):
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "b.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "c.txt").write_text(STORY)
    assert summary(read(tmp_path)) == [
        "a.txt", "b.txt error: broken symbolic link (its target does not exist, or links loop)", "c.txt"]


def test_symbolic_link_loops_are_one_error_each_and_are_not_followed(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(STORY)
    (tmp_path / "sub" / "up").symlink_to(tmp_path)  # a directory that holds the link
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")  # a link to itself
    assert summary(read(tmp_path)) == [
        "self.txt error: broken symbolic link (its target does not exist, or links loop)",
        "a.txt", f"up error: a link to {tmp_path}, which is read already: skipped"]


def test_an_unreadable_subdirectory_is_an_error_and_the_walk_goes_on(tmp_path, monkeypatch):
    for name in ("a", "locked", "z"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "story.txt").write_text(STORY)
    scandir = os.scandir

    def denied(path):  # as for a directory without read permission (the tests may run as root)
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(files.os, "scandir", denied)
    assert [str(i) if isinstance(i, ReadError) else i.path for i in read(tmp_path)] == [
        f"{tmp_path}/a/story.txt", f"{tmp_path}/locked: Permission denied", f"{tmp_path}/z/story.txt"]


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


def test_a_jsonl_file_gives_its_first_article_before_reading_past_the_first_lines():
    line = json.dumps({"text": STORY}).encode() + b"\n"
    raw = Stream([line] * 20_000)  # 1.4 MB of articles
    items = read_stream(io.BufferedReader(raw), "feed.jsonl", "jsonl", limit=1000)
    assert next(items).text == STORY
    assert raw.taken <= 2 * 8192  # a buffer or two, not the file


def test_reading_a_large_jsonl_file_holds_one_line_at_a_time(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes((json.dumps({"text": STORY + "More words follow here. " * 40}).encode() + b"\n") * 20_000)
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_paths([str(feed)], max_bytes=10_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 20_000 and feed.stat().st_size > 20_000_000
    assert peak < 1_000_000


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


# --- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_text_file_in_utf16_or_utf32_with_a_byte_order_mark_is_read_as_text(tmp_path, codec):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    path = tmp_path / "story.txt"
    path.write_bytes(bom + f"---\noutlet: Harbor News\n---\n{STORY}".encode(codec))
    (article,) = read(path)
    assert (article.text, article.outlet) == (STORY, "Harbor News")


@pytest.mark.parametrize("name", ["story.txt", "page.html"])
def test_utf16_cut_inside_a_character_is_an_error_not_a_crash(tmp_path, name):
    path = tmp_path / name
    data = STORY.encode("utf-16")[:-1]
    path.write_bytes(data)
    assert [str(i) for i in read(path)] == [f"{path}: not valid UTF-16 (byte {len(data) - 1})"]


def test_latin1_text_opening_with_the_bytes_of_a_utf16_mark_is_not_taken_for_utf16(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes("ÿþ is how the file starts".encode("latin-1"))
    assert [str(i) for i in read(path)] == [f"{path}: not valid UTF-8 (byte 0)"]


def test_a_jsonl_file_in_utf16_is_refused_with_the_way_out(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"text": STORY}), encoding="utf-16")
    assert [str(i) for i in read(path)] == [f"{path}: UTF-16 text is not supported in JSONL: convert the file to UTF-8"]


def test_nesting_too_deep_for_the_parsers_is_the_articles_error(tmp_path):
    deep = "[" * (sys.getrecursionlimit() + 100)
    (tmp_path / "deep.jsonl").write_text('{"text": ' + deep + "\n" + json.dumps({"text": STORY}) + "\n")
    (tmp_path / "deep.txt").write_text("---\nurl: " + deep + "\n---\n" + STORY)
    assert summary(read(tmp_path, max_bytes=1_000_000)) == [
        "deep.jsonl error: malformed article: nested too deeply", "deep.jsonl",
        "deep.txt error: malformed front matter: nested too deeply"]


# --- the command line ----------------------------------------------------------------------


def test_extract_on_a_hostile_folder_prints_one_escaped_line_per_problem_and_the_good_quote(tmp_path, nlp):
    from click.testing import CliRunner

    from quotes.cli import cli

    (tmp_path / "good.txt").write_text(STORY)
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere")
    (tmp_path / "red\x1b[31m.txt").write_bytes(b"\x00")
    os.close(os.open(os.path.join(os.fsencode(tmp_path), b"bad\xff.txt"), os.O_WRONLY | os.O_CREAT))
    with deadline(60):
        result = CliRunner().invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"error: {tmp_path}/bad\\xff.txt: file name is not valid UTF-8: rename the file to read it",
        f"error: {tmp_path}/gone.txt: broken symbolic link (its target does not exist, or links loop)",
        f"error: {tmp_path}/pipe.txt: not a regular file (a device, FIFO or socket): only files are read",
        f"error: {tmp_path}/red\\x1b[31m.txt: binary file (contains NUL bytes)",
    ]
    assert [json.loads(line)["speaker"] for line in result.stdout.splitlines()] == ["Ana Ruiz"]
