"""Performance KPIs: what the buyer measured, as evidence for outcomes F, G and I, and as gates.

What the buyer observed outranks what the supplier declares. Each KPI
(:mod:`supplier_qual.kpis`) becomes a 0–100 score on the policy's scale for its
sector profile (100 at the "good" value or better, 50 at the *conditional* gate, 0
at the *not qualified* gate or "bad" value, linear between), so a worse measure
never scores higher, and a score and a gate never tell different stories. A
measure past a gate caps the decision: past the conditional gate the supplier is at
best conditional, past the not-qualified gate not qualified; the limit names the
measured value, the period and the threshold.

A KPI judged on fewer deliveries (or lots) than ``policy.performance.min_sample``
neither scores nor gates: it is reported as too few to judge. An outcome's
performance score is the mean of its KPI scores, weighed against the questionnaire
with ``policy.performance.weight`` (1 by default: observed data counts at least as
much as the answers). Absent data is "no data": it adds no evidence and never
counts as a perfect score.
"""

from __future__ import annotations

from ..context import Context
from ..hookspecs import hookimpl
from ..kpis import Measure, measures, period_words
from ..model import Evidence, Finding, Limit, Questionnaire, Submission
from ..outcomes import Outcome
from ..policy import KpiScale

SOURCE = "performance"
_CAP_WORDS = {"conditional": "conditional", "not_qualified": "not-qualified"}


@hookimpl
def score_outcome(
    outcome: Outcome, submission: Submission, questionnaire: Questionnaire, context: Context
) -> Evidence | None:
    performance = submission.performance
    if performance is None:
        return None
    found = measures(performance, outcome.id)
    if not found:
        return None
    rules = context.policy.performance
    period = period_words(performance)
    scores: dict[str, float] = {}
    findings: list[Finding] = []
    limits: list[Limit] = []
    unchecked: list[str] = []
    for measure in found:
        sample = _sample_words(measure)
        if measure.too_small(rules.min_sample):
            words = f"{measure.label} {period}{sample}: too few to judge (fewer than {rules.min_sample})"
            findings.append(Finding(outcome.id, "observation", f"Measured {words}", source=SOURCE))
            unchecked.append(words[0].upper() + words[1:])
            continue
        scale = rules.scale(measure.kpi.name)
        score = scale.score(measure.value)
        scores[measure.kpi.name] = score
        gate = scale.gate(measure.value, inclusive=measure.kpi.count)
        if gate is not None:
            threshold = scale.not_qualified if gate == "not_qualified" else scale.conditional
            limits.append(
                Limit(
                    gate,
                    "kpi_gate",
                    f"Measured {measure.label} {period}{sample} "
                    f"{'reaches' if measure.value == threshold else 'is past'} the {_CAP_WORDS[gate]} gate of "
                    f"{measure.kpi.figure(threshold)} ({context.policy.profile} profile)",
                    outcome.id,
                    SOURCE,
                    round(measure.value, 2),
                    threshold,
                )
            )
        if score < 50 or gate is not None:
            severity = "critical" if gate == "not_qualified" else "major" if gate or score < 25 else "minor"
            findings.append(
                Finding(
                    outcome.id,
                    severity,
                    f"Measured {measure.label} {period}{sample} ({_scale_words(scale, measure)})",
                    source=SOURCE,
                    action=measure.kpi.action,
                )
            )
    detail: dict[str, float | str] = {m.kpi.name: round(m.value, 2) for m in sorted(found, key=lambda m: m.kpi.name)}
    return Evidence(
        source=SOURCE,
        assurance="observed" if scores else None,
        score=sum(scores.values()) / len(scores) if scores else None,
        weight=rules.weight,
        findings=tuple(findings),
        detail=detail,
        limits=tuple(limits),
        not_checked=tuple(unchecked),
    )


def _sample_words(measure: Measure) -> str:
    if measure.sample is None:
        return ""
    unit = "deliveries" if measure.kpi.sample == "deliveries" else "lots"
    return f" on {measure.sample:,} {unit}"


def _scale_words(scale: KpiScale, measure: Measure) -> str:
    gates = [f"{measure.kpi.figure(scale.good)} good"]
    if scale.conditional is not None:
        gates.append(f"{measure.kpi.figure(scale.conditional)} conditional")
    kind = "not qualified" if scale.not_qualified is not None else "poor"
    gates.append(f"{measure.kpi.figure(scale.bad)} {kind}")
    return "policy: " + ", ".join(gates)
