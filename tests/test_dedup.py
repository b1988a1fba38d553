"""Deduplication: which texts by one speaker are the same quote."""

from quotes.dedup import MIN_EDIT_TOKENS, MIN_EXCERPT_TOKENS, cluster, normalize, same_quote, tokens

LONG = "We will not tolerate further missile launches over our territory this year."


def test_normalize_unifies_quotation_marks_and_apostrophes():
    assert normalize("“We don’t know,” she said") == normalize('"We don\'t know," she said')


def test_normalize_lowercases_drops_punctuation_and_collapses_whitespace():
    assert normalize("  The PLAN -- is,\n  simply;  WRONG!  ") == "the plan is simply wrong"


def test_normalize_applies_nfkc():
    assert normalize("ﬁnal ＡＢＣ") == "final abc"


def test_normalize_keeps_abbreviations_and_numbers_whole():
    assert tokens("The U.S. sent 1,000 troops, not 3.5 thousand.") == [
        "the", "us", "sent", "1000", "troops", "not", "35", "thousand",
    ]


def test_same_words_with_other_punctuation_and_case_are_the_same_quote():
    assert same_quote(LONG, "“we will NOT tolerate further missile launches over our territory this year,”")


def test_one_edited_word_in_a_long_quote_is_the_same_quote():
    assert same_quote(
        "We have seen weapons shipments arrive from Korea this month",
        "We have seen weapons shipments arrive from Pyongyang this month",
    )


def test_one_edited_word_in_a_short_quote_is_a_different_quote():
    short_a = "we are watching the markets"
    short_b = "we are watching the situation"
    assert len(tokens(short_a)) == MIN_EDIT_TOKENS - 1
    assert not same_quote(short_a, short_b)


def test_one_edited_word_counts_from_the_minimum_length_on():
    a = "one two three four five six"
    assert len(tokens(a)) == MIN_EDIT_TOKENS
    assert same_quote(a, "one two three four five seven")


def test_two_edited_words_make_a_different_quote():
    assert not same_quote(LONG, LONG.replace("missile", "rocket").replace("territory", "waters"))


def test_an_excerpt_of_enough_words_is_the_same_quote():
    assert same_quote(LONG, "further missile launches over our territory")


def test_a_short_excerpt_is_a_different_quote():
    excerpt = "over our territory this year"
    assert len(tokens(excerpt)) == MIN_EXCERPT_TOKENS - 1
    assert not same_quote(LONG, excerpt)


def test_an_excerpt_must_be_contiguous_whole_words():
    assert not same_quote(LONG, "will not tolerate missile launches over our")  # "further" skipped
    assert not same_quote(LONG, "ill not tolerate further missile launches")  # part of a word


def test_empty_texts_are_never_the_same_quote():
    assert not same_quote("", "")
    assert not same_quote("...", "“”")


def test_cluster_groups_exact_edited_and_excerpted_versions_and_keeps_others_apart():
    texts = [
        LONG,
        "We will not tolerate further rocket launches over our territory this year.",
        "The talks will resume on Monday in Geneva as planned.",
        "further missile launches over our territory",
        "The talks will resume on Monday in Geneva as planned",
    ]
    assert cluster(texts) == [[0, 1, 3], [2, 4]]


def test_cluster_of_nothing_is_empty():
    assert cluster([]) == []
