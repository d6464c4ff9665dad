"""A two-lot tender, five bidders: the eligible set per lot and the reasons, from YAML, OCDS and ESPD."""

from __future__ import annotations

import json
from pathlib import Path

import pluggy
import pytest
from click.testing import CliRunner

import supplier_qual
from supplier_qual.cli import cli
from supplier_qual.model import Questionnaire
from supplier_qual.tender import Eligibility

from .procurement_fixtures import (
    AS_OF,
    BIDDERS,
    EXPECTED,
    OVERLAY_YAML,
    TENDER_YAML,
    espd_request,
    espd_response,
    ocds_package,
    write_json_file,
    write_submissions,
)


def eligible_per_lot(result: Eligibility) -> dict[str, list[str]]:
    return {lot.id: list(lot.eligible) for lot in result.lots}


def reason(result: Eligibility, name: str, lot: str, kind_word: str) -> str:
    entry = next(b for b in result.bidders if b.supplier.name == name and b.lot == lot)
    return next(r.reason for r in entry.requirements if kind_word in r.requirement and r.state == "not_met")


def assert_the_reasons(result: Eligibility) -> None:
    assert eligible_per_lot(result) == EXPECTED
    assert "QA-BRAVO-1 expires 2027-03-14" in reason(result, "Bravo Castings Ltd", "LOT-1", "certificate")
    assert "valid through the contract end 2028-12-31" in reason(result, "Bravo Castings Ltd", "LOT-1", "certificate")
    assert "QA-CHARLIE-1 covers IAF 28, not 17" in reason(result, "Charlie Engineering Ltd", "LOT-1", "certificate")
    assert "QA-ALPHA-1" not in str([b.requirements for b in result.bidders if b.supplier.name != "Alpha Precision Ltd"])
    delta = reason(result, "Delta Supplies Ltd", "LOT-2", "certificate")
    assert "no certificate presented" in delta or "cannot produce" in delta
    assert "Outcome G" in reason(result, "Echo Components Ltd", "LOT-1", "outcome G")
    echo = next(b for b in result.bidders if b.supplier.name == "Echo Components Ltd" and b.lot == "LOT-1")
    assert [r.state for r in echo.requirements if "certificate" in r.requirement] == ["met"]
    assert {b.state for b in result.bidders} <= {"met", "not_met"}


@pytest.fixture
def bids(tmp_path: Path, questionnaire: Questionnaire) -> list[Path]:
    return write_submissions(tmp_path / "bids", questionnaire)


def test_from_yaml(pm: pluggy.PluginManager, tmp_path: Path, bids: list[Path]) -> None:
    tender = tmp_path / "tender.yaml"
    tender.write_text(TENDER_YAML, encoding="utf-8")
    result = supplier_qual.eligibility(tender, bids, as_of=AS_OF, pm=pm)
    assert_the_reasons(result)
    assert len(result.bidders) == 10  # five bidders, each for both lots


def test_from_an_ocds_package(pm: pluggy.PluginManager, tmp_path: Path, bids: list[Path]) -> None:
    package = write_json_file(tmp_path / "package.json", ocds_package())
    tender = tmp_path / "tender.yaml"
    tender.write_text(OVERLAY_YAML.format(base="package.json"), encoding="utf-8")
    result = supplier_qual.eligibility(tender, submissions=tmp_path / "bids", as_of=AS_OF, pm=pm)
    assert_the_reasons(result)
    assert result.tender.id == "T-2026-020" and result.tender.format == "ocds"
    assert all(b.matched_by == "identifier" for b in result.bidders)
    # Without the buyer's own requirement on outcome G, the package alone lets Echo through.
    alone = supplier_qual.eligibility(package, submissions=tmp_path / "bids", as_of=AS_OF, pm=pm)
    assert eligible_per_lot(alone) == {
        "LOT-1": ["Alpha Precision Ltd", "Echo Components Ltd"],
        "LOT-2": ["Alpha Precision Ltd", "Charlie Engineering Ltd", "Echo Components Ltd"],
    }


def test_from_an_espd_request_with_espd_responses(pm: pluggy.PluginManager, tmp_path: Path, bids: list[Path]) -> None:
    (tmp_path / "request.xml").write_bytes(espd_request())
    responses = []
    for bidder in BIDDERS:
        path = tmp_path / "bids" / f"espd-{bidder['coh']}.xml"
        path.write_bytes(espd_response(bidder))
        responses.append(path)
    tender = tmp_path / "tender.yaml"
    tender.write_text(
        "based_on: request.xml\nclosing_date: 2026-12-15\ncontract_end: 2028-12-31\n"
        "requirements:\n  min_outcome: {G: 50}\n"
        "lots:\n  - id: LOT-1\n    requirements:\n      certificate: {standard: ISO 9001:2015, iaf_codes: [17], "
        "valid_through: contract_end}\n  - id: LOT-2\n    contract_end: 2027-12-31\n    requirements:\n"
        "      certificate: {standard: ISO 9001:2015, iaf_codes: [28], valid_through: contract_end}\n",
        encoding="utf-8",
    )
    result = supplier_qual.eligibility(tender, [*responses, *bids], as_of=AS_OF, pm=pm)
    assert_the_reasons(result)
    assert len({b.supplier.name for b in result.bidders}) == 5  # each ESPD joined to its bidder's submission
    assert result.duplicates == ()
    delta = reason(result, "Delta Supplies Ltd", "LOT-1", "certificate")
    assert "declares it cannot produce" in delta


