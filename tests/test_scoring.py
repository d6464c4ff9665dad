"""Questionnaire scoring: weights, the evidence cap, N/A versus unanswered, knockouts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy
import pytest

import supplier_qual
from supplier_qual.model import Assessment, Question, Questionnaire

from .conftest import AS_OF

Make = Callable[..., dict[str, Any]]


def _assess(pm: pluggy.PluginManager, data: dict[str, Any]) -> Assessment:
    return supplier_qual.assess(data, as_of=AS_OF, pm=pm)


def _expected(questionnaire: Questionnaire, outcome: str, points: dict[str, float]) -> float:
    """100 × Σ(weight × points) / Σ(weight × max) with full marks unless ``points`` says otherwise."""
    scored = [q for q in questionnaire.for_outcome(outcome) if q.scored]
    earned = sum(q.weight * points.get(q.id, q.max_points) for q in scored)
    possible = sum(q.weight * q.max_points for q in scored)
    return round(100 * earned / possible, 1)


def _first(questionnaire: Questionnaire, predicate: Callable[[Question], bool]) -> Question:
    return next(q for q in questionnaire.questions if predicate(q))


def test_full_marks_everywhere(pm: pluggy.PluginManager, make_submission: Make) -> None:
    assessment = _assess(pm, make_submission())
    assert {oid: r.score for oid, r in assessment.outcomes.items()} == dict.fromkeys("ABCDEFGHI", 100.0)
    assert all(not r.findings for r in assessment.outcomes.values())


def test_weighted_score_of_a_partial_answer(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    question = _first(questionnaire, lambda q: q.type == "choice" and q.outcome == "D" and not q.knockout)
    partly = next(o for o in question.options if 0 < o.points < question.max_points)
    assessment = _assess(pm, make_submission({question.id: partly.label}))
    assert assessment.outcomes["D"].score == _expected(questionnaire, "D", {question.id: partly.points})


def test_evidence_cap_halves_an_unbacked_answer(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    question = _first(questionnaire, lambda q: q.evidence.required and q.type == "choice" and q.outcome == "B")
    answer = {"value": "Yes", "evidence": "", "comment": ""}
    assessment = _assess(pm, make_submission({question.id: answer}))
    outcome = assessment.outcomes["B"]
    assert outcome.score == _expected(questionnaire, "B", {question.id: question.max_points * 0.5})
    assert any(f.question == question.id and "without the evidence" in f.message for f in outcome.findings)


def test_evidence_cap_follows_the_policy(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    question = _first(questionnaire, lambda q: q.evidence.required and q.type == "choice" and q.outcome == "B")
    policy = supplier_qual.Policy(evidence_cap=0.25)
    data = make_submission({question.id: {"value": "Yes", "evidence": ""}})
    assessment = supplier_qual.assess(data, as_of=AS_OF, pm=pm, policy=policy)
    assert assessment.outcomes["B"].score == _expected(questionnaire, "B", {question.id: question.max_points * 0.25})


def test_not_applicable_is_left_out_but_unanswered_counts_zero(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    question = _first(questionnaire, lambda q: q.na_allowed and q.scored)
    oid = question.outcome
    not_applicable = _assess(pm, make_submission({question.id: "N/A"})).outcomes[oid]
    assert not_applicable.score == 100.0
    assert not not_applicable.findings

    unanswered = _assess(pm, make_submission(drop=(question.id,))).outcomes[oid]
    assert unanswered.score == _expected(questionnaire, oid, {question.id: 0})
    assert [f.message.split(":")[0] for f in unanswered.findings] == [f"{question.id} was not answered"]

    blank = _assess(pm, make_submission({question.id: ""})).outcomes[oid]
    assert blank.score == unanswered.score


def test_not_applicable_is_refused_where_the_question_always_applies(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    question = _first(questionnaire, lambda q: not q.na_allowed and q.type == "choice")
    with pytest.raises(supplier_qual.SubmissionError) as caught:
        _assess(pm, make_submission({question.id: "n/a"}))
    assert str(caught.value.problems[0]) == (
        f'$.answers.{question.id}.value: "n/a" is not allowed: question {question.id} applies to every supplier'
    )


def test_number_answer_scores_by_band(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    question = _first(questionnaire, lambda q: q.type == "number")
    for band in question.bands:
        value = band.min if band.min is not None else (band.max or 0) - 1
        outcome = _assess(pm, make_submission({question.id: str(value)})).outcomes[question.outcome]
        assert outcome.score == _expected(questionnaire, question.outcome, {question.id: band.points}), band


def test_labels_values_and_case_are_all_accepted(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    choice = _first(questionnaire, lambda q: q.type == "choice" and not q.knockout)
    maturity = _first(questionnaire, lambda q: q.type == "maturity")
    scores = {
        _assess(pm, make_submission({choice.id: spelling, maturity.id: level})).decision.score  # type: ignore[union-attr]
        for spelling, level in (("YES", 4), ("yes", "4"), (" Yes ", maturity.options[-1].label))
    }
    assert scores == {100.0}


def test_knockout_answer_is_reported(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    knockout = _first(questionnaire, lambda q: q.knockout)
    assessment = _assess(pm, make_submission({knockout.id: knockout.knockout_values[0]}))
    assert [k.question for k in assessment.knockouts] == [knockout.id]
    assert assessment.decision is not None and assessment.decision.decision == "not_qualified"
    assert assessment.decision.knockouts[0].reason == knockout.knockout_reason
    critical = [a for a in assessment.corrective_actions if a.severity == "critical"]
    assert [a.question for a in critical] == [knockout.id]
    assert critical[0].due_days == 14


def test_unanswered_knockout_question_blocks_qualification(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    knockout = _first(questionnaire, lambda q: q.knockout)
    assessment = _assess(pm, make_submission(drop=(knockout.id,)))
    assert assessment.decision is not None and assessment.decision.decision == "not_qualified"
    assert assessment.knockouts[0].answer == "no answer"


def test_assurance_from_answers(pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire) -> None:
    data = make_submission(certificates=[])
    assert _assess(pm, data).outcomes["B"].assurance == "evidenced"
    for q in questionnaire.for_outcome("B"):
        data["answers"][q.id]["evidence"] = ""
    assert _assess(pm, data).outcomes["B"].assurance == "self_declared"


def test_certificate_lifts_assurance_not_score(pm: pluggy.PluginManager, make_submission: Make) -> None:
    with_certificate = _assess(pm, make_submission())
    without = _assess(pm, make_submission(certificates=[]))
    assert {r.assurance for r in with_certificate.outcomes.values()} == {"certified"}
    assert {oid: r.score for oid, r in with_certificate.outcomes.items()} == {
        oid: r.score for oid, r in without.outcomes.items()
    }
