"""A pipeline saved with ``nlp.to_disk`` loads again with ``spacy.load``, here and in a fresh process.

The fresh process imports nothing of ours: spaCy finds the ``quotes``, ``paragraph_sentences``
and ``tag_pos`` factories through the package's ``spacy_factories`` entry points.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

ROOT = Path(__file__).resolve().parents[1]

TEXTS = [
    '"We are ready," Mayor Ana Ruiz said.',
    'Gov. Laura Kelly spoke at the capitol. "We are not cutting school funding," Kelly said. "Not one dollar," said Ms. Kelly.',
    '"We tried," Ruth Amos said, "but the vote failed."\n\nShe added: "We will ask again in May."',
    "The council called the plan 'reckless' on Monday. Prices went on rising.",
]


@pytest.fixture(scope="module")
def saved(nlp, tmp_path_factory):
    path = tmp_path_factory.mktemp("pipeline") / "quotes_pipeline"
    nlp.to_disk(path)
    return path


def test_a_saved_pipeline_loads_in_the_same_process_and_gives_identical_results(nlp, saved):
    loaded = spacy.load(saved)
    assert loaded.pipe_names == nlp.pipe_names
    for text in TEXTS:
        assert loaded(text)._.quotes == nlp(text)._.quotes


def test_the_saved_config_is_small_and_the_tag_pos_rules_are_a_file_of_their_own(nlp, saved):
    config = (saved / "config.cfg").read_text(encoding="utf-8")
    assert len(config) < 10_000 and "patterns" not in config
    assert (saved / "tag_pos" / "patterns.json").stat().st_size > 1000
    assert spacy.load(saved).get_pipe("tag_pos").rules == nlp.get_pipe("tag_pos").rules


def test_the_quotes_settings_are_config_a_loaded_pipeline_can_override(saved):
    text = "'We are ready,' Mayor Ana Ruiz said. 'The bridge opens in May,' she added."
    assert [m.speaker for m in spacy.load(saved)(text)._.quotes] == ["Ana Ruiz", "Ana Ruiz"]
    doubles_only = spacy.load(saved, config={"components": {"quotes": {"quote_marks": ["double"]}}})
    assert doubles_only(text)._.quotes == []


def test_a_saved_pipeline_loads_in_a_fresh_process_that_imports_nothing_of_ours(saved):
    child = (
        "import spacy\n"
        f"nlp = spacy.load({str(saved)!r})\n"
        "doc = nlp('\"We are ready,\" Mayor Ana Ruiz said.')\n"
        "print([m.speaker for m in doc._.quotes])\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['Ana Ruiz']"
