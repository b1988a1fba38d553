"""The model's attribute_ruler rules as cached look-ups: the same POS, TAG and DEP, at a fraction of the cost."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import srsly
from spacy.attrs import DEP, IS_SPACE, LOWER, POS, TAG
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import ensure_path

#: Token attributes the model's attribute_ruler patterns test, as columns of ``Doc.to_array``.
_READ = {"TAG": TAG, "LOWER": LOWER, "IS_SPACE": IS_SPACE, "DEP": DEP}
_COLUMN = {name: i for i, name in enumerate(_READ)}
_KEYED = ("TAG", "LOWER", "IS_SPACE")  # tested once per (tag, lower, is_space) and cached
_OTHER_WORD = 0  # stands for every word no rule names (0 is the empty string's id: no token's lower)
_SET = ("POS", "TAG", "DEP")  # the attributes TagPos sets, in this order
_PATTERNS_FILE = "patterns.json"
#: The most distinct context tests: __call__ packs a token's key, one bit each, in 64 bits.
MAX_CONTEXTS = 24

#: A compiled test: (allowed ids or None for any, denied ids).
Test = tuple[frozenset | None, frozenset]


def _id(value: str | bool) -> int:
    """A pattern value as ``Doc.to_array`` gives it: a string's id, a flag's 0 or 1."""
    return int(value) if isinstance(value, bool) else get_string_id(value)


def _test(value: Any) -> Test:
    """A pattern value as (allowed ids or None for any, denied ids); ValueError for other predicates."""
    if isinstance(value, dict):
        if set(value) - {"IN", "NOT_IN"}:
            raise ValueError(f"tag_pos cannot compile the predicate {value}")
        allowed = frozenset(map(_id, value["IN"])) if "IN" in value else None
        return allowed, frozenset(map(_id, value.get("NOT_IN", ())))
    return frozenset([_id(value)]), frozenset()


def _passes(value: int, test: Test) -> bool:
    """True when ``value`` (an id) passes ``test``."""
    allowed, denied = test
    return (allowed is None or value in allowed) and value not in denied


class TagPos:
    """Set POS, TAG and DEP by the model's own attribute_ruler rules, as cached dictionary look-ups.

    The attribute_ruler of en_core_web_sm spends a tenth of the pipeline's time building a Span
    for every match; the same rules, compiled, cost almost nothing. The tests a rule makes on
    other attributes or other tokens than its target's (tag, word, is_space), such as "DEP is
    aux", are computed for the whole doc at once, array against array; each distinct
    combination of (tag, word, is_space) and those tests' outcomes is then resolved once and
    cached. Like the ruler, every rule is tested on the tokens as they were before any is
    applied, and the last matching rule wins. The morphology and lemmas those rules also give
    are left out: nothing downstream reads them.
    """

    def __init__(self, patterns: Iterable[dict] = ()):
        self.patterns: list[dict] = []  # as given, for to_disk / to_bytes
        #: (keyed tests on the target, indices of its other tests in ``contexts``, values of _SET), in order
        self.rules: list[tuple] = []
        #: every other test some rule makes, once: (offset from the target, attribute, test)
        self.contexts: list[tuple[int, str, Test]] = []
        #: ids of the words some rule names: any other word is looked up as _OTHER_WORD, so the cache stays small
        self.words: frozenset[int] = frozenset()
        self.cache: dict[tuple, tuple] = {}
        self.add_patterns(patterns)

    def add_patterns(self, patterns: Iterable[dict]) -> None:
        """Add rules in the format of ``AttributeRuler.patterns``, after (so overriding) those there are.

        ValueError, adding nothing, for a rule whose predicates or attributes tag_pos cannot compile.
        """
        patterns = list(patterns)
        rules, contexts = [], {c: i for i, c in enumerate(self.contexts)}
        for p in patterns:
            attrs = {k: v for k, v in p["attrs"].items() if k in _SET}
            if not attrs:
                continue
            for pattern in p["patterns"]:
                index = p.get("index", 0)
                if not -len(pattern) <= index < len(pattern):
                    raise ValueError(f"tag_pos: index {index} is outside the pattern {pattern}")
                index %= len(pattern)
                if any(set(spec) - set(_READ) for spec in pattern):
                    raise ValueError(f"tag_pos cannot compile the pattern {pattern}")
                keyed = {a: _test(v) for a, v in pattern[index].items() if a in _KEYED}
                others = [(i - index, a, _test(v)) for i, spec in enumerate(pattern) for a, v in spec.items()
                          if not (i == index and a in _KEYED)]
                rules.append((keyed, tuple(contexts.setdefault(c, len(contexts)) for c in others),
                              tuple(attrs.get(name) for name in _SET)))
        if len(contexts) > MAX_CONTEXTS:
            raise ValueError(f"tag_pos compiles at most {MAX_CONTEXTS} distinct tests on context, not {len(contexts)}")
        self.patterns.extend(patterns)
        self.rules.extend(rules)
        self.contexts = list(contexts)
        self.words = frozenset().union(*(
            (keyed["LOWER"][0] or frozenset()) | keyed["LOWER"][1] for keyed, *_ in self.rules if "LOWER" in keyed
        ))
        self.cache = {}  # values were resolved among the old rules

    def _resolve(self, key: tuple) -> tuple:
        """The (POS, TAG, DEP) a token of this key gets, None where no rule sets one."""
        values, held = dict(zip(_KEYED, key)), key[len(_KEYED):]
        out: list[str | None] = [None] * len(_SET)
        for keyed, others, rule_values in reversed(self.rules):  # the last rule first: the first value found wins
            if all(_passes(values[a], test) for a, test in keyed.items()) and all(held[c] for c in others):
                out = [mine or theirs for mine, theirs in zip(out, rule_values, strict=True)]
        return tuple(out)

    def __call__(self, doc: Doc) -> Doc:
        """Set the POS, TAG and DEP the rules give each token of ``doc``."""
        if not len(doc):
            return doc
        columns = doc.to_array(list(_READ.values())).astype(np.uint64).reshape(len(doc), len(_READ))
        # each attribute's distinct values in the doc, and each token's index among them: a test
        # is made once per distinct value, and each token's key is packed in one integer
        distinct, index = {}, {}
        for attr, column in _COLUMN.items():
            values, index[attr] = np.unique(columns[:, column], return_inverse=True)
            distinct[attr] = values.tolist()
        words = [_OTHER_WORD, *(value for value in distinct["LOWER"] if value in self.words)]
        word_at = {word: i for i, word in enumerate(words)}
        word_of = np.array([word_at.get(value, 0) for value in distinct["LOWER"]], dtype=np.int64)  # 0: _OTHER_WORD
        packed = index["TAG"].ravel().astype(np.int64) * len(words) + word_of[index["LOWER"].ravel()]
        packed = packed * 2 + columns[:, _COLUMN["IS_SPACE"]].astype(np.int64)
        for offset, attr, test in self.contexts:
            passed = np.array([_passes(v, test) for v in distinct[attr]], dtype=np.int64)[index[attr].ravel()]
            packed = packed * 2 + _shift(passed, offset)
        keys, which = np.unique(packed, return_inverse=True)
        settings = [self._settings(key, distinct["TAG"], words) for key in keys.tolist()]
        which = which.ravel()
        pos = np.array([get_string_id(p) if p else 0 for p, _, _ in settings], dtype=np.uint64)[which]
        doc.from_array([POS], np.where(pos != 0, pos, doc.to_array(POS).astype(np.uint64)))
        for i, (_, tag, dep) in enumerate(settings):
            if tag or dep:  # rare: the model's rules give a TAG or DEP to spaces only
                for t in np.flatnonzero(which == i).tolist():
                    if tag:
                        doc[t].tag_ = tag
                    if dep:
                        doc[t].dep_ = dep
        return doc

    def _settings(self, packed: int, tags: list[int], words: list[int]) -> tuple:
        """The (POS, TAG, DEP) of the tokens whose key ``__call__`` packed in ``packed``, from the cache."""
        held = []
        for _ in self.contexts:
            packed, bit = divmod(packed, 2)
            held.append(bit)
        packed, space = divmod(packed, 2)
        tag, word = divmod(packed, len(words))
        key = (tags[tag], words[word], space, *reversed(held))
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._resolve(key)
        return found

    # spaCy's serialization protocol; ``exclude`` names parts to skip, and TagPos has only its patterns
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The patterns, as msgpack."""
        return srsly.msgpack_dumps(self.patterns)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> TagPos:
        """Replace the rules with the patterns ``to_bytes`` gave."""
        return self._replace(srsly.msgpack_loads(bytes_data))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the patterns as ``path/patterns.json``: the pipeline's config stays small."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / _PATTERNS_FILE, self.patterns)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> TagPos:
        """Replace the rules with the patterns ``to_disk`` saved in ``path``."""
        return self._replace(srsly.read_json(ensure_path(path) / _PATTERNS_FILE))

    def _replace(self, patterns: Iterable[dict]) -> TagPos:
        """Drop every rule, then add ``patterns``: what loading does."""
        self.patterns, self.rules, self.contexts = [], [], []
        self.add_patterns(patterns)
        return self


def _shift(passed: np.ndarray, offset: int) -> np.ndarray:
    """Per token: the value of ``passed`` at the token ``offset`` away, 0 where there is none."""
    out = np.zeros_like(passed)
    n = len(passed) - abs(offset)
    if n > 0:
        out[max(0, -offset) : max(0, -offset) + n] = passed[max(0, offset) : max(0, offset) + n]
    return out


@Language.factory("tag_pos", requires=["token.tag"], assigns=["token.pos", "token.tag", "token.dep"])
def make_tag_pos(nlp: Language, name: str) -> TagPos:
    """An empty :class:`TagPos`: its rules come by ``add_patterns`` or with the saved pipeline (``from_disk``)."""
    return TagPos()
