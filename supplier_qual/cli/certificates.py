"""``supplier-qual verify`` and ``expiring``: certificates checked, and their dates watched."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import InputError, Problem
from .common import AS_OF, POLICY, emit, plugin_manager, policy_from, read_json, reference_date, reports_problems

if TYPE_CHECKING:
    from ..model import Certificate, CertificateReport

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@click.command(
    help="Check ISO 9001 certificates: edition, status, dates, accreditation chain, scope against what is "
    "bought, and (with --registry-config) registries such as IAF CertSearch."
)
@click.argument("certificates", type=click.Path(dir_okay=False, path_type=Path))
@AS_OF
@POLICY
@click.option(
    "--iaf-code",
    "iaf_codes",
    type=click.IntRange(1, 39),
    multiple=True,
    help="IAF code the scope must cover (repeatable).",
)
@click.option("--nace", multiple=True, help="NACE Rev. 2 code of what is bought, e.g. 25.62 (repeatable).")
@click.option("--scope-keyword", "keywords", multiple=True, help="Word or phrase the scope must cover (repeatable).")
@click.option(
    "--site", "sites", multiple=True, help='Supplying site the certificate must cover, "City, Country" (repeatable).'
)
@click.option(
    "--registry-config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Registries to ask (YAML; API keys from environment variables).",
)
@click.option(
    "--cb-register",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Register of accredited certification bodies (CSV).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@reports_problems
def verify(
    certificates: Path,
    as_of: dt.datetime | None,
    policy: Path | None,
    iaf_codes: tuple[int, ...],
    nace: tuple[str, ...],
    keywords: tuple[str, ...],
    sites: tuple[str, ...],
    registry_config: Path | None,
    cb_register: Path | None,
    as_json: bool,
) -> None:
    from .. import api
    from ..policy import DEFAULT_POLICY
    from ..sectors import normalise_nace

    pm = plugin_manager()
    found = _read_certificates(certificates)
    bad = [code for code in nace if normalise_nace(code) is None]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: not a NACE Rev. 2 code (e.g. 25.62)", param_hint="--nace")
    chosen = policy_from(policy) or DEFAULT_POLICY
    overrides: dict[str, Any] = {
        "required_iaf_codes": iaf_codes,
        "required_nace": nace,
        "scope_keywords": keywords,
        "supplying_sites": sites,
        "registries": str(registry_config.resolve()) if registry_config else None,
        "cb_register": str(cb_register.resolve()) if cb_register else None,
    }
    rules = dataclasses.replace(chosen.certificates, **{k: v for k, v in overrides.items() if v})
    chosen = dataclasses.replace(chosen, certificates=rules)
    report: CertificateReport = api.verify_certificates(found, as_of=reference_date(as_of), policy=chosen, pm=pm)
    fmt = "json" if as_json else "text"
    emit(api.render(report, fmt, pm=pm), None, fmt)


@click.command(help="List certificates that expire, or whose yearly surveillance audit falls due, within N days.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--days", default=90, show_default=True, type=click.IntRange(0, 3650), help="How many days ahead.")
@AS_OF
@click.option("-f", "--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "json", "xlsx"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@reports_problems
def expiring(files: tuple[Path, ...], days: int, as_of: dt.datetime | None, fmt: str, output: Path | None) -> None:
    from .. import api, expiry

    if fmt == "xlsx" and output is None:
        raise InputError([Problem("xlsx output needs -o FILE.xlsx")])
    day = reference_date(as_of)
    found: list[tuple[Certificate, str, str]] = []
    problems: list[Problem] = []
    for path in files:  # a file that cannot be read is reported, and the others are still watched
        try:
            found.extend(_certificates_with_supplier(path))
        except InputError as exc:
            problems.extend(exc.in_source(str(path)).problems)
    due = tuple(expiry.due_within(found, day, days))
    report = expiry.ExpiryReport(day, days, due, tuple(expiry.expired_before(found, day)))
    if found or not problems:
        emit(api.render(report, fmt, pm=plugin_manager()), output, fmt)
    if problems:
        raise InputError(problems)


def _certificates_with_supplier(path: Path) -> list[tuple[Certificate, str, str]]:
    """The certificates a file holds, each with the supplier's name and the file."""
    from ..uploads import read_upload

    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        submission = read_upload(path, pm=plugin_manager())
        return [(c, submission.supplier.name, str(path)) for c in submission.certificates]
    data = read_json(path)
    supplier = ""
    if isinstance(data, dict) and isinstance(data.get("supplier"), dict):
        supplier = str(data["supplier"].get("name") or "")
    return [(c, supplier or c.holder, str(path)) for c in _certificates_in(data, str(path))]


def _read_certificates(path: Path) -> list[Certificate]:
    from ..uploads import read_upload

    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return list(read_upload(path, pm=plugin_manager()).certificates)
    return _certificates_in(read_json(path), str(path))


def _certificates_in(data: Any, source: str) -> list[Certificate]:
    from ..schemas.submission import CertificateSchema
    from ..submission import document_kind

    if document_kind(data) == "performance":
        raise InputError([Problem("this is a performance file, not certificates")], source=source)
    prefix: tuple[str, ...] = ()
    if isinstance(data, dict) and "certificates" in data:
        data, prefix = data["certificates"], ("certificates",)
    elif isinstance(data, dict) and "supplier" in data:
        data = []  # a submission without certificates
    elif isinstance(data, dict) and "standard" in data:
        data = [data]
    if not isinstance(data, list):
        raise InputError(
            [Problem("expected a certificate, a list of them, or an object with 'certificates'")], source=source
        )
    problems: list[Problem] = []
    found = []
    for index, item in enumerate(data):
        try:
            found.append(CertificateSchema.parse(item, source=source, prefix=(*prefix, index)))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return found
