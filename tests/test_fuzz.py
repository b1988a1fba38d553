"""Property tests: any text, however its quotation marks fall, extracts without error and with exact offsets."""

import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.extract.detect import find_quotes
from quotes.extract import extract
from quotes.extract.pieces import make_doc

MARKS = ['"', "“", "”", "‘", "’", "'", "''", "«", "»", "„", "``"]
PIECES = st.one_of(
    st.sampled_from(MARKS),
    st.sampled_from([" ", "\n", "\n\n", ", ", ". ", ": ", " - "]),
    st.sampled_from(["said", "Ana Ruiz", "she", "told reporters", "according to", "Mr. Lee", "the ministry"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)
TEXTS = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_detection_never_raises_and_offsets_point_inside_the_text(text):
    for q in find_quotes(text):
        assert 0 <= q.outer_start <= q.start < q.end <= q.outer_end <= len(text)
        assert text[q.start : q.end].strip()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXTS)
def test_extraction_never_raises_and_every_record_indexes_the_body(nlp, text):
    for m in extract(text, nlp):
        assert text[m.start : m.end] == m.text
        if m.speaker_mention is not None:
            assert text[m.speaker_mention.start : m.speaker_mention.end] == m.speaker_mention.text


def test_a_pathological_number_of_quotation_marks_is_handled(nlp):
    text = ('He said "' * 3000) + "end."
    mentions = extract(text, nlp)
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_a_word_after_quotation_marks_the_tokenizer_joins_is_its_own_subtree(nlp):
    # the tokenizer joins "'" "'" into one token and leaves the tokens after it with the subtree edges of
    # the ones before: "according" then reached past the end of the doc, and reading it crashed the process
    doc = make_doc(nlp, " ''according to")
    assert [(t.left_edge.i, t.right_edge.i) for t in doc] == [(t.i, t.i) for t in doc]


def test_text_the_parser_skips_after_joined_quotation_marks_extracts_in_a_process_that_survives():
    done = subprocess.run([sys.executable, "-c", "from quotes.extract import extract; print(extract(\" ''according to\"))"],
                          capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr[-500:]
