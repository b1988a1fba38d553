"""Shared fixtures: the spaCy pipeline is loaded once per test session; a local web server per test."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from local_web import LocalWeb

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from quotes.extract import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def quotes_of(nlp):
    """Extract from a text and return its mentions: ``quotes_of('"Hi," she said.')``."""
    from quotes.extract import extract

    return lambda text: extract(text, nlp)


@pytest.fixture
def web() -> Iterator[LocalWeb]:
    """A web server on 127.0.0.1 for the live-input tests (tests/local_web.py), stopped after the test."""
    server = LocalWeb()
    yield server
    server.close()
