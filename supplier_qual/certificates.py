"""How the checks made on a certificate settle its status.

A certificate's *status* is one of :data:`~supplier_qual.model.CERTIFICATE_STATUSES`.
Every failed check names the status it implies; the most fundamental failure wins,
in the order of :data:`STATUS_PRECEDENCE` (the order of the certificate rules in
the README), and a certificate no check fails is ``valid``. A registry's
confirmation sets ``verified_by``; a registry that does not find a certificate
leaves it unverified, never invalid.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Certificate, CertificateCheck, CertificateResult

STATUS_PRECEDENCE: tuple[str, ...] = (
    "obsolete_standard",
    "withdrawn",
    "suspended",
    "unaccredited",
    "not_yet_valid",
    "expired",
    "invalid",
)


STATUS_WORDS: dict[str, str] = {
    "valid": "valid",
    "expired": "expired",
    "not_yet_valid": "not yet valid",
    "suspended": "suspended",
    "withdrawn": "withdrawn",
    "unaccredited": "not accredited",
    "obsolete_standard": "not to a current ISO 9001 edition",
    "invalid": "invalid",
}


def settle(certificate: Certificate, checks: Iterable[CertificateCheck]) -> CertificateResult:
    """The certificate's status given every check made on it."""
    checks = tuple(checks)
    failed = [c for c in checks if not c.passed]
    rank = {status: index for index, status in enumerate(STATUS_PRECEDENCE)}
    worst = min(failed, key=lambda c: rank.get(c.status or "invalid", len(rank)), default=None)
    status = (worst.status or "invalid") if worst is not None else "valid"
    verified_by = next((c.verified_by for c in checks if c.passed and c.verified_by), None)
    return CertificateResult(certificate=certificate, status=status, checks=checks, verified_by=verified_by)
