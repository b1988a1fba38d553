"""Pronouns and bare surnames: who "she" or "Lopez" stands for at that point of the article."""

from __future__ import annotations

import pytest


def speakers(mentions):
    return [m.speaker for m in mentions]


def test_a_pronoun_takes_the_subject_of_the_sentence_before_over_a_name_in_passing(quotes_of):
    text = 'Tom Hale toured the new depot in Springfield after a lunch with Mark Dunn.\n"The roads are a disgrace," he said.'
    assert speakers(quotes_of(text)) == ["Tom Hale"]


def test_a_gender_guessed_from_a_first_name_yields_to_the_pronoun_the_article_uses(quotes_of):
    text = 'Jordan Blake spoke to reporters on Monday.\n"The vote is close," she said.'
    assert speakers(quotes_of(text)) == ["Jordan Blake"]


def test_a_gender_the_article_states_holds_for_the_later_pronouns(quotes_of):
    text = ('Jordan Blake spoke to reporters on Monday.\n"The vote is close," she said.\n'
            'Tom Hale stood beside the podium.\n"The count will take days," she said.')
    assert speakers(quotes_of(text)) == ["Jordan Blake", "Jordan Blake"]


def test_a_name_inside_a_quote_is_never_the_antecedent_of_a_later_pronoun(quotes_of):
    text = ('Tom Hale opened the hearing by reading a letter aloud.\n'
            '"Mark Dunn has sent the plans late again."\n'
            '"We will wait one more week," he said.')
    mentions = quotes_of(text)
    assert mentions[-1].speaker == "Tom Hale"
    assert mentions[-1].speaker_mention.text == "he"


def test_a_bare_surname_stands_for_the_namesake_named_last_before_it(quotes_of):
    text = ('Maria Lopez runs the bakery on Main Street.\n"We open at six every day," Lopez said.\n'
            'Her husband Carlos Lopez fixes the ovens.\n"They are older than me," Lopez said.')
    assert speakers(quotes_of(text)) == ["Maria Lopez", "Carlos Lopez"]


@pytest.mark.parametrize("honorific, speaker", [("Mr.", "Carlos Lopez"), ("Mrs.", "Maria Lopez")])
def test_an_honorific_picks_the_namesake_whose_gender_it_gives(quotes_of, honorific, speaker):
    text = (f'Carlos Lopez brought his wife, Maria Lopez, to the rally on Monday. '
            f'"We are here for the harbor," {honorific} Lopez said. "It is our home," he added.')
    assert speakers(quotes_of(text))[0] == speaker


def test_he_is_never_an_unlabelled_name_that_ends_as_an_organisation_s(quotes_of):
    text = ('The remarks aired on the radio show of Tom Hale last week, Right Wing Watch first reported.\n\n'
            'He then implied that the leaders should be "drowned at the bottom of the sea."')
    assert speakers(quotes_of(text)) == ["Tom Hale"]
