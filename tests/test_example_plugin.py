"""The example third-party plugin, installed for real and loaded through its entry point.

The slow test builds ``examples/supplier-qual-first-pass-yield`` with pip into a
private target directory (no network, no build isolation, the project's virtual
environment untouched) and runs ``python -m supplier_qual`` in subprocesses with that
directory on ``PYTHONPATH``, exactly as a user's installation would find it. The
fast tests check the plugin's scale and validation in-process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
import pytest

import supplier_qual
from supplier_qual.plugins import LOAD_PLUGINS_ENV

from .conftest import AS_OF, ROOT, write_json

EXAMPLE = ROOT / "examples" / "supplier-qual-first-pass-yield"
PERFORMANCE = {"period_months": 12, "defect_ppm": 420, "extra": {"first_pass_yield_pct": 90.0}}


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.slow
def test_installed_plugin_is_loaded_through_its_entry_point(
    tmp_path: Path, make_submission: Callable[..., dict[str, Any]]
) -> None:
    # Build from a copy: an in-tree build would leave build/ and *.egg-info in examples/.
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    site = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "--isolated", "--no-index", "--no-deps", "--no-build-isolation"]
    pip += ["--disable-pip-version-check", "--quiet", "--target", str(site), str(source)]
    _run(pip, dict(os.environ), tmp_path)
    assert any(site.glob("supplier_qual_first_pass_yield-*.dist-info"))

    env = {key: value for key, value in os.environ.items() if key != LOAD_PLUGINS_ENV}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH", "")]))
    cli = [sys.executable, "-m", "supplier_qual"]

    listed = json.loads(_run([*cli, "plugins", "--json"], env, tmp_path).stdout)
    plugin = next(p for p in listed if p["name"] == "first_pass_yield")
    assert plugin["distribution"] == "supplier-qual-first-pass-yield"
    assert plugin["version"] == "0.1.0"
    assert plugin["hooks"] == ["score_outcome"]

    submission = write_json(tmp_path / "supplier.json", make_submission(performance=PERFORMANCE))
    assess = [*cli, "assess", str(submission), "--as-of", AS_OF.isoformat(), "-f", "json"]
    with_plugin = json.loads(_run(assess, env, tmp_path).stdout)
    # An empty list of installed plugins to load: the built-ins alone.
    without_plugin = json.loads(_run(assess, {**env, LOAD_PLUGINS_ENV: ""}, tmp_path).stdout)

    f_with, f_without = with_plugin["outcomes"]["F"], without_plugin["outcomes"]["F"]
    evidence = {e["source"]: e for e in f_with["evidence"]}
    assert evidence["first_pass_yield"] == {
        "source": "first_pass_yield",
        "assurance": "observed",
        "score": 38.5,
        "weight": 1.0,
        "detail": {"first_pass_yield_pct": 90.0},
    }
    assert "first_pass_yield" not in {e["source"] for e in f_without["evidence"]}
    assert f_with["score"] < f_without["score"]
    assert any(f["source"] == "first_pass_yield" for f in f_with["findings"])
    assert {"name": "first_pass_yield", "version": "0.1.0"} in with_plugin["provenance"]["plugins"]
    assert "first_pass_yield" not in {p["name"] for p in without_plugin["provenance"]["plugins"]}


@pytest.fixture
def plugin(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The example plugin's module, imported from the source tree (not installed)."""
    monkeypatch.syspath_prepend(str(EXAMPLE))
    import sq_first_pass_yield

    yield sq_first_pass_yield
    sys.modules.pop("sq_first_pass_yield", None)


@pytest.mark.parametrize(
    ("pct", "score"),
    [(100.0, 100.0), (98.0, 100.0), (91.5, 50.0), (85.0, 0.0), (40.0, 0.0)],
)
def test_scale(plugin: ModuleType, pct: float, score: float) -> None:
    assert plugin.yield_score(pct) == pytest.approx(score)


def test_scale_is_monotone(plugin: ModuleType) -> None:
    scores = [plugin.yield_score(tenth / 10) for tenth in range(1001)]
    assert scores == sorted(scores)


def _f(
    pm: pluggy.PluginManager, make_submission: Callable[..., dict[str, Any]], performance: dict[str, Any] | None
) -> supplier_qual.Assessment:
    return supplier_qual.assess(make_submission(performance=performance), as_of=AS_OF, pm=pm)


@pytest.mark.parametrize(
    ("pct", "severity"),
    [(97.0, None), (92.0, None), (91.9, "minor"), (88.5, "minor"), (88.0, "major"), (60.0, "major")],
)
def test_findings_below_92_percent(
    pm: pluggy.PluginManager,
    plugin: ModuleType,
    make_submission: Callable[..., dict[str, Any]],
    pct: float,
    severity: str | None,
) -> None:
    pm.register(plugin)
    assessment = _f(pm, make_submission, {"extra": {"first_pass_yield_pct": pct}})
    found = [f for f in assessment.outcomes["F"].findings if f.source == "first_pass_yield"]
    assert [f.severity for f in found] == ([severity] if severity else [])
    assert all(f.action for f in found)


def test_no_yield_no_evidence(
    pm: pluggy.PluginManager, plugin: ModuleType, make_submission: Callable[..., dict[str, Any]]
) -> None:
    pm.register(plugin)
    for performance in (None, {"defect_ppm": 420}):
        sources = {e.source for e in _f(pm, make_submission, performance).outcomes["F"].evidence}
        assert "first_pass_yield" not in sources
    other = _f(pm, make_submission, {"extra": {"first_pass_yield_pct": 50.0}})
    assert all("first_pass_yield" not in {e.source for e in other.outcomes[o].evidence} for o in "ABCDEGHI")


def test_out_of_range_yield_is_refused_with_its_path(
    pm: pluggy.PluginManager, plugin: ModuleType, make_submission: Callable[..., dict[str, Any]]
) -> None:
    pm.register(plugin)
    with pytest.raises(supplier_qual.SubmissionError) as caught:
        _f(pm, make_submission, {"extra": {"first_pass_yield_pct": 120.0}})
    assert [str(p) for p in caught.value.problems] == [
        "$.performance.extra.first_pass_yield_pct: 120 is not a percentage from 0 to 100"
    ]
