"""Transcripts, statements and post lists (issue 12): quotes whose speaker a label, a preamble or a signature gives.

Every article here is written for the test.
"""

from __future__ import annotations

import time

import pytest

from quotes.extract.attribute import ladder
from quotes.extract.components import Quotes
from quotes.extract.detect import find_quotes
from quotes.extract.scorer import candidate_table
from quotes.extract.settings import Settings
from quotes.extract.transcripts import quote_spans, speaker_labels, with_transcripts

DEBATE = ("Senator Ann Smith and Governor Bob Jones debated on Tuesday.\n\n"
          "SMITH: We will win this state by ten points.\n\n"
          "JONES: Are you sure about that?\n\n"
          "SMITH: I am certain.")


def said(mentions):
    """(quote, speaker, the words naming the speaker) of each mention."""
    return [(m.text, m.speaker, m.speaker_mention.text if m.speaker_mention else None) for m in mentions]


# --- transcripts -----------------------------------------------------------------------------

def test_a_labelled_line_quotes_the_words_after_the_label(quotes_of):
    first = quotes_of(DEBATE)[0]
    assert (first.text, first.kind) == ("We will win this state by ten points.", "direct")


def test_each_labelled_line_goes_to_the_labelled_speaker_under_the_full_name_given_earlier(quotes_of):
    assert said(quotes_of(DEBATE)) == [
        ("We will win this state by ten points.", "Ann Smith", "SMITH"),
        ("Are you sure about that?", "Bob Jones", "JONES"),
        ("I am certain.", "Ann Smith", "SMITH"),
    ]


def test_a_labelled_speaker_keeps_the_role_the_article_gives(quotes_of):
    assert [m.title for m in quotes_of(DEBATE)] == ["senator", "governor", "senator"]


def test_each_labelled_line_is_a_group_of_its_own(quotes_of):
    groups = [m.group for m in quotes_of(DEBATE)]
    assert len(set(groups)) == 3


def test_a_label_inside_quotation_marks_is_left_out_of_the_quote(quotes_of):
    text = 'Governor Bob Jones met the press on Friday.\n\nThe exchange went like this.\n\n"JONES: Are you sure?"'
    assert said(quotes_of(text)) == [("Are you sure?", "Bob Jones", "JONES")]


def test_labels_inside_a_quote_running_over_paragraphs_split_it_by_speaker(quotes_of):
    text = ('Senator Ann Smith took questions from Mayor Tom Reed.\n\n'
            '"REED: Will you fund the harbor?\n\n'
            '"SMITH: We will fund it next year.\n\n'
            '"The money is in the budget already."')
    assert said(quotes_of(text)) == [
        ("Will you fund the harbor?", "Tom Reed", "REED"),
        ("We will fund it next year.", "Ann Smith", "SMITH"),
        ("The money is in the budget already.", "Ann Smith", "SMITH"),
    ]


def test_a_quote_right_after_a_label_is_the_labelled_speakers(quotes_of):
    text = 'Senator Ann Smith and Governor Bob Jones debated.\n\nSMITH: "We will win."\n\nJONES: "We will see."'
    assert said(quotes_of(text)) == [("We will win.", "Ann Smith", "SMITH"), ("We will see.", "Bob Jones", "JONES")]


def test_a_quote_inside_a_labelled_line_stays_part_of_the_line(quotes_of):
    text = DEBATE + '\n\nJONES: My father told me "never give up" and I never did.'
    last = quotes_of(text)[-1]
    assert (last.text, last.speaker) == ('My father told me "never give up" and I never did.', "Bob Jones")


def test_an_honorific_in_the_label_gives_the_title(quotes_of):
    text = 'The candidates met at the library.\n\nSEN. SMITH: We will win.\n\nGOV. JONES: We will see about that.'
    assert [(m.speaker, m.title, m.speaker_mention.text) for m in quotes_of(text)] == [
        ("Smith", "senator", "SEN. SMITH"), ("Jones", "governor", "GOV. JONES")]


def test_a_full_name_label_in_capitals_names_the_speaker_in_title_case(quotes_of):
    text = ('The debate was short.\n\nANN SMITH: We will win.\n\nBOB JONES: We will see about that.\n\n'
            'SMITH: Wait and see.')
    assert [m.speaker for m in quotes_of(text)] == ["Ann Smith", "Bob Jones", "Ann Smith"]


