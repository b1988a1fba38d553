"""Attribute quoted spans to speakers over a parsed spaCy Doc, and give each speaker's role.

For each quote the attribution is looked for, nearest first: the speech verb the quote hangs
from in the parse; a speech verb in the quote's own sentences (either order, "according to",
a dash); a sentence ending in a colon just before; the quote it continues (same paragraph or a
multi-paragraph group); the sentence right after, or right before, that names a speaker.
Pronouns resolve to the most recent compatible named speaker; surnames and honorifics to the
full name given in the article.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from quotes.extract.detect import QuoteSpan
from quotes.extract.roles import role_of
from quotes.lexicon import (
    ANONYMOUS_NOUNS,
    CONTINUATION_FORMS,
    CUE_FORMS,
    FEMALE_HONORIFICS,
    HONORIFICS,
    INTRANSITIVE_CUE_FORMS,
    MALE_HONORIFICS,
    NON_SPEAKING_PRONOUNS,
    NOT_SPEAKER_ENTITIES,
    ORGANIZATION_NOUNS,
    PERSONAL_PRONOUNS,
    PHRASAL_CUES,
    PHRASAL_VERBS,
    PRONOUN_GENDER,
    PUBLISHING_FORMS,
    RELATIVE_PRONOUNS,
    TITLE_CASE_SMALL_WORDS,
    TITLE_WORDS,
    VOCAL_FORMS,
    WORK_TITLE_CUES,
)
from quotes.mention import Mention
from quotes.mention import Span as TextSpan
from quotes.names import Role, acronyms, normalize_organization

#: Lower-case quoted fragments of at most this many words need a speech verb to count as quotes.
MAX_SCARE_WORDS = 1
#: Quoted words that nothing attributes and that are this short are a nickname or a scare quote.
MAX_ORPHAN_WORDS = 4
#: Tokens a cue without a parsed subject looks back for a person's name.
MAX_LEFT_NAME_DISTANCE = 12
#: Dependencies of a name that is acted on, not acting ("hosts Joe Scarborough and Mika Brzezinski").
_OBJECTS = frozenset({"pobj", "dobj", "conj", "poss", "compound", "iobj"})
_DASHES = frozenset({"-", "—", "–", "--"})


def _is_a_time_or_amount(tok: Token) -> bool:
    """A day, time or amount the parser made a subject ("Saturday"); "the 46-year-old" is a person."""
    if tok.ent_type_ == "DATE":
        return tok.pos_ == "PROPN"
    return tok.ent_type_ in NOT_SPEAKER_ENTITIES


@dataclass
class Speaker:
    """Who a quote is attributed to, resolved within one article."""

    name: str
    kind: str  # person / organization / anonymous
    role: Role | None = None


@dataclass
class Attribution:
    """How a quote was attributed: the cue, the words naming the speaker, and who that is."""

    cue: Token | None
    mention: Span | None
    speaker: Speaker | None
    confidence: float
    how: str  # cue / colon / continuation / after / verb / before / none


@dataclass
class _Person:
    name: str
    gender: str | None = None
    role: Role | None = None
    positions: list[int] = field(default_factory=list)


class _Article:
    """What attribution needs to know about one parsed article."""

    def __init__(self, doc: Doc, quotes: list[QuoteSpan]):
        self.doc = doc
        self.quotes = quotes
        self.text = doc.text  # Doc.text rebuilds the string on every access: read it once
        self.acronyms = acronyms(self.text)
        self.in_quote = [False] * len(doc)
        for q in quotes:
            span = doc.char_span(q.outer_start, q.outer_end, alignment_mode="expand")
            if span is not None:
                for i in range(span.start, span.end):
                    self.in_quote[i] = True
        self.entity: dict[int, Span] = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
        self.sents = list(doc.sents)
        self.sent_ends = [s.end_char for s in self.sents]
        self.people: dict[str, _Person] = {}
        self.surnames: dict[str, list[str]] = {}
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                self.person_named(ent)
        for tok in doc:  # names the NER missed, as the subjects they usually are: "Mayor Ana Ruiz did"
            if tok.dep_ in {"nsubj", "nsubjpass"} and tok.pos_ == "PROPN" and not tok.ent_type_:
                self.person_named(self.name_at(tok))
        # speakers of speech verbs outside quotes, in order: the antecedents pronouns prefer
        self.speech_events: list[tuple[int, _Person]] = []
        for tok in doc:
            if self._is_cue(tok) and not self.in_quote[tok.i]:
                subj = self.subject_of(tok)
                name = self.name_at(subj) if subj is not None else None
                person = self.person_named(name) if name is not None else None
                if person is not None:
                    self.speech_events.append((tok.i, person))

    # -- people ---------------------------------------------------------------------------
    def name_at(self, tok: Token) -> Span | None:
        """The proper name ``tok`` belongs to: its entity, else its run of proper nouns."""
        ent = self._entity_at(tok)
        if ent is not None:
            return ent
        if tok.pos_ != "PROPN":
            return None
        start = tok.i
        while start > 0 and self.doc[start - 1].pos_ == "PROPN" and self.doc[start - 1].ent_type_ in {"", "PERSON"}:
            start -= 1  # "Tomas Reyes", even when the parser hung "Tomas" elsewhere
        return self.doc[start : tok.i + 1]

    def _entity_at(self, tok: Token) -> Span | None:
        return self.entity.get(tok.i)

    @staticmethod
    def _split_name(name: Span) -> tuple[list[Token], list[Token]]:
        """Leading honorifics and titles ("Mayor", "Sen.") apart from the name's own words."""
        toks = [t for t in name if t.text not in {"'s", "’s", "'", "’"} and not t.is_space]
        i = 0
        while i < len(toks) and (toks[i].lower_ in HONORIFICS or toks[i].lower_ in TITLE_WORDS or toks[i].is_punct):
            i += 1
        return toks[:i], toks[i:]

    def person_named(self, name: Span) -> _Person | None:
        """The article's person for a name ("Kirby" finds "John Kirby"), registered on first sight.

        A name is a person's when the NER says so, when it is a known surname, or when it is
        two or more capitalised words the NER left unlabelled.
        """
        prefix, toks = self._split_name(name)
        if not toks or not all(t.text[:1].isupper() for t in toks):
            return None
        words = [t.text for t in toks]
        surname = words[-1]
        shouted = all(t.is_upper for t in toks)  # an all-caps cross-headline ("HUMAN RIGHTS GROUP SAYS")
        label = name.label_ if name.label_ else ("PERSON" if (len(words) >= 2 and not shouted) or prefix else "")
        if label != "PERSON" and surname not in self.surnames and role_of(name) is None:
            return None  # an organisation's name; a titled one ("X, the president") is a person
        if len(words) >= 2:
            full = " ".join(words)
        else:
            known = self.surnames.get(surname)
            full = known[-1] if known else surname
        person = self.people.get(full)
        if person is None:
            person = self.people[full] = _Person(full)
            if len(words) >= 2:
                self.surnames.setdefault(surname, []).append(full)
        if name.start not in person.positions:
            person.positions.append(name.start)
        before = name.doc[name.start - 1] if name.start > 0 else None
        for tok in [*prefix, before]:
            if tok is not None and tok.lower_ in FEMALE_HONORIFICS:
                person.gender = "f"
            elif tok is not None and tok.lower_ in MALE_HONORIFICS:
                person.gender = "m"
        if person.role is None:
            person.role = role_of(name) or self._honorific_role(*prefix, before)
        return person

    @staticmethod
    def _honorific_role(*tokens: Token | None) -> Role | None:
        for tok in tokens:
            if tok is None:
                continue
            if HONORIFICS.get(tok.lower_):
                return Role(HONORIFICS[tok.lower_], None)
            if tok.lower_ in TITLE_WORDS:
                return Role(tok.lower_, None)
        return None

    def resolve_pronoun(self, tok: Token) -> _Person | None:
        """The most recent named speaker (else person) before ``tok`` that fits its gender."""
        gender = PRONOUN_GENDER.get(tok.lower_)
        if tok.lower_ not in PRONOUN_GENDER:
            return None
        for pos, person in reversed(self.speech_events):
            if pos < tok.i and (person.gender in (None, gender)):
                return person
        best = None
        for person in self.people.values():
            earlier = [p for p in person.positions if p < tok.i]
            if earlier and person.gender in (None, gender) and (best is None or earlier[-1] > best[0]):
                best = (earlier[-1], person)
        return best[1] if best else None

    # -- cues and subjects ----------------------------------------------------------------
    @staticmethod
    def _is_cue(tok: Token) -> bool:
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            return True
        if tok.pos_ not in {"VERB", "AUX"}:
            return False
        if tok.lower_ in CUE_FORMS:
            return True
        if tok.lower_ in INTRANSITIVE_CUE_FORMS:  # "Hannity pressed.", not "pressed the FBI on the 'missing' files"
            return not any(c.dep_ in {"dobj", "xcomp", "prep", "ccomp"} for c in tok.children)
        return tok.lower_ in PHRASAL_VERBS and not any(c.dep_ == "xcomp" for c in tok.children) and any(
            c.dep_ in {"prt", "advmod"} and f"{tok.lower_}:{c.lower_}" in PHRASAL_CUES for c in tok.children
        )  # "she went on:", not "prices went on rising"

    def subject_of(self, verb: Token) -> Token | None:
        """The token naming who speaks through ``verb``, outside any quote."""
        if verb.lower_ == "according":
            to = next((c for c in verb.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            return obj if obj is not None and not self.in_quote[obj.i] else None
        cue, seen = verb, 0
        while verb is not None and seen < 4:
            subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and not self.in_quote[c.i]]
            # the nearest when the parser gave a speech verb two ("..., Berea, OH, ..., Gov. John Kasich said")
            subj = min(subjects, key=lambda c: abs(c.i - verb.i), default=None) if self._is_cue(verb) else next(iter(subjects), None)
            if subj is not None and _is_a_time_or_amount(subj):
                subj = None  # "Saturday, X said": a day is no speaker
            if subj is not None and subj.ent_type_ == "PERCENT":
                subj = self._according_to(verb.sent) or subj  # "40 percent said ..., according to a poll"
            continues = seen and not self._is_cue(verb) and (
                cue.lower_ in CONTINUATION_FORMS or (cue.tag_ == "VBG" and cue.lower_ not in VOCAL_FORMS))
            reporting = self._reporting_verb(verb) if subj is not None and continues else None
            if reporting is not None:
                verb = reporting  # "X said the move was Y's and said, ...": X, not "the move"
                seen += 1
                continue
            if subj is not None:
                return subj
            inverted = self._inverted_subject(verb)
            if inverted is not None:
                return inverted
            if verb.dep_ == "xcomp":  # "prompted Rubio to call Trump ...": the object speaks
                obj = next((c for c in verb.head.children if c.dep_ == "dobj" and not self.in_quote[c.i]), None)
                if obj is not None and (obj.pos_ == "PROPN" or obj.lower_ in PRONOUN_GENDER):
                    return obj
            participle = verb.dep_ in {"advcl", "xcomp"} and verb.tag_ in {"VBG", "VB"}
            if (verb.dep_ == "conj" or participle) and verb.head.i != verb.i:
                verb = verb.head  # "..., adding" / "and added" / "went on to say"
                seen += 1
                continue
            break
        return self._name_left_of(cue) if self._is_cue(cue) else None

    def _according_to(self, sent: Span) -> Token | None:
        """The source of an "according to X" in ``sent``, if any."""
        return next((self.subject_of(tok) for tok in sent if tok.lower_ == "according" and self._is_cue(tok)), None)

    def _reporting_verb(self, verb: Token) -> Token | None:
        """The speech verb whose complement ``verb`` is ("said the process could be messy"), if any."""
        node = verb
        for _ in range(3):
            if node.dep_ not in {"ccomp", "xcomp", "conj"} or node.head.i == node.i or self.in_quote[node.head.i]:
                return None
            node = node.head
            if self._is_cue(node):
                return node
        return None

    def _name_left_of(self, verb: Token) -> Token | None:
        """A person named just before a cue the parser left without a subject.

        "On Dec. 2, Col. Steven Warren, a military spokesman, said, ..." parsed with Warren as an
        apposition of the date: the nearest person to the left, with no verb in between.
        """
        passive = verb.tag_ == "VBN" and verb.dep_ in {"acl", "amod"} or any(c.dep_ == "agent" for c in verb.children)
        if verb.tag_ == "VBG" or passive:
            return None  # "calling X ...", "X, accused of ... by prosecutors": not X speaking
        start = verb.sent.start
        for i in range(verb.i - 1, max(start, verb.i - MAX_LEFT_NAME_DISTANCE) - 1, -1):
            tok = self.doc[i]
            if self.in_quote[i] or tok.pos_ in {"VERB", "AUX"}:
                return None
            if tok.ent_type_ == "PERSON":
                name = self.name_at(tok)
                return tok if name is not None and name.root.dep_ not in _OBJECTS else None
        return None

    def outer_subject(self, subj: Token) -> Token:
        """For "that"/"which" heading a relative clause, the subject of the clause it hangs in.

        "Sanders released an ad that urges voters to 'send a message'": the ad speaks for Sanders, who
        published it; only verbs of publishing (PUBLISHING_LEMMAS) hand the words on like that.
        """
        if subj.lower_ not in {"that", "which"} or subj.head.dep_ != "relcl":
            return subj
        node = subj.head.head
        for _ in range(4):
            if node.pos_ in {"VERB", "AUX"}:
                if node.lower_ not in PUBLISHING_FORMS:
                    return subj  # "criticized an ad that called her 'crooked'": the ad's words
                outer = self.subject_of(node)
                return outer if outer is not None else subj
            if node.head.i == node.i or self.in_quote[node.head.i]:
                break
            node = node.head
        return subj

    def _inverted_subject(self, verb: Token) -> Token | None:
        """``"...," said Edward Leamer``: the name right after a cue that follows the quote."""
        doc = self.doc
        if not self._is_cue(verb) or verb.i == 0 or verb.i + 1 >= len(doc):
            return None
        before = doc[verb.i - 1]
        right_after_quote = self.in_quote[before.i] or (before.is_punct and verb.i > 1 and self.in_quote[verb.i - 2])
        if not right_after_quote or verb.tag_ == "VBG":
            return None
        tok = doc[verb.i + 1]
        if self.in_quote[tok.i] or tok.pos_ not in {"PROPN", "NOUN", "PRON", "DET", "NUM", "ADJ"}:
            return None
        for _ in range(6):  # "said one senior official": from the first word up to its head noun
            if tok.pos_ in {"PROPN", "NOUN", "PRON"} and tok.dep_ not in {"compound", "amod", "nummod", "poss", "det"}:
                return tok
            if not verb.i < tok.head.i <= verb.i + 7:
                break
            tok = tok.head
        return tok if tok.pos_ in {"PROPN", "NOUN", "PRON"} else None

    # -- speakers -------------------------------------------------------------------------
    def speaker_of(self, tok: Token) -> tuple[Span, Speaker | None]:
        """The words naming the speaker around ``tok`` and who they resolve to."""
        doc = self.doc
        if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
            # "Obama, who called it...": the words are "who", the speaker is who it stands for
            _, speaker = self.speaker_of(tok.head.head)
            return doc[tok.i : tok.i + 1], speaker
        if tok.lower_ in PERSONAL_PRONOUNS:
            person = self.resolve_pronoun(tok)
            mention = doc[tok.i : tok.i + 1]
            if person is not None and PRONOUN_GENDER.get(tok.lower_):
                person.gender = person.gender or PRONOUN_GENDER[tok.lower_]
            return mention, (Speaker(person.name, "person", person.role) if person else None)
        name = self.name_at(tok)
        if name is None:
            # "the economist Jared Bernstein": a title noun whose name hangs from it
            for child in tok.children:
                if child.dep_ in {"appos", "compound"} and child.pos_ == "PROPN" and child.ent_type_ in {"PERSON", ""}:
                    name = self.name_at(child)
                    break
        if name is not None:
            person = self.person_named(name)
            if person is not None:
                return name, Speaker(person.name, "person", role_of(name) or person.role)
            if name.label_ in {"ORG", "GPE", "NORP", "FAC"}:
                org = name.text[4:] if name.text.lower().startswith("the ") else name.text
                return name, Speaker(self.acronyms.get(org, org).strip(), "organization")
        return self._noun_phrase_speaker(tok)

    def _noun_phrase_speaker(self, tok: Token) -> tuple[Span, Speaker | None]:
        left = min((c.i for c in tok.lefts if c.dep_ in {"det", "amod", "compound", "nummod", "poss", "nmod"}), default=tok.i)
        left = min(left, min((c.left_edge.i for c in tok.lefts if c.dep_ in {"amod", "compound", "poss", "nmod"}), default=left))
        mention = self.doc[left : tok.i + 1]
        noun = tok.lower_
        det = mention[0].lower_
        if tok.pos_ == "PROPN" or (tok.text[:1].isupper() and not tok.is_sent_start):
            return mention, Speaker(mention.text, "organization")
        if noun in ANONYMOUS_NOUNS or det in {"a", "an", "one", "two", "three", "several", "some", "many"}:
            return mention, Speaker(mention.text, "anonymous")
        if noun in ORGANIZATION_NOUNS:
            return mention, Speaker(mention.text, "organization")
        if noun in TITLE_WORDS:
            # "the spokesman": the person in the article holding that title, else anonymous
            for person in reversed(list(self.people.values())):
                if person.role and person.role.title and noun in person.role.title.split():
                    return mention, Speaker(person.name, "person", person.role)
            return mention, Speaker(mention.text, "anonymous")
        return mention, None




class Attributor:
    """Attributes every quote of one parsed article: one pass, in document order."""

    def __init__(self, doc: Doc, quotes: list[QuoteSpan]):
        self.art = _Article(doc, quotes)
        self.doc = doc

    def _tokens(self, q: QuoteSpan) -> Span | None:
        return self.doc.char_span(q.start, q.end, alignment_mode="expand")

    def _climb(self, q: QuoteSpan, content: Span, highest: bool) -> tuple[Token | None, Token | None]:
        """The speech verb the quote's words hang from (``"...," X said``), and a plain verb.

        With ``highest``, for a fragment inside the writer's sentence, the outermost speech verb
        of the chain wins ("Bolton said he would advise Trump on the 'threats'" is Bolton's); for a
        whole quote only when the inner speaker is a pronoun ("Lazar said he welcomed it and
        added, '...'" is Lazar's, but "'...,' Kirby said, Reuters reported" stays Kirby's).
        """
        art = self.art
        cue = verb = None
        for tok in content:
            head = tok.head
            if q.outer_start <= head.idx < q.outer_end:
                continue
            for _ in range(6):
                if art.in_quote[head.i]:
                    break
                if art.subject_of(head) is not None:
                    if art._is_cue(head):
                        cue = head
                        break
                    if verb is None and head.pos_ in {"VERB", "AUX"}:
                        verb = head
                if head.head.i == head.i:
                    break
                head = head.head
            if cue is not None:
                break
        if cue is not None and highest:
            cue = self._outer_cue(cue)
        elif cue is not None:
            cue = self._named_outer_cue(cue)
        return cue, verb

    def _named_outer_cue(self, cue: Token) -> Token:
        """For "he"/"she" speaking inside a reported clause, the outer cue when it names that same person."""
        art = self.art
        subj = art.subject_of(cue)
        if subj is None or subj.lower_ not in PRONOUN_GENDER:
            return cue
        outer = self._outer_cue(cue)
        outer_subj = art.subject_of(outer) if outer is not cue else None
        if outer_subj is None or outer_subj.lower_ in PERSONAL_PRONOUNS:
            return cue
        pronoun_speaker, named_speaker = art.speaker_of(subj)[1], art.speaker_of(outer_subj)[1]
        same = pronoun_speaker is not None and named_speaker is not None and pronoun_speaker.name == named_speaker.name
        return outer if same else cue

    def _outer_cue(self, cue: Token) -> Token:
        """The outermost speech verb above ``cue`` through complements and conjuncts.

        "He says he respects Clinton and calls her 'intelligent'" is reported through "says".
        """
        art, node = self.art, cue
        for _ in range(4):
            if node.dep_ not in {"ccomp", "xcomp", "conj"} or node.head.i == node.i:
                break
            if node.dep_ == "conj" and any(c.dep_ in {"nsubj", "nsubjpass"} for c in node.children):
                break  # "Ruiz praised the plan, but he warned: ..." is his, not hers
            node = node.head
            if art.in_quote[node.i]:
                break
            if art._is_cue(node) and art.subject_of(node) is not None:
                cue = node
        return cue

    def _cue_near(self, q: QuoteSpan, sents: list[Span]) -> Token | None:
        """The speech verb with a speaker closest to the quote within ``sents``."""
        art = self.art
        best, best_dist = None, None
        for sent in sents:
            for tok in sent:
                if art.in_quote[tok.i] or not art._is_cue(tok) or art.subject_of(tok) is None:
                    continue
                dist = q.outer_start - tok.idx if tok.idx < q.outer_start else tok.idx - q.outer_end
                if best_dist is None or dist < best_dist:
                    best, best_dist = tok, dist
        return best

    def _dash_speaker(self, q: QuoteSpan) -> Token | None:
        """``"..." - Jane Doe``: the name after a dash that follows the closing mark."""
        span = self.doc.char_span(q.outer_end, min(len(self.art.text), q.outer_end + 4), alignment_mode="expand")
        if span is None:
            return None
        i = span.start
        while i < len(self.doc) and self.doc[i].is_space:
            i += 1
        if i + 1 < len(self.doc) and self.doc[i].text in _DASHES and (self.doc[i + 1].ent_type_ in {"PERSON", "ORG"} or self.doc[i + 1].pos_ == "PROPN"):
            name = self.doc[i + 1]
            while name.dep_ == "compound" and name.head.i > name.i:
                name = name.head  # "- Ana Ruiz": the name's last word heads it
            return name
        return None

    def _sentences(self, start: int, end: int) -> list[Span]:
        """The sentences overlapping the characters [start, end)."""
        art = self.art
        i = bisect.bisect_right(art.sent_ends, start)
        out = []
        while i < len(art.sents) and art.sents[i].start_char < end:
            out.append(art.sents[i])
            i += 1
        return out

    def _paragraph_of(self, q: QuoteSpan) -> tuple[int, int]:
        text = self.art.text
        start = text.rfind("\n", 0, q.outer_start) + 1
        end = text.find("\n", q.outer_end)
        return start, (len(text) if end < 0 else end)

    def attribute(self, q: QuoteSpan, previous: list[tuple[QuoteSpan, Attribution]]) -> Attribution:
        """The attribution of quote ``q``, given those of the quotes before it."""
        art, doc = self.art, self.doc
        content = self._tokens(q)
        if content is None:
            return Attribution(None, None, None, 0.0, "none")
        p_start, p_end = self._paragraph_of(q)
        sents = [s for s in self._sentences(q.outer_start, q.outer_end) if s.start_char < p_end and s.end_char > p_start]

        def found(cue: Token | None, subj: Token | None, confidence: float, how: str) -> Attribution:
            if subj is not None and partial:  # a fragment the writer's sentence reports: its outer speaker
                subj = art.outer_subject(subj)
            mention, speaker = art.speaker_of(subj) if subj is not None else (None, None)
            return Attribution(cue, mention, speaker, confidence if speaker else confidence / 2, how)

        partial = _kind(art.text, q) == "partial"
        cue, verb = self._climb(q, content, highest=partial)
        if cue is not None:
            return found(cue, art.subject_of(cue), 0.9, "cue")
        near = self._cue_near(q, sents) or self._cue_right_after(q, p_end)
        if near is not None:
            return found(near, art.subject_of(near), 0.85, "cue")
        if partial and verb is not None:  # a fragment in the writer's sentence: its verb's subject
            return found(verb, art.subject_of(verb), 0.6, "verb")
        dash = self._dash_speaker(q)
        if dash is not None:
            return found(None, dash, 0.8, "cue")
        # a sentence ending in a colon just before: "In a statement, the ministry said:"
        before = art.text[: q.outer_start].rstrip()
        if before.endswith(",") and before[-1] == art.text[q.outer_start - 1]:
            # 'Ryan said,"Look...' glued to its cue: the cue's sentence may have been split off
            near = self._cue_near(q, self._sentences(len(before) - 1, len(before)))
            if near is not None:
                return found(near, art.subject_of(near), 0.85, "cue")
        if before.endswith(":"):
            colon = self._sentences(len(before) - 1, len(before))
            near = self._cue_near(q, colon)
            if near is not None:
                return found(near, art.subject_of(near), 0.85, "colon")
            # "She went on:" / "Sanders delivered a snappy retort:" / "Pew Research:", when
            # they name someone ("it gets better:" does not)
            colon_verb = self._verb_before_colon(len(before) - 1)
            if colon_verb is not None:
                attribution = found(colon_verb, art.subject_of(colon_verb), 0.7, "colon")
                if _names_someone(attribution):
                    return attribution
            name = self._name_before_colon(len(before) - 1)
            if name is not None:
                attribution = found(None, name, 0.7, "colon")
                if _names_someone(attribution):
                    return attribution
        # continuation of the quote just before: same group, same paragraph, or a paragraph
        # that is nothing but a quote right after the previous quote's paragraph
        if previous:
            prev_q, prev_a = previous[-1]
            same_paragraph = prev_q.outer_end >= p_start
            whole_paragraph = q.outer_start == p_start and not art.text[prev_q.outer_end : p_start].strip(" \n\t\xa0.,")
            if prev_a.mention is not None and (prev_q.group == q.group or same_paragraph or whole_paragraph):
                return Attribution(prev_a.cue, prev_a.mention, prev_a.speaker, 0.75, "continuation")
        if verb is not None:  # quoted words inside the writer's sentence: its verb's subject
            return found(verb, art.subject_of(verb), 0.6, "verb")
        # the sentence right after, or right before, names the speaker
        after = self._sentences(q.outer_end, min(p_end, q.outer_end + 200))
        near = self._cue_near(q, [s for s in after if s.start_char >= q.outer_end])
        if near is not None:
            return found(near, art.subject_of(near), 0.6, "after")
        before_sents = [s for s in self._sentences(q.outer_start - 300, q.outer_start) if s.end_char <= q.outer_start]
        near = self._cue_near(q, before_sents[-1:])
        if near is not None:
            return found(near, art.subject_of(near), 0.5, "before")
        return Attribution(None, None, None, 0.3, "none")

    def _around(self, q: QuoteSpan) -> tuple[Token | None, Token | None]:
        """The tokens just before the opening mark and just after the closing mark."""
        doc = self.doc
        span = doc.char_span(q.outer_start, q.outer_end, alignment_mode="expand")
        if span is None:
            return None, None
        before = doc[span.start - 1] if span.start > 0 else None
        after = doc[span.end] if span.end < len(doc) else None
        return before, after

    def is_title(self, q: QuoteSpan) -> bool:
        """A title of a work or show, named after a possessive or "on": "on ABC's 'This Week'"."""
        before, _ = self._around(q)
        if before is None or not looks_like_a_name(self.art.text[q.start : q.end]):
            return False
        if before.tag_ == "POS" or before.lower_ in WORK_TITLE_CUES:
            return True
        return before.text == "," and before.i > 0 and before.doc[before.i - 1].pos_ == "NOUN"

    def is_modifier(self, q: QuoteSpan) -> bool:
        """A few quoted words modifying the noun right after them: a "concession" wagon."""
        text = self.art.text[q.start : q.end]
        _, after = self._around(q)
        short = len(text.split()) <= 4 and not text.endswith((",", ".", "!", "?"))
        return short and after is not None and after.pos_ == "NOUN" and after.is_lower

    def _cue_right_after(self, q: QuoteSpan, p_end: int) -> Token | None:
        """``"...!" she said.``: a short attribution the parser split off as its own sentence."""
        following = [s for s in self._sentences(q.outer_end, min(p_end, q.outer_end + 3)) if s.start_char >= q.outer_end]
        if not following:
            return None
        head = following[0][:6]
        return self._cue_near(q, [head]) if head.start_char - q.outer_end <= 3 else None

    def _verb_before_colon(self, colon: int) -> Token | None:
        """The verb, with a subject, of the clause that a colon ends."""
        art = self.art
        span = self.doc.char_span(colon, colon + 1, alignment_mode="expand")
        if span is None:
            return None
        for i in range(span.start - 1, max(span.start - 12, -1), -1):
            tok = self.doc[i]
            if art.in_quote[tok.i] or tok.is_sent_end and i != span.start - 1:
                break
            if tok.pos_ == "VERB" and art.subject_of(tok) is not None:
                return tok
        return None

    def _name_before_colon(self, colon: int) -> Token | None:
        """``Pew Research: "..."``: the proper noun that ends right at a colon."""
        span = self.doc.char_span(max(0, colon - 1), colon + 1, alignment_mode="expand")
        if span is None or span.start == 0:
            return None
        tok = self.doc[span.start - 1] if span[0].text == ":" else span[0]
        return tok if tok.pos_ in {"PROPN", "NOUN"} and tok.text[:1].isupper() else None


def _names_someone(attribution: Attribution) -> bool:
    """False for an attribution resting on "it", "that" and the like ("it gets better:")."""
    return attribution.mention is not None and attribution.mention.root.lower_ not in NON_SPEAKING_PRONOUNS


def _kind(text: str, q: QuoteSpan) -> str:
    """``partial`` for a fragment inside the writer's sentence, else ``direct``."""
    first = text[q.start : q.start + 1]
    before = text[: q.outer_start].rstrip()
    embedded = bool(before) and (before[-1].isalnum() or before[-1] in "-—–")
    return "partial" if embedded and not first.isupper() else "direct"




def looks_like_a_name(text: str) -> bool:
    """Title-case words with no sentence ending: a title, nickname or slogan ("Meet the Press")."""
    words = re.findall(r"[A-Za-z][A-Za-z'’]*", text)
    if not words or len(words) > 6 or not words[0][0].isupper() or text.rstrip().endswith(("!", "?")):
        return False
    return all(w[0].isupper() or w.lower() in TITLE_CASE_SMALL_WORDS for w in words)


def needs_a_cue(text: str) -> bool:
    """Short or name-like quoted words are speech only when a speech verb claims them.

    Scare quotes ("the 'establishment' candidate"), titles of works and nicknames look like
    this; "called the KKK 'abhorrent'" is kept because "called" attributes it.
    """
    return looks_like_a_name(text) or (len(text.split()) <= MAX_SCARE_WORDS and not text[:1].isupper())


#: Attributions resting on the quote's own cue, which the other pieces of its group may share.
_OWN_CUE = frozenset({"cue", "colon"})


#: Characters an attribution between the two pieces of a split quote takes at most.
MAX_SPLIT_GAP = 80


def _join_split_quotes(done: list[tuple[QuoteSpan, Attribution]], doc: Doc, text: str) -> None:
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
        if split:
            moved = second.group
            for j in range(i, len(done)):
                if done[j][0].group == moved:
                    done[j] = (replace(done[j][0], group=first.group), done[j][1])


def _share_within_groups(done: list[tuple[QuoteSpan, Attribution]]) -> None:
    """Give the pieces of a multi-paragraph quote that found no cue of their own the cue of a piece that did.

    A quote running over paragraphs is usually attributed once, often after its last piece.
    """
    by_group: dict[int, Attribution] = {}
    for q, a in done:
        if a.how in _OWN_CUE and a.speaker is not None:
            by_group.setdefault(q.group, a)
    for i, (q, a) in enumerate(done):
        shared = by_group.get(q.group)
        if shared is not None and a.how not in _OWN_CUE and a.how != "continuation":
            done[i] = (q, Attribution(shared.cue, shared.mention, shared.speaker, 0.75, "continuation"))


def attribute(doc: Doc, quotes: list[QuoteSpan]) -> list[Mention]:
    """A Mention for each quote span in ``doc``, attributed and with the speaker's role."""
    attributor = Attributor(doc, quotes)
    text = attributor.art.text
    done: list[tuple[QuoteSpan, Attribution]] = []
    for q in quotes:
        a = attributor.attribute(q, done)
        claimed = a.how in _OWN_CUE
        words = text[q.start : q.end]
        orphan = (a.how == "none" or (a.how == "verb" and a.speaker is None)) and len(words.split()) <= MAX_ORPHAN_WORDS
        if orphan or attributor.is_title(q) or (not claimed and (needs_a_cue(words) or attributor.is_modifier(q))):
            continue  # not speech: a scare quote, a title, a nickname
        done.append((q, a))
    _join_split_quotes(done, doc, text)
    _share_within_groups(done)
    out = []
    for q, a in done:
        speaker = a.speaker
        role = speaker.role if speaker else None
        organization = role.organization if role else None
        if organization:
            organization = normalize_organization(organization, attributor.art.acronyms) if organization.replace(".", "") in attributor.art.acronyms else organization
        out.append(
            Mention(
                text=text[q.start : q.end],
                start=q.start,
                end=q.end,
                speaker=speaker.name if speaker else None,
                speaker_kind=speaker.kind if speaker else None,
                speaker_mention=TextSpan(a.mention.text, a.mention.start_char, a.mention.end_char) if a.mention is not None else None,
                role=Role(role.title, organization).text if role else None,
                title=role.title if role else None,
                organization=organization,
                cue=a.cue.text if a.cue is not None else None,
                kind=_kind(text, q),
                group=q.group,
                confidence=round(a.confidence, 2),
            )
        )
    return out
