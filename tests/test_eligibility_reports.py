"""Bid eligibility reports: JSON, text and xlsx, the command line, and the worked example."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pluggy
import pytest
from click.testing import CliRunner

import supplier_qual
from supplier_qual.cli import cli
from supplier_qual.tender import Eligibility, load_tender

from .conftest import AS_OF, EXAMPLES, ROOT, write_json

Make = Callable[..., dict[str, Any]]
VALVES = ROOT / "examples" / "tenders" / "valve-components.yaml"
BIDS = [EXAMPLES / "northwind-components.json", EXAMPLES / "brightline-fabrication.json"]


# -- outputs ----------------------------------------------------------------------------------------------------


@pytest.fixture
def valves(pm: pluggy.PluginManager) -> Eligibility:
    return supplier_qual.eligibility(VALVES, BIDS, as_of=AS_OF, pm=pm)


def test_json_follows_the_contract(pm: pluggy.PluginManager, valves: Eligibility) -> None:
    data = json.loads(supplier_qual.render(valves, "json", pm=pm))
    assert {"tender", "as_of", "bidders", "provenance"} <= set(data)
    assert {"id": "T-2026-014", "title": "Hydraulic valve components framework"}.items() <= data["tender"].items()
    assert data["as_of"] == "2026-11-25"
    for bidder in data["bidders"]:
        assert {"supplier", "eligible", "decision", "requirements", "score", "source", "state"} <= set(bidder)
        assert isinstance(bidder["eligible"], bool)
        assert bidder["decision"] in ("qualified", "conditional", "not_qualified")
        for requirement in bidder["requirements"]:
            assert set(requirement) == {"requirement", "met", "reason", "state"}
            assert isinstance(requirement["met"], bool)
            assert requirement["met"] == (requirement["state"] == "met")
    assert [(b["supplier"]["name"], b["eligible"]) for b in data["bidders"]] == [
        ("Northwind Components Ltd", True),
        ("Brightline Fabrication s.r.o.", False),
    ]
    assert len(data["provenance"]["input_sha256"]) == 64


def test_text_reads_bidder_by_bidder(pm: pluggy.PluginManager, valves: Eligibility) -> None:
    text = supplier_qual.render(valves, "text", pm=pm)
    assert isinstance(text, str)
    lines = text.splitlines()
    assert lines[:2] == [
        "Tender T-2026-014: Hydraulic valve components framework",
        "Bids checked as of 2026-11-25: 1 of 2 eligible",
    ]
    assert "Northwind Components Ltd (GB-COH-04567123, GB): ELIGIBLE" in lines
    assert "Brightline Fabrication s.r.o. (CZ-ICO-27182818, CZ): NOT ELIGIBLE" in lines
    assert "  - met: overall score at least 60" in lines
    assert "  - NOT MET: decision at least conditional" in lines
    assert "Q-2016-0042 is not to a current edition of its standard" in " ".join(text.split())


def test_xlsx_has_one_row_per_bidder_and_requirement_and_no_formula(
    pm: pluggy.PluginManager, tmp_path: Path, make_submission: Make
) -> None:
    hostile = make_submission()
    hostile["supplier"]["name"] = '=HYPERLINK("http://evil.example","click")'
    hostile["certificates"][0]["holder"] = hostile["supplier"]["name"]  # the certificate is its own
    bid = write_json(tmp_path / "bid.json", hostile)
    result = supplier_qual.eligibility(load_tender(VALVES), [bid], as_of=AS_OF, pm=pm)
    workbook = openpyxl.load_workbook(io.BytesIO(supplier_qual.render(result, "xlsx", pm=pm)))
    assert workbook.sheetnames == ["Eligibility"]
    sheet = workbook["Eligibility"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 5
    assert {row[0] for row in rows} == {hostile["supplier"]["name"]}
    assert [row[6] for row in rows] == ["met"] * 5


# -- command line -----------------------------------------------------------------------------------------------


def run(pm: pluggy.PluginManager, *args: str | Path) -> Any:
    return CliRunner().invoke(cli, [str(arg) for arg in args], obj=pm)


def test_cli_text_and_json(pm: pluggy.PluginManager) -> None:
    text = run(pm, "eligibility", VALVES, *BIDS, "--as-of", "2026-11-25")
    assert text.exit_code == 0
    assert "ELIGIBLE" in text.output
    as_json = run(pm, "eligibility", VALVES, *BIDS, "--as-of", "2026-11-25", "-f", "json")
    assert as_json.exit_code == 0
    assert json.loads(as_json.output)["tender"]["id"] == "T-2026-014"


def test_cli_reports_every_bad_file_and_writes_nothing(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    bad_tender = tmp_path / "tender.yaml"
    bad_tender.write_text("id: T-1\nrequirements:\n  min_outcome: {G: 150}\n  references: 3\n", encoding="utf-8")
    bad_bid = write_json(tmp_path / "bid.json", {"supplier": {"name": "X"}, "answers": {}, "colour": "red"})
    out = tmp_path / "out.json"
    result = run(pm, "eligibility", bad_tender, BIDS[0], bad_bid, "-f", "json", "-o", out)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert f"{bad_tender}: $.requirements.min_outcome.G: must be a score from 0 to 100" in lines
    assert f"{bad_tender}: $.requirements.references: unknown field (not part of the format)" in lines
    assert any(line.startswith(f"{bad_bid}: $.colour: ") for line in lines)
    assert "Traceback" not in result.output
    assert not out.exists()


def test_cli_bad_yaml_and_missing_file(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    broken = tmp_path / "tender.yaml"
    broken.write_text("id: [T-1\n", encoding="utf-8")
    result = run(pm, "eligibility", broken, tmp_path / "missing.json")
    assert result.exit_code == 2
    assert any(line.startswith(f"{broken}: line ") for line in result.output.splitlines())
    assert f"{tmp_path / 'missing.json'}: cannot read the file" in result.output


def test_identical_inputs_give_identical_bytes(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    args = ["eligibility", VALVES, *BIDS, "--as-of", "2026-11-25", "-f", "json"]
    first, second = run(pm, *args).output, run(supplier_qual.get_plugin_manager(load_entrypoints=False), *args).output
    assert first == second
    assert json.loads(first)["provenance"]["input_sha256"] == json.loads(second)["provenance"]["input_sha256"]
    assert run(pm, *args[:-1], "text").output == run(pm, *args[:-1], "text").output


def test_the_worked_example_shows_real_output(pm: pluggy.PluginManager, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    guide = (ROOT / "docs" / "eligibility.md").read_text(encoding="utf-8")
    command, shown = re.search(r"^```console\n\$ supplier-qual (.*?)\n(.*?)^```", guide, re.S | re.M).groups()  # type: ignore[union-attr]
    assert run(pm, *command.split()).output == shown
    data = json.loads(run(pm, *command.split(), "-f", "json").output)
    documented = json.loads(re.search(r"^```json\n(.*?)^```", guide, re.S | re.M).group(1))  # type: ignore[union-attr]
    assert documented == {**{k: v for k, v in data.items() if k != "provenance"}, "bidders": data["bidders"][1:]}
    tender_block = re.search(r"^```yaml\n(.*?)^```", guide, re.S | re.M).group(1)  # type: ignore[union-attr]
    assert tender_block == VALVES.read_text(encoding="utf-8")
