"""Offline certificate rules, and what valid certificates add to each outcome.

The rules, applied against the assessment date (``as_of``); the first that fails
gives the certificate's status (see :mod:`supplier_qual.certificates`):

1. the standard is a current ISO 9001 edition, else ``obsolete_standard``;
2. the supplier does not declare it suspended or withdrawn, else that status;
3. its accreditation body is an IAF MLA signatory for QMS, else ``unaccredited``;
4. it was issued on or before ``as_of`` and expires on or after it, else
   ``not_yet_valid`` or ``expired``;
5. it runs at most three years (plus the policy's grace) and expires after its
   issue, and it has a number and a holder, else ``invalid``;
6. when the policy names a register of accredited certification bodies, its CB is
   accredited by its AB for ISO 9001 and its IAF codes, else ``unaccredited``.

Besides, advisory checks that leave the status alone: surveillance not recorded
for 15 months (stale data), the scope against what is bought
(:mod:`supplier_qual.scope`), and red flags (an AB imitating the IAF, a scope
covering every sector, a CB that also consulted for the supplier).

A valid certificate lifts every outcome's assurance to ``certified`` (``verified``
when a registry confirmed it) but never its score: certification concerns the
management system, not the product; a certificate that does not cover what is
bought lifts nothing. A certificate that fails, a red flag and a scope that does
not cover the purchase are findings against outcome A.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..accreditation import cb_check, consultant_check, imitation, load_cb_register
from ..certificates import ISO_9001, STATUS_WORDS
from ..context import Context
from ..expiry import add_months, next_surveillance
from ..hookspecs import hookimpl
from ..model import Certificate, CertificateCheck, CertificateResult, Evidence, Finding, Questionnaire, Submission
from ..outcomes import Outcome
from ..scope import scope_checks
from ..sectors import iaf_sectors

_DECLARED = {"suspended": "suspended", "withdrawn": "withdrawn", "cancelled": "withdrawn", "inactive": "withdrawn"}
_ACTIONS = {
    "obsolete_standard": "Send a certificate to the current edition, ISO 9001:2015.",
    "suspended": "Explain the suspension and send the certification body's confirmation that it has been lifted.",
    "withdrawn": "Obtain new accredited ISO 9001 certification.",
    "unaccredited": "Send a certificate issued under accreditation by an IAF MLA signatory for ISO 9001.",
    "not_yet_valid": "Send the certificate once it is in force.",
    "expired": "Send the renewed certificate (recertification).",
    "invalid": "Send a complete copy of the certificate: number, holder, issue and expiry dates.",
}
_RED_FLAG = "Explain this red flag and have your certification body confirm the certificate in writing."


@hookimpl
def verify_certificate(certificate: Certificate, context: Context) -> list[CertificateCheck]:
    rules = context.policy.certificates
    checks = [
        _standard(certificate, context),
        _declared_status(certificate),
        _accreditation(certificate, context),
        _in_force(certificate, context.as_of),
        _validity_period(certificate, context),
        _identity(certificate),
    ]
    surveillance = _surveillance(certificate, context)
    if surveillance is not None:
        checks.append(surveillance)
    if rules.cb_register:
        checks.append(
            cb_check(certificate, load_cb_register(rules.cb_register), context.reference.accreditation_bodies)
        )
    impartiality = consultant_check(certificate)
    if impartiality is not None:
        checks.append(impartiality)
    return checks + scope_checks(certificate, rules, iaf_sectors())


@hookimpl
def score_outcome(
    outcome: Outcome, submission: Submission, questionnaire: Questionnaire, context: Context
) -> Evidence | None:
    valid = [r for r in context.certificates if r.counts]
    findings: tuple[Finding, ...] = ()
    if outcome.id == "A":
        findings = tuple(f for r in context.certificates for f in _findings(r))
    if not valid and not findings:
        return None
    assurance = "verified" if any(r.verified_by for r in valid) else "certified"
    return Evidence(source="certificate", assurance=assurance if valid else None, findings=findings)


def _findings(result: CertificateResult) -> list[Finding]:
    name = f"Certificate {result.certificate.number or '(no number)'}"
    found = []
    deciding = None
    if not result.valid:
        deciding = next((c for c in result.checks if not c.passed and c.status == result.status), None)
        found.append(
            Finding(
                "A",
                "critical" if result.status in ("suspended", "withdrawn") else "major",
                f"{name} is {STATUS_WORDS[result.status]}: " + (deciding.message if deciding else ""),
                source="certificate",
                action=_ACTIONS.get(result.status, ""),
            )
        )
    for flag in result.red_flags:
        if flag is not deciding:
            found.append(Finding("A", "major", f"{name}: {flag.message}", source="certificate", action=_RED_FLAG))
    scope = [c for c in result.checks if c.aspect == "scope" and c.verdict and c.verdict != "covers"]
    if result.scope in ("does_not_cover", "cannot_tell"):
        severity, words = (
            ("major", "does not cover") if result.scope == "does_not_cover" else ("minor", "may not cover")
        )
        found.append(
            Finding(
                "A",
                severity,
                f"{name} {words} what is bought: " + "; ".join(c.message for c in scope),
                source="certificate",
                action="Show that your certification covers the products, activities and sites supplied to us.",
            )
        )
    return found


def _standard(certificate: Certificate, context: Context) -> CertificateCheck:
    match = ISO_9001.search(certificate.standard)
    fail = CertificateCheck("standard", False, "", status="obsolete_standard")
    if match is None:
        return _with(fail, f"{certificate.standard} is not an ISO 9001 standard")
    year = match.group(1)
    if year is None:
        return _with(fail, f"{certificate.standard} does not say which edition of ISO 9001 (e.g. ISO 9001:2015)")
    table = context.reference.editions
    edition = table.editions.get(year)
    if edition is None:
        return _with(fail, f"ISO 9001:{year} is not a recognised edition ({table.origin})")
    if edition.published and context.as_of < edition.published:
        return _with(fail, f"ISO 9001:{year} was not yet published on {context.as_of.isoformat()}")
    if edition.valid_until and context.as_of > edition.valid_until:
        return _with(fail, f"ISO 9001:{year} certificates lost validity on {edition.valid_until.isoformat()}")
    return CertificateCheck("standard", True, f"ISO 9001:{year} is a current edition")


def _declared_status(certificate: Certificate) -> CertificateCheck:
    status = _DECLARED.get(certificate.status)
    if status:
        return CertificateCheck("declared_status", False, f"declared {certificate.status}", status=status)
    return CertificateCheck("declared_status", True, "not declared suspended or withdrawn")


def _accreditation(certificate: Certificate, context: Context) -> CertificateCheck:
    name = certificate.accreditation_body
    bodies = context.reference.accreditation_bodies
    fail = CertificateCheck("accreditation", False, "", status="unaccredited", aspect="accreditation", red_flag=True)
    if not name:
        return dataclasses.replace(fail, message="no accreditation body given", red_flag=False)
    body = bodies.match(name)
    if body is None:
        why = imitation(name)
        if why is not None:
            return _with(fail, f"red flag: {name} imitates the IAF, not an accreditation body: {why}")
        return _with(fail, f"{name} is not on the list of IAF MLA signatories for QMS ({bodies.origin})")
    if body.regional_group:
        return _with(
            fail, f"{body.acronym} is a regional accreditation group, not the accreditation body of a certificate"
        )
    confidence = f"; confidence: {body.confidence}" if body.confidence else ""
    return CertificateCheck(
        "accreditation",
        True,
        f"{body.acronym} ({body.name}) is an IAF MLA signatory for QMS{confidence}",
        aspect="accreditation",
    )


def _in_force(certificate: Certificate, as_of: dt.date) -> CertificateCheck:
    if certificate.issued and certificate.issued > as_of:
        return CertificateCheck(
            "in_force",
            False,
            f"issued {certificate.issued.isoformat()}, after {as_of.isoformat()}",
            "not_yet_valid",
            holds_until=certificate.issued - dt.timedelta(days=1),
        )
    if certificate.expires and certificate.expires < as_of:
        return CertificateCheck(
            "in_force", False, f"expired {certificate.expires.isoformat()}, before {as_of.isoformat()}", "expired"
        )
    if certificate.issued is None or certificate.expires is None:
        missing = " and ".join(n for n, d in (("issue", certificate.issued), ("expiry", certificate.expires)) if not d)
        return CertificateCheck("in_force", False, f"no {missing} date given", "invalid")
    return CertificateCheck(
        "in_force", True, f"in force until {certificate.expires.isoformat()}", holds_until=certificate.expires
    )


def _validity_period(certificate: Certificate, context: Context) -> CertificateCheck:
    issued, expires = certificate.issued, certificate.expires
    if issued is None or expires is None:
        return CertificateCheck("validity_period", False, "the validity period cannot be checked", "invalid")
    if expires < issued:
        return CertificateCheck("validity_period", False, "expires before it was issued", "invalid")
    rules = context.policy.certificates
    limit = add_months(issued, 12 * rules.max_validity_years + rules.grace_months)
    if expires > limit:
        return CertificateCheck(
            "validity_period",
            False,
            f"runs {issued.isoformat()} to {expires.isoformat()}, longer than the {rules.max_validity_years}-year "
            f"certification cycle (plus {rules.grace_months} months' grace)",
            "invalid",
            red_flag=True,
        )
    return CertificateCheck("validity_period", True, f"within the {rules.max_validity_years}-year certification cycle")


def _identity(certificate: Certificate) -> CertificateCheck:
    missing = [label for label, value in (("number", certificate.number), ("holder", certificate.holder)) if not value]
    if missing:
        return CertificateCheck("identity", False, f"no certificate {' or '.join(missing)} given", "invalid")
    return CertificateCheck("identity", True, f"certificate {certificate.number} held by {certificate.holder}")


def _surveillance(certificate: Certificate, context: Context) -> CertificateCheck | None:
    issued, expires = certificate.issued, certificate.expires
    if issued is None or expires is None or issued > context.as_of or expires < context.as_of:
        return None
    rules = context.policy.certificates
    grace = rules.surveillance_grace_months
    due = next_surveillance(certificate, context.as_of, rules.surveillance_months)
    when = f"next surveillance audit due {due.isoformat()}" if due else "no surveillance audit due before expiry"
    last = certificate.last_surveillance
    if last is None:
        # Without a reported audit the data cannot be called stale; the result holds
        # until the next audit should have happened.
        return CertificateCheck(
            "surveillance", True, f"{when} (yearly from issue)", holds_until=add_months(due, grace) if due else None
        )
    stale_from = add_months(last, rules.surveillance_months + grace)
    if context.as_of > stale_from:
        return CertificateCheck(
            "surveillance",
            False,
            f"last surveillance audit {last.isoformat()}, more than {rules.surveillance_months + grace} months ago: "
            "the data may be stale (not proof of invalidity); ask for the latest surveillance report",
            advisory=True,
        )
    return CertificateCheck(
        "surveillance", True, f"last surveillance audit {last.isoformat()}; {when}", holds_until=stale_from
    )


def _with(check: CertificateCheck, message: str) -> CertificateCheck:
    return dataclasses.replace(check, message=message)
