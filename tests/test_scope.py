"""Scope matching: IAF codes, NACE codes, scope text and sites against what is bought."""

from __future__ import annotations

import dataclasses
from typing import Any

import pluggy
import pytest

import supplier_qual
from supplier_qual.model import CertificateResult
from supplier_qual.policy import DEFAULT_POLICY
from supplier_qual.schemas.submission import CertificateSchema
from supplier_qual.scope import match_keyword, parse_site, stem
from supplier_qual.sectors import country_code, iaf_sectors, normalise_nace

from .conftest import AS_OF, VALID_CERTIFICATE


def verify(pm: pluggy.PluginManager, certificate: dict[str, Any] | None = None, **rules: Any) -> CertificateResult:
    policy = dataclasses.replace(DEFAULT_POLICY, certificates=dataclasses.replace(DEFAULT_POLICY.certificates, **rules))
    parsed = CertificateSchema.parse({**VALID_CERTIFICATE, **(certificate or {})})
    return supplier_qual.verify_certificates([parsed], as_of=AS_OF, policy=policy, pm=pm).certificates[0]


def check(result: CertificateResult, name: str) -> Any:
    return next(c for c in result.checks if c.check == name)


# --- the IAF code table and NACE ----------------------------------------------------


def test_the_table_has_the_39_iaf_codes_with_nace() -> None:
    table = iaf_sectors()
    assert sorted(table.sectors) == list(range(1, 40))
    assert all(sector.nace for sector in table.sectors.values())
    assert table.name(28) == "IAF 28 (Construction)"


@pytest.mark.parametrize(
    ("nace", "codes"),
    [
        ("25.62", (17,)),  # machining: fabricated metal products
        ("2562", (17,)),
        ("C25.62", (17,)),
        ("25.4", (18,)),  # weapons and ammunition: excluded from 17, included in 18
        ("24.46", (11,)),  # nuclear fuel: excluded from 17
        ("23.51", (16,)),  # cement: excluded from 15
        ("41.20", (28,)),
        ("62.01", (33,)),
        ("74.30", (35,)),  # translation: excluded from 34, in 35
        ("25", (17, 18)),  # a division the table splits
        ("33", (17, 18, 19, 20, 21, 22, 23)),
        ("99.99", ()),
        ("not nace", ()),
    ],
)
def test_nace_maps_to_iaf_codes(nace: str, codes: tuple[int, ...]) -> None:
    assert iaf_sectors().for_nace(nace) == codes


def test_nace_normalisation() -> None:
    assert normalise_nace(" c 25.62 ") == "25.62"
    assert normalise_nace("256") == "25.6"
    assert normalise_nace("abc") is None


# --- scope by IAF code and by NACE ----------------------------------------------------


def test_scope_by_iaf_code(pm: pluggy.PluginManager) -> None:
    covered = verify(pm, required_iaf_codes=(17,))
    assert covered.scope == "covers" and covered.status == "valid"
    missing = verify(pm, required_iaf_codes=(17, 28))
    assert missing.scope == "does_not_cover"
    assert "IAF 28 (Construction)" in check(missing, "scope_iaf_codes").message
    assert missing.status == "valid"  # a certificate about something else is still a valid certificate
    unknown = verify(pm, {"iaf_codes": []}, required_iaf_codes=(17,))
    assert unknown.scope == "cannot_tell"


def test_scope_by_nace(pm: pluggy.PluginManager) -> None:
    assert verify(pm, required_nace=("25.62",)).scope == "covers"
    outside = verify(pm, required_nace=("41.20",))
    assert outside.scope == "does_not_cover"
    assert "NACE 41.20 falls under IAF 28" in check(outside, "scope_nace").message
    assert verify(pm, required_nace=("25",)).scope == "covers"  # 17 or 18, and the certificate lists 17
    assert verify(pm, required_nace=("99.99",)).scope == "cannot_tell"


def test_no_requirement_gives_no_scope_verdict(pm: pluggy.PluginManager) -> None:
    result = verify(pm)
    assert result.scope is None
    assert not [c for c in result.checks if c.aspect == "scope"]


# --- scope text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "stems"),
    [
        ("machining machined machine machines", {"machin"}),
        ("castings casting cast", {"cast"}),
        ("services service", {"servic"}),
        ("processes process", {"process"}),
        ("assemblies assembly", {"assembly"}),
        ("manufacture manufacturing manufactured", {"manufactur"}),
    ],
)
def test_stemming_is_simple_and_consistent(words: str, stems: set[str]) -> None:
    assert {stem(w) for w in words.split()} == stems


SCOPE = "Design and manufacture of hydraulic valve bodies; CNC machining of castings, excluding heat treatment."


