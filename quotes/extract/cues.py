"""Speech verbs ("said", "according to", "shot back") and the words naming who speaks through them.

A cue's speaker is its parsed subject, looked for through the ways news prose hides it: the
agent of a passive ("was called 'a disgrace' by X"), an inverted "said X", a reported clause
("X said the plan was Y's and said, ..."), a participle or conjunct ("..., adding"), and a name
the parser left hanging just before the verb. A negated cue ("did not say", "denied saying")
reports no speech.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from quotes.extract.parse import Parse
from quotes.extract.speech_verbs import (
    is_cue,
    is_negated,
    is_speech_noun,
    noun_cue_speaker,
)
from quotes.lexicon import (
    CONTINUATION_FORMS,
    DOCUMENT_NOUNS,
    NEVER_SPEAKING_NOUNS,
    NOT_SPEAKER_ENTITIES,
    PRONOUN_GENDER,
    PUBLISHING_FORMS,
    SURVEY_NOUNS,
    UTTERING_FORMS,
    VOCAL_FORMS,
)

#: Tokens a cue without a parsed subject looks back for a person's name.
MAX_LEFT_NAME_DISTANCE = 12
#: "according", found in a sentence's text rather than token by token (a sentence can be long)
_ACCORDING = re.compile("according", re.IGNORECASE)
#: Dependencies of a name that is acted on, not acting ("hosts Joe Scarborough and Mika Brzezinski").
_OBJECTS = frozenset({"pobj", "dobj", "conj", "poss", "compound", "iobj"})


def _speaker_after_topic(of: Token) -> Token | None:
    """In "Of Lopez, Levine said" parsed with "Of" as the subject and both names its objects: the last name."""
    objects = [c for c in of.children if c.dep_ == "pobj"]
    if not objects or objects[-1].pos_ not in {"PROPN", "NOUN"}:
        return None
    # one object after a comma: "Of Carson, Levine, who backs Ruiz, said" parsed with "Carson" a modifier of "Levine"
    after_comma = any(t.text == "," for t in of.doc[of.i + 1 : objects[-1].i])
    return objects[-1] if len(objects) > 1 or after_comma else None


def _is_a_time_or_amount(tok: Token) -> bool:
    """A day, time or amount the parser made a subject ("Saturday"); "the 46-year-old" is a person."""
    if tok.ent_type_ == "DATE":
        return tok.pos_ == "PROPN"
    return tok.ent_type_ in NOT_SPEAKER_ENTITIES


def subject_of(parse: Parse, verb: Token) -> Token | None:
    """The token naming who speaks through ``verb`` (or through a noun of speech, speech_owner), outside any quote."""
    in_quote = parse.in_quote
    if verb.lower_ == "according":
        to = next((c for c in verb.children if c.lower_ == "to"), None)
        obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        return obj if obj is not None and not in_quote[obj.i] else None
    if verb.pos_ in {"NOUN", "PROPN"}:
        owner = noun_cue_speaker(verb)
        return owner or (speech_owner(parse, verb) if is_speech_noun(verb) else None)
    agent = _passive_agent(parse, verb) if is_cue(verb) else None
    if agent is not None:
        return agent  # "The plan was criticised by X": X speaks, not the plan
    cue, seen = verb, 0
    while verb is not None and seen < 4:
        # the subject of a passive speech verb is spoken to or of ("the staffer was charged"), though one that
        # only reports the speech of another verb speaks ("Obama is reported to have called them '...'")
        speech = is_cue(verb)
        passive = speech and any(c.dep_ == "auxpass" and c.lower_ != "'s" for c in verb.children) and not any(
            c.dep_ == "xcomp" for c in verb.children)
        kinds = {"nsubj"} if passive else {"nsubj", "nsubjpass"}
        subjects = [c for c in verb.children if c.dep_ in kinds and not in_quote[c.i]]
        # the nearest when the parser gave a speech verb two ("..., Berea, OH, ..., Gov. John Kasich said")
        subj = min(subjects, key=lambda c: abs(c.i - verb.i), default=None)
        if subj is not None and subj.pos_ == "ADP":  # "Of Lopez, Levine said", the parser's subject "Of"
            subj = _speaker_after_topic(subj) or subj
        if subj is not None and _is_a_time_or_amount(subj):
            subj = None  # "Saturday, X said": a day is no speaker
        if subj is not None and subj.ent_type_ == "PERCENT":
            # "40 percent said ..., according to a poll", "In a poll released Monday, 31% said ..."
            subj = _according_to(parse, verb.sent) or _survey_before(parse, subj) or subj
        continues = seen and not speech and (
            cue.lower_ in CONTINUATION_FORMS or (cue.tag_ == "VBG" and cue.lower_ not in VOCAL_FORMS))
        reporting = _reporting_verb(parse, verb) if subj is not None and continues else None
        if reporting is not None:
            verb = reporting  # "X said the move was Y's and said, ...": X, not "the move"
            seen += 1
            continue
        if subj is not None:  # "an email sent out by X warned", "X's answer was that ...": X
            says = speech or verb.pos_ == "AUX" and any(c.dep_ == "ccomp" for c in verb.children)
            owner = speech_owner(parse, subj) if says and is_speech_noun(subj) else None
            return _sender_of(parse, subj) or owner or subj
        inverted = _inverted_subject(parse, verb)
        if inverted is not None:
            return inverted
        # "issued a statement saying ...", "sent out a press release saying ..." (not "his speech to call ...",
        # nor "quoted Lopez's lawyer saying ...")
        if verb.dep_ == "acl" and verb.tag_ != "VB" and verb.head.pos_ in {"NOUN", "PROPN"} and speech:
            carrier = is_speech_noun(verb.head) or verb.head.lower_ in DOCUMENT_NOUNS
            owner = speech_owner(parse, verb.head) if carrier else None
            if owner is not None:
                return owner
            # "Ana Ruiz, the party's nominee, tweeted in response:" parsed as a participle of the name
            if verb.head.ent_type_ == "PERSON" and verb.head.i < verb.i and not in_quote[verb.head.i]:
                return verb.head
        # '"...!" the party's nominee, Carl Dorsey, tweeted Sunday' parsed as a participle of a verbless root
        if verb.dep_ == "acl" and speech and verb.tag_ in {"VBD", "VBN"} and _root_right_after_quote(parse, verb.head):
            return verb.head
        if verb.dep_ == "xcomp":  # "prompted Rubio to call Trump ...": the object speaks
            obj = next((c for c in verb.head.children if c.dep_ == "dobj" and not in_quote[c.i]), None)
            if obj is not None and (obj.pos_ == "PROPN" or obj.lower_ in PRONOUN_GENDER):
                return obj
        participle = verb.dep_ in {"advcl", "xcomp"} and verb.tag_ in {"VBG", "VB"}
        if (verb.dep_ == "conj" or participle) and verb.head.i != verb.i:
            verb = verb.head  # "..., adding" / "and added" / "went on to say"
            seen += 1
            continue
        by_saying = verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.lower_ == "by" and verb.head.head.i != verb.head.i
        if by_saying:  # "She followed that by saying, ...": the subject of the verb "by" qualifies
            verb = verb.head.head
            seen += 1
            continue
        break
    if not is_cue(cue):
        return None
    return _name_left_of(parse, cue) or _subject_hung_left(parse, cue) or _relative_clause_ending_at(parse, cue)


def _root_right_after_quote(parse: Parse, tok: Token) -> bool:
    """Whether ``tok`` is the root of its sentence and only verbless words outside quotes separate it from a
    quote's closing mark before it: the words naming who spoke the quote."""
    if tok.dep_ != "ROOT" or tok.pos_ not in {"NOUN", "PROPN", "ADJ"} or parse.in_quote[tok.i]:
        return False
    i = tok.i
    while i > 0 and not parse.in_quote[i - 1] and tok.i - i < MAX_LEFT_NAME_DISTANCE:
        if parse.doc[i - 1].pos_ in {"VERB", "AUX"} or parse.doc[i - 1].is_sent_end:
            return False
        i -= 1
    return i > 0 and parse.in_quote[i - 1] and parse.doc[i - 1].is_quote


