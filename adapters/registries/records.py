"""What a registry holds about a certificate, and the checks that follow from it.

Every registry plugin turns its answer into a :class:`RegistryRecord`, then
:func:`record_checks` compares it with what the supplier presented:

- status ``Active`` confirms the certificate (``verified_by``, verdict
  ``confirmed``); ``Suspended``, ``Withdrawn``, ``Cancelled``, ``Inactive`` or
  ``Expired`` (or an expiry date already past) overrides what the supplier typed,
  and the message says both (verdict ``differs``);
- the registry's accreditation answer (CertSearch ``is_accredited_mla`` per
  standard, or ``Accredited``/``Unaccredited``) supersedes the shipped AB list;
- a holder other than the supplier (legal names compared without legal form, case,
  punctuation or accents) is a suspected counterfeit: the supplier cannot qualify;
- an accreditation or certification body other than the one printed is a red flag.

A confirmation also confirms a certificate the supplier only declared.

:func:`not_found` and :func:`unavailable` leave the certificate unverified.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from supplier_qual.accreditation import same_organisation
from supplier_qual.legal_names import same_legal_entity
from supplier_qual.model import Certificate, CertificateCheck, Site, Supplier
from supplier_qual.sectors import plain

# Registry status → the certificate status it implies; None confirms.
REGISTRY_STATUSES: dict[str, str | None] = {
    "active": None,
    "valid": None,
    "suspended": "suspended",
    "withdrawn": "withdrawn",
    "cancelled": "withdrawn",
    "canceled": "withdrawn",
    "inactive": "withdrawn",
    "expired": "expired",
}


@dataclass(frozen=True)
class RegistryRecord:
    """One certificate as a registry holds it; every field but the number may be missing."""

    number: str
    status: str = ""
    holders: tuple[str, ...] = ()
    certification_body: str = ""
    accreditation_body: str = ""
    standards: tuple[tuple[str, bool | None], ...] = ()
    accredited: bool | None = None
    issued: dt.date | None = None
    expires: dt.date | None = None
    scope: str = ""
    sectors: tuple[int, ...] = ()
    sites: tuple[Site, ...] = ()
    record_id: str = ""


def same_number(first: str, second: str) -> bool:
    """Certificate numbers compared without case, spaces or punctuation: ``FM 612345`` = ``fm-612345``."""
    key = re.compile(r"[^0-9a-z]")
    a, b = key.sub("", first.casefold()), key.sub("", second.casefold())
    return bool(a) and a == b


def parse_date(value: Any) -> dt.date | None:
    """A registry date: ``YYYYMMDD``, ISO 8601 (date or date-time) or a Unix timestamp; else ``None``."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{8}", text):
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def record_checks(
    certificate: Certificate, record: RegistryRecord, registry: str, as_of: dt.date, supplier: Supplier | None = None
) -> list[CertificateCheck]:
    """The checks that follow from a registry's record of ``certificate``, presented by ``supplier``."""
    holder = _holder(certificate, record, registry, supplier)
    if holder is not None and holder.counterfeit:
        # The number is real, but another company's: no confirmation of this supplier's certificate.
        checks = [holder]
    else:
        checks = [_status(certificate, record, registry, as_of), *([holder] if holder else [])]
    accreditation = _accreditation(record, registry)
    if accreditation is not None:
        checks.append(accreditation)
    details = _details(certificate, record, registry)
    if details is not None:
        checks.append(details)
    return checks


def _status(certificate: Certificate, record: RegistryRecord, registry: str, as_of: dt.date) -> CertificateCheck:
    word = plain(record.status)
    typed = f"the supplier declared it {certificate.status}" if certificate.status else "the supplier gave no status"
    name = f"certificate {certificate.number or record.number}"
    if word in REGISTRY_STATUSES and REGISTRY_STATUSES[word] is not None:
        status = REGISTRY_STATUSES[word]
        return _registry_check(
            registry,
            False,
            f"{registry} lists {name} as {record.status}; {typed}",
            status=status,
            verdict="differs",
        )
    if word not in REGISTRY_STATUSES:
        shown = record.status or "no status"
        return _registry_check(
            registry, False, f"{registry} holds {name} with {shown}; unverified", verdict="not_found", advisory=True
        )
    if record.expires is not None and record.expires < as_of:
        return _registry_check(
            registry,
            False,
            f"{registry} lists {name} as {record.status} but expiring {record.expires.isoformat()}, before "
            f"{as_of.isoformat()}; the certificate says it expires "
            f"{certificate.expires.isoformat() if certificate.expires else '(no date)'}",
            status="expired",
            verdict="differs",
        )
    until = f", expires {record.expires.isoformat()}" if record.expires else " (dates not disclosed)"
    return CertificateCheck(
        "registry_status",
        True,
        f"{registry} confirms {name}: {record.status}{until}",
        verified_by=registry,
        aspect="registry",
        verdict="confirmed",
        source=registry,
        supersedes=("declaration",),
        holds_until=record.expires,
    )


