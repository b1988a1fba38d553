"""The attribution ladder: for each quote, the speaker is looked for nearest first.

The speaker label of a transcript line ("SMITH: ..."); the speech verb the quote hangs from in
the parse; a speech verb in the quote's own sentences (either order, "according to", a dash);
a sentence ending in a colon just before; the quote it continues (same paragraph or a
multi-paragraph group); the sentence right after, or right before, that names a speaker; failing
every cue, the person the sentence just before is about. A
negated speech verb ("did not say", "denied saying") is on no rung; a quote in its sentence
that no rung names anyone for is speech of no one's. Quoted words that are nobody's speech are
then dropped (quotes.extract.filters) and the pieces of one quote joined (quotes.extract.groups).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from quotes.extract.beside import (
    cue_right_before,
    dash_speaker,
    inverted_cue_after,
    name_after_dash,
    name_before_colon,
    signature_speaker,
    verb_before_colon,
)
from quotes.extract.cues import outer_cue, outer_subject, speech_cues, subject_of
from quotes.extract.detect import QuoteSpan, words_end
from quotes.extract.filters import is_speech, quote_kind
from quotes.extract.groups import join_split_quotes, share_within_groups
from quotes.extract.parse import Parse
from quotes.extract.people import People
from quotes.extract.settings import DEFAULT_SETTINGS, Settings
from quotes.extract.signatures import signed
from quotes.extract.speakers import Attribution, speaker_labelled, speaker_of
from quotes.extract.speech_verbs import cue_words, is_cue, is_negated, is_speech_noun
from quotes.lexicon import (
    DASHES,
    NON_SPEAKING_PRONOUNS,
    PERSONAL_PRONOUNS,
    PRONOUN_GENDER,
)
from quotes.mention import Mention
from quotes.mention import Span as TextSpan
from quotes.names import Role, normalize_organization

#: A character that makes the text between two quotes more than punctuation and spacing.
_WORDS_BETWEEN = re.compile(r"[^ \n\t\xa0.,]")


class Attributor:
    """Attributes every quote of one parsed article: one pass, in document order."""

    def __init__(self, doc: Doc, quotes: list[QuoteSpan]):
        self.doc = doc
        self.parse = Parse(doc, quotes)
        words = cue_words(self.parse)
        cues = speech_cues(self.parse, words)
        self.people = People(self.parse, cues)
        #: the speech verbs with a speaker, by token and by character offset, for _cue_near's searches
        self.cues = [cue for cue, _ in cues]
        self.cue_tokens = [cue.i for cue in self.cues]
        self.cue_offsets = [cue.idx for cue in self.cues]
        #: token indices of the negated speech verbs ("did not say"), outside quotes
        self.negated = [t.i for t in words if is_cue(t) and is_negated(self.parse, t)]

    def attribute(self, q: QuoteSpan, previous: list[tuple[QuoteSpan, Attribution]]) -> Attribution:
        """The attribution of quote ``q``, given those of the quotes before it.

        Words no rung names anyone for, in a sentence with a negated speech verb ("accusations
        of 'sexist' attacks, which Ruiz did not answer"), are claimed as speech, of no one.
        """
        a = self._rungs(q, previous)
        if a.speaker is None and self._negated_cue_in(q):
            return Attribution(None, None, None, a.confidence, "cue")
        return a

    def _negated_cue_in(self, q: QuoteSpan) -> bool:
        """Whether a negated speech verb outside quotes is in the sentences of quote ``q``."""
        for sent in self.parse.sentences(q.outer_start, q.outer_end):
            k = bisect.bisect_left(self.negated, sent.start)
            if k < len(self.negated) and self.negated[k] < sent.end:
                return True
        return False

    def _rungs(self, q: QuoteSpan, previous: list[tuple[QuoteSpan, Attribution]]) -> Attribution:
        """The ladder's attribution of quote ``q``: the first rung that finds a speaker, nearest first."""
        parse, people = self.parse, self.people
        content = self.doc.char_span(q.start, q.end, alignment_mode="expand")
        if content is None:
            return Attribution(None, None, None, 0.0, "none")
        label = self.doc.char_span(q.label_start, q.label_end, alignment_mode="expand") if q.label_start is not None else None
        if label is not None:  # a transcript line: the label names the speaker (a name before a colon)
            return Attribution(None, label, speaker_labelled(people, label), 0.9, "colon", definite=True)
        p_start, p_end = parse.paragraph_of(q)
        sents = [s for s in parse.sentences(q.outer_start, q.outer_end) if s.start_char < p_end and s.end_char > p_start]

        def found(cue: Token | None, subj: Token | None, confidence: float, how: str, definite: bool = False) -> Attribution:
            if subj is not None and partial:  # a fragment the writer's sentence reports: its outer speaker
                subj = outer_subject(parse, subj)
            mention, speaker = speaker_of(people, subj) if subj is not None else (None, None)
            return Attribution(cue, mention, speaker, confidence if speaker else confidence / 2, how, definite and mention is not None)

        partial = quote_kind(parse.text, q) == "partial"
        end = words_end(parse.text, q.outer_start)  # of the text before the quote
        last = parse.text[end - 1 : end]
        headed = name_after_dash(parse, end - 1) if last == ":" else None
        if headed is not None:  # 'Pollsters agree - Carl Bialik: "..."': the name after the headline's dash
            return found(None, headed, 0.85, "colon")
        cue, verb = self._climb(q, content, highest=partial)
        if cue is not None:
            if not partial:  # 'X said as the heckler yelled: "..."': the heckler's
                cue = cue_right_before(parse, q, cue) or cue
            if cue.idx < q.outer_start:  # 'as Moscow denies, "...?" asked Dunn': Dunn's
                cue = inverted_cue_after(parse, q) or cue
            return found(cue, subject_of(parse, cue), 0.9, "cue", definite=True)
        near = self._cue_near(q, sents) or self._cue_right_after(q, p_end)
        if near is not None:
            attribution = found(near, subject_of(parse, near), 0.85, "cue")
            # a cue whose subject is no one ("Asked what it means, she ...") gives way to the rungs below;
            # '"...," Lee said. "[quote]" Lee added that ...': the second quote goes on from the first, the
            # cue after it reports words of its own
            own_words = near.idx >= q.outer_end and self._reports_own_words(near)
            if (attribution.speaker is not None or _names_someone(attribution)) and not (
                    own_words and self._continuation(q, previous, p_start) is not None):
                return attribution
        if partial and verb is not None:  # a fragment in the writer's sentence: its verb's subject, or of the
            verb = self._asserting_verb(verb)  # verb whose clause it is ("analysts found that the force is '...'")
            subj = subject_of(parse, verb)
            # '"...," Lee said. That makes her "a good person"': a demonstrative speaks no words, Lee goes on
            demonstrative = subj is not None and subj.lower_ in {"that", "this"} and verb.dep_ != "relcl"
            continuation = self._continuation(q, previous, p_start) if demonstrative else None
            return continuation or found(verb, subj, 0.6, "verb")
        dash = dash_speaker(parse, q) or signature_speaker(parse, q)
        if dash is not None:
            return found(None, dash, 0.8, "cue")
        # a sentence ending in a colon just before: "In a statement, the ministry said:"
        if last == "," and end == q.outer_start:
            # 'Ryan said,"Look...' glued to its cue: the cue's sentence may have been split off
            near = self._cue_near(q, parse.sentences(end - 1, end))
            if near is not None:
                return found(near, subject_of(parse, near), 0.85, "cue")
        if last == ":":
            colon = parse.sentences(end - 1, end)
            near = self._cue_near(q, colon)
            if near is not None:
                return found(near, subject_of(parse, near), 0.85, "colon")
            # "She went on:" / "Sanders delivered a snappy retort:" / "Pew Research:", when
            # they name someone ("it gets better:" does not)
            colon_verb = verb_before_colon(parse, end - 1)
            if colon_verb is not None:
                attribution = found(colon_verb, subject_of(parse, colon_verb), 0.7, "colon")
                if _names_someone(attribution):
                    return attribution
            name = name_before_colon(parse, end - 1)
            if name is not None:
                attribution = found(None, name, 0.7, "colon")
                if _names_someone(attribution):
                    return attribution
        elif last in DASHES or parse.text[end - 2 : end] == "--":
            # "Lopez also embraced harsh methods -- '...'": the clause the dash ends speaks, as before a colon
            dash_verb = verb_before_colon(parse, end - 1)
            if dash_verb is not None:
                attribution = found(dash_verb, subject_of(parse, dash_verb), 0.6, "colon")
                if _names_someone(attribution):
                    return attribution
        continuation = self._continuation(q, previous, p_start)
        if continuation is not None:
            return continuation
        if verb is not None:  # quoted words inside the writer's sentence: its verb's subject
            return found(verb, subject_of(parse, verb), 0.6, "verb")
        # the sentence right after, or right before, names the speaker
        after = parse.sentences(q.outer_end, min(p_end, q.outer_end + 200))
        near = self._cue_near(q, [s for s in after if s.start_char >= q.outer_end])
        if near is not None:
            return found(near, subject_of(parse, near), 0.6, "after")
        before_sents = [s for s in parse.sentences(q.outer_start - 300, q.outer_start) if s.end_char <= q.outer_start]
        near = self._cue_near(q, before_sents[-1:])
        if near is not None:  # "Carter said that critics had been predicting a pullout. '...'": Carter goes on
            near = outer_cue(parse, near)
            return found(near, subject_of(parse, near), 0.5, "before")
        subj = self._person_before(before_sents)  # no cue at all: "Ortiz stepped down. '...'"
        if subj is not None:
            attribution = found(None, subj, 0.4, "before")
            if attribution.speaker is not None:
                return attribution
        return Attribution(None, None, None, 0.3, "none")

    # -- rungs of the ladder --------------------------------------------------------------
    def _climb(self, q: QuoteSpan, content: Span, highest: bool) -> tuple[Token | None, Token | None]:
        """The speech verb the quote's words hang from (``"...," X said``), and a plain verb.

        A negated speech verb ("Ruiz never said '...'") is climbed past, as neither.

        With ``highest``, for a fragment inside the writer's sentence, the outermost speech verb
        of the chain wins ("Bolton said he would advise Trump on the 'threats'" is Bolton's); for a
        whole quote only when the inner speaker is a pronoun ("Lazar said he welcomed it and
        added, '...'" is Lazar's, but "'...,' Kirby said, Reuters reported" stays Kirby's).
        """
        parse = self.parse
        cue = verb = None
        for tok in content:
            child, head = tok, tok.head
            if q.outer_start <= head.idx < q.outer_end or tok.dep_ == "mark":
                continue  # a quote's last "that" the parser hung on the writer's next clause
            for _ in range(6):
                if parse.in_quote[head.i]:
                    break
                # "her remark that the city is 'broke'": the words are the remark's owner's, also when the parser
                # hung the clause elsewhere ("after her comment that, '...'") or made it a relative clause
                noun = self._speech_noun_of(child, head)
                if noun is not None:
                    cue = noun
                    break
                # "'...,' Ruiz did not say": no speech of hers, though a speech verb above may report it
                negated = is_cue(head) and is_negated(parse, head)
                if not negated and subject_of(parse, head) is not None:
                    if is_cue(head):
                        cue = head
                        break
                    if verb is None and head.pos_ in {"VERB", "AUX"}:
                        verb = head
                if head.head.i == head.i:
                    break
                child, head = head, head.head
            if cue is not None:
                break
        if cue is not None and highest:
            cue = outer_cue(parse, cue)
        elif cue is not None:
            cue = self._named_outer_cue(cue)
        return cue, verb

    def _speech_noun_of(self, clause: Token, head: Token) -> Token | None:
        """The noun of speech with an owner whose that-clause ``clause`` (a child of ``head``) is: ``head``, or
        the noun right before the clause's "that"."""
        if clause.dep_ not in {"acl", "ccomp", "relcl"}:
            return None
        that = next((c for c in clause.children if c.dep_ == "mark" and c.lower_ == "that"), None)
        if that is None:
            return None
        before = self.doc[that.i - 1] if that.i > 0 else None
        for noun in (head, before):
            if noun is not None and is_speech_noun(noun) and subject_of(self.parse, noun) is not None:
                return noun
        return None

    def _named_outer_cue(self, cue: Token) -> Token:
        """For "he"/"she" speaking inside a reported clause, the outer cue when it names that same person."""
        parse = self.parse
        subj = subject_of(parse, cue)
        if subj is None or subj.lower_ not in PRONOUN_GENDER:
            return cue
        outer = outer_cue(parse, cue)
        outer_subj = subject_of(parse, outer) if outer.i != cue.i else None
        if outer_subj is None or outer_subj.lower_ in PERSONAL_PRONOUNS:
            return cue
        pronoun_speaker, named_speaker = speaker_of(self.people, subj)[1], speaker_of(self.people, outer_subj)[1]
        same = pronoun_speaker is not None and named_speaker is not None and pronoun_speaker.name == named_speaker.name
        return outer if same else cue

    def _cue_near(self, q: QuoteSpan, sents: list[Span]) -> Token | None:
        """The speech verb with a speaker closest to the quote within ``sents`` (the first of equals)."""
        best, best_dist = None, None
        for sent in sents:
            for tok in self._cues_around(q, sent):
                if _relative_clause_without(self.parse.text, tok, q):
                    continue
                dist = q.outer_start - tok.idx if tok.idx < q.outer_start else tok.idx - q.outer_end
                if best_dist is None or dist < best_dist:
                    best, best_dist = tok, dist
        return best

    def _cues_around(self, q: QuoteSpan, span: Span) -> list[Token]:
        """The cues in ``span`` nearest the quote on either side: the last before it and the first after.

        Distance to the quote falls up to its opening mark and grows after it, so no other cue of
        the span can be nearer; found by bisection, not by reading a long sentence per quote.
        """
        lo = bisect.bisect_left(self.cue_tokens, span.start)
        hi = bisect.bisect_left(self.cue_tokens, span.end, lo)
        k = min(max(bisect.bisect_left(self.cue_offsets, q.outer_start), lo), hi)
        return self.cues[max(k - 1, lo) : min(k + 1, hi)]

    def _continuation(self, q: QuoteSpan, previous: list[tuple[QuoteSpan, Attribution]], p_start: int) -> Attribution | None:
        """The previous quote's attribution when ``q`` goes on from it: the same group, the same paragraph,
        or a paragraph that is nothing but a quote right after the previous quote's paragraph. It rests on
        the nearer sentence between them when that is about the same speaker, and there is none when
        someone else's speech verb between them hands the turn over (_turn_handed_over)."""
        if not previous:
            return None
        prev_q, prev_a = previous[-1]
        same_paragraph = prev_q.outer_end >= p_start
        whole_paragraph = q.outer_start == p_start and not _WORDS_BETWEEN.search(self.parse.text, prev_q.outer_end, p_start)
        if prev_a.mention is None or not (prev_q.group == q.group or same_paragraph or whole_paragraph):
            return None
        if prev_q.group != q.group and self._turn_handed_over(prev_q, prev_a, q):
            return None
        if prev_q.group != q.group and prev_a.speaker is not None:
            # '"...," said Ruiz. Ruiz chairs the board. "[quote]"': the nearer words name the same speaker
            between = [s for s in self.parse.sentences(prev_q.outer_end, q.outer_start)
                       if prev_q.outer_end <= s.start_char and s.end_char <= q.outer_start]
            subj = self._person_before(between, any_name=True)  # the same speaker's, by name
            if subj is not None:
                mention, speaker = speaker_of(self.people, subj)
                if speaker is not None and speaker.name == prev_a.speaker.name:
                    return Attribution(None, mention, speaker, 0.75, "continuation")
        return Attribution(prev_a.cue, prev_a.mention, prev_a.speaker, 0.75, "continuation")

    def _turn_handed_over(self, prev_q: QuoteSpan, prev_a: Attribution, q: QuoteSpan) -> bool:
        """Whether a speech verb of someone else stands between two quotes, reporting nothing of its own:
        '"...," Ruiz said, and her husband cut in. "[quote]"' is the husband's."""
        lo = bisect.bisect_left(self.cue_offsets, prev_q.outer_end)
        hi = bisect.bisect_left(self.cue_offsets, q.outer_start, lo)
        for cue in self.cues[lo:hi]:
            # a clause of its own that takes no object ("and her husband cut in"), not "according to X"
            # (a preposition) or "after de Blasio stated an interest"
            own_clause = cue.dep_ in {"ROOT", "conj"}
            if not own_clause or cue.i == getattr(prev_a.cue, "i", None) or \
                    any(c.dep_ in {"dobj", "ccomp", "xcomp", "prep"} for c in cue.children):
                continue
            speaker = speaker_of(self.people, subject_of(self.parse, cue))[1]
            if speaker is not None and (prev_a.speaker is None or speaker.name != prev_a.speaker.name):
                return True
        return False

    def _asserting_verb(self, verb: Token) -> Token:
        """The highest verb whose clausal complement ``verb``'s clause is, through such complements, with a
        subject that names a speaker: "Two analysts found in 2014 that the force is '...'" asserts through
        "found"; ``verb`` itself when there is none."""
        parse, best, node = self.parse, verb, verb
        for _ in range(4):
            head = node.head
            if node.dep_ != "ccomp" or head.i == node.i or parse.in_quote[head.i] or head.pos_ not in {"VERB", "AUX"}:
                break
            subj = subject_of(parse, head)
            if subj is not None and speaker_of(self.people, subj)[1] is not None:
                best = head
            node = head
        return best

    def _person_before(self, sents: list[Span], any_name: bool = False) -> Token | None:
        """The person the last of ``sents`` is about: its main verb's subject, a name or a personal pronoun;
        with ``any_name``, a proper noun the entity recogniser did not call a person too."""
        if not sents:
            return None
        root = sents[-1].root
        subj = subject_of(self.parse, root) if root.pos_ in {"VERB", "AUX"} else None
        if subj is not None and (subj.ent_type_ == "PERSON" or subj.lower_ in PERSONAL_PRONOUNS
                                 or any_name and subj.pos_ == "PROPN"):
            return subj
        return None

    def _reports_own_words(self, cue: Token) -> bool:
        """Whether ``cue`` reports words outside quotes of its own: "Lee added that the fund ...", not "Lee added."."""
        in_quote = self.parse.in_quote
        return any(c.dep_ == "ccomp" and not in_quote[c.i] for c in cue.children)

    def _cue_right_after(self, q: QuoteSpan, p_end: int) -> Token | None:
        """``"...!" she said.``: a short attribution the parser split off as its own sentence."""
        following = [s for s in self.parse.sentences(q.outer_end, min(p_end, q.outer_end + 3)) if s.start_char >= q.outer_end]
        if not following:
            return None
        head = following[0][:6]
        return self._cue_near(q, [head]) if head.start_char - q.outer_end <= 3 else None




def _relative_clause_without(text: str, cue: Token, q: QuoteSpan) -> bool:
    """Whether the cue speaks in a relative clause that neither holds the quote nor leads into it: in "Lee cited
    'X-Y' policies, which he said had failed", "he said" is about the policies, not the quoted words, but in
    "Lee, who declared on Monday, '...'" the clause introduces them."""
    clause = cue
    for _ in range(3):
        if clause.dep_ == "relcl":
            start, end = clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge)
            return q.outer_end <= start or (q.outer_start >= end and any(ch.isalpha() for ch in text[end:q.outer_start]))
        if clause.dep_ not in {"conj", "xcomp", "ccomp"} or clause.head.i == clause.i:
            return False
        clause = clause.head
    return False


