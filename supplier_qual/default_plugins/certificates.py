"""Offline certificate rules, and the checks that decide whether a valid certificate can be trusted.

The rules, applied against the assessment date (``as_of``); the first that fails
gives the certificate's status (see :mod:`supplier_qual.certificates`):

1. the standard is a current edition of a management-system standard (ISO 9001,
   or ISO 14001, IATF 16949, AS9100 … from the standards table; "ISO 9001" with no
   year issued after 2018-09-15 is the 2015 edition), else ``obsolete_standard``;
2. the supplier or a registry does not declare it suspended, withdrawn or expired,
   else that status;
3. its accreditation body is an IAF MLA signatory for QMS in force, named alone
   and not a look-alike (IATF 16949 certification bodies are under IATF oversight
   instead), else ``unaccredited``;
4. it was issued on or before ``as_of`` and expires on or after it, else
   ``not_yet_valid`` or ``expired``;
5. it runs at most three years (plus the policy's grace) and expires after its
   issue, and it has a number and a holder, else ``invalid``;
6. when the policy names a register of accredited certification bodies, its CB is
   accredited by its AB for ISO 9001 and its IAF codes, else ``unaccredited``.

Trust checks leave the status alone but, failed, stop a valid certificate from
counting (aspect ``trust``): the holder is the supplier (legal name normalised, the
same identifier, or the supplier among the certified sites); the last surveillance
audit is no older than 12 months plus grace; a certificate only *declared* (an ESPD
"yes") is confirmed by a registry. Red flags (a certification body that also
consulted for the supplier, a scope covering every sector …) stop it counting too,
and the scope must cover what is supplied (:mod:`supplier_qual.scope`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from ..accreditation import cb_check, consultant_check, imitation, load_cb_register
from ..certificates import Identified, identify, undated_edition
from ..context import Context
from ..expiry import add_months, next_surveillance
from ..hookspecs import hookimpl
from ..legal_names import identifier_key, legal_name_key, same_legal_entity
from ..model import Certificate, CertificateCheck, Supplier
from ..refdata import AccreditationBodies
from ..scope import scope_checks
from ..sectors import iaf_sectors, plain

_DECLARED = {
    "suspended": "suspended",
    "withdrawn": "withdrawn",
    "cancelled": "withdrawn",
    "inactive": "withdrawn",
    "expired": "expired",
}
_SEPARATORS = re.compile(r"\s*(?:/|,|;|&|\+|\||\band\b)\s*", re.IGNORECASE)
_IAF_ITSELF = frozenset({"iaf", "iaf mla", "international accreditation forum", "iaf mla signatory"})


@hookimpl
def verify_certificate(certificate: Certificate, context: Context) -> list[CertificateCheck]:
    rules = context.policy.certificates
    identified = identify(certificate.standard, context.reference)
    checks = [
        _standard(certificate, identified, context),
        _declared_status(certificate),
        _accreditation(certificate, identified, context),
        _in_force(certificate, context.as_of),
        _validity_period(certificate, context),
        _identity(certificate),
    ]
    optional = [
        _holder(certificate, context.supplier),
        _surveillance(certificate, context),
        _declaration(certificate),
        consultant_check(certificate),
    ]
    checks += [check for check in optional if check is not None]
    if rules.cb_register:
        checks.append(
            cb_check(certificate, load_cb_register(rules.cb_register), context.reference.accreditation_bodies)
        )
    return checks + scope_checks(certificate, context.scope, iaf_sectors(), wide_scope_codes=rules.wide_scope_codes)


def _standard(certificate: Certificate, identified: Identified | None, context: Context) -> CertificateCheck:
    fail = CertificateCheck("standard", False, "", status="obsolete_standard")
    if identified is None:
        return _with(
            fail, f"{certificate.standard} is not ISO 9001 nor a management-system standard supplier_qual knows"
        )
    family, year, note = identified.family, identified.edition, ""
    if identified.editions is None:
        edition_words = f"{family}:{year}" if year else family
        return CertificateCheck(
            "standard", True, f"{edition_words}: edition not checked (no table of {family} editions is kept)"
        )
    if year is None:
        year = undated_edition(identified, certificate.issued)
        if year is None:
            return _with(fail, f"{certificate.standard} does not say which edition of {family} (e.g. {family}:2015)")
        note = f" (no edition given; issued {certificate.issued}, so read as {family}:{year})"
    edition = identified.editions.get(year)
    origin = context.reference.editions.origin if identified.standard is None else context.reference.standards.origin
    if edition is None:
        return _with(fail, f"{family}:{year} is not a recognised edition ({origin})")
    if edition.published and context.as_of < edition.published:
        return _with(fail, f"{family}:{year} was not yet published on {context.as_of.isoformat()}")
    if edition.valid_until and context.as_of > edition.valid_until:
        return _with(fail, f"{family}:{year} certificates lost validity on {edition.valid_until.isoformat()}")
    return CertificateCheck("standard", True, f"{family}:{year} is a current edition{note}")


def _declared_status(certificate: Certificate) -> CertificateCheck:
    status = _DECLARED.get(certificate.status)
    if status:
        return CertificateCheck("declared_status", False, f"declared {certificate.status}", status=status)
    return CertificateCheck("declared_status", True, "not declared suspended, withdrawn or expired")


def _accreditation(certificate: Certificate, identified: Identified | None, context: Context) -> CertificateCheck:
    name = certificate.accreditation_body
    bodies = context.reference.accreditation_bodies
    fail = CertificateCheck("accreditation", False, "", status="unaccredited", aspect="accreditation", red_flag=True)
    oversight = identified.standard.oversight if identified and identified.standard else ""
    if oversight and (not name or bodies.match(name) is not None or plain(name).startswith(plain(oversight))):
        return CertificateCheck(
            "accreditation",
            True,
            f"{identified.family if identified else ''} certification bodies are recognised under {oversight} "
            f"oversight, not IAF MLA accreditation ({oversight} recognition, not a look-alike)",
            aspect="accreditation",
        )
    if not name:
        return dataclasses.replace(fail, message="no accreditation body given", red_flag=False)
    named = _named_bodies(name, bodies)
    if len(named) > 1:
        return _with(
            fail,
            f"red flag: “{name}” names more than one accreditation body ({', '.join(named)}): a certificate is "
            f"issued under one accreditation, and “{name}” is not {named[-1]}",
        )
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
    if not body.in_force:
        return dataclasses.replace(
            fail,
            message=f"{body.acronym} ({body.name}) does not accredit QMS certification under the IAF MLA: its "
            f"recognition is {body.status.replace('_', ' ')} ({bodies.origin})",
            red_flag=False,
        )
    confidence = f"; confidence: {body.confidence}" if body.confidence else ""
    return CertificateCheck(
        "accreditation",
        True,
        f"{body.acronym} ({body.name}) is an IAF MLA signatory for QMS{confidence}",
        aspect="accreditation",
    )


def _named_bodies(name: str, bodies: AccreditationBodies) -> list[str]:
    """The distinct accreditation bodies (and look-alikes) a field names, part by part."""
    named: list[str] = []
    parts = [p for p in _SEPARATORS.split(name) if p.strip()]
    if len(parts) < 2:
        return named
    for part in parts:
        body = bodies.match(part)
        label = body.acronym if body is not None else (part.strip() if imitation(part) else "")
        if label and label not in named and plain(part) not in _IAF_ITSELF:
            named.append(label)
    return named


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


def _holder(certificate: Certificate, supplier: Supplier | None) -> CertificateCheck | None:
    """Trust: the certificate is the supplier's own (legal name, identifier, or a certified site of the supplier)."""
    if supplier is None or not certificate.holder:
        return None
    if same_legal_entity(certificate.holder, supplier.name):
        return _trust("holder", True, f"held by {certificate.holder}, the supplier")
    if certificate.holder_id and supplier.id and identifier_key(certificate.holder_id) == identifier_key(supplier.id):
        return _trust("holder", True, f"held under the supplier's identifier {supplier.id}")
    key = legal_name_key(supplier.name)
    site = next(
        (
            s
            for s in certificate.sites
            if (s.name and legal_name_key(s.name) == key) or (key and f" {key} " in f" {legal_name_key(s.address)} ")
        ),
        None,
    )
    if site is not None:
        return _trust("holder", True, f"held by {certificate.holder}, which lists the supplier among its sites")
    return _trust(
        "holder",
        False,
        f"held by {certificate.holder}, not by the supplier {supplier.name}: another company's certificate does "
        "not count for this supplier",
    )


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
        return _trust(
            "surveillance",
            False,
            f"unconfirmed: the last surveillance audit given is {last.isoformat()}, more than "
            f"{rules.surveillance_months + grace} months ago; it counts again once the latest surveillance report "
            "is provided",
        )
    return CertificateCheck(
        "surveillance", True, f"last surveillance audit {last.isoformat()}; {when}", holds_until=stale_from
    )


def _declaration(certificate: Certificate) -> CertificateCheck | None:
    if not certificate.declared:
        return None
    return _trust(
        "declaration",
        False,
        "declared, unverified: the supplier says it holds this certificate but gave no certificate and no registry "
        "confirmed it; it does not count until a registry or the certificate itself confirms it",
    )


def _trust(name: str, passed: bool, message: str) -> CertificateCheck:
    return CertificateCheck(name, passed, message, aspect="trust", advisory=not passed)


def _with(check: CertificateCheck, message: str) -> CertificateCheck:
    return dataclasses.replace(check, message=message)
