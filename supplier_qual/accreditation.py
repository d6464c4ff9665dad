"""The accreditation chain: certification body → accreditation body → IAF MLA, and its red flags.

A *certification body* (CB) audits and certifies the supplier; it is accredited by
an *accreditation body* (AB) for given standards and IAF codes; the certificate is
*accredited certification* only when that AB is an IAF MLA signatory for QMS
(:mod:`supplier_qual.refdata`). This module adds what the AB list alone cannot:

- an AB name that imitates the IAF, or a look-alike "accreditation forum"
  (``supplier_qual/data/accreditation_lookalikes.csv``);
- an optional *CB register* a user supplies (CSV: ``certification_body``,
  ``accreditation_body``, ``standards``, ``iaf_codes``, ``status``), against which
  the CB must be accredited by the certificate's AB, for ISO 9001 and for the
  certificate's IAF codes, and not suspended or withdrawn;
- a CB that is also the supplier's declared consultant (an impartiality conflict).
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from .documents import config_text
from .errors import ConfigurationError
from .model import Certificate, CertificateCheck
from .refdata import AccreditationBodies
from .sectors import plain

# Words that say what kind of company a name belongs to, not which company.
_GENERIC = frozenset(
    (
        "ltd",
        "limited",
        "llc",
        "llp",
        "inc",
        "incorporated",
        "gmbh",
        "mbh",
        "ag",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "plc",
        "co",
        "company",
        "corp",
        "corporation",
        "group",
        "holding",
        "holdings",
        "international",
        "intl",
        "pvt",
        "private",
        "pty",
        "the",
        "and",
        "of",
        "services",
        "service",
        "consulting",
        "consultancy",
        "consultants",
        "consultant",
        "certification",
        "certifications",
        "certification",
        "body",
        "registrar",
        "registrars",
        "assurance",
        "management",
        "systems",
        "system",
        "iso",
        "training",
        "solutions",
        "global",
        "uk",
        "us",
        "usa",
        "gb",
        "eu",
        "europe",
        "european",
        "america",
        "americas",
        "asia",
        "africa",
    )
)
_INACTIVE = {"suspended": "suspended", "withdrawn": "withdrawn", "cancelled": "withdrawn", "expired": "withdrawn"}


def organisation_key(name: str) -> frozenset[str]:
    """The distinctive words of an organisation's name: ``"BSI Assurance UK Ltd"`` → ``{"bsi", "uk"}``."""
    return frozenset(word for word in plain(name).split() if word not in _GENERIC)


def same_organisation(first: str, second: str) -> bool:
    """Whether two names plausibly name the same organisation or group (one's distinctive words within the other's)."""
    a, b = organisation_key(first), organisation_key(second)
    return bool(a and b) and (a <= b or b <= a)


# --- AB names imitating the IAF ------------------------------------------------------


@dataclass(frozen=True)
class LookAlike:
    """A name that is not an accreditation body although certificates print it as one."""

    name: str
    acronym: str
    why: str
    source: str


@functools.cache
def _lookalikes() -> tuple[LookAlike, ...]:
    text = (resources.files("supplier_qual") / "data" / "accreditation_lookalikes.csv").read_text(encoding="utf-8")
    return tuple(
        LookAlike(**{k: (v or "").strip() for k, v in row.items()}) for row in csv.DictReader(io.StringIO(text))
    )


def imitation(name: str) -> str | None:
    """Why ``name``, given as an accreditation body, imitates the IAF; ``None`` if it does not."""
    text = f" {plain(name)} "
    for entry in _lookalikes():
        if f" {plain(entry.name)} " in text or f" {plain(entry.acronym)} " in text:
            return f"{entry.name} ({entry.acronym}): {entry.why}"
    if " accreditation forum " in text or " iaf " in text:
        return "the name borrows the IAF's (International Accreditation Forum), which accredits no certification body"
    return None


# --- the certification-body register -------------------------------------------------


@dataclass(frozen=True)
class AccreditedCB:
    """One row of a CB register: a CB's accreditation by one AB."""

    certification_body: str
    accreditation_body: str
    standards: tuple[str, ...] = ()
    iaf_codes: frozenset[int] = frozenset()
    status: str = "active"
    source: str = ""


@dataclass(frozen=True)
class CBRegister:
    """A user-supplied register of accredited certification bodies."""

    entries: tuple[AccreditedCB, ...]
    origin: str

    def find(self, certification_body: str) -> list[AccreditedCB]:
        return [e for e in self.entries if same_organisation(e.certification_body, certification_body)]


