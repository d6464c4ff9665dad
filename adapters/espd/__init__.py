"""ESPD (European Single Procurement Document): requests as tenders, responses as bids and submissions.

Every version in use is read — v1 (``ESPDRequest``/``ESPDResponse``, 2016), v2.0/2.1
and v3/v4 (``QualificationApplicationRequest``/``…Response``) — recognised by the
content (root element, namespace, ``ProfileExecutionID``/``UBLVersionID``), never
by the file's extension. See ``docs/espd.md`` for what is read and checked.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import click

from supplier_qual import hookimpl
from supplier_qual.catalog import Catalog
from supplier_qual.errors import Problem, SubmissionError, TenderError
from supplier_qual.model import Questionnaire, Submission
from supplier_qual.tender import Bid, Tender

from .document import EspdDocument, looks_like_xml, parse_espd

__all__ = ["read_espd_response", "read_espd_tender", "submission_from_espd"]
UNNAMED = "economic operator not named in the ESPD"


@hookimpl
def read_tender(data: bytes, filename: str, media_type: str | None) -> Tender | None:
    if not looks_like_xml(data):
        return None
    return read_espd_tender(data, filename)


def read_espd_tender(data: bytes, filename: str) -> Tender:
    """The tender an ESPD request states. :raises TenderError: not an ESPD request, or invalid."""
    from .request import read_request  # the criteria and the tender schema, imported for an ESPD only

    document = parse_espd(data, source=filename, error=TenderError)
    if document.kind != "request":
        raise TenderError(
            [Problem(f"this is an ESPD {document.version} response (a bidder's), not a request: give it as a bid")],
            source=filename,
        )
    tender = read_request(document)
    if not tender.id:
        raise TenderError([Problem("the ESPD request names no procedure", "cbc:ContractFolderID")], source=filename)
    return tender


@hookimpl
def read_bid(data: bytes, filename: str, media_type: str | None, catalog: Catalog) -> Bid | None:
    if not looks_like_xml(data):
        return None
    return read_espd_response(data, filename, catalog)


def _response_document(data: bytes, filename: str) -> EspdDocument:
    document = parse_espd(data, source=filename, error=SubmissionError)
    if document.kind != "response":
        raise SubmissionError(
            [
                Problem(
                    f"this is an ESPD {document.version} request (the tender's), not a response: give it as the tender"
                )
            ],
            source=filename,
        )
    return document


def read_espd_response(data: bytes, filename: str, catalog: Catalog) -> Bid:
    """The bid an ESPD response makes: operator, lots, answers, declarations and declared certificates."""
    from .response import read_response, supplier_of

    document = _response_document(data, filename)
    response = read_response(document)
    supplier, identifiers = supplier_of(response, UNNAMED)
    return Bid(
        supplier=supplier,
        identifiers=identifiers,
        lots=response.lots,
        responses=response.responses,
        declarations=response.declarations,
        certificates=response.certificates,
        role=response.operator.role,
        date=response.issued,
        sources=(filename,),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def submission_from_espd(
    data: bytes, filename: str, catalog: Catalog, questionnaire: Questionnaire | None = None
) -> Submission:
    """An ESPD response as a submission: the operator and its declared certificates; no questionnaire answers."""
    bid = read_espd_response(data, filename, catalog)
    chosen = questionnaire or catalog.default()
    return Submission(
        supplier=bid.supplier,
        questionnaire=chosen.ref,
        certificates=bid.certificates,
        source=filename,
        sha256=bid.sha256,
    )


@hookimpl
def read_submission(
    data: bytes, filename: str, media_type: str | None, questionnaire: Questionnaire | None, catalog: Catalog
) -> Submission | None:
    if not looks_like_xml(data):
        return None
    return submission_from_espd(data, filename, catalog, questionnaire)


@hookimpl
def register_commands(cli: click.Group) -> None:
    group = cli.commands.get("import")
    if not isinstance(group, click.Group):
        group = click.Group("import", help="Import bid documents from procurement systems as submissions.")
        cli.add_command(group)
    group.add_command(import_espd)


@click.command(
    "espd",
    help="Read an ESPD response (v1, v2, v3 or v4) and write it as a submission (JSON): the economic operator "
    "and the certificates it declares, marked declared (unverified). Questionnaire answers are not part of an ESPD.",
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the submission here.")
def import_espd(file: Path, output: Path | None) -> None:
    from supplier_qual.api import catalog, read_capped
    from supplier_qual.cli.common import emit, plugin_manager, reports_problems

    @reports_problems
    def run() -> None:
        data = read_capped(file, what="ESPD file", error=SubmissionError, source=str(file))
        submission = submission_from_espd(data, str(file), catalog(plugin_manager()))
        emit(json.dumps(submission_json(submission), ensure_ascii=False, indent=2) + "\n", output, "json")
        if output is not None:
            declared = len(submission.certificates)
            click.echo(f"Wrote {output}: {submission.supplier.name}, {declared} declared certificate(s).", err=True)

    run()


def submission_json(submission: Submission) -> dict[str, object]:
    """A submission as the submission JSON format writes it (what ``import espd`` outputs)."""
    supplier = {k: v for k, v in vars(submission.supplier).items() if v}
    certificates = []
    for cert in submission.certificates:
        entry: dict[str, object] = {"standard": cert.standard}
        for key in ("number", "holder", "certification_body", "evidence_url"):
            if getattr(cert, key):
                entry[key] = getattr(cert, key)
        entry["declared"] = cert.declared
        certificates.append(entry)
    return {
        "supplier": supplier,
        "questionnaire": {"id": submission.questionnaire.id, "version": submission.questionnaire.version},
        "answers": {},
        "certificates": certificates,
    }
