"""The learned speaker scorer: candidates (quotes.extract.candidates) scored, the best one kept.

The model is small numbers in ``quotes/data/scorer.json`` (written by ``quotes train``, see
quotes.training): gradient-boosted trees or logistic-regression weights over
:data:`quotes.extract.features.FEATURES`, and isotonic calibration maps turning a score into the
probability that the speaker is right. It is read with the standard library and numpy; no
scikit-learn at run time.

``scorer="learned"`` picks the candidate the model scores highest; ``scorer="rules"`` keeps the
ladder's pick. Either way ``confidence`` is the calibrated probability for that pick, read from
the share the model gives it among the quote's candidates: how much the evidence around the
quote favours that speaker over every other, which separates right from wrong picks far better
than the ladder's own rung.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np

from quotes.extract.attribute import Attributor
from quotes.extract.candidates import Candidate, candidates
from quotes.extract.detect import QuoteSpan
from quotes.extract.features import FEATURES, describe
from quotes.extract.settings import SCORERS
from quotes.extract.speakers import Attribution, speaker_of


@dataclass
class QuoteCandidates:
    """One quote's candidates and their feature rows, as training and scoring both see them."""

    quote: QuoteSpan
    ladder: Attribution
    previous: Attribution | None
    candidates: list[Candidate]
    rows: list[list[float]]


def candidate_table(attributor: Attributor, done: list[tuple[QuoteSpan, Attribution]]) -> list[QuoteCandidates]:
    """Candidates and features of every attributed quote, in order (``done`` as the ladder left it)."""
    parse, people = attributor.parse, attributor.people
    text = parse.text
    paragraph_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    out = []
    previous: Attribution | None = None
    for q, a in done:
        cands = candidates(parse, q, a, previous)
        rows = describe(parse, people, q, a, previous, cands, paragraph_starts) if cands else []
        out.append(QuoteCandidates(q, a, previous, cands, rows))
        previous = a
    return out


class Model:
    """A loaded scorer: candidate scores (log-odds) and calibration maps."""

    def __init__(self, data: dict):
        if tuple(data["features"]) != FEATURES:
            raise ValueError("the scorer model was trained on other features; retrain it with `quotes train`")
        self.data = data
        self.kind = data["kind"]
        if self.kind in {"logistic", "clogit"}:
            lr = data["linear"]
            self.coef = np.asarray(lr["coef"], dtype=float)
            self.intercept = float(lr["intercept"])
            self.mean = np.asarray(lr["mean"], dtype=float)
            self.scale = np.asarray(lr["scale"], dtype=float)
        else:
            self.baseline = float(data["trees"]["baseline"])
            self.trees = [{k: np.asarray(v) for k, v in t.items()} for t in data["trees"]["trees"]]
        self.calibration = {name: (list(m["x"]), list(m["y"])) for name, m in data["calibration"].items()}

    def decision(self, rows: list[list[float]]) -> np.ndarray:
        """The log-odds that each candidate is the speaker."""
        x = np.asarray(rows, dtype=float)
        if self.kind == "clogit":
            x = expand_rows(x)
        if self.kind in {"logistic", "clogit"}:
            return (x - self.mean) / self.scale @ self.coef + self.intercept
        total = np.full(len(x), self.baseline)
        idx = np.arange(len(x))
        for t in self.trees:
            node = np.zeros(len(x), dtype=int)
            for _ in range(int(t["depth"])):
                leaf = t["leaf"][node].astype(bool)
                value = x[idx, t["feature"][node]]
                go_left = np.where(np.isnan(value), t["missing_left"][node].astype(bool), value <= t["threshold"][node])
                node = np.where(leaf, node, np.where(go_left, t["left"][node], t["right"][node]))
            total += t["value"][node]
        return total

    def probability(self, score: float, which: str) -> float:
        """The calibrated probability that a pick with this score (``which`` map) is right."""
        xs, ys = self.calibration[which]
        return calibrate(xs, ys, score)


def share(model: Model, scores: np.ndarray, best: int) -> float:
    """What the calibration map reads for the pick: its softmax share among the quote's
    candidates (conditional logit), else its log-odds."""
    if model.kind != "clogit":
        return float(scores[best])
    return float(1.0 / np.exp(scores - scores[best]).sum())


_LADDER = FEATURES.index("source_ladder")


def expand_rows(x: np.ndarray) -> np.ndarray:
    """Candidate rows and each row times its ``source_ladder`` flag (the conditional logit's inputs)."""
    x = np.asarray(x, dtype=float)
    return np.hstack([x, x * x[:, _LADDER : _LADDER + 1]])


