"""The default policy: combining evidence, the qualification decision, corrective actions.

Combining: an outcome's score is the weighted mean of the scores its evidence
proposes (the questionnaire weighs 1, observed performance ``policy.performance.weight``);
its assurance is the strongest any evidence supports; its limits and what could not
be checked are every piece of evidence's.

Deciding: a decision is never better than its weakest *limit*. Evidence sets limits
(a critical answer, a KPI past its gate, an integrity finding, a suspected
counterfeit, a certificate ended with no successor); the decision adds its own
from the policy's numbers (defaults in brackets):

- **not qualified** when any limit says so, any outcome scores below
  ``not_qualified_outcome_below`` [50], or the overall score is below
  ``not_qualified_overall_below`` [60];
- **conditional** when any limit says so, the overall score is below
  ``qualified_overall_at_least`` [80] or an outcome below
  ``qualified_outcome_at_least`` [70] (a strong average never hides a weak outcome),
  no certificate *counts* (valid, accredited, trusted, covering what is supplied),
  or what is supplied was not stated;
- **qualified** otherwise.

The decision lists every limit with its cap, and what was not checked (no
performance data, no registry, no scope of supply). The overall score is the mean
of A–I weighted by ``policy.outcome_weights``.
"""

from __future__ import annotations

import functools

from ..certificates import why_not_counting
from ..context import Context
from ..hookspecs import hookimpl
from ..kpis import measures
from ..model import (
    ASSURANCE_LEVELS,
    Assessment,
    CorrectiveAction,
    Decision,
    Evidence,
    Finding,
    Knockout,
    Limit,
    OutcomeResult,
)
from ..outcomes import BY_ID, OUTCOME_IDS, Outcome
from ..policy import Policy

_SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2, "observation": 3}
_ASSURANCE_RANK = {level: rank for rank, level in enumerate(ASSURANCE_LEVELS)}
_CAP_ORDER = {"not_qualified": 0, "conditional": 1}


@hookimpl(trylast=True)
def combine_outcome(outcome: Outcome, evidence: list[Evidence], context: Context) -> OutcomeResult:
    evidence = sorted(evidence, key=_source)
    scoring = [e for e in evidence if e.score is not None and e.weight > 0]
    total = sum(e.weight for e in scoring)
    score = sum(e.weight * (e.score or 0.0) for e in scoring) / total if total else 0.0
    findings: list[Finding] = []
    knockouts: list[Knockout] = []
    limits: list[Limit] = []
    not_checked: dict[str, None] = {}
    for e in evidence:
        findings += e.findings
        if e.knockouts:
            knockouts += e.knockouts
        if e.limits:
            limits += e.limits
        if e.not_checked:
            not_checked.update(dict.fromkeys(e.not_checked))
    if not scoring:
        findings.append(Finding(outcome.id, "major", "No scored evidence for this outcome", source="policy"))
    assurance = max(
        (e.assurance for e in evidence if e.assurance in _ASSURANCE_RANK),
        key=_ASSURANCE_RANK.__getitem__,
        default="self_declared",
    )
    findings.sort(key=_finding_order)
    return OutcomeResult(
        id=outcome.id,
        title=outcome.title,
        score=round(score, 1),
        assurance=assurance,
        findings=tuple(findings),
        knockouts=tuple(knockouts),
        evidence=tuple(evidence),
        limits=tuple(limits),
        not_checked=tuple(not_checked),
    )


def _source(evidence: Evidence) -> str:
    return evidence.source


def _finding_order(f: Finding) -> tuple[int, str, str]:
    return (_SEVERITY_ORDER.get(f.severity, 9), f.question, f.message)


def overall_score(assessment: Assessment, policy: Policy) -> float:
    """The mean of the outcome scores, weighted by the policy."""
    weights = {oid: policy.outcome_weights.get(oid, 1.0) for oid in OUTCOME_IDS}
    total = sum(weights.values())
    return round(sum(weights[oid] * assessment.outcomes[oid].score for oid in OUTCOME_IDS) / total, 1)


@hookimpl(trylast=True)
def decide(assessment: Assessment, policy: Policy) -> Decision:
    overall = overall_score(assessment, policy)
    limits = [*assessment.limits, *score_limits(assessment, policy, overall), *requirement_limits(assessment, policy)]
    limits.sort(key=lambda lim: _CAP_ORDER.get(lim.cap, 2))
    failing = [lim.reason for lim in limits if lim.cap == "not_qualified"]
    short = [lim.reason for lim in limits if lim.cap != "not_qualified"]
    unchecked = not_checked(assessment)
    if failing:
        verdict, reasons = "not_qualified", failing
    elif short:
        verdict, reasons = "conditional", short
    else:
        verdict, reasons = "qualified", qualified_reasons(assessment, policy, overall)
    rules = policy.decision
    thresholds = {
        "qualified_outcome": rules.qualified_outcome_at_least,
        "qualified_overall": rules.qualified_overall_at_least,
        "not_qualified_outcome": rules.not_qualified_outcome_below,
        "not_qualified_overall": rules.not_qualified_overall_below,
    }
    return Decision(verdict, overall, tuple(reasons), assessment.knockouts, tuple(limits), unchecked, thresholds)