def test_espd_responses_alone_are_declared_unverified(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    (tmp_path / "request.xml").write_bytes(espd_request())
    paths = []
    for bidder in BIDDERS[:1] + BIDDERS[3:4]:
        path = tmp_path / f"espd-{bidder['coh']}.xml"
        path.write_bytes(
            espd_response(bidder, explanation="Certification audit booked for January; QM manual attached")
        )
        paths.append(path)
    result = supplier_qual.eligibility(tmp_path / "request.xml", paths, as_of=AS_OF, pm=pm)
    alpha = next(b for b in result.bidders if b.supplier.name == "Alpha Precision Ltd" and b.lot == "LOT-1")
    assert alpha.state == "cannot_tell" and not alpha.eligible
    [requirement] = alpha.requirements
    assert requirement.state == "cannot_tell"
    assert "declared, unverified" in requirement.reason
    assert "QA-ALPHA-1" in requirement.reason and "BSI Assurance UK Ltd" in requirement.reason
    assert "https://certs.example/QA-ALPHA-1" in requirement.reason
    assert alpha.to_supply and "declared, unverified" in alpha.to_supply[0]
    delta = next(b for b in result.bidders if b.supplier.name == "Delta Supplies Ltd" and b.lot == "LOT-1")
    assert delta.state == "cannot_tell"
    assert "Certification audit booked" in delta.requirements[0].reason and "62(2)" in delta.requirements[0].reason


def test_the_cli_reports_each_lot_and_the_lot_asked_for(
    pm: pluggy.PluginManager, tmp_path: Path, bids: list[Path]
) -> None:
    tender = tmp_path / "tender.yaml"
    tender.write_text(TENDER_YAML, encoding="utf-8")
    runner = CliRunner()
    text = runner.invoke(cli, ["eligibility", str(tender), *map(str, bids), "--as-of", AS_OF], obj=pm)
    assert text.exit_code == 0, text.output
    assert "Lot LOT-1 (Machined valve bodies): 1 of 5 eligible" in text.output
    assert "Lot LOT-2 (Installation): 2 of 5 eligible" in text.output
    assert "== Lot LOT-2: Installation ==" in text.output
    only = runner.invoke(
        cli, ["eligibility", str(tender), *map(str, bids), "--as-of", AS_OF, "--lot", "LOT-2", "-f", "json"], obj=pm
    )
    data = json.loads(only.output)
    assert data["lot"] == "LOT-2" and {b["lot"] for b in data["bidders"]} == {"LOT-2"}
    assert data["lots"] == [
        {"id": "LOT-2", "title": "Installation", "bidders": 5, "eligible": EXPECTED["LOT-2"], "cannot_tell": []}
    ]
    wrong = runner.invoke(cli, ["eligibility", str(tender), *map(str, bids), "--lot", "LOT-9"], obj=pm)
    assert wrong.exit_code == 2
    assert "the tender has no lot 'LOT-9' (its lots: LOT-1, LOT-2)" in wrong.output
    assert "Traceback" not in wrong.output


def test_ocds_flag_with_a_submissions_folder_lists_a_bidder_without_evidence(
    pm: pluggy.PluginManager, tmp_path: Path, bids: list[Path]
) -> None:
    package = write_json_file(tmp_path / "package.json", ocds_package(with_missing_bidder=True))
    result = CliRunner().invoke(
        cli,
        [
            "eligibility",
            "--ocds",
            str(package),
            "--submissions",
            str(tmp_path / "bids"),
            "--as-of",
            AS_OF,
            "--lot",
            "LOT-1",
            "-f",
            "json",
        ],
        obj=pm,
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    foxtrot = next(b for b in data["bidders"] if b["supplier"]["name"] == "Foxtrot Fabrications Ltd")
    assert foxtrot["state"] == "cannot_tell" and foxtrot["eligible"] is False
    assert foxtrot["evidence"] == "none"
    assert "no submission" in foxtrot["requirements"][0]["reason"] or "declared" in foxtrot["requirements"][0]["reason"]
    assert data["lots"][0]["cannot_tell"] == ["Foxtrot Fabrications Ltd"]
