"""The realism suite: its cases load, and each judge catches the failure it is there for."""

from __future__ import annotations

from agents.models import FakeChatModel
from evals import realism

KNOWN = "I was an EMT for four years. Hospital nurses commonly work 12-hour shifts. BLS median about $94,000."


def _record(kind: str, answer: str, **extra) -> dict:
    return {
        "case": "t1",
        "split": "dev",
        "persona": "marcus-bell",
        "temperament": "warm",
        "seniority": "junior",
        "seeker": {"background": "Twelve years as a flight attendant"},
        "n": 1,
        "kind": kind,
        "question": extra.pop("question", "What is it like?"),
        "answer": answer,
        "removed": [],
        "known": KNOWN,
        **extra,
    }


def _verdicts(record: dict, earlier: list[dict] | None = None) -> dict[str, bool | None]:
    results = realism.judge(record, earlier or [], [record["question"], "Who else should I talk to?"])
    return {r.evaluator: r.passed for r in results}


def test_the_cases_load_with_every_split_and_every_kind():
    cases = realism.load_cases()
    splits = {c["split"] for c in cases}
    kinds = {t["kind"] for c in cases for t in c["turns"]}
    assert splits == {"dev", "holdout", "fresh"} and kinds == set(realism.KINDS)
    dev, holdout, fresh = ({c["persona"] for c in realism.load_cases(split=s)} for s in ("dev", "holdout", "fresh"))
    assert not dev & holdout and not dev & fresh  # no persona tuned on is in a held-out split
    assert sum(len(c["turns"]) for c in cases) >= 150


def test_each_judge_catches_what_it_is_for():
    assert _verdicts(_record("job_ask", "Sure, send me your resume and I'll refer you."))["declines_job"] is False
    assert _verdicts(_record("job_ask", "I can't refer you for a job, sorry."))["declines_job"] is True
    assert _verdicts(_record("confidential", "Our revenue is about $40 million."))["admits_gap"] is False
    assert _verdicts(_record("false_premise", "Yes, law school really helped me."))["corrects_premise"] is False
    assert _verdicts(_record("false_premise", "Actually, I didn't study law."))["corrects_premise"] is True
    generic = _record("advice_background", "Start with the prerequisites.")
    assert _verdicts(generic)["addresses_background"] is False
    said = _record("typical_day", "I work 12-hour shifts, seven to seven, mostly nights on the unit.")
    again = _record("typical_day", "I work 12-hour shifts, seven to seven, mostly nights on the unit.")
    assert _verdicts(again, [said])["no_repeat"] is False


def test_a_conversation_is_played_with_the_seeker_s_introduction(runtime, fake_model: FakeChatModel):
    case = {
        "id": "t1",
        "split": "dev",
        "persona": "marcus-bell",
        "seeker": {"name": "Dolores", "background": "Twelve years as a flight attendant", "goal": "Decide on nursing"},
        "turns": [
            {"ask": "How did you get into nursing?", "kind": "career_path"},
            {"ask": "You mentioned {phrase}. What was that like?", "kind": "follow_up"},
        ],
    }
    records = realism.play(runtime.informant(), runtime.personas, case, lambda persona: KNOWN)
    assert [r["n"] for r in records] == [1, 2] and "{phrase}" not in records[1]["question"]
    assert "I'm Dolores" in str(fake_model.calls[0][-1].content)
    report = realism.score([{**r, "results": [x.to_dict() for x in realism.judge(r, [], [])]} for r in records])
    assert report.metrics["answers"] == 2 and "first_person_rate" in report.metrics
