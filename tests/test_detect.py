"""Detection: quoted spans found by their quotation marks, before any parsing."""

import pytest

from quotes.extract.detect import find_quotes, paragraphs
from quotes.extract.settings import Settings


def texts(text, settings=Settings()):
    return [text[q.start : q.end] for q in find_quotes(text, settings)]


def test_curly_double_quotes_are_found_without_their_marks():
    assert texts("“We are ready,” the mayor said.") == ["We are ready,"]


def test_straight_double_quotes_pair_up_in_order():
    assert texts('She said "yes" and then "no, never" twice.') == ["yes", "no, never"]


def test_doubled_apostrophes_count_as_double_quotes():
    assert texts("''We will see,'' Mr. Abel said.") == ["We will see,"]


def test_guillemets_are_quotation_marks():
    assert texts("Elle a dit « nous partons » hier.") == ["nous partons"]


def test_british_single_quotes_are_quotes_when_the_article_uses_them():
    text = "‘We will not move,’ the minister said. ‘It’s over,’ she added, as the farmers’ union agreed."
    assert texts(text) == ["We will not move,", "It’s over,"]


def test_apostrophes_do_not_open_quotes():
    assert texts("It’s the mayor’s plan, and the officials’ view, not ours.") == []


def test_a_nested_quote_of_the_other_kind_stays_inside_its_host():
    text = "“He told me ‘never again’ and left,” Ms. Dunn said."
    assert texts(text) == ["He told me ‘never again’ and left,"]


def test_a_quote_over_two_paragraphs_gives_one_piece_per_paragraph_sharing_a_group():
    text = "Dunn said: “The first part runs on.\n\n“And the second part ends here,” she said."
    found = find_quotes(text)
    assert [text[q.start : q.end] for q in found] == ["The first part runs on.", "And the second part ends here,"]
    assert found[0].group == found[1].group
    assert (found[0].closed, found[1].closed) == (False, True)


def test_an_unbalanced_mark_does_not_swallow_the_next_paragraph():
    text = 'A stray " mark here.\n\n"A real quote," Lee said.'
    assert texts(text)[-1] == "A real quote,"


def test_blank_lines_separate_paragraphs_when_present_and_single_breaks_otherwise():
    assert paragraphs("one\ntwo\n\nthree") == [(0, 7), (9, 14)]
    assert paragraphs("one\ntwo") == [(0, 3), (4, 7)]


def test_offsets_always_point_at_the_text():
    text = "x “a” y ''b'' z \"c\" ‘d’"
    for q in find_quotes(text):
        assert text[q.start : q.end].strip() == text[q.start : q.end]
        assert text[q.start : q.end]


def test_marks_inside_markup_tags_are_not_quotes():
    text = '<tweet author="@jdoe" id="42">We won tonight</tweet> and "that" was it.'
    assert texts(text) == ["that"]


def test_a_curly_mark_printed_the_wrong_way_round_still_closes():
    assert texts("They asked for an “expedited review“ of the pipes.") == ["expedited review"]


def test_a_closing_mark_after_a_nested_quote_and_a_space_still_closes():
    text = "\"You shake hands and say, 'Well done,' \" said Rep. Ada Kline. \"Then you go home.\""
    assert texts(text) == ["You shake hands and say, 'Well done,'", "Then you go home."]


def test_quote_marks_limit_the_families_an_article_may_quote_speech_with():
    british = "‘We will not move,’ the minister said. ‘It’s over,’ she added."
    assert texts(british, Settings(quote_marks=("double",))) == []
    assert texts('“Go,” he said.', Settings(quote_marks=("single",))) == []
    assert texts(british, Settings(quote_marks=["single", "double", "single"])) == ["We will not move,", "It’s over,"]


def test_a_quote_longer_than_max_quote_chars_is_a_stray_mark():
    text = '"' + "word " * 20 + 'end," she said.'
    assert texts(text, Settings(max_quote_chars=50)) == []
    assert len(texts(text)) == 1


def test_settings_refuse_a_family_detect_does_not_know():
    with pytest.raises(ValueError, match="quote_marks"):
        Settings(quote_marks=("angled",))
    with pytest.raises(ValueError, match="quote_marks"):
        Settings(quote_marks=())