def _relative_clause_ending_at(parse: Parse, verb: Token) -> Token | None:
    """The noun whose relative clause ends right before a cue without a subject: "a city official who spoke
    anonymously to discuss strategy said ..." parsed with the official hung elsewhere."""
    i = verb.i - 1
    if i >= 0 and parse.doc[i].text == ",":
        i -= 1
    if i < 0 or parse.in_quote[i]:
        return None
    node = parse.doc[i]
    while node.dep_ != "relcl" and node.head.i != node.i and node.head.i < verb.i:
        node = node.head
    noun = node.head
    if node.dep_ != "relcl" or node.right_edge.i != i or noun.pos_ not in {"NOUN", "PROPN"} or parse.in_quote[noun.i]:
        return None
    own = next((c for c in node.children if c.dep_ == "nsubj"), None)
    if verb.tag_ == "VBG" and own is not None and own.pos_ in {"NOUN", "PROPN"}:
        return own  # "the hotel, where protesters had gathered, chanting": a participle of the clause's verb
    # "Nate Silver, the polling guru who founded the site, tweeted": the name the noun stands beside
    return noun.head if noun.dep_ == "appos" and noun.head.pos_ == "PROPN" and noun.head.i < noun.i else noun


def _subject_hung_left(parse: Parse, verb: Token) -> Token | None:
    """The subject of a clause before a cue without one, when the parser hung the speaker's relative clause
    there: "One attendee, who spoke on the condition of anonymity, said ..." parsed with "attendee" as the
    subject of "spoke", a clause of "said"."""
    for child in verb.lefts:
        if child.dep_ == "ccomp" and not parse.in_quote[child.i]:
            subj = next((c for c in child.lefts if c.dep_ == "nsubj" and not parse.in_quote[c.i]), None)
            if subj is not None and any(c.dep_ == "relcl" for c in subj.children):
                return subj
    return None


