"""The word lists attribution and speaker identity read, loaded once from ``data/lexicon.toml``.

The data file is the one place a speech verb, honorific or title word is added; this module
only turns its entries into the look-up sets the code uses (every inflected form of every verb,
so the pipeline needs no lemmatizer). A lexicon of one's own, with the same tables, replaces the
packaged one when the environment names it (QUOTES_LEXICON=path) before quotes is imported.
"""

from __future__ import annotations

import os
import tomllib
from importlib.resources import files
from pathlib import Path

from quotes import QuotesError


class LexiconError(QuotesError):
    """The lexicon QUOTES_LEXICON names cannot be read."""


def _source() -> str:
    path = os.environ.get("QUOTES_LEXICON")
    if not path:
        return files("quotes").joinpath("data/lexicon.toml").read_text(encoding="utf-8")
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"QUOTES_LEXICON={path}: {exc}") from None


#: The lexicon's text, as the extractor version digests it (quotes.extract.extractor_version).
SOURCE = _source()
try:
    _DATA = tomllib.loads(SOURCE)
except tomllib.TOMLDecodeError as exc:
    raise LexiconError(f"the lexicon is not TOML: {exc}") from None


def inflections(lemma: str, forms: list[str] | None = None, double: bool = False) -> frozenset[str]:
    """The forms of an English verb: say -> says, saying, said (``forms`` lists irregular ones)."""
    # a silent final e goes before -ing (write -> writing), a double one stays (agree -> agreeing)
    ing = lemma[:-1] + "ing" if lemma.endswith("e") and not lemma.endswith("ee") else lemma + "ing"
    if forms:
        return frozenset({lemma, lemma + "s", ing, *forms})
    found = {lemma}
    if double:
        found |= {lemma + "s", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    elif lemma.endswith("e"):
        found |= {lemma + "s", lemma + "d", ing}
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        found |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    elif lemma.endswith(("s", "sh", "ch", "x", "z")):
        found |= {lemma + "es", lemma + "ed", lemma + "ing"}
    else:
        found |= {lemma + "s", lemma + "ed", lemma + "ing"}
    return frozenset(found)


def _verb_forms(behaviour: str, default: bool = False) -> frozenset[str]:
    """Every form of every verb whose entry sets ``behaviour`` (or leaves it at ``default``)."""
    return frozenset().union(*(
        inflections(lemma, entry.get("forms"), entry.get("double", False))
        for lemma, entry in _DATA["verbs"].items() if entry.get(behaviour, default)
    ))


#: Every form of every speech verb ("said", "tells", "adding").
CUE_FORMS = _verb_forms("cue", default=True)
#: Cues that carry on what a reporting verb began ("X said the plan could fail and said, ...").
CONTINUATION_FORMS = _verb_forms("continues")
#: Verbs voicing the reported actor ("..., shouting"), not the reporter.
VOCAL_FORMS = _verb_forms("vocal")
#: Verbs by which a speaker puts out words another thing carries: "released an ad that says ...".
PUBLISHING_FORMS = _verb_forms("publishes")
#: Verbs that make a noun of speech their subject's: "Ruiz made the claim that ...".
UTTERING_FORMS = _verb_forms("utters")
#: Verbs that say the speech verb they govern was not spoken: "denied saying", "declined to say".
NEGATING_FORMS = _verb_forms("negates")
#: Verbs that introduce speech only when they take no object: "'Would it?' Hannity pressed."
INTRANSITIVE_CUE_FORMS = _verb_forms("bare")
#: Verbs that give a thing a name: "dubbed the plan a 'blank check'" quotes the name, not speech.
NAMING_FORMS = _verb_forms("names")
#: Verbs that report a thought: 'he thought, "..."'.
THOUGHT_FORMS = _verb_forms("thinks")
#: For a speech verb introducing speech only when it governs one of some words, each form's words ("spoke" -> of, to).
CUE_NEEDS: dict[str, frozenset[str]] = {
    form: frozenset(entry["needs"])
    for lemma, entry in _DATA["verbs"].items() if "needs" in entry
    for form in inflections(lemma, entry.get("forms"), entry.get("double", False))
}
#: "verb:particle" pairs that introduce speech only together: "shot:back", "went:on".
PHRASAL_CUES = frozenset(pair.replace(" ", ":") for pair in _DATA["phrasal"]["cues"])
#: The verbs of PHRASAL_CUES.
PHRASAL_VERBS = frozenset(pair.split(":")[0] for pair in PHRASAL_CUES)

PRONOUN_GENDER: dict[str, str] = _DATA["pronouns"]["gender"]
PERSONAL_PRONOUNS = frozenset(_DATA["pronouns"]["personal"])
RELATIVE_PRONOUNS = frozenset(_DATA["pronouns"]["relative"])
NON_SPEAKING_PRONOUNS = frozenset(_DATA["pronouns"]["non_speaking"])
#: Speaker mentions that are not names and so never become aliases.
NOT_NAMES = frozenset(_DATA["pronouns"]["not_names"])

ANONYMOUS_NOUNS = frozenset(_DATA["nouns"]["anonymous"])
ORGANIZATION_NOUNS = frozenset(_DATA["nouns"]["organization"])
WORK_TITLE_CUES = frozenset(_DATA["nouns"]["work_title_cues"])
TITLE_CASE_SMALL_WORDS = frozenset(_DATA["nouns"]["title_case_small"])
WORK_MAKERS = frozenset(_DATA["nouns"]["work_makers"])
GENERIC_SPEAKERS = frozenset(_DATA["nouns"]["generic_speakers"])
SPEECH_NOUNS = frozenset(_DATA["nouns"]["speech"])
DOCUMENT_NOUNS = frozenset(_DATA["nouns"]["documents"])
SURVEY_NOUNS = frozenset(_DATA["nouns"]["surveys"])
#: Nouns whose owner speaks through "in X's words", "in the words of X", "in his view".
OWNERS_WORDS_NOUNS = frozenset(_DATA["nouns"]["in_owners_words"])

#: Words an apostrophe shortens at their start ('tis, 'em): a mark before one is no quote's opener.
ELISIONS = frozenset(_DATA["marks"]["elisions"])
GLUED_MARKS = tuple(_DATA["marks"]["glued"])
GLUED_AFTER = tuple(_DATA["marks"]["glued_after"])
#: Dashes that set a name or a headline apart, and with a space beside them end a noun phrase.
DASHES = frozenset(_DATA["marks"]["dashes"])

TITLE_WORDS = frozenset(_DATA["titles"]["words"])
TITLE_MODIFIERS = frozenset(_DATA["titles"]["modifiers"])
TITLE_FAMILIES: dict[str, str] = _DATA["titles"]["families"]
#: Role words too common to tie two roles to one field ("house" is in the White House and the House).
GENERIC_ROLE_WORDS = frozenset(_DATA["titles"]["generic"])

#: Honorifics and the title each implies (None for Mr., Ms. and the like).
HONORIFICS: dict[str, str | None] = {word: title or None for word, title in _DATA["names"]["honorifics"].items()}
FEMALE_HONORIFICS = frozenset(_DATA["names"]["female_honorifics"])
MALE_HONORIFICS = frozenset(_DATA["names"]["male_honorifics"])
#: First names that tell a gender ("laura" -> "f").
FIRST_NAME_GENDER: dict[str, str] = {
    **{n: "m" for n in _DATA["names"]["male_first_names"]}, **{n: "f" for n in _DATA["names"]["female_first_names"]}}
NAME_SUFFIXES = frozenset(_DATA["names"]["suffixes"])
ACRONYM_SMALL_WORDS = frozenset(_DATA["names"]["acronym_small"])
#: Capitalised words that are no one's name ("Tuesday", "Some", "From"), and organisation endings ("News").
NOT_PERSON_WORDS = frozenset(_DATA["names"]["not_person_words"])
ORGANIZATION_ENDINGS = frozenset(_DATA["names"]["organization_endings"])

#: Line-opening labels ("UPDATE:", "EDITOR'S NOTE:", "Q:") that name no speaker of a transcript.
NOT_SPEAKER_LABELS = frozenset(_DATA["transcripts"]["not_speakers"])

#: Entity labels that never speak, though the parser makes them subjects ("Saturday, X said").
NOT_SPEAKER_ENTITIES = frozenset(_DATA["entities"]["never_speak"])
#: Entity types of words that are never a candidate speaker (days, times, amounts, events, laws).
NEVER_SPEAKING_ENTITIES = frozenset(_DATA["entities"]["never_candidates"])
#: Abstract nouns that never speak ("a number", "the idea").
NEVER_SPEAKING_NOUNS = frozenset(_DATA["entities"]["never_speaking_nouns"])
