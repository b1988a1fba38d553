"""The model's attribute_ruler rules as cached look-ups: the same POS, TAG and DEP, at a fraction of the cost."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

#: Token attributes the model's attribute_ruler patterns test, and how to read them.
_READ = {"TAG": lambda t: t.tag_, "LOWER": lambda t: t.lower_, "DEP": lambda t: t.dep_, "IS_SPACE": lambda t: t.is_space}
_KEYED = ("TAG", "LOWER", "IS_SPACE")  # tested once per (tag, lower, is_space) and cached
_OTHER_WORD = "\0"  # stands for every word no rule names
_SET = ("POS", "TAG", "DEP")  # the attributes TagPos sets, in this order
_PATTERNS_FILE = "patterns.json"


def _test(value: Any) -> tuple[frozenset | None, frozenset]:
    """A pattern value as (allowed values or None for any, denied values); ValueError for other predicates."""
    if isinstance(value, dict):
        if set(value) - {"IN", "NOT_IN"}:
            raise ValueError(f"tag_pos cannot compile the predicate {value}")
        return (frozenset(value["IN"]) if "IN" in value else None), frozenset(value.get("NOT_IN", ()))
    return frozenset([value]), frozenset()


class TagPos:
    """Set POS, TAG and DEP by the model's own attribute_ruler rules, as cached dictionary look-ups.

    The attribute_ruler of en_core_web_sm spends a tenth of the pipeline's time building a Span
    for every match; the same rules, compiled per (tag, word), cost almost nothing. Like the
    ruler, every rule is tested on the tokens as they were before any is applied, and the last
    matching rule wins. The morphology and lemmas those rules also give are left out: nothing
    downstream reads them.
    """

    def __init__(self, patterns: Iterable[dict] = ()):
        self.patterns: list[dict] = []  # as given, for to_disk / to_bytes
        self.rules: list[tuple] = []  # (keyed tests on the target, other tests as (offset, attr, test), values of _SET), in order
        #: words some rule names: any other word is looked up as _OTHER_WORD, so the cache stays small
        self.words: frozenset[str] = frozenset()
        self.cache: dict[tuple, tuple] = {}
        self.add_patterns(patterns)

    def add_patterns(self, patterns: Iterable[dict]) -> None:
        """Add rules in the format of ``AttributeRuler.patterns``, after (so overriding) those there are.

        ValueError, adding nothing, for a rule whose predicates or attributes tag_pos cannot compile.
        """
        patterns = list(patterns)
        rules = []
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
                rules.append((keyed, others, tuple(attrs.get(name) for name in _SET)))
        self.patterns.extend(patterns)
        self.rules.extend(rules)
        self.words = frozenset().union(*(
            (keyed["LOWER"][0] or frozenset()) | keyed["LOWER"][1] for keyed, *_ in self.rules if "LOWER" in keyed
        ))
        self.cache = {}  # candidates were looked up among the old rules

    def _candidates(self, key: tuple) -> tuple:
        values = dict(zip(_KEYED, key))
        return tuple(rule for rule in reversed(self.rules)  # the last matching rule wins, as in the ruler
                     if all((ok is None or values[a] in ok) and values[a] not in no for a, (ok, no) in rule[0].items()))

    def __call__(self, doc: Doc) -> Doc:
        settings = []
        for tok in doc:
            lower = tok.lower_
            key = (tok.tag_, lower if lower in self.words else _OTHER_WORD, tok.is_space)
            rules = self.cache.get(key)
            if rules is None:
                rules = self.cache[key] = self._candidates(key)
            values: list[str | None] = [None] * len(_SET)
            for _, others, rule_values in rules:  # the last rule first: the first value found wins
                if all(_holds(doc, tok.i + offset, attr, test) for offset, attr, test in others):
                    values = [mine or theirs for mine, theirs in zip(values, rule_values, strict=True)]
            settings.append(values)
        for tok, (pos, tag, dep) in zip(doc, settings, strict=True):
            if pos:
                tok.pos_ = pos
            if tag:
                tok.tag_ = tag
            if dep:
                tok.dep_ = dep
        return doc

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
        self.patterns, self.rules = [], []
        self.add_patterns(patterns)
        return self


def _holds(doc: Doc, i: int, attr: str, test: tuple[frozenset | None, frozenset]) -> bool:
    """True when token ``i`` of ``doc`` exists and its ``attr`` passes ``test``."""
    if not 0 <= i < len(doc):
        return False
    allowed, denied = test
    value = _READ[attr](doc[i])
    return (allowed is None or value in allowed) and value not in denied


@Language.factory("tag_pos", requires=["token.tag"], assigns=["token.pos", "token.tag", "token.dep"])
def make_tag_pos(nlp: Language, name: str) -> TagPos:
    """An empty :class:`TagPos`: its rules come by ``add_patterns`` or with the saved pipeline (``from_disk``)."""
    return TagPos()
