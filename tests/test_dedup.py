"""Deduplication: the rule (which wordings of one speaker are one quote), clustering, and showing differences."""

import random

from quotes.dedup import (
    ADDED,
    MIN_EDGE_RUN,
    MIN_EXCERPT_WORDS,
    MIN_RUN,
    REMOVED,
    SAME,
    MemoryIndex,
    Relation,
    cluster,
    fingerprints,
    mark_differences,
    max_edits,
    normalize,
    relation,
    same_quote,
    tokens,
    word_diff,
)

LONG = "We will not tolerate further missile launches over our territory this year."
KOREA = "As part of this proposed deal, Russia would receive over two dozen kinds of weapons and munitions from Korea."
PYONGYANG = KOREA.replace("Korea.", "Pyongyang,")
VIOLATION = "We will not accept this violation of our airspace by foreign military drones."
OUTCOME = "We will not accept this outcome of the talks without a vote in parliament."


def rel(a: str, b: str) -> Relation | None:
    return relation(normalize(a), normalize(b))


# --- normalising --------------------------------------------------------------------------------

def test_normalize_unifies_quotation_marks_and_apostrophes():
    assert normalize("“We don’t know,” she said") == normalize('"We don\'t know," she said')


def test_normalize_lowercases_drops_punctuation_and_collapses_whitespace():
    assert normalize("  The PLAN -- is,\n  simply;  WRONG!  ") == "the plan is simply wrong"


def test_normalize_drops_dashes_and_symbols_outside_ascii():
    assert normalize("Peace — not war • now…") == "peace not war now"


def test_normalize_applies_nfkc():
    assert normalize("ﬁnal ＡＢＣ") == "final abc"


def test_normalize_keeps_abbreviations_and_numbers_whole():
    assert tokens("The U.S. sent 1,000 troops, not 3.5 thousand.") == [
        "the", "us", "sent", "1000", "troops", "not", "35", "thousand",
    ]


# --- the rule -----------------------------------------------------------------------------------

def test_same_words_with_other_punctuation_case_and_marks_are_the_same_words():
    assert rel(LONG, "“we will NOT tolerate further missile launches over our territory this year,”") is Relation.SAME


def test_an_edited_last_word_after_a_long_identical_stretch_is_an_edit():
    assert rel(KOREA, PYONGYANG) is Relation.EDIT


def test_an_edited_word_inside_a_quote_is_an_edit():
    assert rel(LONG, LONG.replace("missile", "rocket")) is Relation.EDIT


def test_a_word_left_out_is_an_edit():
    assert rel(LONG, LONG.replace("further ", "")) is Relation.EDIT


def test_two_quotes_sharing_an_opening_are_not_one_quote():
    assert rel(VIOLATION, OUTCOME) is None


def test_a_short_quote_differing_in_its_last_word_after_a_shared_opening_is_another_quote():
    violation, outcome = "We will not accept this violation.", "We will not accept this outcome."
    assert len(tokens(violation)) - 1 < MIN_EDGE_RUN
    assert rel(violation, outcome) is None


def test_a_first_word_edit_needs_a_long_identical_ending():
    ending = "will announce the new sanctions package on Friday morning"
    assert len(ending.split()) >= MIN_EDGE_RUN
    assert rel(f"Washington {ending}", f"London {ending}") is Relation.EDIT
    assert rel("Washington will announce it soon", "London will announce it soon") is None


def test_an_edit_in_the_middle_needs_a_long_identical_stretch_at_one_end():
    assert rel("one two three four five six seven", "one two three four five six eight") is None
    assert rel("we are watching the markets very closely today", "we are watching the situation very closely today") is None


def test_more_edits_than_allowed_make_another_quote():
    assert max_edits(len(tokens(LONG))) == 1
    assert rel(LONG, LONG.replace("missile", "rocket").replace("territory", "waters")) is None


def test_a_quote_of_25_words_or_more_allows_a_second_edit():
    words = ("We have asked our partners in the region to keep the border crossings open "
             "for food and medicine through the winter months and beyond that")
    assert max_edits(len(words.split())) == 2
    assert rel(words, words.replace("partners", "allies").replace("winter", "cold")) is Relation.EDIT


def test_a_contiguous_excerpt_of_enough_words_is_an_excerpt_and_the_longer_the_whole():
    excerpt = "further missile launches over our territory"
    assert len(tokens(excerpt)) == MIN_EXCERPT_WORDS
    assert rel(excerpt, LONG) is Relation.EXCERPT
    assert rel(LONG, excerpt) is Relation.WHOLE


def test_a_short_excerpt_is_not_the_same_quote():
    excerpt = "over our territory this year"
    assert len(tokens(excerpt)) == MIN_EXCERPT_WORDS - 1
    assert not same_quote(LONG, excerpt)


def test_an_excerpt_must_be_contiguous_whole_words():
    assert not same_quote(LONG, "will not tolerate missile launches over our")  # "further" skipped
    assert not same_quote(LONG, "ill not tolerate further missile launches")  # part of a word