def test_one_labelled_line_counts_when_the_article_names_that_person(quotes_of):
    text = 'Governor Bob Jones was asked about the budget.\n\nJONES: We will balance it by June.'
    assert said(quotes_of(text)) == [("We will balance it by June.", "Bob Jones", "JONES")]


def test_one_labelled_line_naming_no_one_of_the_article_is_no_transcript(quotes_of):
    assert quotes_of("The council met on Tuesday.\n\nHARBOR: The dredging starts in June.") == []


def test_an_acronym_label_is_no_speaker(quotes_of):
    assert quotes_of("NATO: Allies will meet in June.\n\nThe alliance said it would decide soon.") == []


def test_notices_and_section_heads_are_no_speakers(quotes_of):
    text = ("UPDATE: The vote was moved to Friday.\n\nThe council met on Tuesday.\n\n"
            "EDITOR'S NOTE: An earlier version misspelled a name.\n\nCORRECTION: The vote is on Friday.")
    assert quotes_of(text) == []


def test_a_dateline_is_no_label(quotes_of):
    assert quotes_of("WASHINGTON (AP) — The Senate passed the bill on Tuesday.\n\nIt goes to the House next.") == []


def test_question_and_answer_labels_name_no_one_and_are_left_alone(quotes_of):
    text = "Ann Smith talked to us about the harbor.\n\nQ: Will you run again?\n\nA: I will decide in the spring."
    assert quotes_of(text) == []


def test_a_role_alone_is_no_label(quotes_of):
    text = "The interview aired on Sunday.\n\nHOST: Will you run again?\n\nANCHOR: We are out of time."
    assert quotes_of(text) == []


def test_title_case_labels_count_in_a_dialogue_of_people_the_article_names(quotes_of):
    text = ('Ann Smith spoke with Bob Jones about the harbor.\n\nSmith: The harbor needs dredging.\n\n'
            'Jones: Who will pay for it?\n\nSmith: The state will.')
    assert [m.speaker for m in quotes_of(text)] == ["Ann Smith", "Bob Jones", "Ann Smith"]


def test_a_title_case_label_alone_is_a_headline_not_a_transcript(quotes_of):
    text = "Smith: The Harbor Needs Dredging.\n\nSenator Ann Smith said on Monday that the harbor is too shallow."
    assert quotes_of(text) == []


def test_a_tally_after_a_label_is_no_quote(quotes_of):
    text = "Senator Ann Smith and Governor Bob Jones ran.\n\nSMITH: 1,769.\n\nJONES: 1,501."
    assert quotes_of(text) == []


def test_a_list_of_people_in_title_case_is_no_dialogue(quotes_of):
    text = ("Here is what each candidate needs on Tuesday.\n\nSmith: Win in a walk.\n\n"
            "Senator Ann Smith leads the polls.\n\nJones: Finish second.\n\nGovernor Bob Jones trails her.")
    assert quotes_of(text) == []


def test_the_label_is_the_learned_scorers_candidate_from_the_ladder(nlp):
    with nlp.select_pipes(disable=["quotes"]):
        doc = nlp(DEBATE)
    attributor, done = ladder(doc, quote_spans(doc))
    picks = [next(c.span.text for c in table.candidates if "ladder" in c.sources)
             for table in candidate_table(attributor, done)]
    assert picks == ["SMITH", "JONES", "SMITH"]


@pytest.mark.parametrize("scorer", ["learned", "rules"])
def test_both_scorers_keep_the_label_as_the_speaker(nlp, scorer):
    with nlp.select_pipes(disable=["quotes"]):
        doc = nlp(DEBATE)
    mentions = Quotes(Settings(scorer=scorer))(doc)._.quotes
    assert [m.speaker_mention.text for m in mentions] == ["SMITH", "JONES", "SMITH"]
    assert all(m.confidence > 0.5 for m in mentions)


def test_a_transcript_of_twenty_thousand_lines_is_read_in_one_pass():
    text = "".join(f'{("SMITH", "JONES")[i % 2]}: I said "no" {i} times.\n' for i in range(20_000))
    start = time.process_time()
    spans = with_transcripts(text, find_quotes(text), speaker_labels(text, []))
    assert time.process_time() - start < 10  # about 1 s; a look at every quote per label takes minutes
    assert len(spans) == 20_000 and all(q.label_start is not None for q in spans)


