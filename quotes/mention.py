"""The record extraction produces: one quote mention in one article (DESIGN.md contract); how its parts read.

The two text helpers live here, beside the record, rather than with name matching
(quotes.names) or deduplication (quotes.dedup): the query commands print them, and loading those
modules' word lists and edit distances would cost them more than their query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from quotes.article import Article


@dataclass(frozen=True)
class Span:
    """A piece of the article body: ``body[start:end] == text``."""

    text: str
    start: int
    end: int


@dataclass
class Mention:
    """One occurrence of a quote in one article, with its speaker and role as given there."""

    text: str
    start: int
    end: int
    speaker: str | None = None  # canonical name resolved within the article
    speaker_kind: str | None = None  # person / organization / anonymous
    speaker_mention: Span | None = None  # the words the attribution rests on ("He", "Kirby")
    role: str | None = None  # "National Security Council coordinator"
    title: str | None = None  # "coordinator"
    organization: str | None = None  # "National Security Council" (as printed)
    cue: str | None = None  # "said"
    kind: str = "direct"  # direct / partial
    group: int = 0  # pieces of one split or multi-paragraph quote share a group
    confidence: float = 0.5

    def record(self, article: Article) -> dict:
        """The JSON object ``quotes extract`` prints for this mention."""
        out = {"article_id": article.id, "url": article.url, "outlet": article.outlet}
        out.update(asdict(self))
        return out


def role_text(title: str | None, organization: str | None) -> str:
    """A role as a reader would say it: "National Security Council coordinator"."""
    return " ".join(part for part in (organization, title) if part)


def unit_text(pieces: Iterable[str]) -> str:
    """One quote as printed from the pieces of a split or multi-paragraph quote, in article order."""
    return " ".join(piece.strip() for piece in pieces if piece.strip())