def calibrate(xs: list[float], ys: list[float], score: float) -> float:
    """Piecewise-linear interpolation of an isotonic map, clamped at its ends."""
    if not xs:
        return 0.5
    if score <= xs[0]:
        return float(ys[0])
    if score >= xs[-1]:
        return float(ys[-1])
    i = bisect.bisect_right(xs, score)
    x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
    return float(y0 if x1 == x0 else y0 + (y1 - y0) * (score - x0) / (x1 - x0))


MODEL_PATH = "data/scorer.json"
#: The softmax share another candidate needs to replace the ladder's pick (5-fold CV on
#: PolNeAR articles 0-671: speaker accuracy 0.9268 with no threshold, 0.9271 with 0.5).
OVERRIDE_SHARE = 0.5


def overrides_ladder(best_share: float, ladder_definite: bool) -> bool:
    """Whether the model's best candidate replaces the ladder's pick: never when the ladder's is
    definite (the quote hangs from its speech verb: "Police said the suspect fled and shouted,
    '...'" is the suspect's), else when the model gives it more than OVERRIDE_SHARE."""
    return not ladder_definite and best_share > OVERRIDE_SHARE


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> Model:
    """The packaged model (or the one at ``path``), loaded once."""
    raw = Path(path).read_text(encoding="utf-8") if path else files("quotes").joinpath(MODEL_PATH).read_text(encoding="utf-8")
    return Model(json.loads(raw))


def sigmoid(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))


def ladder_index(table: QuoteCandidates) -> int | None:
    """The index of the ladder's own pick among the quote's candidates (None when it made none)."""
    if table.ladder.mention is None:
        return None
    return next((i for i, c in enumerate(table.candidates) if "ladder" in c.sources), None)


def pick(model: Model, table: QuoteCandidates) -> tuple[int | None, float]:
    """The index of the best candidate (None when there is none) and what calibration reads for it."""
    if not table.candidates:
        return None, float("-inf")
    scores = model.decision(table.rows)
    best = int(np.argmax(scores))
    ladder = ladder_index(table)
    if ladder is not None and best != ladder and not overrides_ladder(share(model, scores, best), table.ladder.definite):
        best = ladder
    return best, share(model, scores, best)


def ladder_confidence(model: Model, table: QuoteCandidates) -> float:
    """The calibrated probability that the ladder's pick is right, read from the model's share for
    it ("rules" map); 0 when the ladder named no speaker."""
    at = ladder_index(table)
    if at is None:
        return 0.0
    return model.probability(share(model, model.decision(table.rows), at), "rules")


class Rescorer:
    """``attribute(..., rescore=Rescorer(...))``: the scorer's pick for each quote, confidence calibrated."""

    def __init__(self, scorer: str = "learned", model: Model | None = None):
        if scorer not in SCORERS:
            raise ValueError(f"scorer must be one of {SCORERS}, not {scorer!r}")
        self.scorer = scorer
        self._model = model

    @property
    def model(self) -> Model:
        """The model, loaded on first use (the packaged one unless given)."""
        if self._model is None:
            self._model = load_model()
        return self._model

    def __call__(self, attributor: Attributor, done: list[tuple[QuoteSpan, Attribution]]) -> list[Attribution]:
        out = []
        for table in candidate_table(attributor, done):
            if self.scorer == "rules":
                out.append(_with_confidence(table.ladder, ladder_confidence(self.model, table)))
                continue
            best, score = pick(self.model, table)
            if best is None:
                out.append(_with_confidence(table.ladder, 0.0))
                continue
            out.append(_with_confidence(choose(attributor, table, best), self.model.probability(score, "learned")))
        return out


def choose(attributor: Attributor, table: QuoteCandidates, best: int) -> Attribution:
    """The attribution resting on candidate ``best`` of the quote."""
    c = table.candidates[best]
    a, prev = table.ladder, table.previous
    if a.mention is not None and c.key == (a.mention.start, a.mention.end):
        return a
    if prev is not None and prev.mention is not None and c.key == (prev.mention.start, prev.mention.end):
        return Attribution(prev.cue, prev.mention, prev.speaker, a.confidence, "previous")
    _, speaker = speaker_of(attributor.people, c.head)
    return Attribution(c.cues[0] if c.cues else None, c.span, speaker, a.confidence, "scorer")


def _with_confidence(a: Attribution, confidence: float) -> Attribution:
    return Attribution(a.cue, a.mention, a.speaker, confidence, a.how, a.definite)
