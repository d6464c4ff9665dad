"""Scoring one answer to one question: its points, its findings, critical values and evidence.

An answer's part of its outcome's score depends only on the question, the answer's
value, whether it gives evidence and whether that evidence cites a document; each
part is worked out once per questionnaire and policy and kept (its findings are
frozen). :mod:`supplier_qual.default_plugins.scoring` adds the parts up per outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..citations import cites_document
from ..model import Answer, AnswerValue, Finding, Knockout, Limit, Question, Questionnaire
from ..policy import Policy

SOURCE = "questionnaire"


@dataclass
class _Tally:
    """What scoring one outcome's questions has found so far."""

    earned: float = 0.0
    possible: float = 0.0
    answered: int = 0
    cited: int = 0
    findings: list[Finding] = field(default_factory=list)
    knockouts: list[Knockout] = field(default_factory=list)
    limits: list[Limit] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)


_Part = tuple[float, float, int, int, tuple[str, ...], tuple[Finding, ...], tuple[Knockout, ...], tuple[Limit, ...]]
"""What one answer adds to a tally: earned, possible, answered, cited, placeholders, findings, knockouts, limits."""


class _Compiled:
    """What scoring one questionnaire's answers under one policy has already worked out.

    An answer's part of the score and its findings depend only on the question, the
    answer's value, whether it gives evidence and whether that evidence cites a
    document: each such part is worked out once and kept (the findings are frozen).
    """

    __slots__ = ("_answered", "_unanswered", "policy", "questionnaire")

    def __init__(self, questionnaire: Questionnaire, policy: Policy) -> None:
        self.questionnaire = questionnaire
        self.policy = policy
        self._answered: dict[tuple[str, type, AnswerValue, bool, bool], _Part] = {}
        self._unanswered: dict[str, _Part] = {}

    def unanswered(self, question: Question) -> _Part:
        part = self._unanswered.get(question.id)
        if part is None:
            tally = _Tally()
            _unanswered(question, tally, self.policy)
            part = self._unanswered[question.id] = _part(tally)
        return part

    def answered(self, question: Question, answer: Answer) -> _Part:
        value = answer.value
        given = bool(answer.evidence)
        evidenced = given and cites_document(answer.evidence, self.policy.placeholder_evidence)
        key = (question.id, type(value), value, given, evidenced)
        part = self._answered.get(key)
        if part is None:
            tally = _Tally()
            _critical(question, answer, tally)
            if question.scored:
                _score_answer(question, answer, tally, self.policy)
            part = _part(tally)
            if len(self._answered) >= _MAX_PARTS:
                self._answered.clear()
            self._answered[key] = part
        return part


_MAX_PARTS = 8192  # a questionnaire of ~60 questions has a few hundred parts; a huge one is not held whole
_COMPILED: list[_Compiled] = []
_MAX_COMPILED = 8


def _compiled(questionnaire: Questionnaire, policy: Policy) -> _Compiled:
    """The compiled scoring of ``questionnaire`` under ``policy``: the same objects, the same compilation."""
    for compiled in _COMPILED:
        if compiled.questionnaire is questionnaire and compiled.policy is policy:
            return compiled
    compiled = _Compiled(questionnaire, policy)
    _COMPILED.insert(0, compiled)
    del _COMPILED[_MAX_COMPILED:]
    return compiled


def _part(tally: _Tally) -> _Part:
    return (
        tally.earned,
        tally.possible,
        tally.answered,
        tally.cited,
        tuple(tally.placeholders),
        tuple(tally.findings),
        tuple(tally.knockouts),
        tuple(tally.limits),
    )


def _unanswered(question: Question, tally: _Tally, policy: Policy) -> None:
    if question.knockout:
        reason = question.knockout_reason
        tally.knockouts.append(Knockout(question.outcome, question.id, reason, "no answer"))
        tally.limits.append(
            Limit(
                "not_qualified",
                "knockout",
                f"Knockout {question.id} (outcome {question.outcome}): {reason} (answer: no answer)",
                question.outcome,
                SOURCE,
            )
        )
    if question.scored or question.knockout:
        severity = "critical" if question.knockout else policy.unanswered_severity
        tally.findings.append(
            Finding(
                question.outcome,
                severity,
                f"{question.id} was not answered: {question.text}",
                question.id,
                SOURCE,
                f"Answer {question.id} and cite the evidence: {question.evidence.hint or question.text}",
            )
        )
        tally.possible += question.weight * question.max_points


