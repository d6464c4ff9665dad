"""Hostile and broken procurement files, per entrance: each refused with one located line, exit 2, no traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pluggy
import pytest
from click.testing import CliRunner

from supplier_qual.cli import cli

from .procurement_fixtures import BIDDERS, espd_request, espd_response

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<QualificationApplicationResponse
 xmlns="urn:oasis:names:specification:ubl:schema:xsd:QualificationApplicationResponse-2">&lol3;
</QualificationApplicationResponse>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<ESPDResponse xmlns="urn:grow:names:specification:ubl:schema:xsd:ESPDResponse-1">&x;</ESPDResponse>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">
<ESPDResponse xmlns="urn:grow:names:specification:ubl:schema:xsd:ESPDResponse-1"/>"""
WRONG_ROOT = b"""<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>"""
NO_NAMESPACE = b"""<?xml version="1.0"?><QualificationApplicationResponse/>"""
UNKNOWN_VERSION = espd_response(BIDDERS[0]).replace(b"ESPD-EDMv4.1.0", b"ESPD-EDMv9.0.0")
NO_VERSION = (
    espd_response(BIDDERS[0])
    .replace(b"<cbc:UBLVersionID>2.3</cbc:UBLVersionID>", b"")
    .replace(b'<cbc:ProfileExecutionID schemeVersionID="4.1.0">ESPD-EDMv4.1.0</cbc:ProfileExecutionID>', b"")
)

BID_CASES: list[tuple[str, Callable[[], bytes], str]] = [
    ("billion laughs", lambda: BILLION_LAUGHS, "DTD"),
    ("external entity", lambda: EXTERNAL, "DTD"),
    ("external DTD", lambda: EXTERNAL_DTD, "DTD"),
    ("wrong root", lambda: WRONG_ROOT, "not an ESPD document: the root element is <Invoice> in namespace"),
    ("no namespace", lambda: NO_NAMESPACE, "with no namespace"),
    ("truncated", lambda: espd_response(BIDDERS[0])[:700], "not well-formed XML"),
    ("unknown version", lambda: UNKNOWN_VERSION, "unknown ESPD version 'ESPD-EDMv9.0.0'"),
    ("no version", lambda: NO_VERSION, "unknown ESPD version"),
    ("not UTF-8", lambda: b"<?xml version='1.0' encoding='utf-8'?><a>\xff\xfe</a>", "not well-formed XML"),
    ("100 MB", lambda: b"<x>" + b" " * 100_000_000 + b"</x>", "the file is 95.4 MB, more than the"),
    ("30 MB", lambda: b"<x>" + b" " * 30_000_000 + b"</x>", "the file is 28.6 MB, more than the"),
]
TENDER_CASES: list[tuple[str, Callable[[], bytes], str]] = [
    ("billion laughs request", lambda: BILLION_LAUGHS.replace(b"Response", b"Request"), "DTD"),
    ("truncated request", lambda: espd_request()[:900], "not well-formed XML"),
    (
        "OCDS with two processes",
        lambda: b'{"version": "1.1", "releases": [{"ocid": "a", "tag": ["tender"]}, {"ocid": "b", "tag": ["tender"]}]}',
        "holds 2 contracting processes",
    ),
    ("OCDS empty package", lambda: b'{"version": "1.1", "releases": []}', "holds no release"),
    ("OCDS release without tender id", lambda: b'{"ocid": "", "tag": ["tender"], "tender": {}}', "names no tender"),
    ("OCDS truncated", lambda: b'{"version": "1.1", "releases": [{"ocid": "a"', "not valid JSON"),
    ("OCDS deep nesting", lambda: b'{"releases": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "nested more than 64"),
    ("ProZorro criteria list", lambda: b'[{"requirementGroups": []}]', "a list of ProZorro criteria"),
]


def _run(pm: pluggy.PluginManager, *args: str) -> object:
    return CliRunner().invoke(cli, list(args), obj=pm)


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in BID_CASES], ids=[c[0] for c in BID_CASES])
def test_hostile_bid_files(pm: pluggy.PluginManager, tmp_path: Path, data: Callable[[], bytes], message: str) -> None:
    tender = tmp_path / "tender.yaml"
    tender.write_text("id: T-1\nrequirements: {certificate: {}}\n", encoding="utf-8")
    bid = tmp_path / "bid.xml"
    bid.write_bytes(data())
    result = _run(pm, "eligibility", str(tender), str(bid))
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    lines = result.output.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith(f"{bid}: ") and message in lines[0], lines
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    assessed = _run(pm, "assess", str(bid))
    assert assessed.exit_code == 2 and message in assessed.output  # type: ignore[attr-defined]


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in TENDER_CASES], ids=[c[0] for c in TENDER_CASES])
def test_hostile_tender_files(
    pm: pluggy.PluginManager, tmp_path: Path, data: Callable[[], bytes], message: str
) -> None:
    tender = tmp_path / "tender.json"
    tender.write_bytes(data())
    bid = tmp_path / "bid.xml"
    bid.write_bytes(espd_response(BIDDERS[0]))
    out = tmp_path / "out.json"
    result = _run(pm, "eligibility", str(tender), str(bid), "-f", "json", "-o", str(out))
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert result.output.startswith(f"{tender}: ") and message in result.output  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    assert not out.exists()
