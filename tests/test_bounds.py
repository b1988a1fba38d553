"""Articles of any size and content are extracted in bounded time (issue 17), checked in-process.

Each test feeds a pathological article (thousands of short lines, a long run of quotation
marks) to the part that used to be quadratic on it, and bounds the CPU time it takes; the
subprocess measurements of tests/test_resources.py check the whole run, memory included.
"""

from __future__ import annotations

import time

import pytest
from spacy.tokens import Doc

from quotes.extract.components import paragraph_sentences
from quotes.extract.detect import find_quotes


def cpu_seconds(work) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def test_every_line_of_twenty_thousand_starts_a_sentence_in_one_pass(nlp):
    doc = nlp.make_doc("".join(f"Line {i}.\n" for i in range(20_000)))
    assert cpu_seconds(lambda: paragraph_sentences(doc)) < 2  # was 140 s: each start rescanned the doc
    starts = [tok.i for tok in doc if tok.is_sent_start]
    assert starts == [0] + [tok.i + 1 for tok in doc[:-1] if "\n" in tok.text_with_ws]


def parsed(nlp, words: list[str]) -> Doc:
    """``words`` run together (no spaces), through every component but ``quotes``."""
    doc = Doc(nlp.vocab, words=words, spaces=[False] * len(words))
    for name, proc in nlp.pipeline:
        if name != "quotes":
            doc = proc(doc)
    return doc


@pytest.mark.parametrize(("words", "before"), [
    (['"'] * 5_000, "3 s"),  # one sentence, a quote between every two marks
    (['"', "'"] * 5_000, "15 s"),  # nested marks
], ids=["double marks", "nested marks"])
def test_attributing_the_quotes_of_one_long_sentence_does_not_read_the_sentence_per_quote(nlp, words, before):
    doc = parsed(nlp, words)
    quotes = nlp.get_pipe("quotes")
    assert cpu_seconds(lambda: quotes(doc)) < 1, f"was {before}"


def test_quotation_marks_among_many_tags_are_found_without_rereading_the_tags():
    text = '<b>"We won," she said.</b> ' * 20_000
    assert cpu_seconds(lambda: find_quotes(text)) < 5  # was 150 s: each mark was checked against every tag
    assert len(find_quotes(text)) == 20_000
