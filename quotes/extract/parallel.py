"""Extraction on every core: worker processes that return mention lists, in input order, to one parent.

The workers are forked from the parent once its pipeline is loaded: they start in milliseconds,
share the model's memory copy-on-write, and run whatever pipeline the caller gave (a spawned
worker would have to load the model again, and could not be given a pipeline with components of
the caller's own). Forking is safe here because the parent forks every worker at once, before
the pool starts its own thread, and does no model work while they run; the only other threads,
OpenBLAS's, are idle and stopped by its fork handler (the models multiply through OpenBLAS held
to one thread while they run, see quotes.extract.pieces). Where the platform cannot fork safely
(Windows; macOS, whose system libraries may crash in a forked child) extraction runs in one process.

A worker that dies (the OOM killer, a signal) breaks its pool: the chunks it and the others
held are extracted again in the parent, one by one, and the rest goes to a new pool, forked once
the broken one has shut down.

Memory stays bounded: the parent reads ahead at most IN_FLIGHT chunks per worker, each of one
batch of articles; a worker holds one batch's parse at a time (quotes.extract.pieces), and keeps
the memory a batch frees for the next (WORKER_MALLOC) rather than fault it in again.
"""

from __future__ import annotations

import ctypes
import itertools
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from spacy.language import Language

from quotes.article import Article
from quotes.extract import pieces
from quotes.mention import Mention

#: Chunks handed to the pool per worker before the parent waits for the oldest: enough that no
#: worker waits for the parent, few enough that memory does not grow with the input.
IN_FLIGHT = 2

#: Seconds between a worker's looks at whether its parent is still alive.
PARENT_CHECK_SECONDS = 1.0

#: A worker's result for one article: its mentions, or what it failed with.
Result = list[Mention] | BaseException

_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3  # glibc's malloc.h
#: glibc malloc settings (mallopt parameter: value) in a worker, which does nothing but extract:
#: freed memory is kept (M_TRIM_THRESHOLD, M_TOP_PAD) and the models' large arrays come from the
#: heap (M_MMAP_THRESHOLD, at its documented most on 64-bit), not from fresh pages each batch. In
#: a forked worker every fresh page is a fault: this halves its page faults and saves some 2 s of
#: system CPU in 200 articles.
WORKER_MALLOC = {_M_MMAP_THRESHOLD: 32 << 20, _M_TRIM_THRESHOLD: 1 << 30, _M_TOP_PAD: 64 << 20}

_nlp: Language | None = None  # a worker's pipeline, given by the parent at fork


def can_fork() -> bool:
    """True where worker processes can be forked safely from a process with the pipeline loaded."""
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


def available_cores() -> int:
    """The CPUs this process may run on (its affinity where the OS has one), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def in_process(nlp: Language, articles: Iterable[Article], batch_size: int,
               on_error: Callable[[Article, Exception], None]) -> Iterator[tuple[Article, list[Mention]]]:
    """Each article with its mentions, extracted in this process in batches (see quotes.extract.pieces)."""
    for doc, article in pieces.pipe(nlp, ((a.text, a) for a in articles), batch_size, on_error):
        yield article, doc._.quotes


def on_cores(nlp: Language, articles: Iterable[Article], jobs: int, batch_size: int,
             on_error: Callable[[Article, Exception], None]) -> Iterator[tuple[Article, list[Mention]]]:
    """What :func:`in_process` gives, the same and in the same order, extracted by ``jobs`` forked workers.

    Each chunk of ``batch_size`` articles goes to one worker as texts; its results come back in
    order, and a failed article is given to ``on_error`` here, in the parent. Input that fits
    in one chunk is extracted in this process: a pool would cost more than it saves.
    """
    chunks = _chunks(articles, batch_size)
    head = list(itertools.islice(chunks, 2))
    if len(head) < 2:
        yield from in_process(nlp, itertools.chain.from_iterable(head), batch_size, on_error)
        return
    pool = _pool(nlp, jobs)
    try:
        in_flight: deque[tuple[list[Article], Future[list[Result]]]] = deque()
        for chunk in itertools.chain(head, chunks):
            try:
                future = pool.submit(_extract_texts, [a.text for a in chunk], batch_size)
            except BrokenProcessPool:  # a worker died: the rest goes to a new pool
                pool.shutdown(wait=True, cancel_futures=True)
                pool = _pool(nlp, jobs)
                future = pool.submit(_extract_texts, [a.text for a in chunk], batch_size)
            in_flight.append((chunk, future))
            if len(in_flight) >= IN_FLIGHT * jobs:
                yield from _results(*in_flight.popleft(), nlp, batch_size, on_error)
        while in_flight:
            yield from _results(*in_flight.popleft(), nlp, batch_size, on_error)
    finally:  # also when the caller stops early: drop the chunks no worker has started
        pool.shutdown(wait=True, cancel_futures=True)


def _pool(nlp: Language, jobs: int) -> ProcessPoolExecutor:
    """``jobs`` workers forked now, each keeping ``nlp``."""
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(nlp, os.getpid()))


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """``articles`` in lists of ``size``, read lazily."""
    it = iter(articles)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _results(chunk: list[Article], future: Future[list[Result]], nlp: Language, batch_size: int,
             on_error: Callable[[Article, Exception], None]) -> Iterator[tuple[Article, list[Mention]]]:
    """The articles of one chunk with their mentions, once its worker is done; failures to ``on_error``.

    A chunk whose worker died (killed, out of memory) is extracted again here, in this process.
    """
    try:
        results = future.result()
    except BrokenProcessPool:
        yield from in_process(nlp, chunk, batch_size, on_error)
        return
    for article, result in zip(chunk, results, strict=True):
        if isinstance(result, BaseException):
            on_error(article, result)
        else:
            yield article, result


def _start_worker(nlp: Language, parent: int) -> None:
    """Keep the parent's pipeline (inherited at fork, never pickled); leave Ctrl-C to the parent,
    and go when the parent goes (its pid given by the parent: one killed before this runs is seen)."""
    global _nlp
    _nlp = nlp
    keep_freed_memory()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def keep_freed_memory() -> bool:
    """Set WORKER_MALLOC in this process, the mmap threshold first (glibc keeps its own self-raising one if
    that is refused); False where malloc is not glibc's (musl, macOS) or refuses a setting."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return all(mallopt(param, value) == 1 for param, value in WORKER_MALLOC.items())


def _exit_with_parent(parent: int) -> None:
    """End this worker once its parent is gone: a parent killed outright (kill -9) closes no pipe the
    worker waits on, and the worker would wait for work forever."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _extract_texts(texts: list[str], batch_size: int) -> list[Result]:
    """In a worker: each text's mentions, or the exception it failed with."""
    assert _nlp is not None, "a worker without a pipeline"
    results: list[Result] = [RuntimeError("the pipeline dropped this article")] * len(texts)

    def failed(i: int, exc: Exception) -> None:
        results[i] = _sendable(exc)

    for doc, i in pieces.pipe(_nlp, ((text, i) for i, text in enumerate(texts)), batch_size, failed):
        results[i] = doc._.quotes
    return results


def _sendable(exc: Exception) -> Exception:
    """``exc`` if it survives pickling to the parent, else a RuntimeError that says what it was."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
