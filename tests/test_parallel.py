"""Extraction on several cores gives what one process gives, in the same order, failures included."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import sys

import pytest

from quotes.article import Article
from quotes.extract import extract_many, parallel
from quotes.extract.components import Quotes
from quotes.mention import Mention, Span

ARTICLES = [
    '"The pier reopens on Monday," harbor master Tom Reyes said.',
    'Mayor Ana Ruiz spoke at noon. "We will not raise the fare," she said.',
    "The council called the plan 'reckless' and moved on.",
    'BOOM "This one never gets extracted," said Leo Brandt.',
    '"We tried," Ruth Amos said, "but the vote failed."\n\nShe added: "We will ask again in May."',
    'Prices rose again. "Nobody expected it," said economist Mira Holm.',
    '"The ferry runs again," the port authority said in a statement.',
    'Gov. Laura Kelly visited the school. "Not one dollar," Kelly said.',
    '"Every crane has been checked twice," said Sam Otieno, the chief engineer.',
]


@pytest.fixture
def boom_fails(monkeypatch):
    """The quotes component raises on an article saying BOOM (forked workers inherit the patch)."""
    attribute = Quotes.__call__

    def fragile(self, doc):
        if "BOOM" in doc.text:
            raise ValueError("cannot take a BOOM")
        return attribute(self, doc)

    monkeypatch.setattr(Quotes, "__call__", fragile)


@pytest.fixture
def worker_dies(monkeypatch):
    """A forked worker handed an article saying DIES exits on the spot, as one the OOM killer took;
    this process extracts it as any other."""
    attribute, parent = Quotes.__call__, os.getpid()

    def mortal(self, doc):
        if "DIES" in doc.text and os.getpid() != parent:
            os._exit(1)
        return attribute(self, doc)

    monkeypatch.setattr(Quotes, "__call__", mortal)


def run(nlp, jobs: int) -> tuple[list[tuple[str, list[Mention]]], list[tuple[str, str]], int]:
    """The (id, mentions) extracted, the (id, error) reported, and the worker processes seen."""
    failed: list[tuple[str, str]] = []
    articles = (Article(str(i), text) for i, text in enumerate(ARTICLES))
    done, workers = [], 0
    for article, mentions in extract_many(articles, nlp, batch_size=1, jobs=jobs,
                                          on_error=lambda a, exc: failed.append((a.id, f"{type(exc).__name__}: {exc}"))):
        workers = max(workers, len(multiprocessing.active_children()))
        done.append((article.id, mentions))
    return done, failed, workers


@pytest.mark.skipif(not parallel.can_fork(), reason="extraction runs in one process where it cannot fork")
def test_two_workers_give_the_mentions_and_failures_of_one_process_in_the_same_order(nlp, boom_fails):
    one, one_failed, _ = run(nlp, jobs=1)
    two, two_failed, workers = run(nlp, jobs=2)
    assert workers == 2
    assert [i for i, _ in two] == ["0", "1", "2", "4", "5", "6", "7", "8"]
    assert two == one and sum(len(m) for _, m in two) >= 8
    assert two_failed == one_failed == [("3", "ValueError: cannot take a BOOM")]


def test_a_mention_survives_the_trip_from_a_worker():
    mention = Mention("We are ready", 1, 13, speaker="Ana Ruiz", speaker_mention=Span("Ruiz", 20, 24), cue="said")
    assert pickle.loads(pickle.dumps(mention)) == mention


def test_an_error_that_cannot_be_unpickled_reaches_the_parent_by_its_name_and_message():
    class Picky(Exception):
        def __init__(self, code: int, why: str):
            super().__init__(f"{code}: {why}")

    sent = parallel._sendable(Picky(7, "no parse"))
    assert (type(sent), str(sent)) == (RuntimeError, "Picky: 7: no parse")


@pytest.mark.skipif(not parallel.can_fork(), reason="extraction runs in one process where it cannot fork")
def test_extract_prints_the_same_lines_and_errors_whatever_the_jobs(tmp_path, boom_fails):
    from click.testing import CliRunner

    from quotes.cli import cli

    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{i}", "text": ARTICLES[i % len(ARTICLES)]}) + "\n" for i in range(40)))
    one, two = (CliRunner().invoke(cli, ["extract", "--jobs", jobs, str(path)]) for jobs in ("1", "2"))
    assert one.exit_code == two.exit_code == 1
    assert two.stdout == one.stdout and two.stdout.count("\n") >= 30
    assert two.stderr == one.stderr and one.stderr.count("ValueError: cannot take a BOOM") == 5


@pytest.mark.skipif(not parallel.can_fork(), reason="extraction runs in one process where it cannot fork")
def test_the_articles_of_a_worker_that_died_are_extracted_in_this_process_and_the_run_goes_on(nlp, worker_dies,
                                                                                                monkeypatch):
    texts = [text for text in ARTICLES if "BOOM" not in text]
    texts[2] = '"The DIES ferry is late," said Omar Diaz.'
    monkeypatch.setattr(sys.modules[__name__], "ARTICLES", texts)
    one, one_failed, _ = run(nlp, jobs=1)
    two, two_failed, workers = run(nlp, jobs=2)
    assert workers >= 1 and two_failed == one_failed == []
    assert two == one and [i for i, _ in two] == [str(i) for i in range(len(texts))]


def _faults_reallocating(keep: bool, queue) -> None:
    """In a forked child: the page faults of a third batch of 64 arrays of 1 MB, each batch freed before
    the next, with the workers' malloc settings or glibc's documented defaults (None where they cannot
    be set). The defaults are set, not inherited: the parent's heap may have raised its thresholds."""
    import ctypes
    import resource

    import numpy

    if not (parallel.keep_freed_memory() if keep else _malloc_defaults(ctypes)):
        queue.put(None)
        return
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        arrays = [numpy.ones(1 << 18, dtype=numpy.float32) for _ in range(64)]
        del arrays
    queue.put(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)


def _malloc_defaults(ctypes) -> bool:
    """glibc's default mmap and trim thresholds and top pad (128 KiB each, mallopt(3)); False if not glibc."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return all(mallopt(param, 128 << 10) == 1 for param in (-1, -2, -3))  # M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD


@pytest.mark.skipif(not parallel.can_fork(), reason="extraction runs in one process where it cannot fork")
def test_a_worker_fills_the_next_batch_from_memory_the_last_one_freed():
    context = multiprocessing.get_context("fork")
    faults = {}
    for keep in (False, True):
        queue = context.Queue()
        child = context.Process(target=_faults_reallocating, args=(keep, queue))
        child.start()
        faults[keep] = queue.get(timeout=60)
        child.join()
    if None in faults.values():
        pytest.skip("malloc is not glibc's: the workers keep its defaults")
    assert faults[True] * 10 < faults[False]  # by default, 64 MB of fresh pages again
