"""First-pass yield as observed evidence for outcome F (an example supplier_qual plugin).

*First-pass yield* is the share of units that pass inspection the first time,
without rework or repair: a direct measure of how well the supplier monitors and
controls its product characteristics (outcome F). The buyer supplies it as
``performance.extra["first_pass_yield_pct"]``.

The score is 100 at :data:`GOOD` % or more, 0 at :data:`BAD` % or less, and linear
between, so a lower yield never scores higher. Below :data:`ACTION_BELOW` % the
plugin raises a finding with a corrective action.
"""

from __future__ import annotations

from supplier_qual import SubmissionError, hookimpl
from supplier_qual.context import Context
from supplier_qual.errors import Problem
from supplier_qual.model import Evidence, Finding, Questionnaire, Submission
from supplier_qual.outcomes import Outcome

__version__ = "0.1.0"

KPI = "first_pass_yield_pct"
SOURCE = "first_pass_yield"
OUTCOME = "F"
GOOD = 98.0
BAD = 85.0
ACTION_BELOW = 92.0
ACTION = (
    "Analyse the causes of first-time inspection failures (rework and repair) and send an improvement plan "
    "with a first-pass yield target."
)


def yield_score(pct: float) -> float:
    """The 0–100 score of a first-pass yield of ``pct`` %."""
    share = (pct - BAD) / (GOOD - BAD)
    return 100.0 * min(1.0, max(0.0, share))


@hookimpl
def score_outcome(
    outcome: Outcome, submission: Submission, questionnaire: Questionnaire, context: Context
) -> Evidence | None:
    """Evidence for outcome F when the buyer measured the first-pass yield; ``None`` otherwise.

    :raises SubmissionError: the yield is not a percentage from 0 to 100.
    """
    if outcome.id != OUTCOME or submission.performance is None:
        return None
    pct = submission.performance.extra.get(KPI)
    if pct is None:
        return None
    if not 0.0 <= pct <= 100.0:
        where = submission.location(f"performance.extra.{KPI}")
        raise SubmissionError([Problem(f"{pct:g} is not a percentage from 0 to 100", where)], source=submission.source)
    score = yield_score(pct)
    months = submission.performance.period_months
    findings: tuple[Finding, ...] = ()
    if pct < ACTION_BELOW:
        findings = (
            Finding(
                outcome=OUTCOME,
                severity="major" if score < 25 else "minor",
                message=f"Measured first-pass yield {pct:.1f} % over {months} months "
                f"(plugin scale: {GOOD:g} % good, {BAD:g} % poor; action below {ACTION_BELOW:g} %)",
                source=SOURCE,
                action=ACTION,
            ),
        )
    return Evidence(
        source=SOURCE,
        assurance="observed",
        score=score,
        weight=context.policy.performance.weight,
        findings=findings,
        detail={KPI: round(pct, 2)},
    )
