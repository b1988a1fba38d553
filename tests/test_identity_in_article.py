"""Who a role noun or a name stands for within one article, and what kind of speaker it is."""

from __future__ import annotations

import pytest


def test_a_title_noun_resolves_to_the_person_the_article_gave_that_title(quotes_of):
    [obama, rubio] = quotes_of(
        "President Barack Obama spoke in Denver on Monday.\n\n"
        "\"We will not back down,\" the president said.\n\n"
        "Sen. Marco Rubio of Florida disagreed. \"This plan fails our families,\" the Florida senator said.")
    assert (obama.speaker, obama.speaker_mention.text) == ("Barack Obama", "the president")
    assert (rubio.speaker, rubio.speaker_mention.text) == ("Marco Rubio", "the Florida senator")


@pytest.mark.parametrize(("text", "speaker", "kind"), [
    ('"The mayor misled voters," Harbor News reported on Tuesday.', "Harbor News", "organization"),
    ('"We are ready," Mayor Ana Ruiz said.', "Ana Ruiz", "person"),
    ('According to the Coastal Times, "the pier will close in May."', "Coastal Times", "organization"),
])
def test_outlets_are_organisations_and_a_titled_name_is_a_person(quotes_of, text, speaker, kind):
    [mention] = quotes_of(text)
    assert (mention.speaker, mention.speaker_kind) == (speaker, kind)
