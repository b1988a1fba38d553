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


@pytest.mark.parametrize("inner", ['"equal justice"', '“equal justice”'])
def test_a_quote_running_on_over_paragraphs_keeps_a_quote_nested_in_its_first_paragraph(inner):
    text = (f'Dr. Ward stated:\n\n"The department is not about {inner} anymore. It is about the mayor.\n\n'
            '"The latest example is the city suing the county."')
    assert texts(text) == [f"The department is not about {inner} anymore. It is about the mayor.",
                           "The latest example is the city suing the county."]


def test_a_quote_a_speech_verb_leads_into_is_no_nested_quote_of_an_unclosed_one():
    text = '"Absent a force on the ground, he added, "this is how the group is going to be reduced."\n\nThe end.'
    assert texts(text)[-1] == "this is how the group is going to be reduced."


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


def test_a_quote_nested_in_one_of_its_own_kind_keeps_its_host_whole():
    text = '"He told me "never again" and walked out of the room," Ana Ruiz said.'
    assert texts(text) == ['He told me "never again" and walked out of the room,']


def test_quotes_one_after_another_in_a_paragraph_stay_apart():
    assert texts('"Go home," he said. "We stay," she said. "Fine."') == ["Go home,", "We stay,", "Fine."]


def test_an_opener_never_closed_before_a_later_quote_does_not_swallow_it():
    assert texts('He said "the plan is dead. Later "we move on," she said.') == ["we move on,"]


def test_an_escaped_mark_inside_a_quote_is_no_mark_of_its_own():
    text = '"He said \\"no\\" and left," Ana Ruiz said.'
    assert texts(text) == ['He said \\"no\\" and left,']


def test_a_quote_runs_on_over_a_line_break_in_a_text_written_line_by_line():
    text = 'Ruiz spoke.\n"We will rebuild the bridge\nand the road by May," Ana Ruiz said.\n"Next," she said.'
    assert texts(text) == ["We will rebuild the bridge\nand the road by May,", "Next,"]


def test_a_single_line_break_inside_a_paragraph_does_not_end_a_quote():
    text = 'Ruiz spoke.\n\n"We will rebuild the bridge\nand the road by May," Ana Ruiz said.'
    assert texts(text) == ["We will rebuild the bridge\nand the road by May,"]


def test_doubled_curly_apostrophes_count_as_double_quotes():
    assert texts("’’We will rebuild,’’ Ana Ruiz said.") == ["We will rebuild,"]
    assert texts("‘’We will rebuild,‘’ Ana Ruiz said.") == ["We will rebuild,"]


def test_single_quoted_speech_is_found_in_an_article_quoting_names_in_double_marks():
    text = ('The "Green Deal" and the "Blue Plan" were debated.\n\n'
            "Ana Ruiz said: 'We will rebuild the bridge by May.'\n\n"
            "'That is not enough for the town,' Tom Lee said.")
    assert texts(text) == ["Green Deal", "Blue Plan", "We will rebuild the bridge by May.", "That is not enough for the town,"]


def test_single_quotes_on_a_cross_headline_in_capitals_are_no_speech_even_before_says():
    text = ('"The harbor will stay open," the mayor said.\n'
            "FISHERMEN FACE 'STORM SEASON,' COAST GUARD SAYS\n"
            '"We are ready," Tom Lee said.')
    assert texts(text) == ["The harbor will stay open,", "We are ready,"]


def test_double_quoted_speech_is_found_in_an_article_quoting_in_single_marks():
    text = ("‘We will not move,’ the minister said. ‘It is over,’ she added. ‘No,’ he said. ‘Go,’ I said.\n\n"
            "“The farmers will win this fight,” Tom Lee said.")
    assert texts(text)[-1] == "The farmers will win this fight,"


def test_apostrophes_never_pair_into_quotes_beside_double_quoted_speech():
    text = ('"We are ready," she said.\n\n'
            "In the '90s the Smiths' house stood on rock 'n' roll street, the Joneses' lawyer said.")
    assert texts(text) == ["We are ready,"]


def test_a_leading_apostrophe_of_an_elided_word_never_opens_a_quote():
    single = Settings(quote_marks=("single",))
    assert texts("'Tis the Smiths' season, she wrote. Let 'em go, the Joneses' aide said.", single) == []


def test_a_quote_still_open_where_the_article_ends_is_cut_off_not_a_quote():
    assert texts('Ruiz spoke on Monday. "The bridge is old," she said. "We will rebuild the bridge') == ["The bridge is old,"]