def _names_someone(attribution: Attribution) -> bool:
    """False for an attribution resting on "it", "that" and the like ("it gets better:")."""
    return attribution.mention is not None and attribution.mention.root.lower_ not in NON_SPEAKING_PRONOUNS


def ladder(doc: Doc, quotes: list[QuoteSpan], settings: Settings = DEFAULT_SETTINGS) -> tuple[Attributor, list[tuple[QuoteSpan, Attribution]]]:
    """The quote spans in ``doc`` that are speech, each with the ladder's attribution, in document order."""
    attributor = Attributor(doc, quotes)
    quotes = signed(attributor.parse, quotes)
    done: list[tuple[QuoteSpan, Attribution]] = []
    for q in quotes:
        a = attributor.attribute(q, done)
        if is_speech(attributor.parse, q, a, settings):
            done.append((q, a))
    join_split_quotes(done, doc, attributor.parse.text)
    share_within_groups(done)
    return attributor, done


def attribute(doc: Doc, quotes: list[QuoteSpan], settings: Settings = DEFAULT_SETTINGS,
              rescore: Callable[[Attributor, list[tuple[QuoteSpan, Attribution]]], list[Attribution]] | None = None) -> list[Mention]:
    """A Mention for each quote span in ``doc`` that is speech, attributed and with the speaker's role.

    ``rescore`` (quotes.extract.scorer) may replace the ladder's attributions, one per quote,
    with its own pick and a calibrated confidence.
    """
    attributor, done = ladder(doc, quotes, settings)
    if rescore is not None:
        done = list(zip([q for q, _ in done], rescore(attributor, done), strict=True))
    return [_mention(attributor.parse, q, a) for q, a in done]


def _mention(parse: Parse, q: QuoteSpan, a: Attribution) -> Mention:
    """The Mention for quote ``q`` as ``a`` attributes it, its organisation spelled out from the article's acronyms."""
    speaker = a.speaker
    role = speaker.role if speaker else None
    organization = role.organization if role else None
    if organization and organization.replace(".", "") in parse.acronyms:
        organization = normalize_organization(organization, parse.acronyms)
    return Mention(
        text=parse.text[q.start : q.end],
        start=q.start,
        end=q.end,
        speaker=speaker.name if speaker else None,
        speaker_kind=speaker.kind if speaker else None,
        speaker_mention=TextSpan(a.mention.text, a.mention.start_char, a.mention.end_char) if a.mention is not None else None,
        role=Role(role.title, organization).text if role else None,
        title=role.title if role else None,
        organization=organization,
        cue=a.cue.text if a.cue is not None else None,
        kind=quote_kind(parse.text, q),
        group=q.group,
        confidence=round(a.confidence, 3),
    )
