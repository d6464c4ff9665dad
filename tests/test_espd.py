"""ESPD: the public samples of each version, the request as a tender, responses as bids, import espd."""

from __future__ import annotations

import json
from pathlib import Path

import pluggy
import pytest
from click.testing import CliRunner

import supplier_qual
from supplier_qual.cli import cli

from .procurement_fixtures import BIDDERS, espd_request, espd_response
from .shared_data import sample


def test_v1_quality_assurance_response_is_a_declared_certificate(pm: pluggy.PluginManager) -> None:
    bid = supplier_qual.read_bid(sample("espd", "espd-v1_response_qa-certificates-independent-bodies.xml"), pm=pm)
    [certificate] = bid.certificates
    assert certificate.declared
    assert certificate.standard == "ISO 9001"
    assert certificate.evidence_url == "www.hodor.com"
    assert certificate.certification_body == "HODOR"
    assert certificate.number == "TECHNICAL_QUALITY"
    assert [(d.standard, d.holds) for d in bid.declarations] == [("ISO 9001", True)]
    assert bid.date is not None and bid.date.isoformat() == "2016-01-13"


def test_v1_operator_with_its_vat_number(pm: pluggy.PluginManager) -> None:
    bid = supplier_qual.read_bid(sample("espd", "espd-v1_response_eo-party-vat.xml"), pm=pm)
    assert bid.supplier.name == "Dell"
    assert bid.supplier.country == "AT"
    assert bid.identifiers[0] == "BE-VAT-0999999999"
    assert bid.supplier.id == "BE-VAT-0999999999"


def test_v2_1_response_yields_the_operator_with_identifiers(pm: pluggy.PluginManager) -> None:
    bid = supplier_qual.read_bid(sample("espd", "espd-v2.1.0_References-SelfContained-Response.xml"), pm=pm)
    assert bid.supplier.name == "_EoName"
    assert bid.identifiers == ("GR153301871",)
    assert bid.supplier.country == "GR"
    assert bid.role == "group member"
    assert set(bid.lots) == {"Lot1", "Lot2", "Lot3"}


def test_v4_1_request_yields_an_iso_9001_requirement(pm: pluggy.PluginManager) -> None:
    tender = supplier_qual.read_tender(sample("espd", "espd-v4.1.0_request.xml"), pm=pm)
    assert tender.id == "PP.20170419.1024-9"
    assert tender.format == "espd"
    certificates = [r for r in tender.requirements if r.kind == "certificate"]
    assert certificates[0].params["standard"] == "ISO 9001"
    assert certificates[0].label.startswith("ISO 9001 certificate, accredited")
    exclusions = [r for r in tender.requirements if r.label.startswith("exclusion ground")]
    assert len(exclusions) >= 20
    assert tender.notes and "not checked here" in tender.notes[0]


def test_assess_takes_an_espd_response_recognised_by_content(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    renamed = tmp_path / "bid-from-portal.dat"
    renamed.write_bytes(espd_response(BIDDERS[0]))
    submission = supplier_qual.read_submission(renamed, pm=pm)
    assert submission.supplier.name == "Alpha Precision Ltd"
    assert [c.declared for c in submission.certificates] == [True]
    assert submission.certificates[0].evidence_url == "https://certs.example/QA-ALPHA-1"


def test_import_espd_writes_a_submission_that_reads_back(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    source = tmp_path / "espd.xml"
    source.write_bytes(espd_response(BIDDERS[2]))
    out = tmp_path / "charlie.json"
    from supplier_qual.cli import main  # noqa: F401  - the command is registered by the ESPD plugin

    pm.hook.register_commands(cli=cli)
    result = CliRunner().invoke(cli, ["import", "espd", str(source), "-o", str(out)], obj=pm)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["supplier"]["id"] == "GB-COH-03333333"
    assert data["certificates"] == [
        {
            "standard": "ISO 9001:2015",
            "number": "QA-CHARLIE-1",
            "holder": "Charlie Engineering Ltd",
            "certification_body": "BSI Assurance UK Ltd",
            "evidence_url": "https://certs.example/QA-CHARLIE-1",
            "declared": True,
        }
    ]
    # The supplier completes the questionnaire in the file it was given; the declaration stays.
    data["answers"] = {"A1": {"value": "Yes", "evidence": "QM-01 rev 2"}}
    out.write_text(json.dumps(data), encoding="utf-8")
    again = supplier_qual.read_submission(out, pm=pm)
    assert again.certificates[0].declared


def test_a_request_given_as_a_bid_and_a_response_as_the_tender(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    request, response = tmp_path / "request.xml", tmp_path / "response.xml"
    request.write_bytes(espd_request())
    response.write_bytes(espd_response(BIDDERS[0]))
    with pytest.raises(supplier_qual.InputError, match="request \\(the tender's\\), not a response"):
        supplier_qual.read_bid(request, pm=pm)
    with pytest.raises(supplier_qual.TenderError, match="response \\(a bidder's\\), not a request"):
        supplier_qual.read_tender(response, pm=pm)
