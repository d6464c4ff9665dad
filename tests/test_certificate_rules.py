"""The offline certificate rules: one test per status, and the order they apply in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pluggy
import pytest

import supplier_qual
from supplier_qual.schemas.submission import CertificateSchema

from .conftest import AS_OF, VALID_CERTIFICATE


def _status(pm: pluggy.PluginManager, as_of: dt.date = AS_OF, **changes: Any) -> str:
    certificate = CertificateSchema.parse({**VALID_CERTIFICATE, **changes})
    report = supplier_qual.verify_certificates([certificate], as_of=as_of, pm=pm)
    return report.certificates[0].status


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({}, "valid"),
        ({"standard": "ISO 9001:2015/Amd 1:2024"}, "valid"),
        ({"standard": "EN ISO 9001:2015"}, "valid"),
        ({"accreditation_body": "United Kingdom Accreditation Service"}, "valid"),
        ({"accreditation_body": "DAkkS - Deutsche Akkreditierungsstelle"}, "valid"),
        ({"issued": "2023-11-25", "expires": "2026-11-24"}, "expired"),
        ({"issued": "2026-12-01", "expires": "2029-11-30"}, "not_yet_valid"),
        ({"status": "Suspended"}, "suspended"),
        ({"status": "withdrawn"}, "withdrawn"),
        ({"status": "cancelled"}, "withdrawn"),
        ({"status": "expired"}, "expired"),
        ({"accreditation_body": "Global Accreditation Council"}, "unaccredited"),
        ({"accreditation_body": "EA"}, "unaccredited"),
        ({"accreditation_body": ""}, "unaccredited"),
        ({"accreditation_body": "na"}, "unaccredited"),
        ({"accreditation_body": "UAF"}, "unaccredited"),
        ({"accreditation_body": "UAF / UKAS"}, "unaccredited"),
        ({"accreditation_body": "UKAS, ANAB"}, "unaccredited"),
        ({"accreditation_body": "UKAS (IAF MLA)"}, "valid"),
        ({"accreditation_body": "BSCA"}, "unaccredited"),
        ({"accreditation_body": "NACI"}, "unaccredited"),
        ({"standard": "ISO 9001:2008"}, "obsolete_standard"),
        ({"standard": "ISO 9001"}, "valid"),
        ({"standard": "ISO 9001:2026"}, "obsolete_standard"),
        ({"standard": "ISO 14001:2015"}, "valid"),
        ({"standard": "ISO 14001:2004"}, "obsolete_standard"),
        ({"standard": "IATF 16949:2016", "accreditation_body": "IATF"}, "valid"),
        ({"standard": "AS9100D"}, "valid"),
        ({"standard": "OHSAS 18001:2007"}, "obsolete_standard"),
        ({"standard": "ISO 22301:2019"}, "valid"),
        ({"standard": "ISO 28000:2022"}, "obsolete_standard"),
        ({"issued": "2024-03-15", "expires": "2028-03-14"}, "invalid"),
        ({"number": ""}, "invalid"),
        ({"holder": ""}, "invalid"),
        ({"expires": None}, "invalid"),
    ],
)
def test_status(pm: pluggy.PluginManager, changes: dict[str, Any], status: str) -> None:
    assert _status(pm, **changes) == status


def test_grace_beyond_three_years_is_accepted(pm: pluggy.PluginManager) -> None:
    assert _status(pm, issued="2024-03-15", expires="2027-09-14") == "valid"
    assert _status(pm, issued="2024-03-15", expires="2027-09-16") == "invalid"


def test_first_failing_rule_wins(pm: pluggy.PluginManager) -> None:
    assert _status(pm, standard="ISO 9001:2008", status="suspended", accreditation_body="EA") == "obsolete_standard"
    assert _status(pm, status="suspended", accreditation_body="EA", expires="2025-01-01") == "suspended"
    assert _status(pm, accreditation_body="EA", expires="2025-01-01") == "unaccredited"
    assert _status(pm, expires="2025-01-01", number="") == "expired"


def test_iso9001_without_a_year_is_read_by_its_issue_date(pm: pluggy.PluginManager) -> None:
    certificate = CertificateSchema.parse({**VALID_CERTIFICATE, "standard": "ISO 9001"})
    result = supplier_qual.verify_certificates([certificate], as_of=AS_OF, pm=pm).certificates[0]
    standard = next(c for c in result.checks if c.check == "standard")
    assert (
        standard.message
        == "ISO 9001:2015 is a current edition (no edition given; issued 2024-03-15, so read as ISO 9001:2015)"
    )
    # Issued while both 2008 and 2015 were current, the edition cannot be told.
    undated = {"standard": "ISO 9001", "issued": "2017-03-01", "expires": "2020-02-28"}
    assert _status(pm, as_of=dt.date(2018, 1, 1), **undated) == "obsolete_standard"


def test_edition_validity_depends_on_the_reference_date(pm: pluggy.PluginManager) -> None:
    old = {"standard": "ISO 9001:2008", "issued": "2016-01-01", "expires": "2018-12-31"}
    assert _status(pm, as_of=dt.date(2018, 9, 1), **old) == "valid"
    assert _status(pm, as_of=dt.date(2018, 9, 16), **old) == "obsolete_standard"


def test_every_check_is_reported_with_a_reason(pm: pluggy.PluginManager) -> None:
    certificate = CertificateSchema.parse({**VALID_CERTIFICATE, "accreditation_body": "EA"})
    result = supplier_qual.verify_certificates([certificate], as_of=AS_OF, pm=pm).certificates[0]
    failed = [c for c in result.checks if not c.passed]
    assert [c.check for c in failed] == ["accreditation"]
    assert "regional accreditation group" in failed[0].message
    assert all(c.message for c in result.checks)
    assert result.verified_by is None


def test_user_supplied_accreditation_bodies(pm: pluggy.PluginManager, tmp_path: Any) -> None:
    listing = tmp_path / "abs.csv"
    listing.write_text("acronym,name\nXAB,Example Accreditation Board\n", encoding="utf-8")
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text("certificates:\n  accreditation_bodies: abs.csv\n", encoding="utf-8")
    policy = supplier_qual.load_policy(policy_file)
    certificate = CertificateSchema.parse({**VALID_CERTIFICATE, "accreditation_body": "XAB"})
    report = supplier_qual.verify_certificates([certificate], as_of=AS_OF, policy=policy, pm=pm)
    assert report.certificates[0].status == "valid"
    ukas = CertificateSchema.parse(VALID_CERTIFICATE)
    assert supplier_qual.verify_certificates([ukas], as_of=AS_OF, policy=policy, pm=pm).certificates[0].status == (
        "unaccredited"
    )