@functools.lru_cache(maxsize=8)
def load_cb_register(path: str) -> CBRegister:
    """Read a CB register (CSV).

    :raises ConfigurationError: unreadable file, missing columns or a bad IAF code.
    """
    text = config_text(path, "certification-body register")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("certification_body", "accreditation_body") if c not in (reader.fieldnames or ())]
    if missing:
        raise ConfigurationError(f"{path}: the certification-body register needs the columns {', '.join(missing)}")
    entries = []
    for line, row in enumerate(reader, start=2):
        try:
            codes = parse_codes(row.get("iaf_codes") or "")
        except ValueError as exc:
            raise ConfigurationError(f"{path}: line {line}: {exc}") from exc
        entries.append(
            AccreditedCB(
                certification_body=(row.get("certification_body") or "").strip(),
                accreditation_body=(row.get("accreditation_body") or "").strip(),
                standards=tuple(s.strip() for s in (row.get("standards") or "").split(";") if s.strip()),
                iaf_codes=codes,
                status=(row.get("status") or "active").strip().lower(),
                source=(row.get("source") or "").strip(),
            )
        )
    return CBRegister(tuple(entries), path)


def parse_codes(cell: str) -> frozenset[int]:
    """``"17;18;28-30"`` → {17, 18, 28, 29, 30}; ``"all"`` → 1 to 39; empty → none given."""
    cell = cell.strip().lower()
    if cell in ("all", "1-39"):
        return frozenset(range(1, 40))
    codes: set[int] = set()
    for part in (p.strip() for p in cell.replace(",", ";").split(";")):
        if not part:
            continue
        low, _, high = part.partition("-")
        try:
            first, last = int(low), int(high or low)
        except ValueError:
            raise ValueError(f"{part!r} is not an IAF code or range (e.g. 17;18;28-30)") from None
        if not 1 <= first <= last <= 39:
            raise ValueError(f"{part!r}: IAF codes run from 1 to 39")
        codes.update(range(first, last + 1))
    return frozenset(codes)


def cb_check(certificate: Certificate, register: CBRegister, bodies: AccreditationBodies) -> CertificateCheck:
    """Whether the register shows the certificate's CB accredited by its AB for ISO 9001 and its IAF codes."""
    cb, ab = certificate.certification_body, certificate.accreditation_body

    def fail(message: str, red_flag: bool = True) -> CertificateCheck:
        return CertificateCheck(
            "cb_accreditation", False, message, status="unaccredited", aspect="accreditation", red_flag=red_flag
        )

    if not cb:
        return fail("no certification body given, so its accreditation cannot be checked", red_flag=False)
    rows = register.find(cb)
    if not rows:
        return fail(f"red flag: {cb} is not in the register of accredited certification bodies ({register.origin})")
    by_ab = [r for r in rows if _same_ab(r.accreditation_body, ab, bodies)]
    if not by_ab:
        others = ", ".join(sorted({r.accreditation_body for r in rows}))
        return fail(f"red flag: {cb} is accredited by {others}, not by {ab or 'the accreditation body given'}")
    for_qms = [r for r in by_ab if not r.standards or any("9001" in s for s in r.standards)]
    if not for_qms:
        standards = ", ".join(sorted({s for r in by_ab for s in r.standards}))
        return fail(f"{cb} is accredited by {ab} for {standards}, not for ISO 9001")
    active = [r for r in for_qms if r.status not in _INACTIVE]
    if not active:
        return fail(f"{cb}'s accreditation by {ab} for ISO 9001 is {_INACTIVE[for_qms[0].status]}")
    covered = frozenset().union(*(r.iaf_codes for r in active))
    missing = [code for code in certificate.iaf_codes if covered and code not in covered]
    if missing:
        return fail(
            f"red flag: {cb} is not accredited by {ab} for IAF {', '.join(str(c) for c in missing)} "
            f"(accredited for {_ranges(covered)})"
        )
    codes = f" and IAF {', '.join(str(c) for c in certificate.iaf_codes)}" if certificate.iaf_codes and covered else ""
    return CertificateCheck(
        "cb_accreditation",
        True,
        f"{cb} is accredited by {ab} for ISO 9001{codes} ({register.origin})",
        aspect="accreditation",
    )


def _same_ab(listed: str, given: str, bodies: AccreditationBodies) -> bool:
    first, second = bodies.match(listed), bodies.match(given)
    if first is not None and second is not None:
        return first == second
    return bool(given) and plain(listed) == plain(given)


def _ranges(codes: frozenset[int]) -> str:
    ordered: Sequence[int] = sorted(codes)
    return "IAF " + ", ".join(str(c) for c in ordered) if len(ordered) < 39 else "all IAF codes"


def consultant_check(certificate: Certificate) -> CertificateCheck | None:
    """A red flag when the supplier's declared consultant is the certification body (or its group)."""
    if not certificate.consultant or not certificate.certification_body:
        return None
    if same_organisation(certificate.consultant, certificate.certification_body):
        return CertificateCheck(
            "cb_impartiality",
            False,
            f"red flag: the certification body {certificate.certification_body} also consulted for the supplier "
            f"(declared consultant: {certificate.consultant}); a CB must not certify a management system it "
            "helped to build (ISO/IEC 17021-1 impartiality)",
            aspect="accreditation",
            advisory=True,
            red_flag=True,
        )
    return CertificateCheck(
        "cb_impartiality",
        True,
        f"the declared consultant {certificate.consultant} is not the certification body",
        aspect="accreditation",
    )
