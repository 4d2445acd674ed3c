"""The coach's report against 32 labelled sessions (evals/labelled_sessions.yaml)."""

from __future__ import annotations

from evals.session_eval import evaluate, load_sessions


def test_report_facts_agree_with_the_labels_and_the_score_ranks_sessions(capsys):
    sessions = load_sessions()
    assert len(sessions) >= 30
    result = evaluate(sessions)
    with capsys.disabled():
        print("\n" + result.table())
    for fact in ("thanked", "asked_for_job", "closed_streak", "over_time"):
        assert result.agreement[fact] == 1.0, fact
    assert result.agreement["covered (per topic)"] >= 0.9
    assert result.agreement["asked_referral"] >= 0.9
    assert result.agreement["follow_ups (exact ±1)"] >= 0.9
    assert result.agreement["repeated (exact)"] >= 0.8
    assert result.spearman >= 0.85 and result.band_agreement >= 0.8