# --- statements and post lists ---------------------------------------------------------------

STATEMENT = ('Acme Power released the following statement:\n\n'
             '"We regret the outage and will refund every customer."\n\n'
             '"Our engineers are working around the clock."\n\n'
             '"We expect power to be restored by Friday."')


def test_every_paragraph_of_a_statement_is_the_statement_makers(quotes_of):
    assert [m.speaker for m in quotes_of(STATEMENT)] == ["Acme Power"] * 3


def test_the_writers_paragraph_ends_a_statement_and_a_new_cue_names_its_own_speaker(quotes_of):
    text = (STATEMENT + "\n\nThe outage began on Monday and left thousands of homes dark.\n\n"
            '"This is the third outage this year," said Mayor Ana Ruiz.')
    assert [m.speaker for m in quotes_of(text)] == ["Acme Power"] * 3 + ["Ana Ruiz"]


def test_a_bare_quote_after_the_writers_paragraph_is_not_the_statement_makers(quotes_of):
    text = STATEMENT + '\n\nThe outage began on Monday.\n\n"We want our money back, and we want it this week."'
    assert quotes_of(text)[-1].speaker != "Acme Power"


def test_a_post_signed_with_a_name_and_handle_after_a_dash(quotes_of):
    text = 'Readers reacted online.\n\n"This is the worst decision the council has made."\n\n- Maya Chen (@mayachen)'
    assert [m.speaker for m in quotes_of(text)] == ["Maya Chen"]


def test_a_post_signed_with_a_handle_alone(quotes_of):
    text = 'Readers reacted online.\n\n"Finally some good news for the harbor."\n\n— @omardiaz'
    assert said(quotes_of(text)) == [("Finally some good news for the harbor.", "@omardiaz", "@omardiaz")]


def test_a_handle_after_a_dash_on_the_quotes_own_line(quotes_of):
    text = 'Readers reacted online.\n\n"Finally some good news for the harbor." — @omardiaz'
    assert [m.speaker for m in quotes_of(text)] == ["@omardiaz"]


def test_a_post_signed_with_a_name_and_where_it_was_posted(quotes_of):
    text = ('Readers reacted online.\n\n"This is the worst decision the council has made."\n\nMaya Chen, via Twitter\n\n'
            '"Finally some good news for the harbor."\n\nOmar Diaz, via Facebook')
    assert [m.speaker for m in quotes_of(text)] == ["Maya Chen", "Omar Diaz"]


def test_a_post_signed_with_a_name_and_its_handle_without_a_dash(quotes_of):
    text = 'Readers reacted online.\n\n"Finally some good news for the harbor."\n\nOmar Diaz (@omardiaz)'
    assert [m.speaker for m in quotes_of(text)] == ["Omar Diaz"]


def test_a_name_line_after_a_quote_inside_the_writers_paragraph_is_no_signature(quotes_of):
    text = ('Mayor Ana Ruiz spoke on Monday. "We will rebuild," Ruiz said. "It will take a year."\n\n'
            'Tom Lee\n\nThe council met later.')
    assert [m.speaker for m in quotes_of(text)] == ["Ana Ruiz", "Ana Ruiz"]



def test_a_pull_quote_signed_on_its_last_line_inside_the_marks_is_the_signer_s(quotes_of):
    text = ('Economists were not impressed by the plan.\n\n"We will enter the next recession without any of the '
            'tools we need.\nOmar Diaz, Harbor Policy Institute."\n\n"The council has no plan for the debt.\n'
            'Former council treasurer Maya Chen."')
    assert said(quotes_of(text)) == [
        ("We will enter the next recession without any of the tools we need.", "Omar Diaz", "Omar Diaz"),
        ("The council has no plan for the debt.", "Maya Chen", "Maya Chen"),
    ]


def test_a_quote_s_last_line_that_is_a_sentence_is_no_signature(quotes_of):
    text = ('Mayor Ana Ruiz spoke on Monday. "We will rebuild the harbor.\nThank you, Tom Lee." Ruiz said.')
    assert [(m.text, m.speaker) for m in quotes_of(text)] == [("We will rebuild the harbor.\nThank you, Tom Lee.", "Ana Ruiz")]
