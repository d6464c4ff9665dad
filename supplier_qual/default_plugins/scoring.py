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

from ..context import Context
from ..hookspecs import hookimpl
from ..kpis import Measure, measure
from ..model import NOT_APPLICABLE, Answer, Evidence, Finding, Knockout, Limit, Question, Questionnaire, Submission
from ..outcomes import Outcome
from ..policy import Policy
from ..scope import match_keyword
from .answer_scoring import SOURCE, _compiled, _part, _points, _Tally


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
