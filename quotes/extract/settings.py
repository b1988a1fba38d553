"""The settings of quote extraction, as the ``quotes`` component's spaCy config gives them."""

from __future__ import annotations

from dataclasses import dataclass

#: The quotation-mark families detect knows (see quotes.extract.detect).
FAMILIES = ("double", "single")
#: Who picks the speaker (see Settings.scorer).
SCORERS = ("learned", "rules")


@dataclass(frozen=True)
class Settings:
    """What counts as a quote; the defaults are the behaviour the evaluation figures describe."""

    #: Families an article may quote speech with; with both, the one it uses most wins.
    quote_marks: tuple[str, ...] = FAMILIES
    #: A quote whose content is longer than this many characters is a stray mark, not a quote.
    max_quote_chars: int = 5000
    #: Lower-case quoted fragments of at most this many words need a speech verb to count as quotes.
    max_scare_words: int = 1
    #: Quoted words that nothing attributes and that are this short are a nickname or a scare quote.
    max_orphan_words: int = 4
    #: Who picks each quote's speaker: "learned" (the scorer over all candidates,
    #: quotes.extract.scorer) or "rules" (the ladder); confidence is calibrated either way.
    scorer: str = "rules"
    #: Parse with the models only the paragraphs that can hold an attribution, and those that
    #: introduce the people they name (quotes.extract.windows); off, every word is parsed.
    parse_windows: bool = True
    #: With parse windows on, the NER does not read the words of a quote of at least this many
    #: tokens: the names attribution reads stand outside quotes, and long quotes are a quarter of
    #: the words the NER, half the models' cost, would read (0: it reads every word).
    ner_skips_quotes_of: int = 8
    #: With parse windows on, the NER reads only the words at most this many tokens from a word
    #: that starts with a capital or a digit, is a number or is a speech verb: every entity
    #: attribution reads ("Ana Ruiz", "60 percent", "the ministry said") is within that reach (0: it
    #: reads every word).
    ner_reach: int = 3

    def __post_init__(self) -> None:
        if not self.quote_marks or set(self.quote_marks) - set(FAMILIES):
            raise ValueError(f"quote_marks must name some of {FAMILIES}, not {self.quote_marks!r}")
        if self.scorer not in SCORERS:
            raise ValueError(f"scorer must be one of {SCORERS}, not {self.scorer!r}")
        # a config gives a list, maybe with repeats: keep each family once, in FAMILIES order
        object.__setattr__(self, "quote_marks", tuple(f for f in FAMILIES if f in self.quote_marks))
        for name in ("max_quote_chars", "max_scare_words", "max_orphan_words", "ner_skips_quotes_of", "ner_reach"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")


DEFAULT_SETTINGS = Settings()
