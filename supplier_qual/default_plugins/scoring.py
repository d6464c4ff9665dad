"""Questionnaire scoring: the supplier's answers as evidence for each outcome.

An outcome's questionnaire score is 100 × Σ(weight × points) / Σ(weight × max
points) over its applicable questions:

- ``N/A`` leaves a question out, unless what else is known contradicts it (the buyer
  logged complaints; a certificate's scope names a special process): then it counts
  as unanswered, with a finding. An unanswered question counts 0 and raises a finding.
- An answer worth more than half its points that lacks the evidence its question
  requires counts at most ``policy.evidence_cap`` of its points; maturity levels
  above half (3–4) always need evidence. Placeholder text ("-", "TBD", "available
  on request" …, :mod:`supplier_qual.citations`) is no evidence; one finding per
  outcome lists such answers.
- A question that *mirrors* a KPI the buyer measures is scored from the measured
  figure, not the declared one; a declared figure much better than the measurement
  is an integrity finding that leaves the supplier at best conditional until it
  reconciles its figure.
- A *critical* (knockout) question answered worst makes the supplier not qualified;
  answered in the middle ("Partly", maturity 1–2), at best conditional.

Answers that cite real evidence make the outcome ``evidenced`` once their share of
the answered questions reaches ``policy.evidenced_share``; otherwise it is
``self_declared``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..citations import cites_document
from ..context import Context
from ..hookspecs import hookimpl
from ..kpis import Measure, measure
from ..model import (
    NOT_APPLICABLE,
    Answer,
    AnswerValue,
    Evidence,
    Finding,
    Knockout,
    Limit,
    Question,
    Questionnaire,
    Submission,
)
from ..outcomes import Outcome
from ..policy import Policy
from ..scope import match_keyword

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


@hookimpl
def score_outcome(outcome: Outcome, submission: Submission, questionnaire: Questionnaire, context: Context) -> Evidence:
    policy = context.policy
    compiled = _compiled(questionnaire, policy)
    answers = submission.answers
    measured = submission.performance is not None
    earned = possible = 0.0
    answered = cited = 0
    placeholders: list[str] = []
    findings: list[Finding] = []
    knockouts: list[Knockout] = []
    limits: list[Limit] = []
    for question in questionnaire.for_outcome(outcome.id):
        answer = answers.get(question.id)
        observed = _observed(question, submission, policy) if measured and question.mirrors else None
        value = None if answer is None else answer.value
        if observed is not None:
            tally = _Tally()
            _score_observed(question, answer, observed, tally, policy)
            part = _part(tally)
        elif isinstance(value, str) and value == NOT_APPLICABLE:
            contradiction = _na_contradiction(question, submission, context)
            if contradiction is None:
                continue
            findings.append(
                Finding(
                    outcome.id,
                    "major",
                    f"{question.id} answered “N/A”, but {contradiction}: counted as unanswered",
                    question.id,
                    SOURCE,
                    f"Answer {question.id}: it applies to you. {question.text}",
                )
            )
            possible += question.weight * question.max_points
            continue
        elif answer is None or value is None or (isinstance(value, str) and not value.strip()):
            part = compiled.unanswered(question)
        else:
            part = compiled.answered(question, answer)
        (
            part_earned,
            part_possible,
            part_answered,
            part_cited,
            part_placeholders,
            part_findings,
            part_knockouts,
            part_limits,
        ) = part
        earned += part_earned
        possible += part_possible
        answered += part_answered
        cited += part_cited
        if part_placeholders:
            placeholders += part_placeholders
        if part_findings:
            findings += part_findings
        if part_knockouts:
            knockouts += part_knockouts
        if part_limits:
            limits += part_limits
    if placeholders:
        listed = ", ".join(placeholders)
        findings.append(
            Finding(
                outcome.id,
                "minor",
                f"The evidence given for {listed} cites no document (placeholder text such as “-”, “TBD” or "
                "“available on request”): those answers count as unevidenced",
                source=SOURCE,
                action=f"Replace the placeholder evidence for {listed} with the documents themselves: "
                "identifier and revision, title or file name.",
            )
        )
    share = cited / answered if answered else 0.0
    return Evidence(
        source=SOURCE,
        assurance="evidenced" if answered and share >= policy.evidenced_share else "self_declared",
        score=100.0 * earned / possible if possible else None,
        weight=1.0,
        findings=tuple(findings),
        knockouts=tuple(knockouts),
        detail={"answered": answered, "with_evidence": cited},
        limits=tuple(limits),
    )


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


_MAX_PARTS = 100_000
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


def _observed(question: Question, submission: Submission, policy: Policy) -> Measure | None:
    """The buyer's measurement of what ``question`` asks, when it mirrors a KPI and the sample suffices."""
    if not question.mirrors or submission.performance is None:
        return None
    found = measure(submission.performance, question.mirrors)
    if found is None or found.too_small(policy.performance.min_sample):
        return None
    return found


