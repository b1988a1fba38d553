"""Scoring rules of quotes.evaluate (DESIGN.md, Evaluation), on tiny self-written gold articles."""

import json

import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.evaluate import (
    GoldArticle,
    GoldQuote,
    Scores,
    error_samples,
    format_scores,
    gold_article_from_mapping,
    load_gold,
    ranges_match,
    run_system,
    score,
)
from quotes.mention import Mention, Span

TEXT = (
    'The council met on Monday. "We will rebuild that old bridge before winter comes," '
    "Mayor Ana Ruiz said. She called the plan \"bold\". A sign read "
    '"no parking here on any weekday between nine and five". Ruiz added: "Trust us."'
)


def at(piece: str, text: str = TEXT) -> tuple[int, int]:
    """The range of the first occurrence of piece in text."""
    start = text.index(piece)
    return start, start + len(piece)


def gold_dict(article_id: str = "a1") -> dict:
    """A gold article in the JSONL format: two quotes (one without a source), two unannotated spans."""
    rebuild, ruiz, trust = at("We will rebuild that old bridge before winter comes,"), at("Mayor Ana Ruiz"), at("Trust us.")
    return {
        "id": article_id,
        "text": TEXT,
        "quotes": [
            {"start": rebuild[0], "end": rebuild[1], "speaker": "Mayor Ana Ruiz", "speaker_start": ruiz[0],
             "speaker_end": ruiz[1], "quote_type": "direct"},
            {"start": trust[0], "end": trust[1], "speaker": None, "speaker_start": None, "speaker_end": None,
             "quote_type": "direct"},
        ],
        "unannotated_quoted_spans": [
            {"start": a, "end": b} for a, b in (at("bold"), at("no parking here on any weekday between nine and five"))
        ],
    }


GOLD = gold_article_from_mapping(gold_dict())


def mention(piece: str, speaker: str | None = None) -> Mention:
    """A prediction of piece, attributed to the first occurrence of speaker."""
    start, end = at(piece)
    who = None
    if speaker:
        s, e = at(speaker)
        who = Span(speaker, s, e)
    return Mention(text=piece, start=start, end=end, speaker=speaker, speaker_mention=who)


def score_one(*mentions: Mention) -> Scores:
    return score([GOLD], {GOLD.id: list(mentions)})


def test_overlap_of_exactly_half_the_longer_range_matches():
    assert ranges_match(0, 10, 5, 15)  # 5 shared of 10
    assert ranges_match(0, 10, 0, 20)  # 10 shared of 20
    assert not ranges_match(0, 10, 6, 16)  # 4 shared of 10
    assert not ranges_match(0, 10, 0, 21)  # 10 shared of 21
    assert not ranges_match(0, 10, 10, 20)  # touching is not overlapping


def test_prediction_sharing_exactly_half_of_the_gold_quote_matches():
    start, end = GOLD.quotes[0].start, GOLD.quotes[0].end
    assert (end - start) % 2 == 0
    half = (end - start) // 2
    enough = Mention(text="", start=start + half, end=end + half)
    too_little = Mention(text="", start=start + half + 1, end=end + half + 1)
    assert score_one(enough).matched == 1
    s = score_one(too_little)
    assert (s.matched, s.predicted, s.gold) == (0, 1, 2)


def test_matching_is_one_to_one():
    s = score_one(mention("We will rebuild that old bridge before winter comes,"),
                  mention("We will rebuild that old bridge before winter"))
    assert (s.matched, s.predicted) == (1, 2)


def test_speaker_is_right_when_the_mention_overlaps_the_gold_span():
    quote = "We will rebuild that old bridge before winter comes,"
    assert score_one(mention(quote, "Ruiz")).speaker_right == 1  # inside "Mayor Ana Ruiz"
    assert score_one(mention(quote, "Ruiz said")).speaker_right == 1  # partly overlapping
    assert score_one(mention(quote, "The council")).speaker_right == 0
    assert score_one(mention(quote, " said")).speaker_right == 0  # starts where the gold span ends
    assert score_one(mention(quote)).speaker_right == 0


def test_gold_quote_without_speaker_is_left_out_of_speaker_accuracy_but_counts_end_to_end():
    s = score_one(mention("Trust us.", "Ruiz"))
    assert (s.matched, s.speaker_judged, s.speaker_right, s.end_to_end) == (1, 0, 0, 1)
    assert s.speaker_accuracy == 0.0  # nothing judged


def test_unannotated_span_of_eight_words_is_neutral_but_a_short_one_is_a_false_alarm():
    long = score_one(mention("no parking here on any weekday between nine and five"))
    assert (long.neutral, long.predicted, long.quote_precision) == (1, 0, 0.0)
    short = score_one(mention("bold"))
    assert (short.neutral, short.predicted, short.matched) == (0, 1, 0)


