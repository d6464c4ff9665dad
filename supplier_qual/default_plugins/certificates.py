"""Offline certificate rules, and what valid certificates add to each outcome.

The rules, applied against the assessment date (``as_of``); the first that fails
gives the certificate's status (see :mod:`supplier_qual.certificates`):

1. the standard is a current ISO 9001 edition, else ``obsolete_standard``;
2. the supplier does not declare it suspended or withdrawn, else that status;
3. its accreditation body is an IAF MLA signatory for QMS, else ``unaccredited``;
4. it was issued on or before ``as_of`` and expires on or after it, else
   ``not_yet_valid`` or ``expired``;
5. it runs at most three years (plus the policy's grace) and expires after its
   issue, and it has a number and a holder, else ``invalid``.

A valid certificate lifts every outcome's assurance to ``certified`` (``verified``
when a registry confirmed it) but never its score: certification concerns the
management system, not the product. A certificate that fails is a finding against
outcome A.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from ..certificates import STATUS_WORDS
from ..context import Context
from ..hookspecs import hookimpl
from ..model import Certificate, CertificateCheck, Evidence, Finding, Questionnaire, Submission
from ..outcomes import Outcome

_ISO_9001 = re.compile(r"\bISO\s*9001\b(?:\s*[:/-]\s*|\s+)?(\d{4})?", re.IGNORECASE)
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


@hookimpl
def verify_certificate(certificate: Certificate, context: Context) -> list[CertificateCheck]:
    return [
        _standard(certificate, context),
        _declared_status(certificate),
        _accreditation(certificate, context),
        _in_force(certificate, context.as_of),
        _validity_period(certificate, context),
        _identity(certificate),
    ]


@hookimpl
def score_outcome(
    outcome: Outcome, submission: Submission, questionnaire: Questionnaire, context: Context
) -> Evidence | None:
    valid = [r for r in context.certificates if r.valid]
    findings: tuple[Finding, ...] = ()
    if outcome.id == "A":
        findings = tuple(
            Finding(
                "A",
                "critical" if r.status in ("suspended", "withdrawn") else "major",
                f"Certificate {r.certificate.number or '(no number)'} is {STATUS_WORDS[r.status]}: "
                + next((c.message for c in r.checks if not c.passed and c.status == r.status), ""),
                source="certificate",
                action=_ACTIONS.get(r.status, ""),
            )
            for r in context.certificates
            if not r.valid
        )
    if not valid and not findings:
        return None
    assurance = "verified" if any(r.verified_by for r in valid) else "certified"
    return Evidence(source="certificate", assurance=assurance if valid else None, findings=findings)


def _standard(certificate: Certificate, context: Context) -> CertificateCheck:
    match = _ISO_9001.search(certificate.standard)
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
    fail = CertificateCheck("accreditation", False, "", status="unaccredited")
    if not name:
        return _with(fail, "no accreditation body given")
    body = bodies.match(name)
    if body is None:
        return _with(fail, f"{name} is not on the list of IAF MLA signatories for QMS ({bodies.origin})")
    if body.regional_group:
        return _with(
            fail, f"{body.acronym} is a regional accreditation group, not the accreditation body of a certificate"
        )
    confidence = f"; confidence: {body.confidence}" if body.confidence else ""
    return CertificateCheck(
        "accreditation", True, f"{body.acronym} ({body.name}) is an IAF MLA signatory for QMS{confidence}"
    )


def _in_force(certificate: Certificate, as_of: dt.date) -> CertificateCheck:
    if certificate.issued and certificate.issued > as_of:
        return CertificateCheck(
            "in_force", False, f"issued {certificate.issued.isoformat()}, after {as_of.isoformat()}", "not_yet_valid"
        )
    if certificate.expires and certificate.expires < as_of:
        return CertificateCheck(
            "in_force", False, f"expired {certificate.expires.isoformat()}, before {as_of.isoformat()}", "expired"
        )
    if certificate.issued is None or certificate.expires is None:
        missing = " and ".join(n for n, d in (("issue", certificate.issued), ("expiry", certificate.expires)) if not d)
        return CertificateCheck("in_force", False, f"no {missing} date given", "invalid")
    return CertificateCheck("in_force", True, f"in force until {certificate.expires.isoformat()}")


def _validity_period(certificate: Certificate, context: Context) -> CertificateCheck:
    issued, expires = certificate.issued, certificate.expires
    if issued is None or expires is None:
        return CertificateCheck("validity_period", False, "the validity period cannot be checked", "invalid")
    if expires < issued:
        return CertificateCheck("validity_period", False, "expires before it was issued", "invalid")
    rules = context.policy.certificates
    limit = _add_months(issued, 12 * rules.max_validity_years + rules.grace_months)
    if expires > limit:
        return CertificateCheck(
            "validity_period",
            False,
            f"runs {issued.isoformat()} to {expires.isoformat()}, longer than the {rules.max_validity_years}-year "
            f"certification cycle (plus {rules.grace_months} months' grace)",
            "invalid",
        )
    return CertificateCheck("validity_period", True, f"within the {rules.max_validity_years}-year certification cycle")


def _identity(certificate: Certificate) -> CertificateCheck:
    missing = [label for label, value in (("number", certificate.number), ("holder", certificate.holder)) if not value]
    if missing:
        return CertificateCheck("identity", False, f"no certificate {' or '.join(missing)} given", "invalid")
    return CertificateCheck("identity", True, f"certificate {certificate.number} held by {certificate.holder}")


def _with(check: CertificateCheck, message: str) -> CertificateCheck:
    return dataclasses.replace(check, message=message)


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))
