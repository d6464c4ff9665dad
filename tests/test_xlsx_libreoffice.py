"""A workbook saved again by LibreOffice imports to the identical submission and assessment.

LibreOffice writes what Excel writes and openpyxl does not: shared strings, its own
styles and number formats, cached values. CI installs it (``.ci/run``) and the test
fails there without it; on another machine without ``soffice`` it is skipped, saying so.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pluggy
import pytest

import supplier_qual
from supplier_qual.adapters.xlsx.reader import read_workbook
from supplier_qual.catalog import Catalog
from supplier_qual.model import Questionnaire

from .conftest import AS_OF
from .xlsx_corpus import CERTIFICATE_ROW, best_answers, fill, parts

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        SOFFICE is None and not os.environ.get("CI"),
        reason="LibreOffice (soffice) is not installed; CI installs it in .ci/run",
    ),
]


def resave_with_libreoffice(source: Path, workdir: Path) -> Path:
    """``source`` converted xlsx → xlsx by headless LibreOffice, with a private profile (works as root, in parallel)."""
    assert SOFFICE is not None
    out = workdir / "out"
    profile = workdir / "profile"
    completed = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={"HOME": str(workdir), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    converted = out / source.name
    assert converted.exists(), f"soffice failed ({completed.returncode}): {completed.stdout} {completed.stderr}"
    return converted


def test_libreoffice_round_trip_gives_identical_submission_and_assessment(
    tmp_path: Path, pm: pluggy.PluginManager, catalog: Catalog, questionnaire: Questionnaire
) -> None:
    answers = best_answers(questionnaire)
    answers.update({"A3": "2 – Defined and documented", "B2": "Partly", "E2": 91.5})
    original = tmp_path / "supplier.xlsx"
    original.write_bytes(
        fill(
            questionnaire,
            answers,
            comments={"A1": "Scope covers both sites", "C2": "Sampling: 50 % of lots, see 'QP-7' & annex"},
            supplier={"Supplier name": "Brightline Fabrication GmbH", "Identifier": "DE-HRB-12345", "Country": "DE"},
            certificates=[
                CERTIFICATE_ROW,
                {**CERTIFICATE_ROW, "Certificate number": "Q-2", "Issued": "01/02/2025", "IAF codes": "17, 18"},
            ],
            performance={"On-time delivery": 96.5, "Defect rate": 420, "Complaints raised": 3, "Complaints closed": 2},
        )
    )
    resaved = resave_with_libreoffice(original, tmp_path)
    assert b"xl/sharedStrings.xml" in b"".join(name.encode() for name in parts(resaved.read_bytes()))

    first = read_workbook(original.read_bytes(), "supplier.xlsx", questionnaire=None, catalog=catalog)
    second = read_workbook(resaved.read_bytes(), "supplier.xlsx", questionnaire=None, catalog=catalog)
    assert second == first
    assert second.sha256 == first.sha256
    assert second.locations == first.locations
    assert first.certificates[1].issued == dt.date(2025, 2, 1)

    render = supplier_qual.render
    one = render(supplier_qual.assess(first, as_of=AS_OF, pm=pm), "json", pm=pm)
    two = render(supplier_qual.assess(second, as_of=AS_OF, pm=pm), "json", pm=pm)
    assert one == two
