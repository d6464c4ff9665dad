"""Reference data: IAF MLA accreditation bodies, ISO 9001 editions, other management-system standards.

An *accreditation body* (AB) accredits certification bodies; a certificate counts
as accredited only when its AB is an IAF MLA signatory for management-system (QMS)
certification in force (``status`` ``signatory``: a body whose recognition is
suspended or withdrawn accredits nothing). *Regional groups* (EA, IAAC, APAC …)
are co-operations of ABs and never the accreditation body named on a certificate.
The shipped lists are dated and sourced (``supplier_qual/data/README.md``); a
policy may name replacements.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .documents import config_text
from .errors import ConfigurationError, InputError
from .strict_yaml import parse_yaml

_AB_COLUMNS = ("acronym", "name", "economy", "kind", "confidence", "source", "status")
_PAREN = re.compile(r"\(([^)]*)\)")


@dataclass(frozen=True)
class AccreditationBody:
    """One row of the accreditation-body list."""

    acronym: str
    name: str
    economy: str = ""
    kind: str = "accreditation_body"
    confidence: str = ""
    source: str = ""
    status: str = "signatory"

    @property
    def regional_group(self) -> bool:
        return self.kind == "regional_group"

    @property
    def in_force(self) -> bool:
        """Whether its IAF MLA recognition for QMS stands (not suspended, withdrawn or outside QMS)."""
        return self.status == "signatory"


@dataclass(frozen=True, eq=False)
class AccreditationBodies:
    """The list of IAF MLA signatories for QMS, with where it came from.

    Compared and hashed by identity: each list is loaded once and its matches are
    cached against it.
    """

    bodies: tuple[AccreditationBody, ...]
    origin: str

    def match(self, text: str) -> AccreditationBody | None:
        """The body ``text`` names, by acronym or name, in any case or punctuation.

        ``"UKAS"``, ``"ukas"``, ``"United Kingdom Accreditation Service (UKAS)"`` and
        ``"DAkkS – Deutsche Akkreditierungsstelle"`` all match. Acronyms of one or
        two letters (``NA``, ``SA``) match only in their exact case, so ``"na"`` typed
        for "not applicable" is not taken for Norwegian Accreditation.
        """
        return _match(self, text)


@functools.lru_cache(maxsize=4096)
def _match(bodies: AccreditationBodies, text: str) -> AccreditationBody | None:
    for candidate in _candidates(text):
        key = _normalise(candidate)
        if not key:
            continue
        for body in bodies.bodies:
            if len(body.acronym) <= 2:
                if candidate.strip() == body.acronym:
                    return body
            elif key == _normalise(body.acronym):
                return body
            if key in _name_keys(body.name):
                return body
    return None


def _candidates(text: str) -> list[str]:
    text = text.strip()
    parts = [text, _PAREN.sub(" ", text).strip(), *_PAREN.findall(text)]
    for separator in (" - ", " – ", " — ", ",", "/"):
        if separator in text:
            parts.extend(p.strip() for p in text.split(separator))
    return [p for p in parts if p]


@functools.cache
def _name_keys(name: str) -> frozenset[str]:
    return frozenset(_normalise(part) for part in [name, _PAREN.sub(" ", name), *_PAREN.findall(name)] if part)


def _normalise(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.casefold()).split())


@dataclass(frozen=True)
class Edition:
    """An ISO 9001 edition: when published, and until when certificates to it count."""

    year: str
    published: dt.date | None
    valid_until: dt.date | None


@dataclass(frozen=True)
class Editions:
    """The known ISO 9001 editions, with where the table came from."""

    editions: Mapping[str, Edition]
    origin: str


@dataclass(frozen=True)
class StandardEditions:
    """A management-system standard other than ISO 9001: its editions, and how it is certified.

    ``family`` is the standard as :func:`supplier_qual.standards.standard_of` names it;
    ``revisions`` maps a revision letter (AS9100 D) to an edition's year;
    ``includes_iso9001`` says it contains every ISO 9001 requirement; ``oversight``
    names who recognises its certification bodies where that is not IAF MLA
    accreditation (the IATF).
    """

    family: str
    editions: Mapping[str, Edition]
    revisions: Mapping[str, str] = dataclasses.field(default_factory=dict)
    includes_iso9001: bool = False
    oversight: str = ""


@dataclass(frozen=True)
class Standards:
    """The known management-system standards besides ISO 9001, with where the table came from."""

    standards: tuple[StandardEditions, ...]
    origin: str

    def get(self, family: str) -> StandardEditions | None:
        """The table entry of ``family`` (``ISO 14001``), or ``None``."""
        return next((s for s in self.standards if s.family == family), None)


@dataclass(frozen=True)
class ReferenceData:
    """Everything the offline certificate rules look up."""

    accreditation_bodies: AccreditationBodies
    editions: Editions
    standards: Standards


def reference_data(
    accreditation_bodies: str | None = None, editions: str | None = None, standards: str | None = None
) -> ReferenceData:
    """The shipped reference data, or the user-supplied files named (paths)."""
    return ReferenceData(_accreditation_bodies(accreditation_bodies), _editions(editions), _standards(standards))


@functools.lru_cache(maxsize=16)
def _accreditation_bodies(path: str | None) -> AccreditationBodies:
    origin, text = _read(path, "iaf_mla_qms_accreditation_bodies.csv")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("acronym", "name") if c not in (reader.fieldnames or ())]
    if missing:
        raise ConfigurationError(f"{origin}: the accreditation-body list needs the columns {', '.join(missing)}")
    bodies = []
    for line, row in enumerate(reader, start=2):
        values = {c: (row.get(c) or "").strip() for c in _AB_COLUMNS}
        if not values["acronym"] and not values["name"]:
            raise ConfigurationError(f"{origin}: line {line}: a row needs an acronym or a name")
        values["kind"] = values["kind"] or "accreditation_body"
        values["status"] = values["status"].casefold() or "signatory"
        bodies.append(AccreditationBody(**values))
    return AccreditationBodies(tuple(bodies), origin)


@functools.lru_cache(maxsize=16)
def _editions(path: str | None) -> Editions:
    origin, text = _read(path, "iso9001_editions.yaml")
    try:
        data: Any = parse_yaml(text.encode(), source=origin)
        table = {
            str(year): Edition(str(year), _date(entry.get("published")), _date(entry.get("valid_until")))
            for year, entry in data["editions"].items()
        }
    except (InputError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ConfigurationError(f"{origin}: not a valid ISO 9001 editions table ({exc})") from exc
    return Editions(table, origin)


@functools.lru_cache(maxsize=16)
def _standards(path: str | None) -> Standards:
    origin, text = _read(path, "management_system_standards.yaml")
    try:
        data: Any = parse_yaml(text.encode(), source=origin)
        found = tuple(
            StandardEditions(
                family=str(entry["family"]),
                editions={
                    str(year): Edition(str(year), _date(e.get("published")), _date(e.get("valid_until")))
                    for year, e in entry["editions"].items()
                },
                revisions={str(k).upper(): str(v) for k, v in (entry.get("revisions") or {}).items()},
                includes_iso9001=bool(entry.get("includes_iso9001", False)),
                oversight=str(entry.get("oversight") or ""),
            )
            for entry in data["standards"]
        )
    except (InputError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ConfigurationError(f"{origin}: not a valid table of management-system standards ({exc})") from exc
    return Standards(found, origin)


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _read(path: str | None, shipped: str) -> tuple[str, str]:
    if path is None:
        resource = resources.files("supplier_qual") / "data" / shipped
        return f"supplier_qual/data/{shipped}", resource.read_text(encoding="utf-8")
    return path, config_text(path, "reference data")
