"""Articles of any size and content are extracted in bounded time (issue 17), checked in-process.

Each test feeds a pathological article (thousands of short lines, a long run of quotation
marks) to the part that used to be quadratic on it, and bounds the CPU time it takes; the
subprocess measurements of tests/test_resources.py check the whole run, memory included.
"""

from __future__ import annotations

import time

from quotes.extract.components import paragraph_sentences
from quotes.extract.detect import find_quotes


def cpu_seconds(work) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def test_every_line_of_twenty_thousand_starts_a_sentence_in_one_pass(nlp):
    doc = nlp.make_doc("".join(f"Line {i}.\n" for i in range(20_000)))
    assert cpu_seconds(lambda: paragraph_sentences(doc)) < 2  # was 53 s: each start rescanned the doc
    starts = [tok.i for tok in doc if tok.is_sent_start]
    assert starts == [0] + [tok.i + 1 for tok in doc[:-1] if "\n" in tok.text_with_ws]


def test_quotation_marks_among_many_tags_are_found_without_rereading_the_tags():
    text = '<b>"We won," she said.</b> ' * 20_000
    assert cpu_seconds(lambda: find_quotes(text)) < 5  # was 150 s: each mark was checked against every tag
    assert len(find_quotes(text)) == 20_000
