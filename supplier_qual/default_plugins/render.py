"""JSON and text renderings of assessments, certificate reports and tender eligibility.

JSON is stable: the same assessment always gives the same bytes (fixed key order,
two-space indent, UTF-8, one trailing newline). Text is for a buyer reading a
terminal: the decision first, then outcomes A–I, certificates and corrective actions;
for a tender officer, each bidder eligible or not with every requirement met or not.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

from .. import output
from ..certificates import why_not_counting
from ..expiry import ExpiryReport, expiry_text, expiry_to_dict
from ..hookspecs import hookimpl
from ..model import Assessment, CertificateReport, CertificateResult
from ..outcomes import CERTIFICATION_CAVEAT
from ..scope import scope_in_words
from ..tender import Eligibility
from .eligibility_text import eligibility_text

WIDTH = 88
_DECISION_WORDS = {"qualified": "QUALIFIED", "conditional": "CONDITIONAL", "not_qualified": "NOT QUALIFIED"}


@hookimpl(trylast=True)
def render(result: object, fmt: str) -> str | None:
    for (kind, name), renderer in _RENDERERS.items():
        if fmt == name and isinstance(result, kind):
            return renderer(result)
    return None


def to_json(data: Any) -> str:
    """Stable JSON: the same data always gives the same text (:func:`supplier_qual.output.to_json`)."""
    return output.to_json(data)


def assessment_text(assessment: Assessment) -> str:
    """A buyer's reading of an assessment: the decision and what limited it first, then the evidence."""
    supplier = assessment.supplier
    ids = ", ".join(part for part in (supplier.id, supplier.country) if part)
    lines = [
        f"{supplier.name}{f' ({ids})' if ids else ''}",
        f"Questionnaire {assessment.questionnaire.id} {assessment.questionnaire.version}, "
        f"assessed as of {assessment.as_of.isoformat()}",
        *_wrap(f"Scope of supply: {scope_in_words(assessment.scope_of_supply)}", "", "    "),
        "",
    ]
    decision = assessment.decision
    if decision is not None:
        lines.append(
            f"Decision: {_DECISION_WORDS.get(decision.decision, decision.decision)}"
            f" (overall score {decision.score:.1f} of 100)"
        )
        lines += _bullets(decision.reasons)
        held = [lim.reason for lim in decision.limits if lim.cap == "conditional"]
        if decision.decision == "not_qualified" and held:
            lines += ["Also holding it back (at best conditional):", *_bullets(tuple(held))]
        if decision.not_checked:
            lines += ["Not checked:", *_bullets(decision.not_checked)]
        lines.append("")
    marks = _outcome_marks(assessment)
    lines.append(f"{'Outcome':<53} {'Score':>6}  {'Assurance':<13} Findings")
    for oid, result in assessment.outcomes.items():
        row = f"{oid}  {result.title:<50} {result.score:>6.1f}  {result.assurance:<13} {len(result.findings):<8}"
        lines.append(f"{row} {marks.get(oid, '')}".rstrip())
    if decision is not None and decision.thresholds:
        t = decision.thresholds
        lines += _wrap(
            f"Qualifying needs every outcome at least {t['qualified_outcome']:g} (marked <) and an overall score of "
            f"at least {t['qualified_overall']:g}; an outcome below {t['not_qualified_outcome']:g} (marked <<) or "
            f"an overall score below {t['not_qualified_overall']:g} is not qualified.",
            "",
            "",
        )
    lines.append("")
    lines += _certificate_lines(assessment.certificates, counting=True)
    lines.append("")
    if assessment.corrective_actions:
        lines.append("Corrective actions")
        for action in assessment.corrective_actions:
            head = f"[{action.severity}, due in {action.due_days} days] {action.outcome}"
            where = f" {action.question}" if action.question else ""
            lines += _wrap(f"{head}{where}: {action.action}", "  ", "      ")
    else:
        lines.append("Corrective actions: none")
    lines += ["", *_wrap(CERTIFICATION_CAVEAT, "", "")]
    return "\n".join(lines) + "\n"