def _holder(
    certificate: Certificate, record: RegistryRecord, registry: str, supplier: Supplier | None
) -> CertificateCheck | None:
    """Whether the registry holds the certificate under the supplier (or, checked on its own, the printed holder)."""
    whose = supplier.name if supplier is not None else certificate.holder
    if not record.holders or not whose:
        return None
    name = f"certificate {certificate.number or record.number}"
    held = next((h for h in record.holders if same_legal_entity(h, whose)), None)
    if held is not None:
        return CertificateCheck(
            "registry_holder", True, f"{registry} holds {name} under {held}", aspect="registry", source=registry
        )
    who = f"the supplier {whose}" if supplier is not None else f"{whose}, as printed"
    return _registry_check(
        registry,
        False,
        f"suspected counterfeit: {registry} holds {name} under {record.holders[0]}, not under {who}",
        verdict="differs",
        advisory=True,
        red_flag=True,
        check="registry_holder",
        counterfeit=True,
    )


def _accreditation(record: RegistryRecord, registry: str) -> CertificateCheck | None:
    flags = [mla for standard, mla in record.standards if "9001" in standard and mla is not None]
    if record.accredited is False or (flags and not any(flags)):
        why = "Unaccredited" if record.accredited is False else "is_accredited_mla false for ISO 9001"
        return CertificateCheck(
            "registry_accreditation",
            False,
            f"{registry}: the certificate is not accredited under the IAF MLA ({why})",
            status="unaccredited",
            aspect="accreditation",
            source=registry,
        )
    if any(flags):
        body = f" by {record.accreditation_body}" if record.accreditation_body else ""
        return CertificateCheck(
            "registry_accreditation",
            True,
            f"{registry}: ISO 9001 accredited{body} under the IAF MLA (is_accredited_mla); this supersedes the "
            "shipped list of accreditation bodies",
            aspect="accreditation",
            source=registry,
            supersedes=("accreditation",),
        )
    return None


def _details(certificate: Certificate, record: RegistryRecord, registry: str) -> CertificateCheck | None:
    differences, red_flag = [], False
    for label, printed, held in (
        ("accreditation body", certificate.accreditation_body, record.accreditation_body),
        ("certification body", certificate.certification_body, record.certification_body),
    ):
        if printed and held and not (same_organisation(printed, held) or plain(printed) in plain(held)):
            differences.append(f"{label} {held}, not {printed}")
            red_flag = True
    for label, printed_date, held_date in (
        ("issue date", certificate.issued, record.issued),
        ("expiry date", certificate.expires, record.expires),
    ):
        if printed_date and held_date and printed_date != held_date:
            differences.append(f"{label} {held_date.isoformat()}, not {printed_date.isoformat()}")
    if not differences:
        return None
    prefix = "red flag: " if red_flag else ""
    return _registry_check(
        registry,
        False,
        f"{prefix}{registry} holds {'; '.join(differences)} (as printed)",
        verdict=None,
        advisory=True,
        red_flag=red_flag,
        check="registry_details",
    )


def _registry_check(
    registry: str,
    passed: bool,
    message: str,
    *,
    status: str | None = None,
    verdict: str | None,
    advisory: bool = False,
    red_flag: bool = False,
    check: str = "registry_status",
    counterfeit: bool = False,
) -> CertificateCheck:
    return CertificateCheck(
        check,
        passed,
        message,
        status=status,
        aspect="registry",
        verdict=verdict,
        source=registry,
        advisory=advisory,
        red_flag=red_flag,
        counterfeit=counterfeit,
    )


def not_found(certificate: Certificate, registry: str, why: str = "") -> CertificateCheck:
    """The registry does not hold the certificate: unverified, never invalid."""
    return _registry_check(
        registry,
        False,
        f"{registry}: certificate {certificate.number or '(no number)'} not found{f' ({why})' if why else ''}; "
        "it stays unverified, not invalid (a registry may not hold every accredited certificate: ask the "
        "certification body to confirm it)",
        verdict="not_found",
        advisory=True,
    )


def unavailable(registry: str, why: str) -> CertificateCheck:
    """The registry could not be asked or gave no usable answer: unverified."""
    return _registry_check(
        registry,
        False,
        f"{registry} unavailable: {why}; the certificate stays unverified",
        verdict="unavailable",
        advisory=True,
    )


def text(mapping: Mapping[str, Any], *keys: str) -> str:
    """The first non-empty text among ``keys`` of ``mapping``."""
    for key in keys:
        value = mapping.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return ""