def _critical(question: Question, answer: Answer, tally: _Tally) -> None:
    """A critical question's worst answer is a knockout; a middle answer caps the decision at conditional."""
    if not question.knockout:
        return
    label = _label(question, answer)
    if answer.value in question.knockout_values:
        reason = question.knockout_reason
        tally.knockouts.append(Knockout(question.outcome, question.id, reason, label))
        tally.findings.append(
            Finding(
                question.outcome,
                "critical",
                f"{question.id} answered “{label}”: {reason}",
                question.id,
                SOURCE,
                _action(question),
            )
        )
        tally.limits.append(
            Limit(
                "not_qualified",
                "knockout",
                f"Knockout {question.id} (outcome {question.outcome}): {reason} (answer: {label})",
                question.outcome,
                SOURCE,
            )
        )
    elif answer.value in question.conditional_values:
        tally.findings.append(
            Finding(
                question.outcome,
                "major",
                f"Critical question {question.id} answered “{label}”: {question.text}",
                question.id,
                SOURCE,
                _action(question),
            )
        )
        tally.limits.append(
            Limit(
                "conditional",
                "critical_answer",
                f"Critical question {question.id} answered “{label}”: only partly in place, so at best conditional "
                f"(the risk: {_lower_first(question.knockout_reason or question.text)})",
                question.outcome,
                SOURCE,
            )
        )


def _score_answer(question: Question, answer: Answer, tally: _Tally, policy: Policy) -> None:
    tally.answered += 1
    evidenced = bool(answer.evidence) and cites_document(answer.evidence, policy.placeholder_evidence)
    if answer.evidence and not evidenced:
        tally.placeholders.append(question.id)
    tally.cited += evidenced
    points = _points(question, answer.value)
    top = question.max_points
    needs_evidence = question.evidence.required or (policy.maturity_needs_evidence and question.type == "maturity")
    failed_knockout = question.knockout and answer.value in question.knockout_values
    if needs_evidence and not evidenced and points > top / 2:
        points = min(points, top * policy.evidence_cap)
        if not answer.evidence:
            why = "the question requires" if question.evidence.required else "maturity levels 3 and 4 need"
            tally.findings.append(
                Finding(
                    question.outcome,
                    "minor",
                    f"{question.id} answered “{_label(question, answer)}” without the evidence {why}; "
                    f"counted at {policy.evidence_cap:.0%} of its points",
                    question.id,
                    SOURCE,
                    _evidence_action(question),
                )
            )
    elif points < top / 2 and not failed_knockout and answer.value not in question.conditional_values:
        tally.findings.append(
            Finding(
                question.outcome,
                "major" if points == 0 else "minor",
                f"{question.id} answered “{_label(question, answer)}”: {question.text}",
                question.id,
                SOURCE,
                _action(question),
            )
        )
    tally.earned += question.weight * points
    tally.possible += question.weight * top


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _points(question: Question, value: object) -> float:
    if question.type == "number":
        if not isinstance(value, float | int):
            return 0.0
        return next((band.points for band in question.bands if band.contains(float(value))), 0.0)
    return question.points_by_value.get(str(value), 0.0)


def _label(question: Question, answer: Answer) -> str:
    if question.type == "number" and isinstance(answer.value, float):
        shown = f"{answer.value:g}"
        return f"{shown} {question.unit}".strip()
    return next((o.label for o in question.options if o.value == answer.value), str(answer.value))


def _action(question: Question) -> str:
    evidence = f" Evidence expected: {question.evidence.hint}" if question.evidence.hint else ""
    if question.type == "number":
        return f"Improve the measure {question.id} asks for and report the new figure.{evidence}"
    return f"Put in place and document what {question.id} asks.{evidence}"


def _evidence_action(question: Question) -> str:
    return f"Send the evidence for {question.id}: {question.evidence.hint or 'a controlled document or record'}."
