"""The default policy: combining evidence, the qualification decision, corrective actions.

Combining: an outcome's score is the weighted mean of the scores its evidence
proposes (the questionnaire weighs 1, observed performance ``policy.performance.weight``);
its assurance is the strongest any evidence supports.

Deciding, with the policy's numbers (defaults in brackets):

- **not qualified** when a knockout question failed, any outcome scores below
  ``not_qualified_outcome_below`` [30], the overall score is below
  ``not_qualified_overall_below`` [50], or a presented certificate is suspended or
  withdrawn;
- **qualified** when the overall score is at least ``qualified_overall_at_least``
  [70], every outcome at least ``qualified_outcome_at_least`` [50], and (unless the
  policy waives it) at least one valid, accredited ISO 9001 certificate is held;
- **conditional** otherwise, with corrective actions that say what would lift it.

The overall score is the mean of A–I weighted by ``policy.outcome_weights``.
"""

from __future__ import annotations

from ..context import Context
from ..hookspecs import hookimpl
from ..model import ASSURANCE_LEVELS, Assessment, CorrectiveAction, Decision, Evidence, Finding, OutcomeResult
from ..outcomes import BY_ID, OUTCOME_IDS, Outcome
from ..policy import Policy

_SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2, "observation": 3}
_ASSURANCE_RANK = {level: rank for rank, level in enumerate(ASSURANCE_LEVELS)}


@hookimpl(trylast=True)
def combine_outcome(outcome: Outcome, evidence: list[Evidence], context: Context) -> OutcomeResult:
    evidence = sorted(evidence, key=lambda e: e.source)
    scoring = [e for e in evidence if e.score is not None and e.weight > 0]
    total = sum(e.weight for e in scoring)
    score = sum(e.weight * (e.score or 0.0) for e in scoring) / total if total else 0.0
    findings = [f for e in evidence for f in e.findings]
    if not scoring:
        findings.append(Finding(outcome.id, "major", "No scored evidence for this outcome", source="policy"))
    assurance = max(
        (e.assurance for e in evidence if e.assurance in _ASSURANCE_RANK),
        key=_ASSURANCE_RANK.__getitem__,
        default="self_declared",
    )
    return OutcomeResult(
        id=outcome.id,
        title=outcome.title,
        score=round(score, 1),
        assurance=assurance,
        findings=tuple(sorted(findings, key=lambda f: (_SEVERITY_ORDER.get(f.severity, 9), f.question, f.message))),
        knockouts=tuple(k for e in evidence for k in e.knockouts),
        evidence=tuple(evidence),
    )


def overall_score(assessment: Assessment, policy: Policy) -> float:
    """The mean of the outcome scores, weighted by the policy."""
    weights = {oid: policy.outcome_weights.get(oid, 1.0) for oid in OUTCOME_IDS}
    total = sum(weights.values())
    return round(sum(weights[oid] * assessment.outcomes[oid].score for oid in OUTCOME_IDS) / total, 1)


@hookimpl(trylast=True)
def decide(assessment: Assessment, policy: Policy) -> Decision:
    rules = policy.decision
    overall = overall_score(assessment, policy)
    scores = {oid: assessment.outcomes[oid].score for oid in OUTCOME_IDS}
    knockouts = assessment.knockouts
    valid = [r for r in assessment.certificates if r.counts]

    failing = [f"Knockout {k.question} (outcome {k.outcome}): {k.reason} (answer: {k.answer})" for k in knockouts]
    failing += [
        f"Outcome {oid} ({BY_ID[oid].title}) scores {score:.1f}, below the minimum of "
        f"{rules.not_qualified_outcome_below:g}"
        for oid, score in scores.items()
        if score < rules.not_qualified_outcome_below
    ]
    if overall < rules.not_qualified_overall_below:
        failing.append(f"Overall score {overall:.1f} is below the minimum of {rules.not_qualified_overall_below:g}")
    failing += [
        f"Certificate {r.certificate.number or '(no number)'} is {r.status}: the certification body found "
        "the quality management system failing or the certification ended"
        for r in assessment.certificates
        if r.status in ("suspended", "withdrawn")
    ]
    if failing:
        return Decision("not_qualified", overall, tuple(failing), knockouts)

    short = []
    if overall < rules.qualified_overall_at_least:
        short.append(f"Overall score {overall:.1f} is below the {rules.qualified_overall_at_least:g} needed to qualify")
    short += [
        f"Outcome {oid} ({BY_ID[oid].title}) scores {score:.1f}, below the {rules.qualified_outcome_at_least:g} "
        "needed to qualify"
        for oid, score in scores.items()
        if score < rules.qualified_outcome_at_least
    ]
    if rules.qualified_requires_certificate and not valid:
        short.append(
            "No valid, accredited ISO 9001 certificate covering what is bought: at best conditional until the "
            "supplier is certified or passes a second-party audit"
        )
    if short:
        return Decision("conditional", overall, tuple(short), knockouts)

    reasons = [
        f"Overall score {overall:.1f} is at least {rules.qualified_overall_at_least:g}",
        f"Every outcome scores at least {rules.qualified_outcome_at_least:g} (lowest: {min(scores.values()):.1f})",
    ]
    if valid:
        reasons.append(
            "Valid, accredited ISO 9001 certificate "
            + ", ".join(r.certificate.number for r in valid)
            + " (certification covers the management system, not the product)"
        )
    return Decision("qualified", overall, tuple(reasons), knockouts)


@hookimpl(trylast=True)
def plan_corrective_actions(assessment: Assessment, policy: Policy) -> list[CorrectiveAction]:
    due = policy.due_days
    actions = [
        CorrectiveAction(
            outcome=f.outcome,
            finding=f.message,
            action=f.action or f"Resolve: {f.message}",
            due_days=due.get(f.severity, due.get("minor", 90)),
            severity=f.severity,
            question=f.question,
        )
        for f in assessment.findings
        if f.severity != "observation" and f.action
    ]
    decision = assessment.decision
    if decision is None or decision.decision != "conditional":
        return actions
    rules = policy.decision
    for oid in OUTCOME_IDS:
        score = assessment.outcomes[oid].score
        if score < rules.qualified_outcome_at_least:
            actions.append(
                CorrectiveAction(
                    outcome=oid,
                    finding=f"Outcome {oid} scores {score:.1f}",
                    action=f"Raise outcome {oid} ({BY_ID[oid].title}) to at least "
                    f"{rules.qualified_outcome_at_least:g} by closing its findings",
                    due_days=due.get("major", 30),
                    severity="major",
                )
            )
    if rules.qualified_requires_certificate and not any(r.counts for r in assessment.certificates):
        actions.append(
            CorrectiveAction(
                outcome="A",
                finding="No valid, accredited ISO 9001 certificate",
                action="Obtain ISO 9001 certification from a certification body accredited by an IAF MLA "
                "signatory, or agree a second-party audit with the buyer",
                due_days=due.get("observation", 180),
                severity="major",
            )
        )
    return actions
