"""The pieces of one quote: a quote split by its attribution, or running over paragraphs, is one group.

Both functions work in place on the attributed quotes of an article, in document order.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from quotes.extract.detect import QuoteSpan
from quotes.extract.speakers import OWN_CUE, Attribution

#: Characters an attribution between the two pieces of a split quote takes at most.
MAX_SPLIT_GAP = 80


def join_split_quotes(done: list[tuple[QuoteSpan, Attribution]], doc: Doc, text: str) -> None:
    """Put the pieces of a split quote ('"We tried," Ruth Amos said, "but the vote failed."') in one group.

    The first piece ends in a comma; the words between are a short attribution on one line,
    ending in a comma, whose only verb is the cue both pieces are attributed through; the second
    piece goes on in lower case. A piece that runs on over paragraphs brings its whole group.
    """
    for i in range(1, len(done)):
        (first, before), (second, after) = done[i - 1], done[i]
        cue = before.cue
        if first.group == second.group or cue is None or after.cue is None or after.cue.i != cue.i:
            continue
        between = text[first.outer_end:second.outer_start]
        words = doc.char_span(first.outer_end, second.outer_start, alignment_mode="contract")
        split = (text[first.start:first.end].rstrip().endswith(",") and between.strip().endswith(",")
                 and len(between) <= MAX_SPLIT_GAP and "\n" not in between and text[second.start:second.start + 1].islower()
                 and words is not None and all(t.i == cue.i or t.pos_ not in {"VERB", "AUX"} for t in words))
        if split:  # the pieces of a group follow one another: move them up to the next group
            moved, j = second.group, i
            while j < len(done) and done[j][0].group == moved:
                done[j] = (replace(done[j][0], group=first.group), done[j][1])
                j += 1


def share_within_groups(done: list[tuple[QuoteSpan, Attribution]]) -> None:
    """Give the pieces of a multi-paragraph quote that found no cue of their own the cue of a piece that did.

    A quote running over paragraphs is usually attributed once, often after its last piece.
    """
    by_group: dict[int, Attribution] = {}
    for q, a in done:
        if a.how in OWN_CUE and a.speaker is not None:
            by_group.setdefault(q.group, a)
    for i, (q, a) in enumerate(done):
        shared = by_group.get(q.group)
        if shared is not None and a.how not in OWN_CUE and a.how != "continuation":
            done[i] = (q, Attribution(shared.cue, shared.mention, shared.speaker, 0.75, "continuation"))
