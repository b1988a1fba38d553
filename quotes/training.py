"""Training the speaker scorer (issue 12): ``quotes train GOLD.jsonl -o quotes/data/scorer.json``.

Each attributed quote's candidates (quotes.extract.candidates) are labelled by the gold data:
a candidate is right when its words overlap the gold speaker span of the gold quote the
predicted quote matches (the rule of quotes.evaluate). Quotes matching no gold quote, or whose
gold speaker is null, teach nothing and are left out.

Every figure is cross-validated by article (5 folds over the articles given); the calibration
maps (isotonic regression) are fitted on the out-of-fold scores (the "learned" map over the
scorer's picks, the "rules" map over the ladder's), and the shipped model on all the articles
given. The model is numbers only: feature names, tree thresholds or weights, and
the maps; never text from the data. scikit-learn is needed here only (the eval extra).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from spacy.tokens import Doc

from quotes.evaluate import GoldArticle, match_article
from quotes.extract.attribute import _mention, ladder
from quotes.extract.features import FEATURES
from quotes.extract.scorer import candidate_table, ladder_index, overrides_ladder
from quotes.extract.settings import DEFAULT_SETTINGS, Settings
from quotes.extract.transcripts import quote_spans

FOLDS = 5


@dataclass
class Table:
    """Candidate rows of the judged quotes of some articles, with labels and the ladder's outcome."""

    rows: list[list[float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    quote_of_row: list[int] = field(default_factory=list)
    article_of_quote: list[int] = field(default_factory=list)
    ladder_right: list[int] = field(default_factory=list)  # per judged quote
    oracle: list[int] = field(default_factory=list)  # some candidate is right
    ladder_row: list[int] = field(default_factory=list)  # per judged quote: the row of the ladder's pick, -1 for none
    ladder_definite: list[bool] = field(default_factory=list)  # per judged quote: the scorer may not override it

    def arrays(self):
        return (np.asarray(self.rows, dtype=float).reshape(-1, len(FEATURES)), np.asarray(self.labels),
                np.asarray(self.quote_of_row), np.asarray(self.article_of_quote))


def _overlaps(start: int, end: int, g_start: int, g_end: int) -> bool:
    return min(end, g_end) - max(start, g_start) > 0


def collect(gold: Sequence[GoldArticle], docs: Iterable[Doc], settings: Settings = DEFAULT_SETTINGS) -> Table:
    """The training table of parsed articles (``docs`` in the order of ``gold``)."""
    table = Table()
    for index, (article, doc) in enumerate(zip(gold, docs, strict=True)):
        attributor, done = ladder(doc, quote_spans(doc, settings), settings)
        mentions = [_mention(attributor.parse, q, a) for q, a in done]
        gold_of = {id(p): g for g, p in match_article(article, mentions).matched}
        for qc, mention in zip(candidate_table(attributor, done), mentions, strict=True):
            g = gold_of.get(id(mention))
            if g is None or g.speaker_start is None:
                continue
            quote = len(table.article_of_quote)
            table.article_of_quote.append(index)
            a = qc.ladder
            table.ladder_right.append(int(a.mention is not None and _overlaps(a.mention.start_char, a.mention.end_char, g.speaker_start, g.speaker_end)))
            labels = [int(_overlaps(c.span.start_char, c.span.end_char, g.speaker_start, g.speaker_end)) for c in qc.candidates]
            table.oracle.append(int(any(labels)))
            ladder_at = ladder_index(qc)
            table.ladder_row.append(len(table.rows) + ladder_at if ladder_at is not None else -1)
            table.ladder_definite.append(a.definite)
            table.rows.extend(qc.rows)
            table.labels.extend(labels)
            table.quote_of_row.extend([quote] * len(labels))
    return table


# --- models ----------------------------------------------------------------------------------

def fit_trees(x: np.ndarray, y: np.ndarray, **params):
    from sklearn.ensemble import HistGradientBoostingClassifier

    options = {"max_iter": 150, "learning_rate": 0.08, "max_depth": 5, "max_leaf_nodes": 16,
               "min_samples_leaf": 20, "l2_regularization": 1.0, "random_state": 0}
    options.update(params)
    return HistGradientBoostingClassifier(**options).fit(x, y)


def fit_logistic(x: np.ndarray, y: np.ndarray, c: float = 1.0):
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y)
    return model, mean, scale


def fit_clogit(x: np.ndarray, y: np.ndarray, quote_of_row: np.ndarray, l2: float = 1.0):
    """A conditional logit: one softmax over each quote's candidates, maximising the chance of its
    right ones (quotes with no right candidate teach nothing). Linear in :func:`expand` of the rows."""
    from scipy.optimize import minimize

    z = expand(x)
    mean, scale = z.mean(axis=0), z.std(axis=0)
    scale[scale == 0] = 1.0
    z = (z - mean) / scale
    positives = np.zeros(quote_of_row.max() + 1)
    np.add.at(positives, quote_of_row, y)
    keep = positives[quote_of_row] > 0
    z, y = z[keep], y[keep]
    _, quote = np.unique(quote_of_row[keep], return_inverse=True)
    n = quote.max() + 1

    def loss(w):
        s = z @ w
        top = np.full(n, -np.inf)
        np.maximum.at(top, quote, s)
        e = np.exp(s - top[quote])
        total, right = np.zeros(n), np.zeros(n)
        np.add.at(total, quote, e)
        np.add.at(right, quote, e * y)
        p = e / total[quote]
        p_right = e * y / right[quote]
        return -(np.log(right) - np.log(total)).sum() + l2 * w @ w / 2, -(z.T @ (p_right - p)) + l2 * w

    w = minimize(loss, np.zeros(z.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
    return w, mean, scale


def expand(x: np.ndarray) -> np.ndarray:
    """The rows and each row times its "source_ladder" flag: how the ladder's own pick differs."""
    from quotes.extract.scorer import expand_rows

    return expand_rows(x)


def export_clogit(fitted) -> dict:
    w, mean, scale = fitted
    return {"coef": [float(v) for v in w], "intercept": 0.0,
            "mean": [float(v) for v in mean], "scale": [float(v) for v in scale]}


def export_trees(model) -> dict:
    """Gradient-boosted trees as arrays of numbers (quotes.extract.scorer.Model reads them)."""
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        depth = int(nodes["depth"].max()) if "depth" in nodes.dtype.names else 32
        trees.append({
            "feature": [int(v) for v in nodes["feature_idx"]],
            "threshold": [float(v) for v in nodes["num_threshold"]],
            "left": [int(v) for v in nodes["left"]],
            "right": [int(v) for v in nodes["right"]],
            "value": [float(v) for v in nodes["value"]],
            "leaf": [int(v) for v in nodes["is_leaf"]],
            "missing_left": [int(v) for v in nodes["missing_go_to_left"]],
            "depth": depth,
        })
    baseline = float(np.ravel(model._baseline_prediction)[0])
    return {"baseline": baseline, "trees": trees}


def export_logistic(fitted) -> dict:
    model, mean, scale = fitted
    return {"coef": [float(v) for v in model.coef_[0]], "intercept": float(model.intercept_[0]),
            "mean": [float(v) for v in mean], "scale": [float(v) for v in scale]}


def decision(kind: str, fitted, x: np.ndarray) -> np.ndarray:
    if kind == "clogit":
        w, mean, scale = fitted
        return ((expand(x) - mean) / scale) @ w
    if kind == "logistic":
        model, mean, scale = fitted
        return model.decision_function((x - mean) / scale)
    return fitted.decision_function(x)


def fit(kind: str, x: np.ndarray, y: np.ndarray, quote_of_row: np.ndarray):
    if kind == "clogit":
        return fit_clogit(x, y, quote_of_row)
    return fit_logistic(x, y) if kind == "logistic" else fit_trees(x, y)


def row_shares(scores: np.ndarray, quote_of_row: np.ndarray, n_quotes: int) -> np.ndarray:
    """Each row's softmax share among its quote's candidates (what the conditional logit's
    calibration maps read)."""
    top = np.full(n_quotes, -np.inf)
    np.maximum.at(top, quote_of_row, scores)
    e = np.exp(scores - top[quote_of_row])
    total = np.zeros(n_quotes)
    np.add.at(total, quote_of_row, e)
    return e / total[quote_of_row]


def picks(scores: np.ndarray, quote_of_row: np.ndarray, n_quotes: int) -> tuple[np.ndarray, np.ndarray]:
    """Per quote: the row of its best-scoring candidate (-1 for none) and that score."""
    best = np.full(n_quotes, -1)
    best_score = np.full(n_quotes, -np.inf)
    for r, (q, s) in enumerate(zip(quote_of_row, scores, strict=True)):
        if s > best_score[q]:
            best[q], best_score[q] = r, s
    return best, best_score


def folds_of(article_of_quote: np.ndarray, n_folds: int = FOLDS) -> np.ndarray:
    """The fold of each quote: articles dealt round-robin in file order into ``n_folds`` folds."""
    return article_of_quote % n_folds


def isotonic_map(scores: np.ndarray, right: np.ndarray) -> dict:
    """An increasing map score -> probability right (isotonic regression), as breakpoints."""
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(scores, right)
    return {"x": [float(v) for v in iso.X_thresholds_], "y": [float(v) for v in iso.y_thresholds_]}


def expected_calibration_error(confidence: np.ndarray, right: np.ndarray, bins: int = 10) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by their size."""
    confidence, right = np.asarray(confidence, dtype=float), np.asarray(right, dtype=float)
    if len(confidence) == 0:
        return 0.0
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            total += inside.sum() * abs(right[inside].mean() - confidence[inside].mean())
    return float(total / len(confidence))


def top_accuracy(confidence: np.ndarray, right: np.ndarray, share: float = 0.8) -> float:
    """Accuracy of the most confident ``share`` of the picks (ties broken by order)."""
    order = np.argsort(-np.asarray(confidence, dtype=float), kind="stable")
    keep = order[: max(1, int(round(share * len(order))))] if len(order) else order
    return float(np.asarray(right)[keep].mean()) if len(keep) else 0.0


@dataclass
class OutOfFold:
    """Per judged quote, from models that never saw its article: the scorer's pick (a row, -1 for
    none), what the "learned" map reads for it and whether it is right; what the "rules" map reads
    for the ladder's pick; and the quote's fold."""

    fold: np.ndarray
    best: np.ndarray
    best_read: np.ndarray
    right: np.ndarray
    ladder_read: np.ndarray


def _out_of_fold(table: Table, kind: str, n_folds: int) -> OutOfFold:
    x, y, quote_of_row, article_of_quote = table.arrays()
    n = len(article_of_quote)
    fold = folds_of(article_of_quote, n_folds)
    row_fold = fold[quote_of_row]
    scores = np.zeros(len(y))
    for f in range(n_folds):
        train_rows, test = row_fold != f, row_fold == f
        scores[test] = decision(kind, fit(kind, x[train_rows], y[train_rows], quote_of_row[train_rows]), x[test])
    reads = row_shares(scores, quote_of_row, n) if kind == "clogit" else scores
    best, _ = picks(scores, quote_of_row, n)
    ladder_row = np.asarray(table.ladder_row, dtype=int)
    # as quotes.extract.scorer.pick: the ladder's pick stands unless the model may override it
    for q in range(n):
        if ladder_row[q] >= 0 and best[q] != ladder_row[q] and not overrides_ladder(reads[best[q]], table.ladder_definite[q]):
            best[q] = ladder_row[q]
    right = np.array([int(b >= 0 and y[b] == 1) for b in best])
    best_read = np.where(best >= 0, reads[np.maximum(best, 0)], 0.0) if n else np.zeros(0)
    ladder_read = np.where(ladder_row >= 0, reads[np.maximum(ladder_row, 0)], 0.0) if n else np.zeros(0)
    return OutOfFold(fold, best, best_read, right, ladder_read)


def _calibrated(read: np.ndarray, right: np.ndarray, has: np.ndarray, fold: np.ndarray, n_folds: int) -> np.ndarray:
    """Confidence of each quote's pick from an isotonic map fitted on the other folds' picks
    (0 where there is no pick)."""
    from quotes.extract.scorer import calibrate

    conf = np.zeros(len(read))
    for f in range(n_folds):
        train, test = (fold != f) & has, (fold == f) & has
        m = isotonic_map(read[train], right[train])
        conf[test] = [calibrate(m["x"], m["y"], s) for s in read[test]]
    return conf


def cross_validate(table: Table, kind: str = "clogit", n_folds: int = FOLDS,
                   log: Callable[[str], None] = print) -> dict:
    """Out-of-fold speaker accuracy of the scorer and the ladder, and calibration of both
    (itself cross-validated: each fold's maps are fitted on the other folds' picks)."""
    oof = _out_of_fold(table, kind, n_folds)
    ladder_right = np.asarray(table.ladder_right)
    conf = _calibrated(oof.best_read, oof.right, oof.best >= 0, oof.fold, n_folds)
    ladder_conf = _calibrated(oof.ladder_read, ladder_right, np.asarray(table.ladder_row) >= 0, oof.fold, n_folds)
    n = len(oof.best)
    out = {
        "quotes": n, "candidates": len(table.labels), "oracle": float(np.mean(table.oracle)) if n else 0.0,
        "learned_accuracy": float(oof.right.mean()), "ladder_accuracy": float(ladder_right.mean()),
        "learned_ece": expected_calibration_error(conf, oof.right), "ladder_ece": expected_calibration_error(ladder_conf, ladder_right),
        "learned_top80": top_accuracy(conf, oof.right), "ladder_top80": top_accuracy(ladder_conf, ladder_right),
    }
    log(" ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in out.items()))
    return out


def train(table: Table, kind: str = "clogit", n_folds: int = FOLDS, source: str = "") -> dict:
    """The model to ship: fitted on every row, calibrated on out-of-fold picks."""
    oof = _out_of_fold(table, kind, n_folds)
    has, ladder_has = oof.best >= 0, np.asarray(table.ladder_row) >= 0
    x, y, quote_of_row, _ = table.arrays()
    fitted = fit(kind, x, y, quote_of_row)
    model = {
        "version": 1,
        "kind": kind,
        "features": list(FEATURES),
        "calibration": {
            "learned": isotonic_map(oof.best_read[has], oof.right[has]),
            "rules": isotonic_map(oof.ladder_read[ladder_has], np.asarray(table.ladder_right)[ladder_has]),
        },
        "trained_on": {"source": source, "articles_with_judged_quotes": int(len(set(np.asarray(table.article_of_quote).tolist()))), "quotes": len(oof.best),
                       "candidates": int(len(y)), "folds": n_folds},
    }
    exporters = {"clogit": export_clogit, "logistic": export_logistic, "trees": export_trees}
    model["trees" if kind == "trees" else "linear"] = exporters[kind](fitted)
    return model


def parsed(articles: Sequence[GoldArticle], cache=None, log: Callable[[str], None] = print) -> list[Doc]:
    """The articles parsed by our pipeline up to (not including) the quotes component; ``cache``
    is a DocBin file read when it exists (and holds as many docs), else written."""
    from pathlib import Path

    from spacy.tokens import DocBin

    from quotes.extract import load_nlp

    nlp = load_nlp()
    # what the parses depend on: the models, their config and the tokenizer's rules (glued quotation marks)
    key = "\n".join([nlp.meta.get("version", ""), nlp.config.to_str(), nlp.tokenizer.infix_finditer.__self__.pattern])
    stamp = Path(f"{cache}.key") if cache is not None else None
    if cache is not None and Path(cache).exists():
        docs = list(DocBin().from_bytes(Path(cache).read_bytes()).get_docs(nlp.vocab))
        same = stamp is not None and stamp.exists() and stamp.read_text(encoding="utf-8") == key
        if same and len(docs) >= len(articles) and all(d.text == a.text for d, a in zip(docs, articles)):
            return docs[: len(articles)]
        log(f"{cache}: not the parses of these articles by this pipeline, parsing again")
    docs = []
    with nlp.select_pipes(disable=["quotes"]):
        for i, doc in enumerate(nlp.pipe((a.text for a in articles), batch_size=16), 1):
            docs.append(doc)
            if i % 100 == 0:
                log(f"parsed {i}/{len(articles)}")
    if cache is not None:
        db = DocBin(store_user_data=False)
        for doc in docs:
            db.add(doc)
        Path(cache).write_bytes(db.to_bytes())
        stamp.write_text(key, encoding="utf-8")
    return docs


def train_from_gold(articles: Sequence[GoldArticle], output, kind: str = "clogit", cache=None, source: str = "",
                    log: Callable[[str], None] = print) -> dict:
    """``quotes train``: parse, collect candidates, cross-validate, fit and write the model to ``output``."""
    import json
    from pathlib import Path

    table = collect(articles, parsed(articles, cache, log))
    figures = cross_validate(table, kind, log=log)
    model = train(table, kind, source=source)
    model["cross_validated"] = figures
    Path(output).write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    log(f"wrote {output} ({Path(output).stat().st_size} bytes)")
    return figures
