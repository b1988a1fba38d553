"""The learned speaker scorer (issue 12): candidates, plausibility, calibration, the packaged model.

Every sentence here is written for the test.
"""

from __future__ import annotations

import json
import math

import pytest
from quotes.evaluate import expected_calibration_error, top_share_accuracy
from quotes.extract import load_nlp
from quotes.extract.attribute import ladder
from quotes.extract.candidates import candidates, never_speaks
from quotes.extract.detect import find_quotes
from quotes.extract.features import FEATURES
from quotes.extract.scorer import MODEL_PATH, calibrate, candidate_table, load_model
from quotes.extract.settings import Settings


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def speakers(nlp, text):
    return [(m.speaker_mention.text if m.speaker_mention else None, m.speaker) for m in nlp(text)._.quotes]


def test_the_packaged_model_loads_and_gives_a_probability(nlp):
    model = load_model()
    assert model.kind in {"clogit", "trees", "logistic"}
    for m in nlp('"We will rebuild the bridge," Mayor Ana Ruiz said on Monday.')._.quotes:
        assert 0.0 <= m.confidence <= 1.0
    score = float(model.decision([[0.0] * len(FEATURES)])[0])
    assert math.isfinite(score)
    assert 0.0 <= model.probability(score, "learned") <= 1.0
    assert 0.0 <= model.probability(0.9, "rules") <= 1.0


def test_the_model_file_is_numbers_and_feature_names_only():
    from importlib.resources import files

    data = json.loads(files("quotes").joinpath(MODEL_PATH).read_text(encoding="utf-8"))
    strings = set()

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            strings.add(node)

    walk({k: v for k, v in data.items() if k != "features"})
    assert strings <= {"clogit", "trees", "logistic", data["trained_on"]["source"]}
    assert data["features"] == list(FEATURES)


def test_a_pronoun_never_stands_for_a_woman_when_it_is_he(nlp):
    text = ('Laura Bush opened the library on Friday.\n'
            'Later the principal, Tom Reed, spoke. "We are proud of our students," he said.')
    [(said, who)] = speakers(nlp, text)
    assert said == "he"
    assert who != "Laura Bush"


def test_a_time_expression_never_speaks(nlp):
    text = 'Tuesday said it all. "The vote is final," the clerk announced.'
    with nlp.select_pipes(disable=["quotes"]):
        doc = nlp(text)
    assert any(never_speaks(t) for t in doc if t.text == "Tuesday") or all(t.ent_type_ != "DATE" for t in doc if t.text == "Tuesday")
    for said, _ in speakers(nlp, text):
        assert said is None or "Tuesday" not in said
    settings = Settings()
    attributor, done = ladder(doc, find_quotes(text, settings), settings)
    for q, a in done:
        assert all("Tuesday" not in c.span.text for c in candidates(attributor.parse, q, a, None))


def test_someone_who_did_not_respond_is_not_the_speaker(nlp):
    text = ('"The plant will close in June," the company said in a statement.\n'
            'Mayor Ana Ruiz did not respond to a request for comment.')
    for said, who in speakers(nlp, text):
        assert who != "Ana Ruiz"


def test_candidates_carry_the_ladder_pick_and_one_row_of_features_each(nlp):
    text = '"We tried," Ruth Amos said. Her deputy, Carl Moss, agreed.\n"It failed," she added.'
    with nlp.select_pipes(disable=["quotes"]):
        doc = nlp(text)
    settings = Settings()
    attributor, done = ladder(doc, find_quotes(text, settings), settings)
    for table in candidate_table(attributor, done):
        assert any("ladder" in c.sources for c in table.candidates)
        assert len(table.rows) == len(table.candidates)
        assert all(len(row) == len(FEATURES) for row in table.rows)


def test_the_rules_scorer_keeps_the_ladder_pick_with_a_calibrated_confidence(nlp):
    text = '"We are ready," Mayor Ana Ruiz said.'
    from quotes.extract.components import Quotes

    with nlp.select_pipes(disable=["quotes"]):
        doc = nlp(text)
    [m] = Quotes(Settings(scorer="rules"))(doc)._.quotes
    assert m.speaker == "Ana Ruiz" and 0.0 <= m.confidence <= 1.0
    with pytest.raises(ValueError):
        Settings(scorer="magic")


def test_confidence_is_higher_for_a_quote_on_its_speech_verb_than_for_a_guess_from_the_sentence_before(nlp):
    text = ('"We will win the vote," Ana Ruiz said on Monday.\n\n'
            'Tom Reed, her rival on the council, was at the same meeting. "It is not over yet."')
    on_verb, guessed = nlp(text)._.quotes
    assert (on_verb.speaker, guessed.speaker) == ("Ana Ruiz", "Tom Reed")
    assert on_verb.confidence > 0.9 > guessed.confidence > 0.0


def test_calibration_and_its_error():
    assert calibrate([0.0, 1.0], [0.2, 0.8], 0.5) == pytest.approx(0.5)
    assert calibrate([0.0, 1.0], [0.2, 0.8], -3) == 0.2
    assert expected_calibration_error([(0.9, True), (0.9, False)]) == pytest.approx(0.4)
    assert expected_calibration_error([]) == 0.0
    assert top_share_accuracy([(0.9, True), (0.8, True), (0.7, True), (0.6, True), (0.1, False)]) == 1.0


def test_training_writes_a_model_the_scorer_loads(tmp_path):
    pytest.importorskip("sklearn")
    from quotes.evaluate import GoldArticle, GoldQuote
    from quotes.training import train_from_gold

    names = ["Ana Ruiz", "Tom Reed", "Carl Moss", "Ruth Amos", "Lena Park"]
    articles = []
    for i in range(10):
        a, b = names[i % 5], names[(i + 2) % 5]
        text = f'{a} met {b} on Monday.\n"We will build the bridge by May," {a} said. "It is late," said {b}.'
        q1 = text.index("We will")
        q2 = text.index("It is late")
        s1 = text.index(f"{a} said")
        s2 = text.index(f"said {b}") + 5
        articles.append(GoldArticle(id=str(i), text=text, quotes=[
            GoldQuote(q1, q1 + len("We will build the bridge by May,"), a, s1, s1 + len(a)),
            GoldQuote(q2, q2 + len("It is late,"), b, s2, s2 + len(b)),
        ]))
    out = tmp_path / "scorer.json"
    figures = train_from_gold(articles, out, log=lambda line: None)
    assert figures["quotes"] == 20 and 0.0 <= figures["learned_accuracy"] <= 1.0
    from quotes.extract.scorer import Model

    model = Model(json.loads(out.read_text(encoding="utf-8")))
    assert 0.0 <= model.probability(0.7, "learned") <= 1.0
