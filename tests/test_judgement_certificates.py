"""A certificate counts only when it can be trusted, and every qualification is for a scope of supply."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy
import pytest

import supplier_qual
from supplier_qual.model import Assessment, CertificateResult

from .conftest import AS_OF, VALID_CERTIFICATE

Make = Callable[..., dict[str, Any]]
SITE = {"city": "Leeds", "country": "GB", "address": "1 Mill Lane, Leeds LS1 1AA", "main": True}


def _assess(pm: pluggy.PluginManager, data: dict[str, Any], **kwargs: Any) -> Assessment:
    return supplier_qual.assess(data, as_of=AS_OF, pm=pm, **kwargs)


def _one(assessment: Assessment) -> CertificateResult:
    return assessment.certificates[0]


def _decision(assessment: Assessment) -> str:
    assert assessment.decision is not None
    return assessment.decision.decision


def _with(**changes: Any) -> dict[str, Any]:
    return {**VALID_CERTIFICATE, **changes}


# --- the holder is the supplier -------------------------------------------------------------------


@pytest.mark.parametrize(
    "holder",
    ["Northwind Components Ltd", "NORTHWIND COMPONENTS LIMITED", "Northwind Components", "Northwind-Components Ltd."],
)
def test_the_supplier_s_own_certificate_counts(pm: pluggy.PluginManager, make_submission: Make, holder: str) -> None:
    assessment = _assess(pm, make_submission(certificates=[_with(holder=holder)]))
    assert _one(assessment).counts and _decision(assessment) == "qualified"


def test_another_company_s_certificate_does_not_count(pm: pluggy.PluginManager, make_submission: Make) -> None:
    assessment = _assess(pm, make_submission(certificates=[_with(holder="Northwind Castings Ltd")]))
    result = _one(assessment)
    assert result.status == "valid" and not result.counts
    assert _decision(assessment) == "conditional"
    findings = [f.message for f in assessment.outcomes["A"].findings]
    assert (
        "Certificate FM 612345: held by Northwind Castings Ltd, not by the supplier Northwind Components Ltd: "
        "another company's certificate does not count for this supplier"
    ) in findings


def test_the_holder_may_be_recognised_by_identifier_or_site(pm: pluggy.PluginManager, make_submission: Make) -> None:
    by_id = _with(holder="NW Group Holdings plc", holder_id="gb-coh-04567123")
    site = {**SITE, "name": "Northwind Components Ltd"}
    by_site = _with(holder="NW Group Holdings plc", sites=[site])
    assert _one(_assess(pm, make_submission(certificates=[by_id]))).counts
    assert _one(_assess(pm, make_submission(certificates=[by_site]))).counts


def test_a_registry_listing_the_number_under_another_holder_is_a_suspected_counterfeit(
    pm: pluggy.PluginManager, make_submission: Make, tmp_path: Path
) -> None:
    (tmp_path / "register.csv").write_text(
        "certificate_number,holder,status,certification_body,accreditation_body,issued,expires\n"
        "FM 612345,Harbour Plastics GmbH,active,BSI Assurance UK Ltd,UKAS,2024-03-15,2027-03-14\n",
        encoding="utf-8",
    )
    (tmp_path / "registries.yaml").write_text(
        "registries:\n  - {name: Buyer register, type: csv_register, path: register.csv}\n", encoding="utf-8"
    )
    (tmp_path / "policy.yaml").write_text("certificates:\n  registries: registries.yaml\n", encoding="utf-8")
    assessment = _assess(pm, make_submission(), policy=tmp_path / "policy.yaml")
    assert _decision(assessment) == "not_qualified"
    assert assessment.decision is not None
    assert assessment.decision.reasons == (
        "suspected counterfeit: Buyer register holds certificate FM 612345 under Harbour Plastics GmbH, not under "
        "the supplier Northwind Components Ltd",
    )
    (tmp_path / "register.csv").write_text(
        "certificate_number,holder,status\nFM 612345,Northwind Components Limited,active\n", encoding="utf-8"
    )
    confirmed = _assess(pm, make_submission(), policy=tmp_path / "policy.yaml")
    assert _decision(confirmed) == "qualified" and _one(confirmed).verified_by == "Buyer register"
    assert confirmed.outcomes["B"].assurance == "verified"


# --- red flags stop a certificate from counting -----------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "flag"),
    [
        ({"consultant": "BSI Consulting Ltd"}, "cb_impartiality"),
        ({"scope": "All products and services"}, "scope_breadth"),
        ({"accreditation_body": "UAF / UKAS"}, "accreditation"),
        ({"accreditation_body": "UAF"}, "accreditation"),
    ],
)
def test_a_red_flag_stops_the_certificate_from_counting(
    pm: pluggy.PluginManager, make_submission: Make, changes: dict[str, Any], flag: str
) -> None:
    assessment = _assess(pm, make_submission(certificates=[_with(**changes)]))
    result = _one(assessment)
    assert [c.check for c in result.red_flags] == [flag]
    assert not result.counts and _decision(assessment) == "conditional"


def test_uaf_slash_ukas_is_not_ukas(pm: pluggy.PluginManager, make_submission: Make) -> None:
    result = _one(_assess(pm, make_submission(certificates=[_with(accreditation_body="UAF / UKAS")])))
    assert result.status == "unaccredited"
    assert result.red_flags[0].message.startswith(
        "red flag: “UAF / UKAS” names more than one accreditation body (UAF, UKAS)"
    )


def test_a_consultant_other_than_the_certification_body_is_no_red_flag(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    assessment = _assess(pm, make_submission(certificates=[_with(consultant="Quality Partners Yorkshire")]))
    assert _one(assessment).counts and _decision(assessment) == "qualified"


# --- surveillance -------------------------------------------------------------------------------------


def test_overdue_surveillance_leaves_the_certificate_unconfirmed(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    late = _assess(pm, make_submission(certificates=[_with(last_surveillance="2025-03-10")]))
    assert _one(late).status == "valid" and not _one(late).counts
    assert _decision(late) == "conditional"
    assert any("latest surveillance audit" in a.action for a in late.corrective_actions)
    recent = _assess(pm, make_submission(certificates=[_with(last_surveillance="2026-03-10")]))
    assert _one(recent).counts and _decision(recent) == "qualified"


# --- suspended or withdrawn, and transfers between certification bodies ----------------------------

OLD = _with(
    number="Q-1001",
    certification_body="Old Cert Ltd",
    issued="2024-03-15",
    expires="2027-03-14",
    status="withdrawn",
    sites=[SITE],
)
NEW = _with(number="LRQ 4711", certification_body="LRQA Ltd", issued="2025-06-01", expires="2027-03-14", sites=[SITE])


def test_a_withdrawn_certificate_with_a_valid_successor_is_a_transfer(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    assessment = _assess(pm, make_submission(certificates=[OLD, NEW]))
    assert _decision(assessment) == "qualified"
    transfer = [f for f in assessment.outcomes["A"].findings if "IAF MD 2" in f.message]
    assert transfer and transfer[0].severity == "observation"
    assert transfer[0].message.startswith("Certificate Q-1001 is withdrawn: declared withdrawn; certificate LRQ 4711")


@pytest.mark.parametrize(
    "successor",
    [
        {**NEW, "issued": "2024-01-10"},  # issued before the old one
        {**NEW, "sites": [{"city": "Hull", "country": "GB"}]},  # does not cover the old certificate's site
        {**NEW, "iaf_codes": [18]},  # does not cover the old scope
        {**NEW, "scope": "Assembly of hydraulic valve components"},  # narrower scope text
        {**NEW, "accreditation_body": "UAF"},  # not accredited
        {**NEW, "holder": "Someone Else GmbH"},  # not the supplier's
        {**NEW, "number": "Q-1001", "status": ""},  # the same certificate again
    ],
)
def test_a_withdrawn_certificate_without_a_fitting_successor_does_not_qualify(
    pm: pluggy.PluginManager, make_submission: Make, successor: dict[str, Any]
) -> None:
    assessment = _assess(pm, make_submission(certificates=[OLD, successor]))
    assert _decision(assessment) == "not_qualified"
    assert assessment.decision is not None
    assert assessment.decision.reasons[0].startswith("Certificate Q-1001 is withdrawn")


def test_a_successor_must_cover_the_stated_supplying_sites(pm: pluggy.PluginManager, make_submission: Make) -> None:
    scope = {"description": "Machined hydraulic valve components", "iaf_codes": [17], "sites": ["Hull, GB"]}
    old = {**OLD, "sites": [SITE, {"city": "Hull", "country": "GB"}]}
    assert _decision(_assess(pm, make_submission(certificates=[old, NEW], scope=scope))) == "not_qualified"


# --- other management-system standards ----------------------------------------------------------------


def test_other_standards_are_listed_never_called_obsolete_iso_9001(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    iso14001 = _with(number="EMS 77", standard="ISO 14001:2015", scope="Machining of hydraulic valve components")
    assessment = _assess(pm, make_submission(certificates=[VALID_CERTIFICATE, iso14001]))
    assert _decision(assessment) == "qualified"
    other = assessment.certificates[1]
    assert (other.status, other.family, other.qualifying, other.counts) == ("valid", "ISO 14001", False, False)
    assert not [a for a in assessment.corrective_actions if "ISO 9001" in a.action]
    assert not [f for f in assessment.findings if "EMS 77" in f.message]


def test_an_iso_14001_certificate_alone_does_not_qualify(pm: pluggy.PluginManager, make_submission: Make) -> None:
    iso14001 = _with(standard="ISO 14001:2015")
    assessment = _assess(pm, make_submission(certificates=[iso14001]))
    assert _decision(assessment) == "conditional"
    assert assessment.decision is not None
    assert (
        "FM 612345 (ISO 14001:2015) is to ISO 14001, which does not count in place of ISO 9001"
        in (assessment.decision.reasons[0])
    )
    assert any("Obtain ISO 9001 certification" in a.action for a in assessment.corrective_actions)


@pytest.mark.parametrize(
    ("standard", "body", "counts"),
    [
        ("IATF 16949:2016", "IATF", True),
        ("IATF 16949:2016", "", True),
        ("AS9100D", "UKAS", True),
        ("EN 9100:2018", "UKAS", True),
        ("ISO 13485:2016", "UKAS", False),
    ],
)
def test_standards_accepted_in_place_of_iso_9001(
    pm: pluggy.PluginManager, make_submission: Make, standard: str, body: str, counts: bool
) -> None:
    assessment = _assess(pm, make_submission(certificates=[_with(standard=standard, accreditation_body=body)]))
    result = _one(assessment)
    assert result.status == "valid" and result.counts is counts
    assert _decision(assessment) == ("qualified" if counts else "conditional")


def test_iatf_oversight_is_stated_and_is_no_look_alike(pm: pluggy.PluginManager, make_submission: Make) -> None:
    result = _one(
        _assess(pm, make_submission(certificates=[_with(standard="IATF 16949:2016", accreditation_body="IATF")]))
    )
    check = next(c for c in result.checks if c.check == "accreditation")
    assert check.passed and "IATF oversight, not IAF MLA accreditation" in check.message
    assert not result.red_flags


def test_a_policy_decides_which_standards_replace_iso_9001(
    pm: pluggy.PluginManager, make_submission: Make, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("certificates:\n  accepted_in_place_of_iso9001: []\n", encoding="utf-8")
    iatf = _with(standard="IATF 16949:2016", accreditation_body="IATF")
    assert _decision(_assess(pm, make_submission(certificates=[iatf]), policy=policy)) == "conditional"


# --- declared certificates -------------------------------------------------------------------------------


def test_a_declared_certificate_does_not_count_until_confirmed(
    pm: pluggy.PluginManager, make_submission: Make, tmp_path: Path
) -> None:
    declared = _with(declared=True)
    assessment = _assess(pm, make_submission(certificates=[declared]))
    result = _one(assessment)
    assert not result.counts
    assert result.untrusted[0].message.startswith("declared, unverified")
    (tmp_path / "register.csv").write_text(
        "certificate_number,holder,status\nFM 612345,Northwind Components Ltd,active\n", encoding="utf-8"
    )
    (tmp_path / "registries.yaml").write_text(
        "registries:\n  - {name: Buyer register, type: csv_register, path: register.csv}\n", encoding="utf-8"
    )
    (tmp_path / "policy.yaml").write_text("certificates:\n  registries: registries.yaml\n", encoding="utf-8")
    confirmed = _assess(pm, make_submission(certificates=[declared]), policy=tmp_path / "policy.yaml")
    assert _one(confirmed).counts and _decision(confirmed) == "qualified"


# --- every qualification is for a scope of supply -----------------------------------------------------------


def test_without_a_scope_of_supply_a_supplier_is_at_best_conditional(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    catering = _with(scope="Contract catering and food services", iaf_codes=[30])
    assessment = _assess(pm, make_submission(certificates=[catering], scope=None))
    assert _decision(assessment) == "conditional"
    assert assessment.decision is not None
    assert assessment.decision.reasons == (
        "What is supplied was not stated, so the certificate's scope could not be checked: a qualification is for "
        "a scope of supply",
    )
    assert not any("FM 612345" in r and "Valid" in r for r in assessment.decision.reasons)
    assert (
        "What is supplied was not stated: no certificate's scope was checked against a scope of supply"
        in assessment.decision.not_checked
    )


def test_the_scope_of_supply_may_come_from_the_policy(
    pm: pluggy.PluginManager, make_submission: Make, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("certificates:\n  required_iaf_codes: [17]\n", encoding="utf-8")
    assessment = _assess(pm, make_submission(scope=None), policy=policy)
    assert _decision(assessment) == "qualified"
    assert assessment.scope_of_supply is not None and assessment.scope_of_supply.source == "policy"


def test_the_policy_wins_where_both_state_the_scope(
    pm: pluggy.PluginManager, make_submission: Make, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("certificates:\n  required_iaf_codes: [28]\n", encoding="utf-8")
    assessment = _assess(pm, make_submission(), policy=policy)
    assert assessment.scope_of_supply is not None
    assert assessment.scope_of_supply.iaf_codes == (28,)
    assert assessment.scope_of_supply.source == "policy and submission"
    assert _one(assessment).scope == "does_not_cover" and _decision(assessment) == "conditional"


def test_cannot_tell_is_not_covered(pm: pluggy.PluginManager, make_submission: Make) -> None:
    scope = {"description": "Machined hydraulic valve components", "iaf_codes": [17], "sites": ["Leeds, GB"]}
    assessment = _assess(pm, make_submission(scope=scope))  # the certificate lists no sites
    assert _one(assessment).scope == "cannot_tell" and not _one(assessment).counts
    assert _decision(assessment) == "conditional"
    with_site = _assess(pm, make_submission(scope=scope, certificates=[_with(sites=[SITE])]))
    assert _one(with_site).scope == "covers" and _decision(with_site) == "qualified"


def test_the_scope_text_settles_iaf_codes_a_certificate_does_not_print(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    uncoded = _with(iaf_codes=[], scope="Machining of hydraulic valve components")
    scope = {"description": "hydraulic valve components", "iaf_codes": [17]}
    assessment = _assess(pm, make_submission(certificates=[uncoded], scope=scope))
    assert _one(assessment).scope == "covers" and _decision(assessment) == "qualified"
    other = {"description": "welded steel frames", "iaf_codes": [17]}
    assert _one(_assess(pm, make_submission(certificates=[uncoded], scope=other))).scope != "covers"
