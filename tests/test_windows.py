"""The models parse only the paragraphs that can hold an attribution, and the output is what a full parse gives (issue 14)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import spacy

from quotes.extract import extract, pieces, windows
from quotes.extract.settings import Settings

FILLER = "The ferry crossed the bay twice a day, and the harbor board met in Oslo on Mondays.\n\n"

FAR_APART = ("Harbor Board Approves New Ferry Schedule\n\n"
             '"We will run every hour," Mira Holm, the harbor director, said on Monday.\n\n'
             + FILLER * 6
             + 'Critics were unconvinced. "It is a promise we have heard before," said Leo Brandt.\n\n'
             + FILLER * 6
             + '"The first boat leaves at six," Holm said. She added: "Tickets go on sale today."')

INTRODUCED_FAR_AWAY = ("Senator Ann Smith has pushed for the new pier since she was elected in 2019.\n\n"
                       + FILLER * 8
                       + '"It was worth the wait," Smith said.')


@pytest.fixture
def full_parse(nlp, monkeypatch):
    """Extraction with parse_windows off: every word parsed."""
    quotes = nlp.get_pipe("quotes")
    monkeypatch.setattr(quotes, "settings", replace(quotes.settings, parse_windows=False))
    return lambda text: extract(text, nlp)


def summary(mentions) -> list[tuple]:
    return [(m.text, m.start, m.end, m.speaker, m.speaker_mention, m.role, m.cue, m.group, m.confidence) for m in mentions]


def test_windows_skip_the_paragraphs_far_from_any_quote():
    ranges = windows.parse_ranges(FAR_APART, Settings())
    parsed = "".join(FAR_APART[start:end] for start, end in ranges)
    assert '"We will run every hour,"' in parsed and "said Leo Brandt" in parsed and "Tickets go on sale" in parsed
    assert parsed.count("Oslo") == 4  # the filler next to each of the three quoting paragraphs, one shared


def test_mentions_and_their_offsets_are_the_same_with_windows_on_and_off(quotes_of, full_parse):
    windowed = quotes_of(FAR_APART)
    assert [m.speaker for m in windowed] == ["Mira Holm", "Leo Brandt", "Mira Holm", "Mira Holm"]
    assert summary(windowed) == summary(full_parse(FAR_APART))
    assert all(FAR_APART[m.start : m.end] == m.text for m in windowed)
    assert all(FAR_APART[s.start : s.end] == s.text for m in windowed if (s := m.speaker_mention))


def test_the_doc_keeps_the_whole_text_and_its_tokens_when_parts_are_skipped(nlp):
    doc = pieces.parse(nlp, FAR_APART)
    assert doc.text == FAR_APART
    assert [t.text for t in doc] == [t.text for t in nlp.make_doc(FAR_APART)]


def test_a_skipped_paragraph_is_not_parsed_and_is_a_sentence_of_its_own(nlp):
    doc = pieces.parse(nlp, FAR_APART)
    middle = FAR_APART.index(FILLER * 6) + len(FILLER) * 3  # the fourth filler paragraph: two from any quote
    skipped = doc.char_span(middle, middle + len(FILLER.strip()))
    assert skipped is not None and not skipped.ents and all(t.dep_ == "" for t in skipped)
    assert skipped.sent.start == skipped.start and skipped.sent.end >= skipped.end
    assert {e.text for e in doc.ents} >= {"Mira Holm", "Leo Brandt", "Monday"}


def test_a_surname_introduced_in_a_skipped_paragraph_resolves_to_the_full_name_and_role(quotes_of, nlp):
    introduction, *_ = windows.parse_ranges(INTRODUCED_FAR_AWAY, Settings())
    assert INTRODUCED_FAR_AWAY[slice(*introduction)] == INTRODUCED_FAR_AWAY[: INTRODUCED_FAR_AWAY.index(FILLER)]
    (mention,) = quotes_of(INTRODUCED_FAR_AWAY)
    assert (mention.speaker, mention.title) == ("Ann Smith", "senator")


NEIGHBOURS = ("The harbor board met on Tuesday night. Its members argued for an hour about the budget. "
              "Mira Holm, the harbor director, stood up at the end.\n\n"
              '"We will run every hour," she said.\n\n'
              "The vote was close. Five members backed the plan and four opposed it. The board meets again in March.")


def parsed_text(text: str) -> str:
    return "".join(text[start:end] for start, end in windows.parse_ranges(text, Settings()))


def test_of_a_paragraph_next_to_a_quote_only_the_sentence_next_to_it_is_parsed():
    parsed = parsed_text(NEIGHBOURS)
    assert "Mira Holm, the harbor director, stood up at the end." in parsed and "The vote was close." in parsed
    assert "Its members argued" not in parsed and "Five members" not in parsed


def test_the_sentence_before_a_quote_is_enough_for_its_pronoun(quotes_of, full_parse):
    (mention,) = quotes_of(NEIGHBOURS)
    assert (mention.speaker, mention.title) == ("Mira Holm", "harbor director")
    assert summary([mention]) == summary(full_parse(NEIGHBOURS))


def test_a_sentence_of_a_neighbour_introducing_a_name_the_quote_uses_is_parsed_too(quotes_of):
    text = ("Senator Ann Smith of Maine voted against the bill. The vote came late on Friday.\n\n"
            '"It was a bad bill," Smith said.')
    assert parsed_text(text) == text
    (mention,) = quotes_of(text)
    assert (mention.speaker, mention.title) == ("Ann Smith", "senator")


def test_a_sentence_of_a_neighbour_giving_a_quoted_name_its_role_by_apposition_is_parsed(quotes_of):
    text = ('The docks were quiet on Monday. Amos, the port director, walked the pier. The cranes stood idle.\n\n'
            '"We will reopen soon," Amos said.')
    parsed = parsed_text(text)
    assert "Amos, the port director, walked the pier." in parsed and "The docks were quiet" not in parsed
    (mention,) = quotes_of(text)
    assert mention.title == "port director"


def test_a_name_ending_a_sentence_is_introduced_in_that_sentence_not_the_next():
    text = ("The plan was drafted by Mayor Ana Ruiz. It went to the council in May. The vote was close.\n\n"
            "The harbor was calm.\n\n"
            '"We will build it," Ruiz said.')
    assert "The plan was drafted by Mayor Ana Ruiz." in parsed_text(text)


def test_a_neighbour_is_not_cut_after_an_honorific_an_initial_or_an_abbreviation():
    text = ('The plan passed. Sen. J. R. Holt of St. Paul and the U.S. Senate called it a start.\n\n'
            '"We are not done," Holt said.')
    assert parsed_text(text) == text[text.index("Sen. J. R. Holt"):]


def test_a_long_run_of_hyphenated_capitals_does_not_stall_the_windows():
    text = '"We are ready," said Ana Ruiz.\n\n' + "A-" * 100_000 + "Z\n\n" + FILLER
    assert windows.parse_ranges(text, Settings())[0][0] == 0  # without the bound on a word: minutes


def test_an_article_without_quotation_marks_is_not_parsed_at_all(nlp):
    text = "Mayor Ana Ruiz opened the pier in Oslo on Monday.\n\nThe crowd cheered."
    assert windows.parse_ranges(text, Settings()) == []
    doc = pieces.parse(nlp, text)
    assert doc.text == text and not doc.ents and not doc.has_annotation("DEP")
    assert [s.text for s in doc.sents] == ["Mayor Ana Ruiz opened the pier in Oslo on Monday.\n\n", "The crowd cheered."]
    assert doc._.quotes == []


def test_with_parse_windows_off_every_paragraph_is_parsed(nlp, full_parse):
    quotes = nlp.get_pipe("quotes")
    assert not quotes.settings.parse_windows
    doc = pieces.parse(nlp, "Mayor Ana Ruiz opened the pier in Oslo on Monday.")
    assert {e.text for e in doc.ents} >= {"Oslo", "Monday"}


def test_the_quotes_component_config_turns_parse_windows_off():
    nlp = spacy.blank("en")
    assert nlp.add_pipe("quotes", config={"parse_windows": False}).settings.parse_windows is False
    assert spacy.blank("en").add_pipe("quotes").settings.parse_windows is True


LONG_QUOTE = ('"We spoke with Governor Tom Reyes in Albany about the ferry, the pier and the winter schedule," '
              'said Ana Ruiz, the mayor of Port Elm.')


def test_the_ner_does_not_read_the_words_of_a_long_quote(nlp):
    doc = pieces.parse(nlp, LONG_QUOTE)
    words = doc.char_span(1, LONG_QUOTE.index(',"'))
    assert not any(t.ent_type_ for t in words)
    assert [e.text for e in doc.ents] == ["Port Elm"]


def test_with_parse_windows_off_the_ner_reads_the_long_quote_too(nlp, full_parse):
    assert {"Tom Reyes", "Albany", "Port Elm"} <= {e.text for e in pieces.parse(nlp, LONG_QUOTE).ents}


def test_the_ner_reads_a_short_quote_and_a_long_one_when_told_to(nlp, monkeypatch):
    assert {e.text for e in pieces.parse(nlp, 'Ana Ruiz called the deal "a win for Albany" on Monday.').ents} == {
        "Albany", "Monday"}
    quotes = nlp.get_pipe("quotes")
    monkeypatch.setattr(quotes, "settings", replace(quotes.settings, ner_skips_quotes_of=0))
    assert {"Tom Reyes", "Albany"} <= {e.text for e in pieces.parse(nlp, LONG_QUOTE).ents}


def test_skipping_long_quotes_leaves_the_mentions_as_reading_every_word_gives(quotes_of, nlp, monkeypatch):
    skipping = quotes_of(LONG_QUOTE + "\n\n" + FAR_APART)
    quotes = nlp.get_pipe("quotes")
    monkeypatch.setattr(quotes, "settings", replace(quotes.settings, ner_skips_quotes_of=0))
    assert summary(quotes_of(LONG_QUOTE + "\n\n" + FAR_APART)) == summary(skipping)
    assert [m.speaker for m in skipping][:1] == ["Ana Ruiz"]


LOWER_RUN = ('"We are ready," said Ana Ruiz, who said that the boats would cross the bay at night and would '
             'be quiet and slow and nearly empty all through the long winter months.')


def test_the_ner_does_not_read_words_far_from_any_capital_or_number(nlp):
    part, = pieces.split(nlp, LOWER_RUN)
    unread = {i for start, end in part.unread for i in range(start, end)}
    doc = part.doc
    assert {t.i for t in doc if t.text in ("quiet", "winter", "months")} <= unread
    assert not {t.i for t in doc if t.text in ("Ana", "Ruiz", "who", "said")} & unread


def test_a_name_amid_lower_case_words_is_still_recognized(nlp):
    text = LOWER_RUN.replace("nearly empty", "nearly empty past Port Elm")
    assert "Port Elm" in {e.text for e in pieces.parse(nlp, text).ents}


def test_the_ner_reads_the_words_before_a_speech_verb(nlp, quotes_of):
    text = 'After a long and quiet review of what went wrong, the port authority said: "repairs will take a week."'
    part, = pieces.split(nlp, text)
    unread = {i for start, end in part.unread for i in range(start, end)}
    assert {t.i for t in part.doc if t.text in ("quiet", "review")} <= unread
    assert not {t.i for t in part.doc if t.text in ("the", "port", "authority")} & unread


def test_reading_only_words_near_names_leaves_the_mentions_as_reading_every_word_gives(quotes_of, nlp, monkeypatch):
    text = (LOWER_RUN + "\n\n" + FAR_APART + "\n\n" + INTRODUCED_FAR_AWAY
            + '\n\nAfter a long and quiet review of what went wrong, the port authority said: "repairs will take a week."')
    near = quotes_of(text)
    quotes = nlp.get_pipe("quotes")
    monkeypatch.setattr(quotes, "settings", replace(quotes.settings, ner_reach=0))
    assert pieces.split(nlp, LOWER_RUN)[0].unread == ()
    assert summary(quotes_of(text)) == summary(near)
    assert [m.speaker for m in near][:1] == ["Ana Ruiz"]


def test_the_quotes_component_config_sets_the_ner_reach():
    nlp = spacy.blank("en")
    assert nlp.add_pipe("quotes", config={"ner_reach": 0}).settings.ner_reach == 0
    assert spacy.blank("en").add_pipe("quotes").settings.ner_reach == 3
    with pytest.raises(ValueError, match="ner_reach"):
        Settings(ner_reach=-1)


def test_names_read_between_unread_stretches_keep_their_place_and_never_span_a_gap(nlp):
    text = (LOWER_RUN.replace("nearly empty", "nearly empty past Port Elm")
            + " The crews said the nights were cold and long and the work was slow and hard, Lena Berg said.")
    part, = pieces.split(nlp, text)
    unread = {i for start, end in part.unread for i in range(start, end)}
    doc = pieces.parse(nlp, text)
    assert len(part.unread) >= 2
    assert {"Port Elm", "Lena Berg"} <= {e.text for e in doc.ents}
    assert not {t.i for e in doc.ents for t in e} & unread
