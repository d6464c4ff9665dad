"""The command line with workbooks: ``template``, ``assess FILE.xlsx``, ``-f xlsx`` and many files at once."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import openpyxl
import pluggy
import pytest
from click.testing import CliRunner, Result

import supplier_qual
from supplier_qual.cli import cli
from supplier_qual.model import Questionnaire

from .conftest import AS_OF, EXAMPLES
from .xlsx_corpus import best_answers, fill


def _run(pm: pluggy.PluginManager, *args: str) -> Result:
    pm.hook.register_commands(cli=cli)
    return CliRunner().invoke(cli, list(args), obj=pm)


def test_template_command_writes_a_template_with_the_supplier_filled_in(
    pm: pluggy.PluginManager, tmp_path: Path
) -> None:
    out = tmp_path / "acme.xlsx"
    result = _run(pm, "template", "--supplier-name", "Acme Ltd", "--supplier-id", "GB-COH-1", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {out}: questionnaire iso9001-outcomes 1.1, 57 questions.\n"
    assert openpyxl.load_workbook(out)["Supplier"]["B4"].value == "Acme Ltd"
    wrong = _run(pm, "template", "-o", str(tmp_path / "acme.csv"))
    assert wrong.exit_code == 2
    assert wrong.stderr == f"{tmp_path / 'acme.csv'}: the template is an Excel workbook: name the output FILE.xlsx\n"


def test_assess_reports_every_problem_of_a_workbook_with_its_cell(
    pm: pluggy.PluginManager, tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "supplier.xlsx"
    path.write_bytes(fill(questionnaire, {**best_answers(questionnaire), "A1": "Maybe", "B1": "Perhaps"}))
    result = _run(pm, "assess", str(path), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f'{path}: Questionnaire!F5: "Maybe" is not one of Yes, Partly, No',
        f'{path}: Questionnaire!F12: "Perhaps" is not one of Yes, Partly, No',
    ]
    assert result.stdout == ""


def test_assess_writes_an_xlsx_report(pm: pluggy.PluginManager, tmp_path: Path, questionnaire: Questionnaire) -> None:
    path = tmp_path / "supplier.xlsx"
    path.write_bytes(fill(questionnaire))
    report = tmp_path / "report.xlsx"
    result = _run(pm, "assess", str(path), "--as-of", AS_OF.isoformat(), "-f", "xlsx", "-o", str(report))
    assert result.exit_code == 0, result.output
    summary = openpyxl.load_workbook(report)["Summary"]
    decision = next(row for row in summary.iter_rows() if row[0].value == "Decision")
    assert decision[1].value == "QUALIFIED"
    piped = _run(pm, "assess", str(path), "--as-of", AS_OF.isoformat(), "-f", "xlsx")
    assert piped.exit_code == 0
    assert openpyxl.load_workbook(io.BytesIO(piped.stdout_bytes)).sheetnames[0] == "Summary"


def test_single_file_output_is_unchanged(pm: pluggy.PluginManager) -> None:
    source = EXAMPLES / "northwind-components.json"
    result = _run(pm, "assess", str(source), "--as-of", AS_OF.isoformat(), "-f", "json")
    assert result.exit_code == 0
    expected = supplier_qual.render(supplier_qual.assess(source, as_of=AS_OF, pm=pm), "json", pm=pm)
    assert result.stdout == expected


@pytest.mark.slow
def test_many_files_on_all_cores_one_bad_file_does_not_stop_the_others(
    pm: pluggy.PluginManager, tmp_path: Path, questionnaire: Questionnaire
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "acme.xlsx").write_bytes(fill(questionnaire))
    (inbox / "broken.xlsx").write_bytes(b"ID,Answer\nA1,Yes\n")
    (inbox / "northwind.json").write_bytes((EXAMPLES / "northwind-components.json").read_bytes())
    (inbox / "notes.txt").write_text("not a submission")
    out = tmp_path / "results"
    result = _run(pm, "assess", str(inbox), "--as-of", AS_OF.isoformat(), "-f", "json", "-o", str(out), "-j", "2")
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == ["acme.json", "northwind.json"]
    assert json.loads((out / "acme.json").read_text())["overall"]["decision"] == "qualified"
    broken = inbox / "broken.xlsx"
    assert result.stderr == (
        f"{inbox / 'notes.txt'}: skipped: not a submission (.json or .xlsx)\n"
        f"{broken}: not an Excel workbook: the file is plain text (CSV?); "
        "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)\n"
    )
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["File", "Decision", "Score", "Result"]
    assert lines[1].split()[:2] == [str(inbox / "acme.xlsx"), "qualified"]
    assert lines[2].split() == [str(broken), "refused", "-", "1", "problem"]
    assert lines[3].split()[:2] == [str(inbox / "northwind.json"), "qualified"]
    assert lines[-1] == "2 assessed, 1 refused"


def test_many_files_need_an_output_directory(pm: pluggy.PluginManager) -> None:
    result = _run(pm, "assess", str(EXAMPLES), "-f", "json")
    assert result.exit_code == 2
    assert result.stderr == "several submissions: give a directory for the results with -o OUT_DIR\n"


def test_verify_reads_the_certificates_of_a_workbook(
    pm: pluggy.PluginManager, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "acme.xlsx"
    path.write_bytes(fill(questionnaire))
    result = _run(pm, "verify", str(path), "--as-of", AS_OF.isoformat(), "--json")
    assert result.exit_code == 0, result.output
    [certificate] = json.loads(result.output)["certificates"]
    assert certificate["status"] == "valid"


def _bulk(tmp_path: Path, *, terminal: bool) -> tuple[int, str]:
    """Run a bulk assessment in a subprocess, its stderr a terminal or a pipe; return (status, stderr)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for name in ("a.json", "b.json"):
        (inbox / name).write_bytes((EXAMPLES / "northwind-components.json").read_bytes())
    args = [sys.executable, "-m", "supplier_qual", "assess", str(inbox), "-o", str(tmp_path / "out"), "-f", "json"]
    env = {k: v for k, v in os.environ.items() if k != "SUPPLIER_QUAL_LOAD_PLUGINS"}
    if not terminal:
        done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
        return done.returncode, done.stderr
    main, secondary = pty.openpty()
    with subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=secondary, env=env) as process:
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal closes when the process ends
                break
            if not chunk:
                break
            chunks.append(chunk)
        status = process.wait()
    os.close(main)
    return status, b"".join(chunks).decode(errors="replace")


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    status, shown = _bulk(tmp_path, terminal=True)
    assert status == 0
    assert "Assessing" in shown
    status, piped = _bulk(tmp_path, terminal=False)
    assert status == 0
    assert piped == ""