def test_precision_recall_and_f1_arithmetic():
    s = score_one(
        mention("We will rebuild that old bridge before winter comes,", "Ana"),  # hit, speaker right
        mention("Trust us."),  # hit, gold speaker null
        mention("bold"),  # false alarm
        mention("The council met on Monday."),  # false alarm
    )
    assert (s.gold, s.predicted, s.matched, s.end_to_end) == (2, 4, 2, 2)
    assert s.quote_precision == 0.5
    assert s.quote_recall == 1.0
    assert s.quote_f1 == pytest.approx(2 / 3)
    assert s.speaker_accuracy == 1.0
    assert s.e2e_f1 == pytest.approx(2 / 3)
    wrong = score_one(mention("We will rebuild that old bridge before winter comes,", "The council"))
    assert (wrong.quote_precision, wrong.quote_recall, wrong.e2e_precision, wrong.e2e_recall) == (1.0, 0.5, 0.0, 0.0)
    assert wrong.e2e_f1 == 0.0
    assert Scores().quote_f1 == 0.0 and Scores().words_per_second == 0.0


def test_articles_without_predictions_predict_nothing():
    s = score([GOLD], {})
    assert (s.articles, s.gold, s.predicted, s.quote_recall) == (1, 2, 0, 0.0)
    assert s.words == len(TEXT.split())


def test_load_gold_reads_jsonl_and_refuses_repeated_ids(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold_dict("a1")) + "\n\n" + json.dumps(gold_dict("a2")) + "\n")
    gold = load_gold(path)
    assert [g.id for g in gold] == ["a1", "a2"]
    assert gold[0] == GOLD
    path.write_text(json.dumps(gold_dict("a1")) + "\n" + json.dumps(gold_dict("a1")) + "\n")
    with pytest.raises(ValueError, match="twice"):
        load_gold(path)


def test_error_samples_mark_the_quote_in_its_context():
    found = error_samples([GOLD], {GOLD.id: [
        mention("We will rebuild that old bridge before winter comes,", "The council"),
        mention("bold", "She"),
    ]}, n=5)
    (miss,), (alarm,), (wrong,) = found["miss"], found["false alarm"], found["wrong speaker"]
    assert "[[Trust us.]]" in miss.context and miss.gold_speaker is None
    assert 'the plan "[[bold]]".' in alarm.context
    assert alarm.predicted_speaker == "She"
    assert (wrong.gold_speaker, wrong.predicted_speaker) == ("Mayor Ana Ruiz", "The council")
    assert "predicted: The council" in str(wrong)
    assert len(error_samples([GOLD], {}, n=1)["miss"]) == 1


def test_format_scores_puts_systems_side_by_side_with_the_speed_ratio():
    ours = Scores(articles=1, gold=2, predicted=2, matched=2, words=600, seconds=1.0)
    base = Scores(articles=1, gold=2, predicted=1, matched=1, words=600, seconds=3.0)
    table = format_scores({"quotes": ours, "textacy": base})
    assert table.splitlines()[0].split() == ["quotes", "textacy"]
    assert "quote F1" in table and "1.000" in table and "0.667" in table
    assert "quotes speed: 3.00x textacy" in table


def test_textacy_baseline_runs_and_counts_articles_it_refuses():
    text = 'The vote was close. "We counted every ballot twice," she said on Tuesday.'
    quote, she = at("We counted every ballot twice,", text), at("she", text)
    good = GoldArticle("plain", text, [GoldQuote(*quote, "she", *she)])
    odd = GoldArticle("odd", 'He said "we will win, and left.', [])  # unclosed quotation: textacy raises
    scores, predictions = run_system("textacy", [good, odd])
    (found,) = predictions["plain"]
    assert (found.start, found.end, found.text) == (*quote, "We counted every ballot twice,")
    assert found.speaker_mention == Span("she", *she)
    assert (scores.matched, scores.speaker_right, scores.errors, predictions["odd"]) == (1, 1, 1, [])
    assert scores.seconds > 0


def test_eval_command_prints_json_scores(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(gold_dict(f"a{i}")) for i in range(3)) + "\n")
    result = CliRunner().invoke(cli, ["eval", str(path), "--offset", "1", "--limit", "1", "--json", "--errors", "1"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["scores"]["quotes"]["articles"] == 1
    assert out["scores"]["quotes"]["gold"] == 2
    assert set(out["error_samples"]["quotes"]) == {"miss", "false alarm", "wrong speaker"}