def _score_observed(
    question: Question, answer: Answer | None, observed: Measure, tally: _Tally, policy: Policy
) -> None:
    """Score the measured figure in place of the declared one; a much better declaration is an integrity finding."""
    points = _points(question, observed.value)
    tally.answered += 1
    tally.cited += 1
    tally.earned += question.weight * points
    tally.possible += question.weight * question.max_points
    declared = answer.value if answer is not None and isinstance(answer.value, float) else None
    words = observed.kpi.figure(observed.value)
    if declared is None:
        how = "answered “N/A”" if answer is not None and answer.not_applicable else "not answered"
        tally.findings.append(
            Finding(
                question.outcome,
                "observation",
                f"{question.id} {how}: scored from the buyer's measured {observed.label}",
                question.id,
                SOURCE,
            )
        )
        return
    gap = _overstatement(question, declared, observed, policy)
    if gap is None:
        if declared != observed.value:
            tally.findings.append(
                Finding(
                    question.outcome,
                    "observation",
                    f"{question.id} scored from the buyer's measured {words}, not the declared "
                    f"{observed.kpi.figure(declared)}",
                    question.id,
                    SOURCE,
                )
            )
        return
    message = (
        f"Integrity: {question.id} declares {observed.kpi.figure(declared)}, but the buyer measured {words} "
        f"({gap}); the measured figure is scored"
    )
    tally.findings.append(
        Finding(
            question.outcome,
            "major",
            message,
            question.id,
            SOURCE,
            f"Reconcile the figure declared for {question.id} with the buyer's measurement and explain the difference.",
        )
    )
    tally.limits.append(
        Limit(
            "conditional",
            "integrity",
            f"{message}: at best conditional until the supplier reconciles its figure",
            question.outcome,
            SOURCE,
        )
    )


def _overstatement(question: Question, declared: float, observed: Measure, policy: Policy) -> str | None:
    """How far the declared figure is better than the measured one, when beyond the policy's tolerance."""
    rules = policy.performance
    scale = rules.scale(observed.kpi.name)
    if not scale.past(observed.value, scale.good):
        return None
    tolerance = rules.integrity
    if observed.kpi.name == "defect_ppm":
        factor = tolerance.defect_ppm_factor
        if observed.value > max(declared, 1.0) * factor:
            return f"better by more than a factor of {factor:g}"
        return None
    points = {
        "on_time_delivery_pct": tolerance.on_time_delivery_pts,
        "complaints_closed_pct": tolerance.complaints_closed_pts,
    }.get(observed.kpi.name)
    if points is not None and declared - observed.value > points:
        return f"better by more than {points:g} points"
    return None


def _na_contradiction(question: Question, submission: Submission, context: Context) -> str | None:
    """What makes ``question``'s "N/A" untrue, in words; ``None`` when nothing known contradicts it."""
    for fact in question.na_contradicted_by:
        if fact == "complaints":
            complaints = submission.performance.complaints if submission.performance else None
            if complaints:
                return f"the buyer logged {complaints} complaint{'s' * (complaints != 1)}"
        elif fact == "special_processes":
            for result in context.certificates:
                certificate = result.certificate
                scope = " ; ".join(s for s in (certificate.scope, *(site.scope for site in certificate.sites)) if s)
                found = next(
                    (p for p in context.policy.special_processes if match_keyword(scope, p).verdict == "covers"),
                    None,
                )
                if found is not None:
                    return f"certificate {certificate.number or '(no number)'}'s scope names {found}"
    return None


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
