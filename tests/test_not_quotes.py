"""Words in quotation marks that are nobody's speech: names given, titles, what anyone might say, thoughts."""


def test_a_name_a_naming_verb_gives_its_object_is_not_a_quote(quotes_of):
    assert quotes_of('The senator dubbed the plan a "blank check" for the banks.') == []
    assert quotes_of('Critics branded the tax a "war on farmers" last week.') == []


def test_words_after_so_called_are_a_name_not_a_quote(quotes_of):
    assert quotes_of('Ana Ruiz spoke on Monday. The so-called "growth and jobs zone" covers the harbor.') == []


def test_so_called_words_a_speech_verb_claims_are_still_a_quote(quotes_of):
    (m,) = quotes_of('The campaign is already claiming victory in the so-called "harbor and river bracket."')
    assert m.cue == "claiming"


def test_a_naming_verb_quoting_a_whole_phrase_is_still_speech(quotes_of):
    (m,) = quotes_of('Senator Ada Kline called the plan "a blank check for the banks."')
    assert m.speaker == "Ada Kline"


def test_a_title_after_a_work_noun_is_not_a_quote(quotes_of):
    assert quotes_of('She starred in the movie "The Long Road Home" last year.') == []
    assert quotes_of('He spoke on the podcast "Harbor Talk Weekly" on Monday.') == []


def test_a_title_after_the_author_of_is_not_a_quote(quotes_of):
    mentions = quotes_of('"We are ready," said Ana Ruiz, the author of "The Long Road Home."')
    assert [m.text for m in mentions] == ["We are ready,"]


def test_what_people_who_say_it_might_say_is_not_a_quote(quotes_of):
    assert quotes_of('There are people who say "not my problem" whenever the river floods.') == []


def test_a_thought_is_not_a_quote(quotes_of):
    assert quotes_of('Tom Lee thought, "This is the end of the road for us."') == []


def test_a_thought_someone_else_imagined_is_a_quote(quotes_of):
    assert len(quotes_of('The magazine imagined Tom Lee was thinking: "What have I done to the town?"')) == 1


def test_a_thought_someone_said_they_had_is_their_quote(quotes_of):
    (m,) = quotes_of('Ana Ruiz said she was thinking, "This is the end of the road for us."')
    assert m.speaker_mention.text in {"Ana Ruiz", "she"}


def test_a_quote_a_relative_clause_thinks_is_still_its_speakers(quotes_of):
    (m,) = quotes_of('Candidates who think "the harbor can wait another ten years are wrong," Ana Ruiz said.')
    assert m.speaker == "Ana Ruiz"


def test_wondering_aloud_is_speech(quotes_of):
    (m,) = quotes_of('"Why did the council wait so long?" Ana Ruiz wondered aloud.')
    assert m.speaker == "Ana Ruiz"