@pytest.mark.parametrize(
    ("keyword", "verdict", "reason"),
    [
        ("valve bodies", "covers", "is in the scope"),
        ("Valve Body", "covers", "is in the scope"),
        ("machined casting", "covers", "is in the scope"),
        ("manufacturing", "covers", "is in the scope"),
        ("heat treatment", "does_not_cover", "is excluded"),
        ("welding", "does_not_cover", "none of its words"),
        ("hydraulic pumps", "cannot_tell", 'the scope has "hydraulic" but not the whole phrase'),
    ],
)
def test_scope_text_is_explained(keyword: str, verdict: str, reason: str) -> None:
    found = match_keyword(SCOPE, keyword)
    assert found.verdict == verdict
    assert reason in found.reason


def test_scope_text_without_a_statement_cannot_tell() -> None:
    assert match_keyword("", "valves").verdict == "cannot_tell"


def test_scope_by_text(pm: pluggy.PluginManager) -> None:
    result = verify(pm, {"scope": SCOPE}, scope_keywords=("valve bodies", "machining"))
    assert result.scope == "covers"
    result = verify(pm, {"scope": SCOPE}, scope_keywords=("valve bodies", "heat treatment"))
    assert result.scope == "does_not_cover"
    message = check(result, "scope_text").message
    assert 'covers: "valve bodies" is in the scope' in message
    assert 'does not cover: "heat treatment" is excluded ("excluding heat treatment")' in message


def test_site_scope_text_counts(pm: pluggy.PluginManager) -> None:
    sites = [{"city": "Leeds", "country": "GB", "scope": "Powder coating"}]
    assert verify(pm, {"sites": sites}, scope_keywords=("powder coating",)).scope == "covers"


# --- sites ---------------------------------------------------------------------------


SITES = [
    {"city": "Leeds", "country": "GB", "address": "1 Mill Lane, Leeds LS1 1AA", "main": True},
    {"address": "Zone Industrielle, 59000 Lille", "country": "France"},
]


@pytest.mark.parametrize(
    ("site", "verdict", "reason"),
    [
        ("Leeds, GB", "covers", "is the main site"),
        ("Leeds, United Kingdom", "covers", "is the main site"),
        ("leeds", "covers", "is the main site"),
        ("Lille, FR", "covers", "is a certified site"),
        ("FR", "covers", "is a certified site"),
        ("Sheffield, GB", "does_not_cover", "is not among the certified sites"),
        ("Leeds, US", "does_not_cover", "is not among the certified sites"),
    ],
)
def test_scope_by_site(pm: pluggy.PluginManager, site: str, verdict: str, reason: str) -> None:
    result = verify(pm, {"sites": SITES}, supplying_sites=(site,))
    assert result.scope == verdict
    assert reason in check(result, "scope_sites").message


def test_site_country_defaults_to_the_holders(pm: pluggy.PluginManager) -> None:
    result = verify(pm, {"country": "GB", "sites": [{"city": "York"}]}, supplying_sites=("York, UK",))
    assert result.scope == "covers"


def test_sites_unknown_cannot_tell(pm: pluggy.PluginManager) -> None:
    assert verify(pm, supplying_sites=("Leeds, GB",)).scope == "cannot_tell"


def test_site_and_country_parsing() -> None:
    assert parse_site("Leeds, GB").city == "Leeds"
    assert parse_site("Germany").country == "DE"
    assert parse_site("Leeds").city == "Leeds"
    assert country_code("UK") == country_code("gbr") == country_code("United Kingdom") == "GB"
    assert country_code("Atlantis") is None


# --- the red flag of a scope covering every sector -----------------------------------


def test_scope_covering_every_sector_is_a_red_flag(pm: pluggy.PluginManager) -> None:
    wide = verify(pm, {"iaf_codes": list(range(1, 40))})
    flag = check(wide, "scope_breadth")
    assert flag.red_flag and not flag.passed
    assert "39 of the 39 IAF codes" in flag.message
    assert wide.status == "valid"  # a finding, not a status
    claims = verify(pm, {"scope": "Quality management for all sectors"})
    assert "all sectors" in check(claims, "scope_breadth").message
    assert not [c for c in verify(pm).checks if c.check == "scope_breadth"]


def test_scope_verdicts_reach_the_assessment(pm: pluggy.PluginManager, make_submission: Any) -> None:
    policy = dataclasses.replace(
        DEFAULT_POLICY, certificates=dataclasses.replace(DEFAULT_POLICY.certificates, required_iaf_codes=(28,))
    )
    assessment = supplier_qual.assess(make_submission(), policy=policy, as_of=AS_OF, pm=pm)
    findings = [f.message for f in assessment.outcomes["A"].findings]
    assert any("does not cover what is supplied" in f for f in findings)
    assert assessment.outcomes["A"].assurance != "certified"