def test_empty_texts_are_never_the_same_quote():
    assert not same_quote("", "")
    assert not same_quote("...", "“”")


# --- the candidate index ------------------------------------------------------------------------

def test_any_run_of_min_run_identical_words_shares_a_fingerprint():
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(500)]
    for _ in range(300):
        run = rng.choices(vocabulary, k=MIN_RUN)
        a = rng.choices(vocabulary, k=rng.randint(0, 20)) + run + rng.choices(vocabulary, k=rng.randint(0, 20))
        b = rng.choices(vocabulary, k=rng.randint(0, 20)) + run + rng.choices(vocabulary, k=rng.randint(0, 20))
        assert fingerprints(a) & fingerprints(b)


def test_wordings_shorter_than_min_run_have_no_fingerprints():
    assert fingerprints("we are ready to talk".split()) == set()


# --- clustering ---------------------------------------------------------------------------------

def test_cluster_groups_exact_edited_and_excerpted_versions_and_keeps_others_apart():
    texts = [
        LONG,
        "We will not tolerate further rocket launches over our territory this year.",
        "The talks will resume on Monday in Geneva as planned.",
        "further missile launches over our territory",
        "The talks will resume on Monday in Geneva as planned",
    ]
    assert cluster(texts) == [[0, 1, 3], [2, 4]]


def test_cluster_keeps_one_speakers_two_quotes_with_a_shared_opening_apart():
    assert cluster([VIOLATION, OUTCOME, VIOLATION.upper()]) == [[0, 2], [1]]


def test_the_same_stock_phrase_from_two_speakers_is_two_quotes():
    index = MemoryIndex()
    stock = "We are monitoring the situation closely and stand ready to help."
    kirby, price = index.add(1, stock), index.add(2, stock)
    assert index.quote_of(kirby) != index.quote_of(price)


def test_a_new_quote_holds_its_wording_once():
    index = MemoryIndex()
    quote = index.add(0, "We will rebuild every bridge in the county within two years.")
    assert index.wordings([quote]) == {quote: ["we will rebuild every bridge in the county within two years"]}


def test_a_quote_printed_twice_edited_holds_each_wording_once():
    index = MemoryIndex()
    quote = index.add(0, KOREA)
    index.add(0, PYONGYANG)
    assert index.wordings([quote]) == {quote: [normalize(KOREA), normalize(PYONGYANG)]}


def test_an_excerpt_printed_first_joins_the_whole_quote_printed_later():
    assert cluster(["further missile launches over our territory", LONG]) == [[0, 1]]


def test_a_whole_quote_joins_the_pieces_printed_as_separate_quotes_before_it():
    first = "We will keep the embassy open through the winter"
    second = "and we will review our staffing again in the spring"
    whole = f"{first}, {second}."
    assert cluster([first, second, whole]) == [[0, 1, 2]]


def test_an_excerpt_shared_by_two_quotes_joins_the_older_and_never_bridges_them():
    shared = "we will defend every inch of our territory"
    one, two = f"{shared} against any aggressor from the north", f"Tomorrow and always {shared} with our allies"
    assert cluster([one, two, shared]) == [[0, 2], [1]]


def test_an_edit_of_a_quote_joins_it_even_when_printed_before_the_longer_version():
    excerpt = "Russia would receive over two dozen kinds of weapons and munitions from Pyongyang"
    assert cluster([excerpt, PYONGYANG, KOREA]) == [[0, 1, 2]]


def test_quotes_without_words_are_each_a_quote_of_their_own():
    assert cluster(["!!!", "...", "\U0001F64F\U0001F64F", "!!!"]) == [[0], [1], [2], [3]]


def test_cluster_of_nothing_is_empty():
    assert cluster([]) == []


# --- showing differences ------------------------------------------------------------------------

def test_word_diff_gives_the_edited_word_as_removed_and_added_runs():
    assert word_diff(PYONGYANG, KOREA) == [
        (SAME, "As part of this proposed deal, Russia would receive over two dozen kinds of weapons and munitions from"),
        (REMOVED, "Korea."), (ADDED, "Pyongyang,")]


def test_word_diff_ignores_case_punctuation_and_quotation_marks():
    assert word_diff("“as part of THIS proposed deal”", KOREA) == [(SAME, "“as part of THIS proposed deal”")]


def test_word_diff_marks_words_an_excerpt_leaves_out_inside_its_stretch_but_not_around_it():
    assert word_diff("this deal, Russia would receive", KOREA) == [
        (SAME, "this"), (REMOVED, "proposed"), (SAME, "deal, Russia would receive")]


def test_word_diff_of_an_excerpt_with_an_edited_last_word_marks_only_that_word():
    assert word_diff("weapons and munitions from Pyongyang", KOREA.replace("Korea.", "Korea and Iran.")) == [
        (SAME, "weapons and munitions from"), (REMOVED, "Korea"), (ADDED, "Pyongyang")]


def test_mark_differences_prints_wdiff_style_marks():
    assert mark_differences(word_diff(PYONGYANG, KOREA)).endswith("munitions from [-Korea.-]{+Pyongyang,+}")
