"""Questionnaire scoring: the supplier's answers as evidence for each outcome.

An outcome's questionnaire score is 100 × Σ(weight × points) / Σ(weight × max
points) over its applicable questions. ``N/A`` leaves a question out; an unanswered
question counts 0 and raises a finding. An answer worth more than half its points
that lacks the evidence its question requires counts at most ``policy.evidence_cap``
of its points. Answers citing evidence make the outcome ``evidenced`` once their
share of the answered questions reaches ``policy.evidenced_share``; otherwise it is
``self_declared``.
"""

from __future__ import annotations

from ..context import Context
from ..hookspecs import hookimpl
from ..model import Answer, Evidence, Finding, Knockout, Question, Questionnaire, Submission
from ..outcomes import Outcome

SOURCE = "questionnaire"


@hookimpl
def score_outcome(outcome: Outcome, submission: Submission, questionnaire: Questionnaire, context: Context) -> Evidence:
    policy = context.policy
    earned = possible = 0.0
    answered = cited = 0
    findings: list[Finding] = []
    knockouts: list[Knockout] = []
    for question in questionnaire.for_outcome(outcome.id):
        answer = submission.answers.get(question.id)
        if answer is not None and answer.not_applicable:
            continue
        if answer is None or answer.blank:
            if question.knockout:
                knockouts.append(Knockout(outcome.id, question.id, question.knockout_reason, "no answer"))
            if question.scored or question.knockout:
                findings.append(_unanswered(question, "critical" if question.knockout else policy.unanswered_severity))
                possible += question.weight * question.max_points
            continue
        if question.knockout and answer.value in question.knockout_values:
            label = _label(question, answer)
            knockouts.append(Knockout(outcome.id, question.id, question.knockout_reason, label))
            findings.append(
                Finding(
                    outcome.id,
                    "critical",
                    f"{question.id} answered “{label}”: {question.knockout_reason}",
                    question.id,
                    SOURCE,
                    _action(question),
                )
            )
        if not question.scored:
            continue
        answered += 1
        cited += bool(answer.evidence)
        points = _points(question, answer)
        top = question.max_points
        if question.evidence.required and not answer.evidence and points > top / 2:
            points = min(points, top * policy.evidence_cap)
            findings.append(
                Finding(
                    outcome.id,
                    "minor",
                    f"{question.id} answered “{_label(question, answer)}” without the evidence the question "
                    f"requires; counted at {policy.evidence_cap:.0%} of its points",
                    question.id,
                    SOURCE,
                    _evidence_action(question),
                )
            )
        elif points < top / 2 and not (question.knockout and answer.value in question.knockout_values):
            findings.append(
                Finding(
                    outcome.id,
                    "major" if points == 0 else "minor",
                    f"{question.id} answered “{_label(question, answer)}”: {question.text}",
                    question.id,
                    SOURCE,
                    _action(question),
                )
            )
        earned += question.weight * points
        possible += question.weight * top
    assurance = "evidenced" if answered and cited / answered >= policy.evidenced_share else "self_declared"
    return Evidence(
        source=SOURCE,
        assurance=assurance,
        score=100.0 * earned / possible if possible else None,
        weight=1.0,
        findings=tuple(findings),
        knockouts=tuple(knockouts),
        detail={"answered": answered, "with_evidence": cited},
    )


def _points(question: Question, answer: Answer) -> float:
    if question.type == "number":
        number = float(answer.value) if isinstance(answer.value, float | int) else None
        if number is None:
            return 0.0
        return next((band.points for band in question.bands if band.contains(number)), 0.0)
    return question.points_by_value.get(str(answer.value), 0.0)


def _label(question: Question, answer: Answer) -> str:
    if question.type == "number" and isinstance(answer.value, float):
        shown = f"{answer.value:g}"
        return f"{shown} {question.unit}".strip()
    return next((o.label for o in question.options if o.value == answer.value), str(answer.value))


def _unanswered(question: Question, severity: str) -> Finding:
    return Finding(
        question.outcome,
        severity,
        f"{question.id} was not answered: {question.text}",
        question.id,
        SOURCE,
        f"Answer {question.id} and cite the evidence: {question.evidence.hint or question.text}",
    )


def _action(question: Question) -> str:
    evidence = f" Evidence expected: {question.evidence.hint}" if question.evidence.hint else ""
    if question.type == "number":
        return f"Improve the measure {question.id} asks for and report the new figure.{evidence}"
    return f"Put in place and document what {question.id} asks.{evidence}"


def _evidence_action(question: Question) -> str:
    return f"Send the evidence for {question.id}: {question.evidence.hint or 'a controlled document or record'}."
