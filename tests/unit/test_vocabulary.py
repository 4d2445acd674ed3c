"""The vocabulary file (knowledge/vocabulary.yaml): it loads, it is consistent with the notes and the
critic, and a bad record is refused with one line naming the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from agents.critic import FLAGS, TOPICS, critique
from knowledge import NOTES_DIR
from knowledge.vocabulary import VOCABULARY_PATH, load_vocabulary, vocabulary


def test_every_heading_of_the_built_in_notes_is_a_topic():
    headings = {h.lower() for p in NOTES_DIR.rglob("*.md") for h in re.findall(r"^## (.+)$", p.read_text(), re.M)}
    assert headings and headings <= set(vocabulary().heading_topics)


def test_the_critic_and_the_coach_use_the_vocabulary():
    v = vocabulary()
    assert TOPICS == v.topic_ids and FLAGS == v.flags_of("question")
    assert v.flow[0] == "career_path" and v.flow[-1] == "networking"  # their story first, referrals last
    assert "networking" in v.core and "compensation" not in v.core


@pytest.mark.parametrize("topic", vocabulary().topics, ids=lambda t: t.id)
def test_each_topic_s_own_questions_pass_the_critic_and_name_the_topic(topic):
    canonical = topic.canonical.format(a_role="a registered nurse")
    assert critique(canonical).flags == [], canonical
    for q in topic.questions:
        if "{about}" in q.text:
            continue
        text = q.text.format(a_role="a nurse", at_org=" at a hospital")
        assert critique(text).flags == [], text
    if topic.id != "other":  # its canonical question is about it
        assert critique(canonical).topic == topic.id, canonical


def _write(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "vocabulary.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_adding_a_topic_is_one_record(tmp_path):
    record = {
        "id": "work_life_balance",
        "label": "work-life balance",
        "core": False,
        "order": 12,
        "minutes": 2,
        "canonical": "How do you balance your work with the rest of your life as {a_role}?",
        "follow_up": "how do you keep that balance?",
        "cues": [[r"\bwork[- ]life balance\b", 3], [r"\bburn ?out\b", 2]],
    }
    v = load_vocabulary(_write(tmp_path, lambda d: d["topics"].append(record)))
    assert v.topic("work_life_balance").label == "work-life balance"
    assert v.flow[-1] == "work_life_balance" and "work_life_balance" not in v.core


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["topics"][0].update(colour="blue"), "colour"),
        (lambda d: d["topics"].append(dict(d["topics"][0])), "unique"),
        (lambda d: d["topics"][1].update(order=1), "order"),
        (lambda d: d["topics"][0].update(cues=[]), "cues"),
        (lambda d: d["topics"][0].update(cues=[["(unclosed", 1]]), "vocabulary"),
        (lambda d: d["flags"][0].update(kind="mood"), "kind"),
    ],
)
def test_a_bad_vocabulary_is_refused_with_one_line(tmp_path, change, message):
    with pytest.raises(ValueError, match=message) as error:
        load_vocabulary(_write(tmp_path, change))
    assert "vocabulary.yaml" in str(error.value) and "\n" not in str(error.value)
