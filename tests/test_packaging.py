"""A built wheel installs and works from any directory, with its data files."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("supplier_qual-*.whl")
    return built


@pytest.mark.slow
def test_wheel_holds_the_packages_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "supplier_qual/adapters/json_reader.py" in names
    assert "supplier_qual/questionnaires/iso9001-outcomes.yaml" in names
    assert "supplier_qual/data/iaf_mla_qms_accreditation_bodies.csv" in names
    assert "supplier_qual/py.typed" in names
    assert "supplier_qual/web/store/migrations/env.py" in names
    assert "supplier_qual/web/store/migrations/script.py.mako" in names
    assert "supplier_qual/web/store/migrations/versions/0001_register.py" in names
    assert "supplier_qual/web/templates/reference.html" in names
    assert "supplier_qual/web/static/reference.css" in names
    assert not any(name.startswith(("adapters/", "questionnaires/", "tests/")) for name in names)


@pytest.mark.slow
def test_installed_wheel_runs_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONSAFEPATH": "1"}
    example = EXAMPLES / "northwind-components.json"
    code = (
        "import supplier_qual, supplier_qual.adapters.json_reader as r; "
        f"assert r.__file__.startswith({str(site)!r}), r.__file__; "
        f"a = supplier_qual.assess({str(example)!r}, as_of='2026-11-25'); print(a.decision.decision); "
        "import importlib.util; print(importlib.util.find_spec('adapters')); "
        "from supplier_qual.web import create_app; app = create_app({'DATABASE_URL': 'sqlite://'}); "
        "client = app.test_client(); print(client.get('/ready').json['status'], client.get('/api/docs').status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "qualified\nNone\nok 200\n"  # no bare top-level 'adapters' package
