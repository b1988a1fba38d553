"""The model's attribute_ruler rules as cached look-ups: the same POS, TAG and DEP, at a fraction of the cost."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

#: Token attributes the model's attribute_ruler patterns test, and how to read them.
_READ = {"TAG": lambda t: t.tag_, "LOWER": lambda t: t.lower_, "DEP": lambda t: t.dep_, "IS_SPACE": lambda t: t.is_space}
_KEYED = ("TAG", "LOWER", "IS_SPACE")  # tested once per (tag, lower, is_space) and cached
_OTHER_WORD = "\0"  # stands for every word no rule names
_SET = ("POS", "TAG", "DEP")  # the attributes TagPos sets, in this order


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

    def __init__(self, patterns: Sequence[dict]):
        self.rules = []  # (keyed tests on the target, other tests as (offset, attr, test), values of _SET), in order
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
                self.rules.append((keyed, others, tuple(attrs.get(name) for name in _SET)))
        #: words some rule names: any other word is looked up as _OTHER_WORD, so the cache stays small
        self.words = frozenset().union(*(
            (keyed["LOWER"][0] or frozenset()) | keyed["LOWER"][1] for keyed, *_ in self.rules if "LOWER" in keyed
        ))
        self.cache: dict[tuple, tuple] = {}

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


def _holds(doc: Doc, i: int, attr: str, test: tuple[frozenset | None, frozenset]) -> bool:
    """True when token ``i`` of ``doc`` exists and its ``attr`` passes ``test``."""
    if not 0 <= i < len(doc):
        return False
    allowed, denied = test
    value = _READ[attr](doc[i])
    return (allowed is None or value in allowed) and value not in denied


@Language.factory("tag_pos", default_config={"patterns": []})
def make_tag_pos(nlp: Language, name: str, patterns: list[dict]) -> TagPos:
    """The :class:`TagPos` component for ``patterns`` in the format of ``AttributeRuler.patterns``."""
    return TagPos(patterns)
