"""Bid eligibility: each tender requirement met and not met, the outputs, the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy
import pytest

import supplier_qual
from supplier_qual.model import RequirementResult
from supplier_qual.tender import Eligibility, Requirement, Tender, load_tender, parse_tender

from .conftest import AS_OF, EXAMPLES, ROOT, VALID_CERTIFICATE, write_json

Make = Callable[..., dict[str, Any]]
VALVES = ROOT / "examples" / "tenders" / "valve-components.yaml"
BIDS = [EXAMPLES / "northwind-components.json", EXAMPLES / "brightline-fabrication.json"]
CONTRACT_END = "2028-12-31"


def tender(requirements: dict[str, Any], **dates: Any) -> Tender:
    data = {"id": "T-1", "title": "Valve supply", "closing_date": "2026-12-15", "contract_end": CONTRACT_END}
    return parse_tender({**data, **dates, "requirements": requirements})


def check(pm: pluggy.PluginManager, tmp_path: Path, the_tender: Tender, *submissions: dict[str, Any]) -> Eligibility:
    paths = [write_json(tmp_path / f"bid-{index}.json", data) for index, data in enumerate(submissions)]
    return supplier_qual.eligibility(the_tender, paths, as_of=AS_OF, pm=pm)


def only(result: Eligibility) -> RequirementResult:
    [bidder] = result.bidders
    [requirement] = bidder.requirements
    assert bidder.eligible == requirement.met
    return requirement


def certificate(**changes: Any) -> dict[str, Any]:
    return {**VALID_CERTIFICATE, **changes}


# -- certificate ------------------------------------------------------------------------------------------------


def test_certificate_met(pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make) -> None:
    wanted = tender({"certificate": {"iaf_codes": [17], "valid_through": "closing_date"}})
    result = only(check(pm, tmp_path, wanted, make_submission()))
    assert result.met
    assert result.requirement == (
        "ISO 9001:2015 certificate, accredited, covering IAF 17, valid through the closing date 2026-12-15"
    )
    assert result.reason == (
        "Certificate FM 612345 (ISO 9001:2015, accredited by UKAS) is valid through 2026-12-15 and covers IAF 17"
    )


def test_certificate_expiring_before_the_contract_end(
    pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make
) -> None:
    wanted = tender({"certificate": {"iaf_codes": [17], "valid_through": "contract_end"}})
    result = only(check(pm, tmp_path, wanted, make_submission()))
    assert not result.met
    assert result.reason == (
        "No valid, accredited ISO 9001:2015 certificate covering IAF 17 is valid through the contract end "
        "2028-12-31: FM 612345 expires 2027-03-14"
    )


def test_certificate_missing(pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make) -> None:
    result = only(check(pm, tmp_path, tender({"certificate": {}}), make_submission(certificates=[])))
    assert not result.met
    assert result.reason.endswith(": no certificate presented")


@pytest.mark.parametrize(
    ("held", "required", "why"),
    [
        ([17], [28], "FM 612345 covers IAF 17, not 28"),
        ([17, 18], [17, 28, 29], "FM 612345 covers IAF 17, 18, not 28, 29"),
        ([], [28], "FM 612345 lists no IAF codes, so coverage of IAF 28 could not be confirmed"),
    ],
)
def test_certificate_iaf_codes(
    pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make, held: list[int], required: list[int], why: str
) -> None:
    submission = make_submission(certificates=[certificate(iaf_codes=held)])
    result = only(check(pm, tmp_path, tender({"certificate": {"iaf_codes": required}}), submission))
    assert not result.met
    assert result.reason.endswith(why)


def test_certificate_without_iaf_codes_meets_a_requirement_naming_none(
    pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make
) -> None:
    submission = make_submission(certificates=[certificate(iaf_codes=[])])
    assert only(check(pm, tmp_path, tender({"certificate": {}}), submission)).met


@pytest.mark.parametrize(("accredited", "met"), [(True, False), (False, True)])
def test_unaccredited_certificate(
    pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make, accredited: bool, met: bool
) -> None:
    submission = make_submission(certificates=[certificate(accreditation_body="Global Accreditation Council")])
    result = only(check(pm, tmp_path, tender({"certificate": {"accredited": accredited}}), submission))
    assert result.met is met
    if met:
        assert "(ISO 9001:2015, not accredited)" in result.reason
        assert "accredited" not in result.requirement
    else:
        assert result.reason.endswith("FM 612345 is not accredited")


def test_unaccredited_and_expired_is_not_accepted_even_without_accreditation(
    pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make
) -> None:
    cert = certificate(accreditation_body="Global Accreditation Council", issued="2022-01-10", expires="2025-01-09")
    wanted = tender({"certificate": {"accredited": False}})
    assert not only(check(pm, tmp_path, wanted, make_submission(certificates=[cert]))).met


@pytest.mark.parametrize(
    ("held", "required", "met"),
    [
        ("EN ISO 9001:2015", "ISO 9001:2015", True),
        ("ISO 9001:2015/Amd 1:2024", "ISO 9001:2015", True),
        ("ISO 9001:2015", "EN ISO 9001:2015", True),
        ("ISO 9001 : 2015", "ISO 9001:2015", True),
        ("ISO 9001:2008", "ISO 9001:2015", False),
    ],
)
def test_certificate_edition(
    pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make, held: str, required: str, met: bool
) -> None:
    submission = make_submission(certificates=[certificate(standard=held)])
    assert only(check(pm, tmp_path, tender({"certificate": {"standard": required}}), submission)).met is met


def test_one_good_certificate_among_bad_ones_is_enough(
    pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make
) -> None:
    certificates = [certificate(number="OLD 1", standard="ISO 9001:2008"), certificate()]
    result = only(check(pm, tmp_path, tender({"certificate": {}}), make_submission(certificates=certificates)))
    assert result.met
    assert result.reason.startswith("Certificate FM 612345 ")


@pytest.mark.parametrize(
    ("valid_through", "label", "met"),
    [
        (None, "valid on the evaluation date", True),
        ("closing_date", "valid through the closing date 2026-12-15", True),
        ("contract_end", "valid through the contract end 2028-12-31", False),
        ("2027-03-14", "valid through 2027-03-14", True),
        ("2027-03-15", "valid through 2027-03-15", False),
    ],
)
def test_valid_through(
    pm: pluggy.PluginManager,
    tmp_path: Path,
    make_submission: Make,
    valid_through: str | None,
    label: str,
    met: bool,
) -> None:
    wanted = tender({"certificate": {} if valid_through is None else {"valid_through": valid_through}})
    result = only(check(pm, tmp_path, wanted, make_submission()))
    assert result.requirement == f"ISO 9001:2015 certificate, accredited, {label}"
    assert result.met is met


def test_certificates_are_checked_as_of_the_evaluation_date(pm: pluggy.PluginManager, make_submission: Make) -> None:
    submission = supplier_qual.read_submission(json.dumps(make_submission()).encode(), filename="bid.json", pm=pm)
    later = supplier_qual.eligibility(tender({"certificate": {}}), [submission], as_of="2027-06-01", pm=pm)
    assert not later.bidders[0].eligible
    assert later.bidders[0].requirements[0].reason.endswith("FM 612345 is expired")


# -- scores and decision ----------------------------------------------------------------------------------------


def test_min_overall(pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make) -> None:
    data = make_submission({"A1": "No", "G1": "No"})
    score = check(pm, tmp_path, tender({"min_overall": 0}), data).bidders[0].score
    assert 50 < score < 100
    met = only(check(pm, tmp_path, tender({"min_overall": score}), data))
    assert met.met and met.requirement == f"overall score at least {score:g}"
    short = only(check(pm, tmp_path, tender({"min_overall": score + 0.5}), data))
    assert not short.met
    assert short.reason == f"Overall score is {score:.1f}, below the {score + 0.5:g} required"


def test_min_outcome_gives_one_requirement_per_outcome(
    pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make
) -> None:
    data = make_submission({"G1": "No"})
    result = check(pm, tmp_path, tender({"min_outcome": {"H": 50, "G": 99}}), data)
    [bidder] = result.bidders
    assert [r.requirement for r in bidder.requirements] == ["outcome G at least 99", "outcome H at least 50"]
    assert [r.met for r in bidder.requirements] == [False, True]
    assert bidder.requirements[0].reason.startswith("Outcome G (")
    assert "below the 99 required" in bidder.requirements[0].reason
    assert not bidder.eligible


@pytest.mark.parametrize(("wanted", "met"), [("not_qualified", True), ("conditional", True), ("qualified", False)])
def test_decision_at_least(
    pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make, wanted: str, met: bool
) -> None:
    conditional = make_submission(certificates=[])  # no certificate: at best conditional
    result = only(check(pm, tmp_path, tender({"decision_at_least": wanted}), conditional))
    assert result.met is met
    assert result.reason.startswith("Qualification decision is conditional")


def test_eligible_only_when_every_requirement_is_met(
    pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make
) -> None:
    requirements = {"certificate": {"iaf_codes": [17]}, "min_overall": 60, "decision_at_least": "qualified"}
    good, uncertified = make_submission(), make_submission(certificates=[])
    uncertified["supplier"] = {"name": "Second Bidder Ltd", "id": "GB-COH-07654321", "country": "GB"}
    result = check(pm, tmp_path, tender(requirements), good, uncertified)
    assert [(b.supplier.name, b.eligible) for b in result.bidders] == [
        ("Northwind Components Ltd", True),
        ("Second Bidder Ltd", False),
    ]
    assert [r.met for r in result.bidders[1].requirements] == [False, True, False]


def test_a_requirement_no_plugin_judges_is_a_configuration_error(
    pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make
) -> None:
    local = Tender("T-2", "", None, None, (Requirement("local_content", {"share": 0.3}, "local content 30%"),))
    with pytest.raises(supplier_qual.ConfigurationError, match="local_content"):
        check(pm, tmp_path, local, make_submission())


# -- the tender file --------------------------------------------------------------------------------------------


def test_example_tender_loads() -> None:
    valves = load_tender(VALVES)
    assert (valves.id, valves.title, str(valves.contract_end)) == (
        "T-2026-014",
        "Hydraulic valve components framework",
        CONTRACT_END,
    )
    assert [r.kind for r in valves.requirements] == [
        "certificate",
        "min_overall",
        "min_outcome",
        "min_outcome",
        "decision_at_least",
    ]
    assert len(valves.sha256) == 64


def test_tender_in_json(tmp_path: Path) -> None:
    path = write_json(tmp_path / "t.json", {"id": "T-9", "contract_end": "2027-01-31", "requirements": {
        "certificate": {"valid_through": "contract_end"}, "min_outcome": {"A": 40}}})  # fmt: skip
    assert [r.label for r in load_tender(path).requirements] == [
        "ISO 9001:2015 certificate, accredited, valid through the contract end 2027-01-31",
        "outcome A at least 40",
    ]


@pytest.mark.parametrize(
    ("data", "location", "message"),
    [
        ({"id": "T", "requirements": {"certificate": {"valid_through": "contract_end"}}},
         "$.requirements.certificate.valid_through", "no contract_end"),
        ({"id": "T", "requirements": {"certificate": {"valid_through": "next spring"}}},
         "$.requirements.certificate.valid_through", "contract_end, closing_date or a date"),
        ({"id": "T", "requirements": {"certificate": {"iaf_codes": [40]}}},
         "$.requirements.certificate.iaf_codes[0]", "1 to 39"),
        ({"id": "T", "requirements": {"certificate": {"standard": "Quality Mark 2000"}}},
         "$.requirements.certificate.standard", "management-system standard"),
        ({"id": "T", "requirements": {"min_overall": 120}}, "$.requirements.min_overall", "0 to 100"),
        ({"id": "T", "requirements": {"min_outcome": {"J": 50}}}, "$.requirements.min_outcome.J", "A to I"),
        ({"id": "T", "requirements": {"decision_at_least": "excellent"}}, "$.requirements.decision_at_least",
         "must be one of"),
        ({"id": "T", "requirements": {"min_score": 60}}, "$.requirements.min_score", "unknown field"),
        ({"id": "T", "budget": 5, "requirements": {}}, "$.budget", "unknown field"),
        ({"id": "T", "closing_date": "15/12/2026", "requirements": {}}, "$.closing_date", "not a date"),
        ({"requirements": {}}, "$.id", "Missing data"),
    ],
)  # fmt: skip
def test_tender_problems_are_located(data: dict[str, Any], location: str, message: str) -> None:
    with pytest.raises(supplier_qual.InputError) as caught:
        parse_tender(data, source="tender.yaml")
    assert any(p.location == location and message in p.message for p in caught.value.problems), caught.value.problems
    assert all(p.source == "tender.yaml" for p in caught.value.problems)
