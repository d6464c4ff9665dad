"""A CSV register of certificates: a buyer's own verified list, or a national register's export.

Columns (header names, any order; only the first two are required)::

    certificate_number, holder, status, issued, expires, certification_body,
    accreditation_body, accredited, standard, iaf_codes, scope, source

A certificate is found when both its number (ignoring case, spaces and
punctuation) and its holder (ignoring legal forms such as Ltd or GmbH) match a
row. A row with the number but another holder is a red flag, and the certificate
stays unverified. ``status`` takes the registry words (Active, Suspended,
Withdrawn, Expired …); ``accredited`` is ``yes``/``no`` when the register says.
"""

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path

from supplier_qual import hookimpl
from supplier_qual.accreditation import parse_codes, same_organisation
from supplier_qual.context import Context
from supplier_qual.documents import config_text
from supplier_qual.errors import ConfigurationError
from supplier_qual.model import Certificate, CertificateCheck

from .config import RegistryConfig, registries_of_type
from .records import RegistryRecord, not_found, parse_date, record_checks, same_number

_REQUIRED = ("certificate_number", "holder")


@functools.lru_cache(maxsize=16)
def _rows(path: str, stamp: int) -> tuple[RegistryRecord, ...]:
    text = config_text(path, "certificate register")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or ()]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise ConfigurationError(f"{path}: the certificate register needs the columns {', '.join(missing)}")
    records = []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        try:
            sectors = tuple(sorted(parse_codes(row.get("iaf_codes", ""))))
        except ValueError as exc:
            raise ConfigurationError(f"{path}: line {line}: {exc}") from exc
        accredited = {"yes": True, "true": True, "accredited": True, "no": False, "false": False}.get(
            row.get("accredited", "").lower()
        )
        standard = row.get("standard", "")
        records.append(
            RegistryRecord(
                number=row["certificate_number"],
                status=row.get("status") or "Active",
                holders=(row["holder"],),
                certification_body=row.get("certification_body", ""),
                accreditation_body=row.get("accreditation_body", ""),
                standards=((standard, accredited),) if standard and accredited is not None else (),
                accredited=accredited,
                issued=parse_date(row.get("issued")),
                expires=parse_date(row.get("expires")),
                scope=row.get("scope", ""),
                sectors=sectors,
            )
        )
    return tuple(records)


def register(config: RegistryConfig) -> tuple[RegistryRecord, ...]:
    """The register's rows, re-read when the file changes."""
    try:
        stamp = Path(config.path).stat().st_mtime_ns
    except OSError as exc:
        raise ConfigurationError(f"registry {config.name}: cannot read {config.path} ({exc.strerror})") from exc
    return _rows(config.path, stamp)


def checks(certificate: Certificate, config: RegistryConfig, context: Context) -> list[CertificateCheck]:
    """What the register says about ``certificate``."""
    by_number = [r for r in register(config) if same_number(r.number, certificate.number)]
    if not by_number:
        return [not_found(certificate, config.name)]
    # Of several rows with the number, the one under the presented holder; a number known only under
    # another holder is checked as such (a suspected counterfeit).
    match = next((r for r in by_number if any(same_organisation(h, certificate.holder) for h in r.holders)), None)
    return record_checks(certificate, match or by_number[0], config.name, context.as_of, context.supplier)


@hookimpl
def verify_certificate(certificate: Certificate, context: Context) -> list[CertificateCheck] | None:
    configs = registries_of_type(context.policy.certificates.registries, "csv_register")
    if not configs:
        return None
    return [check for config in configs for check in checks(certificate, config, context)]
