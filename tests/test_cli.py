"""The ``supplier-qual`` command line, as a buyer and another program use it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy
import pytest
from click.testing import CliRunner, Result

from supplier_qual.cli import cli

from .conftest import EXAMPLES, write_json

Make = Callable[..., dict[str, Any]]
NORTHWIND = EXAMPLES / "northwind-components.json"


def run(pm: pluggy.PluginManager, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), obj=pm)


def run_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SUPPLIER_QUAL_LOAD_PLUGINS"}
    return subprocess.run(
        [sys.executable, "-m", "supplier_qual", *args], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )


def test_questionnaires_list(pm: pluggy.PluginManager) -> None:
    result = run(pm, "questionnaires", "list", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [(e["id"], e["version"]) for e in data] == [("iso9001-outcomes", "1.0"), ("iso9001-outcomes", "1.1")]
    assert all(entry["questions"] >= 45 for entry in data)
    assert "iso9001-outcomes" in run(pm, "questionnaires", "list").output


def test_questionnaires_show_json_follows_the_contract(pm: pluggy.PluginManager) -> None:
    result = run(pm, "questionnaires", "show", "iso9001-outcomes", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {"id", "version", "title", "questions"} <= set(data)
    question = data["questions"][0]
    assert {"id", "outcome", "clauses", "text", "guidance", "type", "options", "weight", "evidence", "knockout"} <= set(
        question
    )
    assert set(question["options"][0]) == {"value", "label", "points"}
    assert set(question["evidence"]) == {"required", "hint"}
    assert isinstance(question["knockout"], bool)


def test_questionnaires_show_unknown(pm: pluggy.PluginManager) -> None:
    result = run(pm, "questionnaires", "show", "iso9001-outcomes:7.0")
    assert result.exit_code == 2
    assert result.output == "questionnaire iso9001-outcomes has no version '7.0'; installed: 1.0, 1.1\n"


def test_assess_json_follows_the_contract(pm: pluggy.PluginManager) -> None:
    result = run(pm, "assess", str(NORTHWIND), "--as-of", "2026-11-25", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == [
        "supplier", "questionnaire", "as_of", "outcomes", "certificates", "overall", "corrective_actions", "provenance",
        "scope_of_supply",
    ]  # fmt: skip
    assert data["scope_of_supply"]["iaf_codes"] == [17] and data["scope_of_supply"]["source"] == "submission"
    assert {"limits", "not_checked"} <= set(data["overall"])
    assert data["as_of"] == "2026-11-25"
    assert list(data["outcomes"]) == list("ABCDEFGHI")
    assert {"title", "score", "assurance", "findings"} <= set(data["outcomes"]["A"])
    assert {"number", "status", "verified_by", "checks"} <= set(data["certificates"][0])
    assert {"check", "passed", "message"} <= set(data["certificates"][0]["checks"][0])
    assert {"score", "decision", "reasons", "knockouts"} <= set(data["overall"])
    assert data["overall"]["decision"] == "qualified"
    provenance = data["provenance"]
    assert provenance["input_sha256"] == hashlib.sha256(NORTHWIND.read_bytes()).hexdigest()
    assert len(provenance["questionnaire_sha256"]) == 64
    assert {p["name"] for p in provenance["plugins"]} >= {"supplier_qual.default_plugins.scoring"}


def test_assess_text_reads_decision_first(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    performance = EXAMPLES / "northwind-performance.json"
    out = tmp_path / "report.txt"
    args = ["assess", str(NORTHWIND), "--as-of", "2026-11-25", "--performance", str(performance), "-o", str(out)]
    result = run(pm, *args)
    assert result.exit_code == 0 and result.output == ""
    text = out.read_text(encoding="utf-8")
    order = [text.index(h) for h in ("Decision: QUALIFIED", "Outcome", "Certificates", "Corrective actions")]
    assert order == sorted(order)
    assert "F  Product characteristics monitored" in text and "observed" in text


def test_verify(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    data = json.loads(NORTHWIND.read_text(encoding="utf-8"))
    path = write_json(tmp_path / "certs.json", {"certificates": data["certificates"]})
    result = run(pm, "verify", str(path), "--as-of", "2026-11-25", "--json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["as_of"] == "2026-11-25"
    assert [c["status"] for c in report["certificates"]] == ["valid"]
    assert len(report["provenance"]["input_sha256"]) == 64
    assert report["provenance"]["policy"] == "default"
    assert run(pm, "verify", str(path), "--as-of", "2026-11-25", "--json").output == result.output
    text = run(pm, "verify", str(path), "--as-of", "2028-01-01").output
    assert "EXPIRED" in text and "FAIL in_force: expired 2027-03-14" in text


def test_verify_reports_every_bad_certificate(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    path = write_json(tmp_path / "certs.json", [{"standard": "ISO 9001:2015", "issued": "soon"}, {"number": "1"}])
    result = run(pm, "verify", str(path))
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"{path}: $[0].issued: Not a valid date.",
        f"{path}: $[1].standard: Missing data for required field.",
    ]


def test_plugins(pm: pluggy.PluginManager) -> None:
    data = json.loads(run(pm, "plugins", "--json").output)
    hooks = {p["name"]: set(p["hooks"]) for p in data}
    assert hooks["supplier_qual.default_plugins.policy"] == {"combine_outcome", "decide", "plan_corrective_actions"}
    assert hooks["supplier_qual.adapters.json_reader"] == {"read_submission"}
    assert "hooks: read_submission" in run(pm, "plugins").output


def test_bad_input_is_one_line_per_problem_without_traceback(make_submission: Make, tmp_path: Path) -> None:
    data = make_submission({"A2": "Maybe"})
    data["answers"]["Q77"] = "yes"
    path = write_json(tmp_path / "supplier.json", data)
    result = run_process("assess", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f'{path}: $.answers.A2.value: "Maybe" is not one of Yes, Partly, No',
        f"{path}: $.answers.Q77: unknown question Q77: not in questionnaire iso9001-outcomes 1.1",
    ]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["assess", "missing.json"], "missing.json: cannot read the file: No such file or directory"),
        (
            ["assess", "x.json", "--policy", "nope.yaml"],
            "nope.yaml: cannot read the policy file: No such file or directory",
        ),
        (["assess", "x.json", "-q", "nope"], "unknown questionnaire 'nope'; installed: iso9001-outcomes"),
        (["assess", "x.json", "--as-of", "25/11/2026"], "'25/11/2026' does not match the format '%Y-%m-%d'"),
    ],
)
def test_cli_errors(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")
    result = run_process(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_valid_input_exits_zero_whatever_the_decision(pm: pluggy.PluginManager) -> None:
    result = run(pm, "assess", str(EXAMPLES / "brightline-fabrication.json"), "--as-of", "2026-11-25")
    assert result.exit_code == 0
    decision = next(line for line in result.output.splitlines() if line.startswith("Decision:"))
    assert decision == "Decision: NOT QUALIFIED (overall score 78.8 of 100)"


def test_identical_inputs_give_identical_bytes(tmp_path: Path) -> None:
    args = ["assess", str(NORTHWIND), "--as-of", "2026-11-25", "--performance",
            str(EXAMPLES / "northwind-performance.json"), "-f", "json"]  # fmt: skip
    first, second = run_process(*args), run_process(*args, cwd=tmp_path)
    assert first.returncode == 0
    assert first.stdout == second.stdout
    other_day = run_process(*args[:3], "2027-06-01", *args[4:])
    assert json.loads(other_day.stdout)["certificates"][0]["status"] == "expired"
