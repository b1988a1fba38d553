"""Attribution quality (issue 12): the shapes a cue takes, negated cues, and what kind a speaker is.

Every article here is written for the test.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from quotes.extract.attribute import ladder
from quotes.extract.candidates import candidates
from quotes.extract.components import Quotes
from quotes.extract.detect import find_quotes
from quotes.extract.settings import Settings


def only(mentions):
    assert len(mentions) == 1, mentions
    return mentions[0]


def speaker_names(mentions):
    return [m.speaker for m in mentions]


# -- passive cues: the agent speaks, not the subject --------------------------------------

def test_the_agent_of_a_passive_speech_verb_is_the_speaker(quotes_of):
    m = only(quotes_of('The plan was criticised by Councilman Eric Vance as "a waste of money."'))
    assert (m.speaker, m.speaker_kind, m.title) == ("Eric Vance", "person", "councilman")


def test_by_after_the_quoted_words_names_the_speaker(quotes_of):
    m = only(quotes_of('The decision was called "a disgrace" by Senator Laura Kim.'))
    assert (m.speaker, m.cue) == ("Laura Kim", "called")


def test_it_was_said_by_names_the_speaker(quotes_of):
    m = only(quotes_of('"We will not pay for the new stadium," it was said by Mayor Ana Ruiz.'))
    assert (m.speaker, m.speaker_mention.text) == ("Ana Ruiz", "Mayor Ana Ruiz")


def test_a_passive_participle_with_its_agent_names_the_speaker(quotes_of):
    m = only(quotes_of('The plan, praised by Governor Tom Lee as "a model for the nation," passed.'))
    assert m.speaker == "Tom Lee"


def test_the_means_of_a_passive_cue_is_no_speaker(quotes_of):
    m = only(quotes_of('"The city will not pay for the stadium," Ruiz was told by phone.'))
    assert m.speaker_mention is None or "phone" not in m.speaker_mention.text


def test_the_learned_scorer_has_the_passive_agent_among_its_candidates(nlp):
    text = 'The budget was called "a betrayal of every family in this city" by Councilwoman Dana Webb.'
    with nlp.select_pipes(disable=["quotes"]):
        doc = nlp(text)
    settings = Settings(scorer="learned")
    attributor, done = ladder(doc, find_quotes(text, settings), settings)
    [(q, a)] = done
    assert any("Webb" in c.span.text and "cue" in c.sources for c in candidates(attributor.parse, q, a, None))
    [m] = Quotes(settings)(doc)._.quotes
    assert m.speaker == "Dana Webb"


# -- inverted and dashed cues after the quote ---------------------------------------------

def test_a_subject_and_verb_right_after_an_exclamation_name_the_speaker(quotes_of):
    m = only(quotes_of('"Get out of the building now!" another witness shouted.'))
    assert (m.speaker, m.speaker_kind, m.cue) == ("another witness", "anonymous", "shouted")


def test_an_inverted_verb_then_subject_after_the_quote_names_the_speaker(quotes_of):
    m = only(quotes_of('"Get out of the building now!" shouted a witness.'))
    assert (m.speaker, m.speaker_kind) == ("a witness", "anonymous")


@pytest.mark.parametrize("dash", ["—", "-", "–"])
def test_a_dash_then_that_is_what_x_said_names_the_speaker(quotes_of, dash):
    m = only(quotes_of(f'"We are not going anywhere" {dash} that is what Mayor Ana Ruiz said.'))
    assert (m.speaker, m.title) == ("Ana Ruiz", "mayor")


def test_a_dash_then_surname_said_names_the_speaker(quotes_of):
    text = 'Mayor Ana Ruiz spoke on Monday.\n"We are not going anywhere soon" — Ruiz said.'
    m = only(quotes_of(text))
    assert (m.speaker, m.speaker_mention.text) == ("Ana Ruiz", "Ruiz")


# -- someone's spokesman --------------------------------------------------------------------

def test_a_persons_spokesman_speaks_in_a_role_for_that_person(quotes_of):
    text = 'Mayor Ana Ruiz faced questions. "The minister will not resign," Ruiz\'s spokesman said.'
    m = only(quotes_of(text))
    assert m.speaker != "Ana Ruiz"
    assert (m.speaker, m.speaker_kind, m.speaker_mention.text) == ("spokesman for Ana Ruiz", "anonymous", "Ruiz's spokesman")
    assert (m.title, m.organization) == ("spokesman", "Ana Ruiz")


def test_her_spokesman_speaks_for_the_woman_named_before(quotes_of):
    text = 'Mayor Ana Ruiz faced questions. "The mayor will not resign," her spokesman said.'
    m = only(quotes_of(text))
    assert (m.speaker, m.speaker_kind, m.organization) == ("spokesman for Ana Ruiz", "anonymous", "Ana Ruiz")


def test_a_spokesman_named_earlier_for_that_person_is_the_speaker(quotes_of):
    text = ('"We stand by every word of the report," Tom Lee, Ruiz\'s spokesman, said on Monday.\n'
            'Later Ruiz\'s spokesman said: "There is no comment on that issue at all."')
    assert speaker_names(quotes_of(text)) == ["Tom Lee", "Tom Lee"]


# -- negated or non-speech verbs name no speaker --------------------------------------------

@pytest.mark.parametrize("after", ["Management did not respond.", "The company declined to comment.",
                                   "The company declined to say."])
def test_a_refusal_after_a_question_names_no_speaker(quotes_of, after):
    for m in quotes_of(f'"Is the plant closing down for good after the strike?" {after}'):
        assert m.speaker is None


def test_a_cue_after_the_quote_whose_subject_is_no_one_leaves_the_quote_to_the_one_it_continues(quotes_of):
    found = quotes_of('"The pier is safe again," said harbour master Ines Moreau. "We checked every beam twice." '
                      'Asked what that would cost, she gave no figure.')
    assert speaker_names(found) == ["Ines Moreau", "Ines Moreau"]


def test_did_not_say_is_no_speech_cue(quotes_of):
    for m in quotes_of('"We will win the election by ten points," Ana Ruiz did not say.'):
        assert m.speaker != "Ana Ruiz"


@pytest.mark.parametrize("verb", ["never said", "denied saying"])
def test_never_said_and_denied_saying_give_no_one_the_words(quotes_of, verb):
    for m in quotes_of(f'Ana Ruiz {verb} "the plan is dead on arrival" at the meeting.'):
        assert m.speaker != "Ana Ruiz"


def test_a_negated_cue_after_a_quote_leaves_its_own_cue_standing(quotes_of):
    m = only(quotes_of('"Is the plant closing down for good?" the reporter asked. Management did not respond.'))
    assert (m.speaker, m.cue) == ("the reporter", "asked")


# -- what kind a speaker is ---------------------------------------------------------------

def test_a_name_the_sentence_calls_a_site_is_an_organisation(quotes_of):
    m = only(quotes_of('"The claim is false," the watchdog site PolitiFact wrote on Tuesday.'))
    assert (m.speaker, m.speaker_kind) == ("PolitiFact", "organization")


def test_a_name_with_an_outlet_noun_after_it_is_an_organisation(quotes_of):
    m = only(quotes_of('"The claim is false," PolitiFact, the watchdog site, wrote.'))
    assert (m.speaker, m.speaker_kind) == ("PolitiFact", "organization")


def test_a_name_called_a_site_once_stays_an_organisation(quotes_of):
    text = 'The news site Axios broke the story.\n"We stand by every word of it," Axios said on Friday.'
    m = only(quotes_of(text))
    assert (m.speaker, m.speaker_kind) == ("Axios", "organization")


def test_a_newspaper_reporting_is_an_organisation(quotes_of):
    m = only(quotes_of('"The claim is false and misleading," The New York Times reported.'))
    assert (m.speaker, m.speaker_kind) == ("New York Times", "organization")


def test_an_outlets_writer_is_the_speaker_not_the_outlet(quotes_of):
    m = only(quotes_of('"The claim is false and misleading," Breitbart\'s Joel Pollak said.'))
    assert (m.speaker, m.speaker_kind, m.speaker_mention.text) == ("Joel Pollak", "person", "Joel Pollak")


def test_a_titled_name_is_a_person_whatever_the_ner_says(nlp):
    text = '"We will fix the roads this summer," Mayor Ana Ruiz said.'
    with nlp.select_pipes(disable=["quotes"]):
        doc = nlp(text)
    start = next(t.i for t in doc if t.text == "Mayor")
    doc.ents = [Span(doc, start, start + 3, label="ORG")]
    m = only(Quotes(Settings())(doc)._.quotes)
    assert (m.speaker, m.speaker_kind, m.title) == ("Ana Ruiz", "person", "mayor")


def test_a_work_written_by_someone_is_no_quote_of_theirs(quotes_of):
    text = 'Next month the press will publish "Harbor Lights," a novel written by the reporter Ivo Brandt.'
    assert all(m.speaker != "Ivo Brandt" for m in quotes_of(text))


def test_a_not_inside_the_quote_does_not_negate_the_cue(quotes_of):
    text = 'Mayor Ana Ruiz was asked about a recount.\n"Absolutely not," she said. "The count is final."'
    assert speaker_names(quotes_of(text)) == ["Ana Ruiz", "Ana Ruiz"]


def test_a_negated_verb_inside_reported_speech_leaves_the_outer_speaker(quotes_of):
    text = 'Tom Lee said the mayor had told donors that she would not continue the policy of "open doors" at city hall.'
    m = only(quotes_of(text))
    assert m.speaker == "Tom Lee"


# -- no cue at all ------------------------------------------------------------------------

def test_a_quote_without_any_cue_is_the_person_the_sentence_before_is_about(quotes_of):
    m = only(quotes_of('Maria Ortiz stepped away from the podium and looked at the crowd.\n\n'
                       '"We will finish the bridge by spring, whatever the council decides."'))
    assert (m.speaker, m.speaker_mention.text, m.cue) == ("Maria Ortiz", "Maria Ortiz", None)


def test_a_quote_without_any_cue_after_a_sentence_about_no_person_has_no_speaker(quotes_of):
    m = only(quotes_of('The council met on Tuesday to discuss the budget.\n\n'
                       '"We will finish the bridge by spring, whatever the council decides."'))
    assert m.speaker is None


# -- words a statement or a noun of speech carries ----------------------------------------

def test_a_fragment_in_a_statement_saying_is_the_issuer_s_not_the_clause_subject_s(quotes_of):
    m = only(quotes_of('On Friday, Mayor Ana Ruiz issued a statement saying that the late judge was '
                       '"a tireless public servant and a friend to this city."'))
    assert (m.speaker, m.cue) == ("Ana Ruiz", "saying")


def test_a_press_release_sent_out_by_a_union_speaks_for_the_union(quotes_of):
    m = only(quotes_of('The teachers union sent out a press release saying Lopez owes '
                       '"every family in the district an apology for the closures."'))
    assert m.speaker_mention.text == "The teachers union"


def test_a_fragment_after_a_possessed_remark_that_is_the_possessor_s(quotes_of):
    m = only(quotes_of('Senator Laura Kim faced criticism over her remark that '
                       '"nobody in this building reads the budget anyway."'))
    assert (m.speaker, m.speaker_mention.text, m.cue) == ("Laura Kim", "her", "remark")


def test_a_fragment_in_someone_s_accusation_is_theirs_not_the_accused_s(quotes_of):
    m = only(quotes_of('Carlos Lopez\'s accusation that Ruiz is playing the "victim card" angered her allies.'))
    assert m.speaker == "Carlos Lopez"


def test_a_repeated_claim_is_the_repeater_s(quotes_of):
    m = only(quotes_of('Governor Tom Lee repeated his claim that "greed alone" drove the fare increase.'))
    assert (m.speaker, m.speaker_mention.text) == ("Tom Lee", "Tom Lee")


def test_speaking_with_someone_is_no_cue_for_the_words_after_it(quotes_of):
    m = only(quotes_of('As Lopez spoke with reporters, the union was going "into overdrive" against Ruiz\'s plan.'))
    assert m.cue != "spoke"


def test_speaking_of_something_quoted_is_a_cue(quotes_of):
    m = only(quotes_of('Senator Laura Kim often speaks of building "a city that works for everyone."'))
    assert (m.speaker, m.cue) == ("Laura Kim", "speaks")


@pytest.mark.parametrize("verb", ["opined", "fumed", "griped"])
def test_a_second_quote_with_its_own_speech_verb_is_not_the_first_speaker_s(quotes_of, verb):
    text = f'"We will fix the roads by spring," said Tom Lee. "This budget betrays every family," Ana Ruiz {verb}.'
    assert [(m.speaker, m.cue) for m in quotes_of(text)] == [("Tom Lee", "said"), ("Ana Ruiz", verb)]


def test_a_name_the_parser_hung_on_the_cue_after_the_quote_is_the_speaker(quotes_of):
    text = ('Richard Viguerie has backed the senator for months. '
            '"He may be the only one because the party is split," Viguerie notes.')
    m = only(quotes_of(text))
    assert (m.speaker, m.speaker_mention.text) == ("Richard Viguerie", "Viguerie")


def test_a_cue_the_parser_hung_on_the_name_before_it_is_that_person_s(quotes_of):
    text = ('The senator had praised the governor on Monday. Mitt Lopez, the 2012 Republican presidential '
            "nominee, tweeted in response: ''Important distinction: the governor jails reporters and we do not.''")
    assert only(quotes_of(text)).speaker == "Mitt Lopez"


def test_the_verb_before_a_colon_is_the_one_with_a_subject_that_can_speak(quotes_of):
    m = only(quotes_of('Mayor Ana Ruiz has since apologized for what happened: '
                       '"Yes, I should have used two accounts, and I take full responsibility."'))
    assert (m.speaker, m.cue) == ("Ana Ruiz", "apologized")


def test_an_email_sent_out_by_someone_speaks_for_them(quotes_of):
    m = only(quotes_of('In addition, a fundraising email sent out by Senator Laura Kim on Tuesday night warned '
                       'of the fight ahead: "There are 14 votes left before the budget passes."'))
    assert (m.speaker, m.cue) == ("Laura Kim", "warned")


# -- fragments in a clause someone asserts ------------------------------------------------

@pytest.mark.parametrize("text, cue", [
    ('In the depths of the recession, Senator Laura Kim worried that the safety net was becoming '
     '"a hammock that lulls able-bodied people to dependency."', "worried"),
    ('Senator Laura Kim has made clear that she expects the Ruiz camp to unleash all its money and '
     'surrogate "attack dogs" on her.', "made"),
])
def test_a_fragment_in_a_that_clause_is_the_asserter_s_not_the_clause_subject_s(quotes_of, text, cue):
    m = only(quotes_of(text))
    assert (m.speaker, m.cue) == ("Laura Kim", cue)


def test_words_someone_s_answer_was_are_theirs(quotes_of):
    m = only(quotes_of('Asked about child care, Senator Laura Kim\'s answer was that '
                       '"the most important institution in society is the family," so the city should help.'))
    assert m.speaker == "Laura Kim"


def test_a_fragment_of_someone_s_conclusion_is_theirs(quotes_of):
    m = only(quotes_of('Voters were shaken by Judge Tom Lee\'s conclusion that the mayor\'s actions were '
                       '"extremely careless."'))
    assert m.speaker == "Tom Lee"


# -- what a noun of speech does not make anyone's ----------------------------------------

def test_a_claim_someone_never_made_is_not_theirs(quotes_of):
    assert all(m.speaker != "Ana Ruiz" for m in quotes_of('Mayor Ana Ruiz never made the claim that the city is "broke."'))


def test_a_person_s_lawyer_saying_something_is_not_the_person_s(quotes_of):
    text = 'The newspaper quoted Carlos Lopez\'s lawyer saying the charges were "baseless and politically motivated."'
    assert all(m.speaker != "Carlos Lopez" for m in quotes_of(text))


def test_what_a_response_was_seen_as_is_not_the_responder_s(quotes_of):
    text = 'Mayor Ana Ruiz\'s response to the flood was widely seen as "too little, too late."'
    assert all(m.speaker != "Ana Ruiz" for m in quotes_of(text))


def test_an_email_sent_by_mistake_names_no_speaker_mistake(quotes_of):
    m = only(quotes_of('An email sent by mistake to donors warned: "The campaign is out of money."'))
    assert m.speaker_mention is None or m.speaker_mention.text != "mistake"


def test_speaking_to_reporters_before_a_quote_is_a_cue(quotes_of):
    text = 'Mayor Ana Ruiz spoke to reporters after the vote on Tuesday. "We are out of money for the bridge."'
    assert only(quotes_of(text)).speaker == "Ana Ruiz"


# -- which clause a cue speaks in ------------------------------------------------------------

def test_a_participle_s_speaker_is_the_subject_next_to_its_verb_not_a_place_before_it(quotes_of):
    text = 'Speaking at a town hall event in Salem, New Hampshire, Grant went after Lopez, calling him "a total stiff."'
    assert only(quotes_of(text)).speaker == "Grant"


def test_a_relative_clause_s_cue_does_not_take_the_quote_before_it(quotes_of):
    text = 'Mayor Ana Ruiz has proposed hiring a "chief budget officer" who he said would report to the council.'
    assert only(quotes_of(text)).speaker_mention.text == "Mayor Ana Ruiz"


def test_a_relative_clause_s_cue_does_not_take_a_quote_of_the_next_clause(quotes_of):
    text = 'In a video that Judge Mary Stone called "distasteful," Tom Ellis expressed a wish to "punish every one of them."'
    assert speaker_names(quotes_of(text)) == ["Mary Stone", "Tom Ellis"]


def test_a_relative_clause_leading_into_the_quote_is_its_cue(quotes_of):
    text = 'The mayor was endorsed by Senator Laura Kim, who declared in the debate hall, "It is time to unite."'
    assert only(quotes_of(text)).speaker == "Laura Kim"


def test_a_that_ending_the_quote_does_not_make_it_the_next_clause_s(quotes_of):
    text = '"I never said that," Grant said, after the host Becky Stone said the candidate had mocked her.'
    assert only(quotes_of(text)).speaker == "Grant"


def test_a_speaker_whose_relative_clause_the_parser_made_the_cue_s_clause_still_speaks(quotes_of):
    text = ('A donor, who like others spoke on the condition of anonymity, said the message was that '
            '"this race will not be over by the spring."')
    assert only(quotes_of(text)).speaker_mention.text == "A donor"


# -- speakers the parser's subject hides -------------------------------------------------------

def test_a_share_of_people_in_a_poll_is_the_poll_s_finding(quotes_of):
    text = 'In a statewide poll released Monday, 31 percent of voters said they were "extremely enthusiastic" about the race.'
    assert only(quotes_of(text)).speaker_mention.text == "a statewide poll"


@pytest.mark.parametrize("text", [
    'Of Lopez, Tom Levine, who has given money to a rival, said, "He is flat-out scary."',
    '“He is a circus act.” Of Carson, Levine, who has given money to Marco Ruiz, said, “He is flat-out scary.”',
])
def test_a_preposition_the_parser_made_the_subject_gives_way_to_the_name_after_it(quotes_of, text):
    assert quotes_of(text)[-1].speaker_mention.text.endswith("Levine")


def test_a_cue_opening_the_quote_in_a_clause_of_another_cue_is_the_one_the_quote_is_spoken_through(quotes_of):
    text = '"Apparently there is a young man having some problems," Lopez said as the heckler yelled: "You suck!"'
    assert [m.speaker_mention.text for m in quotes_of(text)] == ["Lopez", "the heckler"]


def test_an_adverb_between_the_cue_and_the_quote_it_opens_does_not_hide_the_cue(quotes_of):
    text = '"Tell everybody to go to the refuge," Ruiz says to a man on the bus, who replies cheerfully: "Okay!"'
    assert [m.speaker_mention.text for m in quotes_of(text)] == ["Ruiz", "who"]


def test_an_inverted_cue_right_after_the_quote_outweighs_a_cue_in_the_clause_before_it(quotes_of):
    text = ('If the harbor systems were attacked — as many experts believe, but Lopez strongly denies — '
            '“why would you not want to check the locks?” asked Dunn, a consultant at a firm.')
    assert only(quotes_of(text)).speaker == "Dunn"


def test_according_to_after_the_quote_leaves_it_the_speaker_s(quotes_of):
    text = 'Mayor Ana Ruiz said the harbor deal was "a fair one for the city," according to Reuters.'
    assert only(quotes_of(text)).speaker == "Ana Ruiz"


def test_a_cue_opening_the_quote_that_reports_the_outer_cue_s_speech_leaves_it_the_outer_speaker_s(quotes_of):
    text = 'Lopez was asked about the attacks, but Ana Ruiz said she responded: "When you have incoming, you cannot hold back."'
    assert only(quotes_of(text)).speaker == "Ana Ruiz"


@pytest.mark.parametrize("text, mention", [
    ('Although there is no such overlap with the mayor\'s team, a city official who spoke anonymously to discuss '
     'internal strategy said Wednesday, "Certainly there are talks between the council and the mayor."',
     "a city official"),
    ('Support has leaked to the smaller parties. “The mayor needs a plan for the [Harbor Party] voters,” Tom Hale, '
     'the polling expert who founded harborpolls.com tweeted on Wednesday.', "Tom Hale"),
])
def test_the_noun_whose_relative_clause_ends_at_a_cue_without_a_subject_speaks(quotes_of, text, mention):
    assert only(quotes_of(text)).speaker_mention.text == mention


def test_a_participle_after_a_relative_clause_is_spoken_by_that_clause_s_subject(quotes_of):
    text = ('Ruiz spoke just down the street from the Harbor Tower — now owned by investor Tom Hale — where about 50 '
            'protesters had gathered on Wednesday morning, chanting "no contract, no peace" after the talks failed.')
    assert only(quotes_of(text)).speaker_mention.text == "50 protesters"


def test_an_aside_between_the_name_and_its_cue_does_not_hide_the_name(quotes_of):
    text = ('Not everyone was happy.\n\n“We have had better conventions than this one,” Texas delegate Bill Eastland, '
            'wearing a cowboy hat and “Lopez 2028” campaign pins, said as confetti fell around him.')
    assert quotes_of(text)[0].speaker == "Bill Eastland"


def test_a_name_hung_on_the_cue_speaks_though_no_entity_was_found_for_it(quotes_of):
    text = 'What has the party done lately? he asks.\n\n“I can point to only two things, and both are old,” Bozell answers.'
    assert quotes_of(text)[0].speaker == "Bozell"


def test_a_cue_the_tagger_read_as_a_plural_noun_after_a_quote_is_still_a_cue(quotes_of):
    text = 'Has the council done anything? she asks.\n\n“I can name only one thing, and it was small,” Okafor answers.'
    assert quotes_of(text)[0].speaker == "Okafor"


@pytest.mark.parametrize("text, mention", [
    ('“They know the mayor is the only one who can fix the roads,” a voice-over in the ad states. '
     '“She will stand up to the contractors.”', "a voice-over"),
    ('"Today, the council is among the leading bodies fighting waste," the Danes state in the report, '
     'which was shared with members on Thursday.', "Danes"),
])
def test_a_cue_the_tagger_read_as_a_noun_after_a_noun_phrase_after_the_quote_is_still_a_cue(quotes_of, text, mention):
    assert quotes_of(text)[0].speaker_mention.text == mention


def test_a_number_with_its_article_before_a_cue_read_as_a_noun_is_who_speaks(quotes_of):
    text = ('The two senators wrote to the director on Monday. “You seem to have picked a new standard out of '
            'thin air,” the two write. “We do not understand the need.”')
    assert [m.speaker_mention.text for m in quotes_of(text)] == ["two", "two"]


@pytest.mark.parametrize("text, speaker", [
    ('"Is the mayor going to finally fix the roads? If she doesn\'t she should resign!" the presumptive '
     'Republican presidential nominee, Carl Dorsey, tweeted Sunday after the vote.', "Carl Dorsey"),
    ('“What if the governor had singing lessons?” the 43-year-old asked in the video’s description.',
     "the 43-year-old"),
])
def test_a_cue_the_parser_hung_on_the_words_naming_the_speaker_after_the_quote_is_theirs(quotes_of, text, speaker):
    m = only(quotes_of(text))
    assert speaker in (m.speaker, m.speaker_mention.text)


@pytest.mark.parametrize("text, mention", [
    ('The summit was held in the city because, in Forbes’ words, “they are the most inventive places on earth.”',
     "Forbes"),
    ("Ruiz spoke for an hour. In the words of one delegate, \u201cit was the best speech of the week.\u201d",
     "one delegate"),
    ('“This is not a port with one or two problems, it has failed everywhere” from the docks to the budget, '
     'in Lopez’s view.', "Lopez"),
])
def test_in_someone_s_words_or_view_gives_them_the_quote(quotes_of, text, mention):
    assert only(quotes_of(text)).speaker_mention.text == mention


def test_a_quote_after_a_sentence_of_reported_speech_goes_on_in_the_reporter_s_voice(quotes_of):
    text = ('Mayor Ana Ruiz said that for years some critics had been predicting the port would close, but '
            'this would not happen.\n\n“That is because this harbor, home to half the city’s jobs, matters.”')
    assert only(quotes_of(text)).speaker == "Ana Ruiz"


def test_a_demonstrative_subject_of_a_fragment_gives_way_to_the_quote_it_goes_on_from(quotes_of):
    text = ('“She still has the friends she had in grade school,” Tom Hale said while stumping for his wife. '
            'That makes her “by definition a loyal and steady person.”')
    assert [m.speaker for m in quotes_of(text)] == ["Tom Hale", "Tom Hale"]


# -- colons -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, speaker", [
    ('The polls were wrong in Ohio. Pollsters agree - Tom Hale: “One of the biggest lessons was a simple one: '
     'keep on calling voters.”', "Tom Hale"),
    ('The polls were wrong. But polls did predict the city race - HarborPoll: “While the mayoral race gave '
     'an upset, most pollsters were right.”', "HarborPoll"),
])
def test_the_name_between_a_headline_s_dash_and_a_colon_speaks_not_the_headline(quotes_of, text, speaker):
    m = only(quotes_of(text))
    assert (m.speaker, m.speaker_mention.text) == (speaker, speaker)


@pytest.mark.parametrize("text", [
    'The council met on Monday. Mayor Ana Ruiz also defended the new tolls -- "I think the bridge is worth every cent."',
    'The council met on Monday. When Mayor Ana Ruiz finally wrapped up — “I will fight for this bridge!” — the room cheered.',
])
def test_a_clause_ending_in_a_dash_before_a_quote_speaks_it_as_before_a_colon(quotes_of, text):
    assert only(quotes_of(text)).speaker == "Ana Ruiz"


def test_a_day_before_the_colon_gives_way_to_the_subject_of_a_long_clause(quotes_of):
    text = ('One early backer, Councilwoman Ana Ruiz, Democrat of the third ward, gave the idea a try in an '
            'interview with reporters on Tuesday: "You can easily argue that the mayor is wrong."')
    assert only(quotes_of(text)).speaker == "Ana Ruiz"


def test_the_names_after_a_headline_s_dash_speak_not_the_headline(quotes_of):
    text = 'BUDGET NUMBERS LOOK GRIM FOR THE CITY - Tom Lee and Ana Ruiz: "Although the numbers came in late, the trend is plain."'
    assert "Ruiz" in only(quotes_of(text)).speaker_mention.text


def test_a_front_page_that_blared_the_words_speaks_them(quotes_of):
    text = 'The Union Leader said Lopez had been "rocked" by Ruiz. "Choke!" blared the front page of the Herald.'
    assert quotes_of(text)[-1].speaker_mention.text.startswith("the front page")


def test_by_saying_speaks_for_the_subject_of_the_verb_it_qualifies(quotes_of):
    text = ('Asked about it in the debate, Tom Lee said, "I do take responsibility." Ana Ruiz followed that by '
            'saying, "I am not a natural politician, in case you have not noticed."')
    assert speaker_names(quotes_of(text)) == ["Tom Lee", "Ana Ruiz"]


def test_a_name_the_parser_hung_on_the_quote_s_verb_is_the_cue_s_speaker(quotes_of):
    text = ('The fight erupted two months after the tycoon entered the race.\n\n“We were tremendously wrong not to '
            'confront him from the beginning,” Ramos, 58, told AFP in an interview in Lima on Monday.')
    assert only(quotes_of(text)).speaker == "Ramos"


@pytest.mark.parametrize("text, mention", [
    ('Mayor Ana Ruiz defended her campaign manager as a "very decent man" on Tuesday, hours after the aide was '
     'charged with battery.', "Mayor Ana Ruiz"),
    ('According to the training manual, the sales staff were told, "You do not sell products. You sell feelings."',
     "the training manual"),
])
def test_the_subject_of_a_passive_speech_verb_is_spoken_to_not_speaking(quotes_of, text, mention):
    assert only(quotes_of(text)).speaker_mention.text == mention


def test_a_passive_verb_reporting_someone_s_words_still_names_the_speaker(quotes_of):
    m = only(quotes_of('Senator Laura Kim is reported to have called the deal "a disaster for working families."'))
    assert m.speaker == "Laura Kim"


# -- quotation marks glued to the words around them ---------------------------------------------

@pytest.mark.parametrize("text", [
    'Mayor Ana Ruiz said,"Look, we will rebuild the bridge by spring."',
    '"The bridge will be rebuilt by spring,"Ana Ruiz, the mayor, said on Monday.',
    'Mayor Ana Ruiz said:"We will rebuild the bridge by spring."',
])
def test_a_quote_glued_to_its_cue_without_a_space_is_still_its_cue_s(quotes_of, text):
    assert only(quotes_of(text)).speaker == "Ana Ruiz"


def test_a_glued_quotation_mark_is_split_from_the_words_around_it(nlp):
    assert [t.text for t in nlp.tokenizer('she said,"Look')] == ["she", "said", ",", '"', "Look"]


def test_a_continued_quote_rests_on_the_nearer_sentence_naming_the_speaker_entity_or_not(quotes_of):
    text = ('"Immigration is important, but in my view it is schools," says Maria Chase, 32, of Sodus in Upstate '
            'New York, who works in retail. Chase supports Democrat Ana Ruiz in the mayoral race. '
            '"I am a college graduate, but I have student loans."')
    m = quotes_of(text)[1]
    assert (m.speaker, m.speaker_mention.text) == ("Maria Chase", "Chase")


@pytest.mark.parametrize("text, owner", [
    ('But he leaves behind a furious backlash against the statements made during his trip, particularly his '
     'warning that Britain would have to go to the "back of the queue" if it wanted a deal.', "his"),
    ('Another holdout, the miners union, is unlikely to back Ruiz after her March comment that, "We are going to '
     'put a lot of coal companies out of business."', "her"),
])
def test_a_that_clause_of_a_noun_of_speech_is_its_owner_s_however_the_parser_hangs_it(quotes_of, text, owner):
    assert only(quotes_of(text)).speaker_mention.text == owner


def test_friends_who_jeered_speak_what_they_jeered(quotes_of):
    m = only(quotes_of('Lopez circled the boat as his friends jeered, "Goodbye, sailors!"'))
    assert (m.speaker_mention.text, m.cue) == ("his friends", "jeered")


def test_a_name_after_an_inverted_cue_speaks_though_the_tagger_took_it_for_an_adverb(quotes_of):
    text = '“Having access to the file and two people who understand it is valuable,” said Skelly, explaining he worked with Lee.'
    assert only(quotes_of(text)).speaker == "Skelly"