def _outcome_marks(assessment: Assessment) -> dict[str, str]:
    """``<`` for an outcome below the line to qualify, ``<<`` below the not-qualified line."""
    decision = assessment.decision
    marks: dict[str, str] = {}
    if decision is None:
        return marks
    for limit in decision.limits:
        if limit.kind == "score" and limit.outcome and limit.threshold is not None:
            sign = "<<" if limit.cap == "not_qualified" else "<"
            marks[limit.outcome] = f"{sign} {limit.threshold:g}"
    return marks


def certificates_text(report: CertificateReport) -> str:
    """Each certificate with its status and every check, as of the report's date."""
    lines = [f"Certificates checked as of {report.as_of.isoformat()}", ""]
    for result in report.certificates:
        lines += _certificate_lines((result,), heading=False)
        lines += _certificate_summary(result)
        for check in result.checks:
            mark = "ok  " if check.passed else "FLAG" if check.red_flag else "note" if check.advisory else "FAIL"
            lines += _wrap(f"{mark} {check.check}: {check.message}", "    ", "         ")
        lines.append("")
    return "\n".join(lines)


def _certificate_summary(result: CertificateResult) -> list[str]:
    """Chain, scope and registry verdicts, red flags and how long the result holds."""
    from ..certificates import counted_failures

    cert = result.certificate
    broken = any(c.aspect == "accreditation" for c in counted_failures(result.checks))
    chain = f"{cert.certification_body or '?'} -> {cert.accreditation_body or '?'} -> IAF MLA: "
    registry = {
        "confirmed": f"confirmed by {result.verified_by}",
        "differs": "a registry contradicts the certificate (see below)",
        "not_found": "not found (unverified, not invalid)",
        "unavailable": "could not be asked (unverified)",
    }
    lines = [
        f"accreditation chain: {chain}{'broken' if broken else 'holds'}",
        f"scope: {(result.scope or 'no requirement given').replace('_', ' ')}",
        f"registry: {registry.get(result.registry or '', 'none asked')}",
        f"result holds until: {result.valid_until.isoformat() if result.valid_until else 'further notice'}",
    ]
    lines += [f"red flag: {c.check}" for c in result.red_flags]
    return [line for text in lines for line in _wrap(text, "    ", "        ")]


def _certificate_lines(
    results: tuple[CertificateResult, ...], heading: bool = True, *, counting: bool = False
) -> list[str]:
    if not results:
        return ["Certificates: none presented"] if heading else []
    lines = ["Certificates"] if heading else []
    for result in results:
        cert = result.certificate
        until = f", expires {cert.expires.isoformat()}" if cert.expires else ""
        verified = f", verified by {result.verified_by}" if result.verified_by else ", not verified with a registry"
        if result.registry == "differs":
            verified = ", contradicted by a registry"
        body = cert.accreditation_body or "no accreditation body"
        lines += _wrap(
            f"{cert.number or '(no number)'}  {cert.standard}  {cert.certification_body or '?'} / {body}: "
            f"{result.status.replace('_', ' ').upper()}{until}{verified}",
            "  ",
            "      ",
        )
        if counting:
            why = why_not_counting(result)
            lines += _wrap(f"does not count: {why}" if why else "counts for qualification", "      ", "        ")
    return lines


def _bullets(items: tuple[str, ...]) -> list[str]:
    return [line for item in items for line in _wrap(item, "  - ", "    ")]


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest) or [first.rstrip()]


def _eligibility_json(eligibility: Eligibility) -> str:
    from ..schemas.eligibility import eligibility_to_dict

    return to_json(eligibility_to_dict(eligibility))


_RENDERERS: dict[tuple[type, str], Callable[[Any], str]] = {
    (Assessment, "json"): lambda r: to_json(output.assessment_to_plain(r)),
    (Assessment, "text"): assessment_text,
    (CertificateReport, "json"): lambda r: to_json(output.certificate_report_to_plain(r)),
    (CertificateReport, "text"): certificates_text,
    (Eligibility, "json"): _eligibility_json,
    (Eligibility, "text"): eligibility_text,
    (ExpiryReport, "json"): lambda r: to_json(expiry_to_dict(r)),
    (ExpiryReport, "text"): expiry_text,
}
