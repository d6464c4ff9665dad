"""Performance KPIs: what the buyer measured, as evidence for outcomes F, G and I.

Each measure becomes a 0–100 KPI score on the policy's scale (100 at the "good"
value or better, 0 at the "bad" value or worse, linear between), so a worse
measure never scores higher:

- F (product characteristics monitored): defect rate in ppm; lots rejected as a
  share of lots received.
- G (nonconformities corrected, complaints handled): complaints per year
  (complaints × 12 / period months); the share of complaints closed (all closed
  when there were none); corrective actions overdue.
- I (continual improvement): on-time delivery %; the change in on-time delivery
  against the previous period, in percentage points; the relative fall in defect
  ppm against the previous period, in %.

An outcome's performance score is the mean of its available KPI scores, weighed
against the questionnaire with ``policy.performance.weight``. Absent data is "no
data": it adds no evidence and never counts as a perfect score.
"""

from __future__ import annotations

from ..context import Context
from ..hookspecs import hookimpl
from ..model import Evidence, Finding, Performance, Questionnaire, Submission
from ..outcomes import Outcome

SOURCE = "performance"

_ACTIONS = {
    "defect_ppm": "Analyse the causes of delivered defects and send a containment and corrective-action plan (8D).",
    "lot_rejection_pct": "Investigate rejected lots and strengthen final inspection and release.",
    "complaints_per_year": "Analyse complaint trends and act on the main causes.",
    "complaints_closed_pct": "Close the open complaints with root-cause analysis and effectiveness checks.",
    "corrective_actions_overdue": "Close the overdue corrective actions and report their effectiveness.",
    "on_time_delivery_pct": "Send a delivery-performance improvement plan (capacity, planning, logistics).",
    "on_time_delivery_change_pts": "Explain the fall in on-time delivery and how it will be recovered.",
    "defect_ppm_improvement_pct": "Explain the rise in defect rate and the actions taken against it.",
}
_LABELS = {
    "defect_ppm": "defect rate {value:,.0f} ppm",
    "lot_rejection_pct": "{value:.1f} % of lots rejected",
    "complaints_per_year": "{value:.1f} complaints a year",
    "complaints_closed_pct": "{value:.0f} % of complaints closed",
    "corrective_actions_overdue": "{value:.0f} corrective actions overdue",
    "on_time_delivery_pct": "on-time delivery {value:.1f} %",
    "on_time_delivery_change_pts": "on-time delivery changed by {value:+.1f} points",
    "defect_ppm_improvement_pct": "defect rate improved by {value:+.0f} %",
}


def measures(performance: Performance, outcome_id: str) -> dict[str, float]:
    """The KPI values that bear on ``outcome_id``, leaving out what was not measured."""
    p = performance
    found: dict[str, float | None] = {}
    if outcome_id == "F":
        found["defect_ppm"] = p.defect_ppm
        if p.lots_received and p.lots_rejected is not None:
            found["lot_rejection_pct"] = 100.0 * p.lots_rejected / p.lots_received
    elif outcome_id == "G":
        if p.complaints is not None:
            found["complaints_per_year"] = p.complaints * 12.0 / p.period_months
            if p.complaints == 0:
                found["complaints_closed_pct"] = 100.0
            elif p.complaints_closed is not None:
                found["complaints_closed_pct"] = 100.0 * p.complaints_closed / p.complaints
        found["corrective_actions_overdue"] = p.corrective_actions_overdue
    elif outcome_id == "I":
        found["on_time_delivery_pct"] = p.on_time_delivery_pct
        if p.on_time_delivery_pct is not None and p.previous_on_time_delivery_pct is not None:
            found["on_time_delivery_change_pts"] = p.on_time_delivery_pct - p.previous_on_time_delivery_pct
        if p.defect_ppm is not None and p.previous_defect_ppm is not None:
            previous = p.previous_defect_ppm
            change = (previous - p.defect_ppm) / previous if previous else (0.0 if p.defect_ppm == 0 else -1.0)
            found["defect_ppm_improvement_pct"] = 100.0 * change
    return {name: value for name, value in found.items() if value is not None}


@hookimpl
def score_outcome(
    outcome: Outcome, submission: Submission, questionnaire: Questionnaire, context: Context
) -> Evidence | None:
    if submission.performance is None:
        return None
    values = measures(submission.performance, outcome.id)
    if not values:
        return None
    rules = context.policy.performance
    scores = {kpi: rules.scale(kpi).score(value) for kpi, value in values.items()}
    findings = tuple(
        Finding(
            outcome.id,
            "major" if score < 25 else "minor",
            f"Measured {_LABELS[kpi].format(value=values[kpi])} over {submission.performance.period_months} months "
            f"(policy: {rules.scale(kpi).good:g} good, {rules.scale(kpi).bad:g} poor)",
            source=SOURCE,
            action=_ACTIONS[kpi],
        )
        for kpi, score in scores.items()
        if score < 50
    )
    detail: dict[str, float | str] = {kpi: round(value, 2) for kpi, value in sorted(values.items())}
    return Evidence(
        source=SOURCE,
        assurance="observed",
        score=sum(scores.values()) / len(scores),
        weight=rules.weight,
        findings=findings,
        detail=detail,
    )