def speech_owner(parse: Parse, noun: Token) -> Token | None:
    """Whose words a noun carries: the subject of the verb that made or put it out ("Ruiz issued a statement",
    "repeated his claim"), else its possessor ("her remark", "Ruiz's statement") or its "by" ("the claim by Ruiz")."""
    in_quote = parse.in_quote
    maker = noun.head
    if noun.dep_ == "dobj" and (maker.lower_ in UTTERING_FORMS or maker.lower_ in PUBLISHING_FORMS):
        if any(c.dep_ == "neg" for c in maker.children) or is_negated(parse, maker):
            return None  # "Ruiz never made the claim that ...": no words of hers
        made_by = subject_of(parse, maker)
        if made_by is not None:
            return made_by
    for child in noun.children:
        if in_quote[child.i]:
            continue
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ == "by":
            obj = _agent_after(parse, child)
            if obj is not None:
                return obj
    return None


def speech_cues(parse: Parse, words: list[Token]) -> list[tuple[Token, Token]]:
    """Every speech verb among ``words`` (cue_words) that has a speaker, with the token naming them, in order.

    A negated one ("Ruiz did not respond") reports no speech and is left out.
    """
    cues = []
    for tok in words:
        if is_cue(tok) and not is_negated(parse, tok):
            subj = subject_of(parse, tok)
            if subj is not None:
                cues.append((tok, subj))
    return cues


def _according_to(parse: Parse, sent: Span) -> Token | None:
    """The source of the first "according to X" in ``sent``, if any."""
    for match in _ACCORDING.finditer(parse.text, sent.start_char, sent.end_char):
        word = parse.doc.char_span(match.start(), match.end())
        if word is not None and len(word) == 1 and word[0].lower_ == "according" and is_cue(word[0]):
            return subject_of(parse, word[0])
    return None


def _survey_before(parse: Parse, share: Token) -> Token | None:
    """The poll or survey named before a share of people in its sentence, the nearest, outside quotes."""
    for tok in reversed(parse.doc[share.sent.start:share.i]):
        if tok.lower_ in SURVEY_NOUNS and tok.pos_ == "NOUN" and not parse.in_quote[tok.i]:
            return tok
    return None


