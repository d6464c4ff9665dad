"""The README's tour shows real output: each example is re-run and compared."""

from __future__ import annotations

import pluggy
import pytest
from click.testing import CliRunner

from supplier_qual.cli import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = [
    [
        "assess",
        "examples/submissions/northwind-components.json",
        "--performance",
        "examples/submissions/northwind-performance.json",
        "--as-of",
        "2026-11-25",
    ],
    ["verify", "examples/submissions/brightline-fabrication.json", "--as-of", "2026-11-25"],
    ["questionnaires", "list"],
    [
        "eligibility",
        "examples/tenders/valve-components.yaml",
        "examples/submissions/northwind-components.json",
        "examples/submissions/brightline-fabrication.json",
        "--as-of",
        "2026-11-25",
    ],
    ["import", "espd", "examples/bids/alpha-espd.xml"],
]


@pytest.mark.parametrize("args", EXAMPLES, ids=[" ".join(a[:2]) for a in EXAMPLES])
def test_readme_shows_the_real_output(
    pm: pluggy.PluginManager, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    pm.hook.register_commands(cli=cli)
    result = CliRunner().invoke(cli, args, obj=pm)
    assert result.exit_code == 0, result.output
    assert result.output.strip() in README


def test_readme_shows_the_ocds_example(pm: pluggy.PluginManager, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    args = ["eligibility", "--ocds", "examples/tenders/valves-two-lots-ocds.json", "--submissions", "examples/bids",
            "--lot", "LOT-1", "--as-of", "2026-11-25"]  # fmt: skip
    result = CliRunner().invoke(cli, args, obj=pm)
    assert result.exit_code == 0, result.output
    shown = "\n".join(result.output.splitlines()[:17])
    assert shown in README
