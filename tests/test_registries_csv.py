"""The CSV register plugin: a buyer's own verified list, or a national register's export."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pluggy
import pytest

import supplier_qual
from supplier_qual.errors import ConfigurationError
from supplier_qual.model import CertificateResult
from supplier_qual.policy import DEFAULT_POLICY
from supplier_qual.schemas.submission import CertificateSchema

from .conftest import AS_OF, VALID_CERTIFICATE

REGISTER = """certificate_number,holder,status,issued,expires,certification_body,accreditation_body,accredited,standard
FM 612345,Northwind Components Limited,Active,2024-03-15,2027-03-14,BSI Assurance UK Ltd,UKAS,yes,ISO 9001:2015
FM-700001,Southwind Parts Ltd,Suspended,2024-01-01,2026-12-31,BSI Assurance UK Ltd,UKAS,yes,ISO 9001:2015
FM 800002,Eastwind plc,Withdrawn,,,,,,
FM 900003,Westwind GmbH,Active,,,,,no,ISO 9001:2015
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "approved.csv").write_text(REGISTER, encoding="utf-8")
    path = tmp_path / "registries.yaml"
    path.write_text(
        "registries:\n  - name: Approved list\n    type: csv_register\n    path: approved.csv\n", encoding="utf-8"
    )
    return path


def verify(pm: pluggy.PluginManager, config: Path, **changes: Any) -> CertificateResult:
    policy = dataclasses.replace(
        DEFAULT_POLICY, certificates=dataclasses.replace(DEFAULT_POLICY.certificates, registries=str(config))
    )
    certificate = CertificateSchema.parse({**VALID_CERTIFICATE, **changes})
    return supplier_qual.verify_certificates([certificate], as_of=AS_OF, policy=policy, pm=pm).certificates[0]


def test_found_by_number_and_holder(pm: pluggy.PluginManager, config: Path) -> None:
    result = verify(pm, config, number="fm-612345")
    assert result.status == "valid"
    assert result.verified_by == "Approved list"
    assert result.registry == "confirmed"


@pytest.mark.parametrize(
    ("number", "holder", "status"),
    [
        ("FM 700001", "Southwind Parts Ltd", "suspended"),
        ("FM 800002", "Eastwind PLC", "withdrawn"),
        ("FM 900003", "Westwind GmbH", "unaccredited"),
    ],
)
def test_register_status_overrides_the_supplier(
    pm: pluggy.PluginManager, config: Path, number: str, holder: str, status: str
) -> None:
    result = verify(pm, config, number=number, holder=holder, status="active")
    assert result.status == status
    # Found but not accredited is still found: the register confirms what it holds.
    assert (result.verified_by is None) == (status != "unaccredited")


def test_not_found_is_unverified_not_invalid(pm: pluggy.PluginManager, config: Path) -> None:
    result = verify(pm, config, number="ZZ 1")
    assert result.status == "valid"
    assert result.registry == "not_found"
    assert not result.red_flags


def test_number_of_another_holder_is_a_suspected_counterfeit(pm: pluggy.PluginManager, config: Path) -> None:
    result = verify(pm, config, holder="Impostor Trading Co")
    assert result.status == "valid" and result.verified_by is None
    assert result.registry == "differs"
    assert [c.message for c in result.counterfeit] == [
        "suspected counterfeit: Approved list holds certificate FM 612345 under Northwind Components Limited, "
        "not under Impostor Trading Co, as printed"
    ]
    assert not result.counts


def test_register_needs_its_columns(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("number,name\n1,x\n", encoding="utf-8")
    path = tmp_path / "registries.yaml"
    path.write_text("registries:\n  - {name: Bad, type: csv_register, path: bad.csv}\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="needs the columns certificate_number, holder"):
        verify(pm, path)
