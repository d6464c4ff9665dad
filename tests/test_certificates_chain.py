"""The accreditation chain, the red flags, surveillance and how long a certificate result holds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pluggy
import pytest
from click.testing import CliRunner

import supplier_qual
from supplier_qual.accreditation import imitation, organisation_key, parse_codes, same_organisation
from supplier_qual.cli import cli
from supplier_qual.errors import ConfigurationError
from supplier_qual.model import CertificateResult
from supplier_qual.policy import DEFAULT_POLICY, load_policy
from supplier_qual.schemas.submission import CertificateSchema

from .conftest import AS_OF, VALID_CERTIFICATE, write_json


def verify(pm: pluggy.PluginManager, as_of: dt.date = AS_OF, policy: Any = None, **changes: Any) -> CertificateResult:
    certificate = CertificateSchema.parse({**VALID_CERTIFICATE, **changes})
    return supplier_qual.verify_certificates([certificate], as_of=as_of, policy=policy, pm=pm).certificates[0]


def with_rules(**rules: Any) -> Any:
    return dataclasses.replace(DEFAULT_POLICY, certificates=dataclasses.replace(DEFAULT_POLICY.certificates, **rules))


def flags(result: CertificateResult) -> list[str]:
    return [c.check for c in result.red_flags]


# --- red flags ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "International Accreditation Forum",
        "IAF",
        "IAF Accreditation Board",
        "International Accreditation Council (IAC)",
    ],
)
def test_ab_imitating_the_iaf_is_a_red_flag(pm: pluggy.PluginManager, name: str) -> None:
    result = verify(pm, accreditation_body=name)
    assert result.status == "unaccredited"
    assert flags(result) == ["accreditation"]
    assert "imitates the IAF" in result.red_flags[0].message


def test_imitation_detection_spares_real_bodies() -> None:
    assert imitation("International Accreditation Service") is None
    assert imitation("UKAS") is None
    assert imitation("i-NAF") is not None


def test_ab_absent_from_the_list_is_a_red_flag(pm: pluggy.PluginManager) -> None:
    result = verify(pm, accreditation_body="Global Accreditation Council")
    assert result.status == "unaccredited"
    assert flags(result) == ["accreditation"]
    assert "is not on the list of IAF MLA signatories" in result.red_flags[0].message


def test_regional_group_as_ab_is_refused(pm: pluggy.PluginManager) -> None:
    result = verify(pm, accreditation_body="European co-operation for Accreditation")
    assert result.status == "unaccredited"
    assert "regional accreditation group" in result.red_flags[0].message


def test_validity_over_three_years_is_a_red_flag(pm: pluggy.PluginManager) -> None:
    result = verify(pm, issued="2024-03-15", expires="2028-03-14")
    assert result.status == "invalid"
    assert flags(result) == ["validity_period"]


def test_cb_also_consultant_is_a_red_flag(pm: pluggy.PluginManager) -> None:
    result = verify(pm, consultant="BSI Consulting Services Ltd")
    assert flags(result) == ["cb_impartiality"]
    assert "also consulted for the supplier" in result.red_flags[0].message
    assert result.status == "valid"  # reported as a finding, not silently turned into a status
    independent = verify(pm, consultant="Smith Quality Advisers")
    assert not independent.red_flags
    assert any(c.check == "cb_impartiality" and c.passed for c in independent.checks)


def test_organisation_names_compare_without_legal_forms() -> None:
    assert organisation_key("BSI Assurance UK Ltd") == {"bsi"}
    assert same_organisation("QualiCert GmbH", "QualiCert Consulting")
    assert not same_organisation("Acme UK Ltd", "UK Consulting Ltd")
    assert not same_organisation("Certification Ltd", "Consulting Ltd")


def test_red_flags_become_findings(pm: pluggy.PluginManager, make_submission: Any) -> None:
    certificate = {**VALID_CERTIFICATE, "consultant": "BSI Consulting", "iaf_codes": list(range(1, 40))}
    assessment = supplier_qual.assess(make_submission(certificates=[certificate]), as_of=AS_OF, pm=pm)
    findings = [f for f in assessment.outcomes["A"].findings if "red flag" in f.message]
    assert len(findings) == 2
    assert all(f.severity == "major" and f.action for f in findings)


# --- the certification-body register ------------------------------------------------


REGISTER = """certification_body,accreditation_body,standards,iaf_codes,status,source
BSI Assurance UK Ltd,UKAS,ISO 9001;ISO 14001,14-19;28,active,UKAS schedule 0003
Suspendo Cert Ltd,UKAS,ISO 9001,all,suspended,UKAS
EnviroCert GmbH,DAkkS,ISO 14001,,active,DAkkS
"""


@pytest.fixture
def register(tmp_path: Path) -> str:
    path = tmp_path / "cbs.csv"
    path.write_text(REGISTER, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({}, "valid", "is accredited by UKAS for ISO 9001 and IAF 17"),
        ({"certification_body": "BSI Assurance UK"}, "valid", "accredited by UKAS"),
        ({"certification_body": "Unknown Certs Ltd"}, "unaccredited", "is not in the register"),
        ({"accreditation_body": "DAkkS"}, "unaccredited", "is accredited by UKAS, not by DAkkS"),
        ({"iaf_codes": [17, 33]}, "unaccredited", "not accredited by UKAS for IAF 33"),
        ({"certification_body": "Suspendo Cert Ltd"}, "unaccredited", "is suspended"),
        (
            {"certification_body": "EnviroCert GmbH", "accreditation_body": "DAkkS"},
            "unaccredited",
            "not for ISO 9001",
        ),
    ],
)
def test_cb_register(pm: pluggy.PluginManager, register: str, changes: dict[str, Any], status: str, words: str) -> None:
    result = verify(pm, policy=with_rules(cb_register=register), **changes)
    assert result.status == status
    check = next(c for c in result.checks if c.check == "cb_accreditation")
    assert words in check.message
    assert check.aspect == "accreditation"


def test_cb_register_path_in_a_policy_is_relative_to_it(tmp_path: Path, register: str) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("certificates:\n  cb_register: cbs.csv\n  required_iaf_codes: [17]\n", encoding="utf-8")
    loaded = load_policy(policy)
    assert loaded.certificates.cb_register == register
    assert loaded.certificates.required_iaf_codes == (17,)


def test_bad_cb_register_is_a_configuration_error(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("certification_body,accreditation_body,iaf_codes\nX,UKAS,17;99\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="line 2"):
        verify(pm, policy=with_rules(cb_register=str(bad)))


def test_iaf_code_lists() -> None:
    assert parse_codes("17;18;28-30") == {17, 18, 28, 29, 30}
    assert len(parse_codes("all")) == 39
    assert parse_codes("") == frozenset()


# --- surveillance and how long a result holds -----------------------------------------


def test_valid_certificate_holds_until_expiry_or_surveillance(pm: pluggy.PluginManager) -> None:
    late = verify(pm)  # issued 2024-03-15; no surveillance falls due before the 2027-03-14 expiry
    assert late.valid_until == dt.date(2027, 3, 14)
    early = verify(pm, as_of=dt.date(2024, 6, 1))
    assert early.valid_until == dt.date(2025, 6, 15)  # surveillance due 2025-03-15, plus 3 months
    reported = verify(pm, as_of=dt.date(2025, 6, 1), last_surveillance="2025-03-01")
    assert reported.valid_until == dt.date(2026, 6, 1)


def test_overdue_surveillance_leaves_the_status_but_the_certificate_unconfirmed(pm: pluggy.PluginManager) -> None:
    result = verify(pm, last_surveillance="2025-03-01", as_of=dt.date(2026, 11, 25))
    check = next(c for c in result.checks if c.check == "surveillance")
    assert not check.passed and check.advisory and check.aspect == "trust"
    assert check.message.startswith("unconfirmed: the last surveillance audit given is 2025-03-01, more than 15 months")
    assert result.status == "valid" and not result.counts


def test_failing_results_hold_while_their_reason_does(pm: pluggy.PluginManager) -> None:
    assert verify(pm, issued="2026-12-01", expires="2029-11-30").valid_until == dt.date(2026, 11, 30)
    assert verify(pm, status="suspended").valid_until is None


def test_assessment_carries_when_certificate_findings_run_out(pm: pluggy.PluginManager, make_submission: Any) -> None:
    assessment = supplier_qual.assess(make_submission(), as_of=AS_OF, pm=pm)
    data = json.loads(supplier_qual.render(assessment, "json", pm=pm))
    assert data["overall"]["certificates_valid_until"] == "2027-03-14"
    assert data["certificates"][0]["valid_until"] == "2027-03-14"


# --- the verify command ---------------------------------------------------------------


def run(pm: pluggy.PluginManager, *args: str) -> Any:
    return CliRunner().invoke(cli, list(args), obj=pm)


def test_verify_shows_chain_scope_and_registry(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    path = write_json(tmp_path / "cert.json", VALID_CERTIFICATE)
    args = [
        "verify",
        str(path),
        "--as-of",
        "2026-11-25",
        "--nace",
        "25.62",
        "--scope-keyword",
        "valve",
        "--site",
        "Leeds",
    ]
    result = run(pm, *args)
    assert result.exit_code == 0, result.output
    assert "accreditation chain: BSI Assurance UK Ltd -> UKAS -> IAF MLA: holds" in result.output
    assert "scope: cannot tell" in result.output  # the certificate lists no sites
    assert "registry: none asked" in result.output
    assert "ok   scope_nace: NACE 25.62 falls under IAF 17" in result.output


def test_verify_json_is_stable_and_complete(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    path = write_json(tmp_path / "cert.json", {**VALID_CERTIFICATE, "accreditation_body": "IAF"})
    args = ["verify", str(path), "--as-of", "2026-11-25", "--iaf-code", "17", "--json"]
    first, second = run(pm, *args), run(pm, *args)
    assert first.exit_code == 0 and first.output == second.output
    [cert] = json.loads(first.output)["certificates"]
    assert {"number", "status", "verified_by", "checks", "scope", "registry", "valid_until", "red_flags"} <= set(cert)
    assert cert["status"] == "unaccredited"
    assert cert["scope"] == "covers"
    assert cert["accreditation_chain"]["accredited"] is False
    assert cert["red_flags"] and "imitates the IAF" in cert["red_flags"][0]
    assert {"check", "passed", "message", "aspect", "verdict", "red_flag", "advisory"} <= set(cert["checks"][0])


def test_verify_refuses_a_bad_nace_code(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    path = write_json(tmp_path / "cert.json", VALID_CERTIFICATE)
    result = run(pm, "verify", str(path), "--nace", "banana")
    assert result.exit_code == 2
    assert "not a NACE Rev. 2 code" in result.output


def test_certificate_fields_are_read(tmp_path: Path) -> None:
    data = {
        **VALID_CERTIFICATE,
        "country": "GB",
        "sites": [{"city": "Leeds", "country": "GB", "main": True}],
        "original_issued": "2018-03-15",
        "last_surveillance": "2025-03-01",
        "consultant": "Acme Advisers",
        "registry_id": "cert_abc",
    }
    certificate = CertificateSchema.parse(data)
    assert certificate.sites[0].city == "Leeds" and certificate.sites[0].main
    assert certificate.last_surveillance == dt.date(2025, 3, 1)
    assert certificate.registry_id == "cert_abc"


# --- the expiring command -------------------------------------------------------------


@pytest.fixture
def watch(tmp_path: Path) -> list[str]:
    soon = {**VALID_CERTIFICATE, "number": "SOON-1", "issued": "2024-01-10", "expires": "2027-01-09"}
    audit = {**VALID_CERTIFICATE, "number": "AUDIT-2", "issued": "2025-12-20", "expires": "2028-12-19"}
    later = {**VALID_CERTIFICATE, "number": "LATER-3", "issued": "2025-06-01", "expires": "2028-05-31"}
    first = write_json(tmp_path / "a.json", {"supplier": {"name": "Acme"}, "certificates": [later, soon]})
    second = write_json(tmp_path / "b.json", audit)
    return [str(first), str(second)]


def test_expiring_lists_expiry_and_surveillance_sorted(pm: pluggy.PluginManager, watch: list[str]) -> None:
    result = run(pm, "expiring", "--days", "90", "--as-of", "2026-11-25", "-f", "json", *watch)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["until"] == "2027-02-23"
    assert [(d["date"], d["event"], d["number"]) for d in data["due"]] == [
        ("2026-12-20", "surveillance due", "AUDIT-2"),
        ("2027-01-09", "expires", "SOON-1"),
    ]
    assert data["due"][1]["supplier"] == "Acme" and data["due"][0]["supplier"] == VALID_CERTIFICATE["holder"]


def test_expiring_as_text_and_xlsx(pm: pluggy.PluginManager, watch: list[str], tmp_path: Path) -> None:
    text = run(pm, "expiring", "--days", "90", "--as-of", "2026-11-25", *watch)
    assert text.exit_code == 0
    lines = text.output.splitlines()
    assert lines[0] == "Certificates due within 90 days of 2026-11-25 (until 2027-02-23)"
    assert "surveillance due" in lines[3] and "expires" in lines[4]
    none = run(pm, "expiring", "--days", "1", "--as-of", "2026-11-25", *watch)
    assert none.output.endswith(": none\n")
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "due.xlsx"
    result = run(pm, "expiring", "--as-of", "2026-11-25", "-f", "xlsx", "-o", str(out), *watch)
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][0] == "Certificates due within 90 days of 2026-11-25"
    assert rows[2][:3] == ("Date", "In days", "Event")
    assert [r[4] for r in rows[3:]] == ["AUDIT-2", "SOON-1"]


def test_expiring_xlsx_never_turns_supplier_text_into_formulas(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    hostile = {
        "supplier": {"name": '=HYPERLINK("http://evil.example","click")'},
        "certificates": [{**VALID_CERTIFICATE, "number": "+1+1", "certification_body": "@SUM(1,1)"}],
    }
    path = write_json(tmp_path / "hostile.json", hostile)
    out = tmp_path / "due.xlsx"
    result = run(pm, "expiring", "--days", "3650", "--as-of", "2026-11-25", "-f", "xlsx", "-o", str(out), str(path))
    assert result.exit_code == 0, result.output
    cells = [cell for row in openpyxl.load_workbook(out).active.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert '=HYPERLINK("http://evil.example","click")' in {cell.value for cell in cells}


def test_expiring_skips_audits_already_reported(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    audited = {**VALID_CERTIFICATE, "issued": "2025-12-20", "expires": "2028-12-19", "last_surveillance": "2026-11-01"}
    path = write_json(tmp_path / "c.json", audited)
    data = json.loads(run(pm, "expiring", "--as-of", "2026-11-25", "-f", "json", str(path)).output)
    assert data["due"] == []


def test_expiring_reports_bad_files_without_traceback(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    result = run(pm, "expiring", str(path))
    assert result.exit_code == 2
    assert "broken.json: line 1 column 2: not valid JSON" in result.output