def _passive_agent(parse: Parse, verb: Token) -> Token | None:
    """The doer of a passive verb: "was criticised by X", "was called 'a disgrace' by X", "X, praised by Y as ...".

    A participle names its doer as a speaker only when it calls something something ("as",
    "called '...'"): "a biography written by X" and "the slogan shared by X" are no speech.
    """
    if verb.tag_ != "VBN":
        return None
    finite = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)
    describing = any(c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ == "as" for c in verb.children)
    if not (finite or verb.dep_ == "acl" and describing):
        return None
    bys = [c for c in verb.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")]
    # the parser may hang "by X" from the quoted complement: "called 'a disgrace' by X"
    bys += [g for c in verb.children if c.dep_ in {"oprd", "dobj", "attr", "prep"}
            for g in c.children if g.dep_ in {"prep", "agent"} and g.lower_ == "by"]
    for by in bys:
        obj = _agent_after(parse, by)
        if obj is not None:
            return obj
    return None


def _sender_of(parse: Parse, subj: Token) -> Token | None:
    """Who put out the thing that speaks: "a fundraising email sent out by Sanders warned ..." is Sanders's."""
    for put_out in subj.children:
        if put_out.dep_ != "acl" or put_out.tag_ != "VBN" or put_out.lower_ not in PUBLISHING_FORMS:
            continue
        for by in put_out.children:
            if by.dep_ == "agent" or by.dep_ == "prep" and by.lower_ == "by":
                obj = _agent_after(parse, by)
                if obj is not None:
                    return obj
    return None


def _agent_after(parse: Parse, by: Token) -> Token | None:
    """The object of a "by", outside quotes, when it can be who did it: a noun or pronoun, not "by phone",
    "by mistake", "by Friday"."""
    obj = next((c for c in by.children if c.dep_ == "pobj"), None)
    if obj is None or parse.in_quote[by.i] or parse.in_quote[obj.i]:
        return None
    can_act = obj.pos_ in {"PROPN", "NOUN", "PRON"} and obj.lower_ not in NEVER_SPEAKING_NOUNS
    return obj if can_act and not _is_a_time_or_amount(obj) else None


def _reporting_verb(parse: Parse, verb: Token) -> Token | None:
    """The speech verb whose complement ``verb`` is ("said the process could be messy"), if any."""
    node = verb
    for _ in range(3):
        if node.dep_ not in {"ccomp", "xcomp", "conj"} or node.head.i == node.i or parse.in_quote[node.head.i]:
            return None
        node = node.head
        if is_cue(node):
            return node
    return None


def _name_left_of(parse: Parse, verb: Token) -> Token | None:
    """A person named just before a cue the parser left without a subject.

    "On Dec. 2, Col. Steven Warren, a military spokesman, said, ..." parsed with Warren as an
    apposition of the date: the nearest person to the left, with no verb in between.
    """
    passive = verb.tag_ == "VBN" and verb.dep_ in {"acl", "amod"} or any(c.dep_ == "agent" for c in verb.children)
    if verb.tag_ == "VBG" or passive:
        return None  # "calling X ...", "X, accused of ... by prosecutors": not X speaking
    start = verb.sent.start
    aside = {i for tok in parse.doc[start:verb.i] if _is_aside(parse, tok)  # "Bill Eastland, wearing a hat, said"
             for i in range(tok.left_edge.i, tok.right_edge.i + 1)}
    words = [i for i in range(verb.i - 1, start - 1, -1) if i not in aside][:MAX_LEFT_NAME_DISTANCE]
    for i in words:
        tok = parse.doc[i]
        if parse.in_quote[i] or tok.pos_ in {"VERB", "AUX"}:
            return None
        if tok.pos_ == "PROPN" and (tok.dep_ == "compound" and tok.head.i == verb.i or parse.in_quote[tok.head.i]):
            # '"...," Viguerie notes.' parsed as a compound of "notes", or '"...," Ramos, 58, told AFP' with the
            # name hung on the quote's verb: a name whatever its entity
            return tok
        if tok.ent_type_ == "PERSON":  # acted on ("hosts Joe Scarborough"), unless hung on the cue itself
            name = parse.name_at(tok)
            return tok if name is not None and (name.root.dep_ not in _OBJECTS or name.root.head.i == verb.i) else None
    return None


def _is_aside(parse: Parse, tok: Token) -> bool:
    """Whether ``tok`` heads a participle phrase between commas, outside quotes: ", wearing a cowboy hat,"."""
    left, right = tok.left_edge.i - 1, tok.right_edge.i + 1
    return (tok.tag_ in {"VBG", "VBN"} and tok.dep_ in {"advcl", "acl"} and not parse.in_quote[tok.i]
            and left >= 0 and right < len(parse.doc) and parse.doc[left].text == "," and parse.doc[right].text == ",")


def _inverted_subject(parse: Parse, verb: Token) -> Token | None:
    """``"...," said Edward Leamer``: the name right after a cue that follows the quote."""
    doc, in_quote = parse.doc, parse.in_quote
    if not is_cue(verb) or verb.i == 0 or verb.i + 1 >= len(doc):
        return None
    before = doc[verb.i - 1]
    right_after_quote = in_quote[before.i] or (before.is_punct and verb.i > 1 and in_quote[verb.i - 2])
    if not right_after_quote or verb.tag_ == "VBG":
        return None
    tok = doc[verb.i + 1]
    if in_quote[tok.i]:
        return None
    if tok.pos_ in {"ADV", "VERB", "INTJ", "X"} and tok.text[:1].isupper() and tok.is_alpha:
        return tok  # '"...," said Skelly, explaining ...' with the name tagged as an adverb
    if tok.pos_ not in {"PROPN", "NOUN", "PRON", "DET", "NUM", "ADJ"}:
        return None
    for _ in range(6):  # "said one senior official": from the first word up to its head noun
        if tok.pos_ in {"PROPN", "NOUN", "PRON"} and tok.dep_ not in {"compound", "amod", "nummod", "poss", "det"}:
            return tok
        if not verb.i < tok.head.i <= verb.i + 7:
            break
        tok = tok.head
    return tok if tok.pos_ in {"PROPN", "NOUN", "PRON"} else None


def outer_subject(parse: Parse, subj: Token) -> Token:
    """For "that"/"which" heading a relative clause, the subject of the clause it hangs in.

    "Sanders released an ad that urges voters to 'send a message'": the ad speaks for Sanders, who
    published it; only verbs of publishing (PUBLISHING_FORMS) hand the words on like that.
    """
    if subj.lower_ not in {"that", "which"} or subj.head.dep_ != "relcl":
        return subj
    node = subj.head.head
    for _ in range(4):
        if node.pos_ in {"VERB", "AUX"}:
            if node.lower_ not in PUBLISHING_FORMS:
                return subj  # "criticized an ad that called her 'crooked'": the ad's words
            outer = subject_of(parse, node)
            return outer if outer is not None else subj
        if node.head.i == node.i or parse.in_quote[node.head.i]:
            break
        node = node.head
    return subj


def outer_cue(parse: Parse, cue: Token) -> Token:
    """The outermost speech verb above ``cue`` through complements and conjuncts.

    "He says he respects Clinton and calls her 'intelligent'" is reported through "says".
    """
    node = cue
    for _ in range(4):
        if node.dep_ not in {"ccomp", "xcomp", "conj"} or node.head.i == node.i:
            break
        if node.dep_ == "conj" and any(c.dep_ in {"nsubj", "nsubjpass"} for c in node.children):
            break  # "Ruiz praised the plan, but he warned: ..." is his, not hers
        node = node.head
        if parse.in_quote[node.i]:
            break
        if is_negated(parse, node):
            break  # "Ruiz did not say she called it '...'": no speech of hers
        if is_cue(node) and subject_of(parse, node) is not None:
            cue = node
    return cue
