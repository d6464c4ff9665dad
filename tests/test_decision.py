"""Every branch of the default policy's decision, and the corrective actions it asks for."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pluggy
import pytest

import supplier_qual
from supplier_qual.model import Assessment, Question, Questionnaire
from supplier_qual.policy import CertificateRules, DecisionRules

from .conftest import AS_OF, VALID_CERTIFICATE

Make = Callable[..., dict[str, Any]]


def _worst(question: Question) -> Any:
    if question.options:
        return min(question.options, key=lambda o: o.points).value
    if question.bands:
        band = min(question.bands, key=lambda b: b.points)
        return band.min if band.min is not None else (band.max or 0) - 1
    return "n/a"


def _middling(question: Question) -> Any:
    if question.options:
        return sorted(question.options, key=lambda o: o.points)[len(question.options) // 2].value
    return _worst(question) if question.bands else "text"


def _outcome_answers(questionnaire: Questionnaire, oid: str, pick: Callable[[Question], Any]) -> dict[str, Any]:
    return {q.id: pick(q) for q in questionnaire.for_outcome(oid) if q.scored and not q.knockout}


def _assess(pm: pluggy.PluginManager, data: dict[str, Any], **kwargs: Any) -> Assessment:
    return supplier_qual.assess(data, as_of=AS_OF, pm=pm, **kwargs)


def _decision(assessment: Assessment) -> tuple[str, tuple[str, ...]]:
    assert assessment.decision is not None
    return assessment.decision.decision, assessment.decision.reasons


def test_qualified(pm: pluggy.PluginManager, make_submission: Make) -> None:
    assessment = _assess(pm, make_submission())
    decision, reasons = _decision(assessment)
    assert decision == "qualified"
    assert "Valid, accredited ISO 9001 certificate FM 612345 covering the scope of supply" in reasons[2]
    assert assessment.decision is not None and assessment.decision.limits == ()


def test_no_valid_certificate_is_at_best_conditional(pm: pluggy.PluginManager, make_submission: Make) -> None:
    assessment = _assess(pm, make_submission(certificates=[]))
    decision, reasons = _decision(assessment)
    assert decision == "conditional"
    assert reasons == (
        "No ISO 9001 certificate presented: at best conditional until the supplier is certified or passes a "
        "second-party audit",
    )
    assert any("Obtain ISO 9001 certification" in a.action for a in assessment.corrective_actions)


def test_policy_may_waive_the_certificate(pm: pluggy.PluginManager, make_submission: Make) -> None:
    policy = supplier_qual.Policy(decision=DecisionRules(qualified_requires_certificate=False))
    assert _decision(_assess(pm, make_submission(certificates=[]), policy=policy))[0] == "qualified"


def test_an_expired_certificate_does_not_qualify(pm: pluggy.PluginManager, make_submission: Make) -> None:
    expired = {**VALID_CERTIFICATE, "issued": "2021-01-10", "expires": "2024-01-09"}
    decision, _ = _decision(_assess(pm, make_submission(certificates=[expired])))
    assert decision == "conditional"


# Two answers "Partly" and 10 % of instruments overdue for calibration: outcome E between 50 and 70.
WEAK_E: dict[str, Any] = {"E1": "partly", "E3": "partly", "E5": 10}


def test_weak_outcome_makes_it_conditional(pm: pluggy.PluginManager, make_submission: Make) -> None:
    assessment = _assess(pm, make_submission(WEAK_E))
    score = assessment.outcomes["E"].score
    assert 50 <= score < 70
    decision, reasons = _decision(assessment)
    assert decision == "conditional"
    assert reasons == (
        f"Outcome E (Resources to operate and monitor) scores {score:.1f}, below the 70 needed to qualify",
    )
    lift = [a for a in assessment.corrective_actions if a.finding.startswith("Outcome E scores")]
    assert lift and lift[0].due_days == 30


def test_a_strong_average_never_hides_a_weak_outcome(pm: pluggy.PluginManager, make_submission: Make) -> None:
    assessment = _assess(pm, make_submission(WEAK_E))
    assert assessment.decision is not None and assessment.decision.score >= 90
    assert assessment.decision.decision == "conditional"


def test_overall_below_eighty_is_conditional(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    answers = {}
    for oid in "ABCDEFG":
        answers.update(_outcome_answers(questionnaire, oid, _middling))
    policy = supplier_qual.Policy(decision=DecisionRules(qualified_outcome_at_least=0, not_qualified_outcome_below=0))
    assessment = _assess(pm, make_submission(answers), policy=policy)
    assert assessment.decision is not None
    assert 60 <= assessment.decision.score < 80
    decision, reasons = _decision(assessment)
    assert decision == "conditional"
    assert reasons == (f"Overall score {assessment.decision.score:.1f} is below the 80 needed to qualify",)


def test_outcome_below_fifty_is_not_qualified(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    assessment = _assess(pm, make_submission(_outcome_answers(questionnaire, "E", _worst)))
    assert assessment.outcomes["E"].score < 50
    decision, reasons = _decision(assessment)
    assert decision == "not_qualified"
    assert reasons[0].startswith("Outcome E (Resources to operate and monitor) scores")
    assert reasons[0].endswith("below the minimum of 50")


def test_overall_below_sixty_is_not_qualified(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    answers = {}
    for oid in "ABCDEFGHI":
        answers.update(_outcome_answers(questionnaire, oid, _middling))
    rules = DecisionRules(not_qualified_outcome_below=0, not_qualified_overall_below=65, qualified_outcome_at_least=0)
    assessment = _assess(pm, make_submission(answers), policy=supplier_qual.Policy(decision=rules))
    decision, reasons = _decision(assessment)
    assert decision == "not_qualified"
    assert reasons[0].startswith("Overall score") and reasons[0].endswith("below the minimum of 65")


@pytest.mark.parametrize("status", ["suspended", "withdrawn"])
def test_suspended_or_withdrawn_certificate_is_not_qualified(
    pm: pluggy.PluginManager, make_submission: Make, status: str
) -> None:
    certificate = {**VALID_CERTIFICATE, "status": status.upper()}
    assessment = _assess(pm, make_submission(certificates=[certificate]))
    decision, reasons = _decision(assessment)
    assert decision == "not_qualified"
    assert reasons[0].startswith(f"Certificate FM 612345 is {status}")
    assert "no valid, accredited successor covering the same scope and sites was presented" in reasons[0]


def test_decision_thresholds_follow_the_policy(pm: pluggy.PluginManager, make_submission: Make) -> None:
    strict = supplier_qual.Policy(decision=dataclasses.replace(DecisionRules(), qualified_overall_at_least=100.1))
    assert _decision(_assess(pm, make_submission(), policy=strict))[0] == "conditional"


def test_outcome_weights_move_the_overall_score(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    data = make_submission(_outcome_answers(questionnaire, "E", _worst))
    equal = _assess(pm, data)
    heavy = _assess(pm, data, policy=supplier_qual.Policy(outcome_weights={**dict.fromkeys("ABCDEFGHI", 1.0), "E": 5}))
    assert heavy.decision is not None and equal.decision is not None
    assert heavy.decision.score < equal.decision.score


def test_certificate_not_covering_what_is_bought_does_not_qualify(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    policy = supplier_qual.Policy(certificates=CertificateRules(required_iaf_codes=(28,)))
    assessment = _assess(pm, make_submission(), policy=policy)
    assert assessment.certificates[0].status == "valid"
    assert assessment.certificates[0].scope == "does_not_cover"
    decision, reasons = _decision(assessment)
    assert decision == "conditional"
    assert reasons[0].startswith(
        "No certificate counts for qualification (FM 612345 (ISO 9001:2015) does not cover what is supplied: "
        "does not cover IAF 28"
    )
