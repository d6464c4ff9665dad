"""How the checks made on a certificate settle its status.

A certificate's *status* is one of :data:`~supplier_qual.model.CERTIFICATE_STATUSES`.
Every failed check names the status it implies; the most fundamental failure wins,
in the order of :data:`STATUS_PRECEDENCE` (the order of the certificate rules in
the README), and a certificate no check fails is ``valid``. Failed *advisory*
checks (scope, red flags that do not decide the status, a registry that could not
be asked) are reported but do not count, nor do failures a passed check
*supersedes* (a registry's accreditation answer beats the shipped list). A
registry's confirmation sets ``verified_by``; a registry that does not find a
certificate leaves it unverified, never invalid.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from .model import Certificate, CertificateCheck, CertificateResult

ISO_9001 = re.compile(r"\bISO\s*9001\b(?:\s*[:/-]\s*|\s+)?(\d{4})?", re.IGNORECASE)
"""An ISO 9001 standard as certificates name it; group 1 is the edition's year, when given."""


def iso9001_edition(standard: str) -> str | None:
    """The edition's year of an ISO 9001 standard ("EN ISO 9001:2015/Amd 1:2024" → "2015"), else ``None``."""
    match = ISO_9001.search(standard)
    return match.group(1) if match else None


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

SCOPE_VERDICTS: tuple[str, ...] = ("covers", "does_not_cover", "cannot_tell")
# The registry summary: a registry contradicting the supplier outweighs one confirming.
REGISTRY_VERDICTS: tuple[str, ...] = ("differs", "confirmed", "not_found", "unavailable")


def counted_failures(checks: Iterable[CertificateCheck]) -> list[CertificateCheck]:
    """The failed checks that decide the status: not advisory, not superseded."""
    checks = tuple(checks)
    superseded = {name for c in checks if c.passed for name in c.supersedes}
    return [c for c in checks if not c.passed and not c.advisory and c.check not in superseded]


def settle(certificate: Certificate, checks: Iterable[CertificateCheck]) -> CertificateResult:
    """The certificate's status given every check made on it (registries' checks listed last)."""
    checks = tuple(sorted(checks, key=lambda c: bool(c.source)))
    rank = {status: index for index, status in enumerate(STATUS_PRECEDENCE)}
    worst = min(counted_failures(checks), key=lambda c: rank.get(c.status or "invalid", len(rank)), default=None)
    status = (worst.status or "invalid") if worst is not None else "valid"
    verified_by = next((c.verified_by for c in checks if c.passed and c.verified_by), None)
    return CertificateResult(
        certificate=certificate,
        status=status,
        checks=checks,
        verified_by=verified_by,
        scope=scope_verdict(checks),
        registry=registry_verdict(checks),
        valid_until=_valid_until(checks, worst),
    )


def scope_verdict(checks: Iterable[CertificateCheck]) -> str | None:
    """``does_not_cover`` if any scope check says so, ``covers`` if all do, else ``cannot_tell``."""
    verdicts = [c.verdict for c in checks if c.aspect == "scope" and c.verdict]
    if not verdicts:
        return None
    if "does_not_cover" in verdicts:
        return "does_not_cover"
    return "covers" if all(v == "covers" for v in verdicts) else "cannot_tell"


def registry_verdict(checks: Iterable[CertificateCheck]) -> str | None:
    """What the registries asked said, the most telling answer first."""
    verdicts = {c.verdict for c in checks if c.aspect == "registry" and c.verdict}
    return next((v for v in REGISTRY_VERDICTS if v in verdicts), None)


def _valid_until(checks: tuple[CertificateCheck, ...], worst: CertificateCheck | None) -> dt.date | None:
    # A failing certificate's result holds as long as its deciding failure does; a
    # valid one's until the first of its checks runs out (expiry, surveillance due).
    if worst is not None:
        return worst.holds_until
    return min((c.holds_until for c in checks if c.holds_until is not None), default=None)
