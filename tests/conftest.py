"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from pathlib import Path

import pytest

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
