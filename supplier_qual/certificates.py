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
from dataclasses import dataclass

from .model import Certificate, CertificateCheck, CertificateResult
from .refdata import Edition, ReferenceData, StandardEditions
from .standards import standard_of

ISO_9001 = re.compile(r"\bISO\s*9001\b(?:\s*[:/-]\s*|\s+)?(\d{4})?", re.IGNORECASE)
"""An ISO 9001 standard as certificates name it; group 1 is the edition's year, when given."""


def iso9001_edition(standard: str) -> str | None:
    """The edition's year of an ISO 9001 standard ("EN ISO 9001:2015/Amd 1:2024" → "2015"), else ``None``."""
    match = ISO_9001.search(standard)
    return match.group(1) if match else None


@dataclass(frozen=True)
class Identified:
    """Which management-system standard a certificate's text names, and which edition (``None``: not given).

    ``editions`` are that standard's editions (``None`` when no table knows them);
    ``standard`` its table entry (``None`` for ISO 9001, whose editions come from
    the ISO 9001 table).
    """

    family: str
    edition: str | None
    editions: dict[str, Edition] | None
    standard: StandardEditions | None = None


def identify(text: str, reference: ReferenceData) -> Identified | None:
    """The standard ``text`` names: ISO 9001 first (a combined ISO 9001 / ISO 14001 certificate is ISO 9001),
    then the other management-system standards; ``None`` when none is recognised."""
    match = ISO_9001.search(text)
    if match is not None:
        return Identified("ISO 9001", match.group(1), dict(reference.editions.editions))
    found = standard_of(text)
    if found is None:
        return None
    entry = reference.standards.get(found.family)
    if entry is None:
        return Identified(found.family, found.year, None)
    edition = found.year or (entry.revisions.get(found.revision) if found.revision else None)
    return Identified(found.family, edition, dict(entry.editions), entry)


def undated_edition(identified: Identified, issued: dt.date | None) -> str | None:
    """The edition an undated certificate is read as: the only one current on its issue date ("ISO 9001"
    issued after 2018-09-15 is ISO 9001:2015); ``None`` when no date or more than one edition fits."""
    if issued is None or identified.editions is None:
        return None
    current = [
        e
        for e in identified.editions.values()
        if (e.published is None or e.published <= issued) and (e.valid_until is None or e.valid_until >= issued)
    ]
    return current[0].year if len(current) == 1 else None


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
    "obsolete_standard": "not to a current edition of its standard",
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


def standing(certificate: Certificate, reference: ReferenceData, accepted: Iterable[str]) -> tuple[str, bool]:
    """The certificate's standard family, and whether it qualifies: ISO 9001, or one ``accepted`` in its place."""
    identified = identify(certificate.standard, reference)
    if identified is None:
        return "", False
    if identified.family == "ISO 9001":
        return identified.family, True
    families = {found.family for found in (identify(name, reference) for name in accepted) if found is not None}
    return identified.family, identified.family in families


def settle(
    certificate: Certificate, checks: Iterable[CertificateCheck], *, family: str = "ISO 9001", qualifying: bool = True
) -> CertificateResult:
    """The certificate's status given every check made on it (registries' checks listed last).

    ``family`` and ``qualifying`` say which standard it is to and whether that
    standard counts for qualification (see :func:`standing`).
    """
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
        family=family,
        qualifying=qualifying,
    )


def scope_verdict(checks: Iterable[CertificateCheck]) -> str | None:
    """``does_not_cover`` if any scope check says so, ``covers`` if all do, else ``cannot_tell``.

    A scope check another passed check supersedes (codes settled by the scope text) is left out.
    """
    checks = tuple(checks)
    superseded = {name for c in checks if c.passed for name in c.supersedes}
    verdicts = [c.verdict for c in checks if c.aspect == "scope" and c.verdict and c.check not in superseded]
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


def why_not_counting(result: CertificateResult) -> str:
    """Why a presented certificate does not count for qualification, in the buyer's words ("" when it counts)."""
    certificate = result.certificate
    name = f"{certificate.number or '(no number)'} ({certificate.standard})"
    if result.counts:
        return ""
    if result.counterfeit:
        return f"{name} is a suspected counterfeit: {result.counterfeit[0].message}"
    if not result.qualifying:
        family = result.family or "a standard supplier_qual does not recognise"
        return f"{name} is to {family}, which does not count in place of ISO 9001"
    if not result.valid:
        deciding = next((c for c in counted_failures(result.checks) if c.status == result.status), None)
        why = f": {deciding.message.removeprefix('red flag: ')}" if deciding is not None else ""
        return f"{name} is {STATUS_WORDS.get(result.status, result.status)}{why}"
    if result.untrusted:
        return f"{name}: " + "; ".join(c.message.removeprefix("red flag: ") for c in result.untrusted)
    scope = [c.message for c in result.checks if c.aspect == "scope" and c.verdict and c.verdict != "covers"]
    words = "does not cover" if result.scope == "does_not_cover" else "may not cover (cannot tell)"
    return f"{name} {words} what is supplied: " + "; ".join(scope)