def score_limits(assessment: Assessment, policy: Policy, overall: float) -> list[Limit]:
    """The policy's score thresholds that the outcomes or the overall score fall below."""
    rules = policy.decision
    limits = []
    for oid in OUTCOME_IDS:
        score = assessment.outcomes[oid].score
        title = f"Outcome {oid} ({BY_ID[oid].title}) scores {score:.1f}"
        if score < rules.not_qualified_outcome_below:
            line = rules.not_qualified_outcome_below
            reason = f"{title}, below the minimum of {line:g}"
            limits.append(Limit("not_qualified", "score", reason, oid, "policy", score, line))
        elif score < rules.qualified_outcome_at_least:
            line = rules.qualified_outcome_at_least
            reason = f"{title}, below the {line:g} needed to qualify"
            limits.append(Limit("conditional", "score", reason, oid, "policy", score, line))
    if overall < rules.not_qualified_overall_below:
        line = rules.not_qualified_overall_below
        reason = f"Overall score {overall:.1f} is below the minimum of {line:g}"
        limits.append(Limit("not_qualified", "score", reason, "", "policy", overall, line))
    elif overall < rules.qualified_overall_at_least:
        line = rules.qualified_overall_at_least
        reason = f"Overall score {overall:.1f} is below the {line:g} needed to qualify"
        limits.append(Limit("conditional", "score", reason, "", "policy", overall, line))
    return limits


def requirement_limits(assessment: Assessment, policy: Policy) -> list[Limit]:
    """A certificate that counts and a stated scope of supply, where the policy requires them."""
    rules = policy.decision
    limits = []
    if rules.qualified_requires_certificate and not any(r.counts for r in assessment.certificates):
        if assessment.certificates:
            why = "; ".join(why_not_counting(r) for r in assessment.certificates)
            reason = f"No certificate counts for qualification ({why}): at best conditional"
        else:
            reason = (
                "No ISO 9001 certificate presented: at best conditional until the supplier is certified or passes "
                "a second-party audit"
            )
        limits.append(Limit("conditional", "certificate", reason, "A", "policy"))
    if rules.qualified_requires_scope and assessment.scope_of_supply is None:
        limits.append(
            Limit(
                "conditional",
                "scope",
                "What is supplied was not stated, so the certificate's scope could not be checked: a qualification "
                "is for a scope of supply",
                "A",
                "policy",
            )
        )
    return limits


def not_checked(assessment: Assessment) -> tuple[str, ...]:
    """What the assessment could not check, in the buyer's words."""
    found: list[str] = []
    if assessment.performance is None or not measures(assessment.performance):
        found.append(
            "No performance data from the buyer: on-time delivery, defect rate, complaints and corrective actions "
            "were not checked, so the decision rests on what the supplier declares and its certificates"
        )
    if not assessment.certificates:
        found.append("No certificate was presented")
    elif all(r.registry is None for r in assessment.certificates):
        found.append("No certificate registry was asked: certificates were checked on what the supplier presented")
    for result in assessment.certificates:
        if result.registry in ("not_found", "unavailable"):
            word = "was not found in" if result.registry == "not_found" else "could not be checked with"
            found.append(f"Certificate {result.certificate.number or '(no number)'} {word} a registry: unverified")
    if assessment.scope_of_supply is None:
        found.append("What is supplied was not stated: no certificate's scope was checked against a scope of supply")
    found += [n for oid in OUTCOME_IDS for n in assessment.outcomes[oid].not_checked]
    return tuple(dict.fromkeys(found))


def qualified_reasons(assessment: Assessment, policy: Policy, overall: float) -> list[str]:
    """Why a qualified supplier qualifies."""
    rules = policy.decision
    lowest = min(assessment.outcomes[oid].score for oid in OUTCOME_IDS)
    reasons = [
        f"Overall score {overall:.1f} is at least {rules.qualified_overall_at_least:g}",
        f"Every outcome scores at least {rules.qualified_outcome_at_least:g} (lowest: {lowest:.1f})",
    ]
    for result in assessment.certificates:
        if not result.counts:
            continue
        certificate = result.certificate
        family = "ISO 9001" if result.family == "ISO 9001" else f"{result.family} (accepted in place of ISO 9001)"
        covering = " covering the scope of supply" if result.scope == "covers" else ""
        reasons.append(
            f"Valid, accredited {family} certificate {certificate.number}{covering} (certification covers the "
            "management system, not the product)"
        )
    if assessment.performance is not None and measures(assessment.performance):
        reasons.append("The buyer's performance data passes every gate")
    return reasons


@functools.lru_cache(maxsize=4096, typed=True)
def _finding_action(f: Finding, due_days: int) -> CorrectiveAction:
    """The corrective action a finding asks for (findings and actions are frozen: equal findings, equal actions)."""
    return CorrectiveAction(
        outcome=f.outcome,
        finding=f.message,
        action=f.action or f"Resolve: {f.message}",
        due_days=due_days,
        severity=f.severity,
        question=f.question,
    )


@hookimpl(trylast=True)
def plan_corrective_actions(assessment: Assessment, policy: Policy) -> list[CorrectiveAction]:
    due = policy.due_days
    actions = [
        _finding_action(f, due.get(f.severity, due.get("minor", 90)))
        for f in assessment.findings
        if f.severity != "observation" and f.action
    ]
    decision = assessment.decision
    if decision is None or decision.decision == "qualified":
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
    iso9001 = any(r.valid and r.family == "ISO 9001" for r in assessment.certificates)
    if rules.qualified_requires_certificate and not iso9001 and not any(r.counts for r in assessment.certificates):
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
    if rules.qualified_requires_scope and assessment.scope_of_supply is None:
        actions.append(
            CorrectiveAction(
                outcome="A",
                finding="What is supplied was not stated",
                action="State your scope of supply to us: the products or services, their IAF or NACE codes and "
                "the supplying sites (Supplier sheet of the self-assessment, or scope_of_supply)",
                due_days=due.get("major", 30),
                severity="major",
            )
        )
    return actions
