"""Reading packets from a realism run, and readers' labels merged beside the answers."""

from __future__ import annotations

import json

import pytest
import yaml

from evals.labelling import merge, packets


def _run(tmp_path):
    records = [
        {
            "case": "d01",
            "split": "dev",
            "persona": "marcus-bell",
            "name": "Marcus Bell",
            "temperament": "warm",
            "seniority": "junior",
            "seeker": {"background": "Flight attendant"},
            "n": n,
            "kind": kind,
            "question": question,
            "answer": answer,
        }
        for n, kind, question, answer in (
            (1, "career_path", "How did you get in?", "I was an EMT for four years."),
            (2, "job_ask", "Can you refer me?", "I can't, but I can tell you what helps."),
        )
    ]
    path = tmp_path / "run.json"
    path.write_text(json.dumps({"realism": records}))
    return path


def test_a_packet_holds_the_answers_and_what_the_persona_may_draw_on(tmp_path):
    [packet] = packets(_run(tmp_path), tmp_path / "packets")
    text = packet.read_text()
    assert "Answer: I was an EMT for four years." in text and "kind_ok: does the answer decline" in text
    assert "## The role's notes" in text and "Registered nurse" in text and "persona: marcus-bell" in text


def test_labels_are_checked_and_merged_beside_the_answers(tmp_path):
    run = _run(tmp_path)
    labels = tmp_path / "labels"
    labels.mkdir()
    turn = {"first_person": True, "relevant": True, "in_character": True, "natural": 4, "repeats_earlier": False}
    good = {
        "turns": [
            {"n": 1, "claims": [{"claim": "EMT four years", "label": "supported"}], **turn, "kind_ok": None},
            {"n": 2, "claims": [], **turn, "kind_ok": True},
        ]
    }
    (labels / "d01.yaml").write_text(yaml.safe_dump(good))
    into = tmp_path / "labelled.yaml"
    assert merge(run, labels, into) == 2
    answers = yaml.safe_load(into.read_text())["answers"]
    assert answers[1]["id"] == "d01-2" and answers[1]["labels"]["kind_ok"] is True and answers[0]["story"]
    good["turns"][1]["kind_ok"] = None  # a job ask must say whether it was declined
    (labels / "d01.yaml").write_text(yaml.safe_dump(good))
    with pytest.raises(ValueError, match="kind_ok must be true or false"):
        merge(run, labels, into)
