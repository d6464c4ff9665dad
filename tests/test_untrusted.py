"""Untrusted files are read in a child process: a reader defect becomes one refusal, and a bulk run survives it."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pluggy
import pytest

import supplier_qual
from supplier_qual import batch
from supplier_qual.errors import ConfigurationError, Problem, SubmissionError
from supplier_qual.isolation import run_isolated
from supplier_qual.limits import ReadLimits
from supplier_qual.model import Questionnaire

from .conftest import AS_OF, EXAMPLES
from .hostile_corpus import huge_sheet, main_elsewhere_with_decoy, package, parts, questionnaire_part
from .plugins.dying_worker import dies_on_poison
from .xlsx_corpus import fill

LIMITS = ReadLimits(memory_mb=256, seconds=20)


def _refusal(task: object, limits: ReadLimits = LIMITS) -> str:
    with pytest.raises(SubmissionError) as caught:
        run_isolated(task, limits=limits, source="supplier.xlsx", what="workbook")  # type: ignore[arg-type]
    return str(caught.value)


def _abort() -> None:
    os.abort()


def _exhaust() -> bytes:
    return bytes(2 << 30)


def _spin() -> None:
    while True:
        pass


def _refuse() -> None:
    raise SubmissionError([Problem("bad answer", "Questionnaire!F5")], source="supplier.xlsx")


def _misconfigured() -> None:
    raise ConfigurationError("no reader")


def test_a_reader_that_aborts_is_one_refusal() -> None:
    message = _refusal(_abort)
    assert message == (
        "supplier.xlsx: this workbook could not be read safely: the reader stopped (SIGABRT); "
        "save it again or send another file"
    )


def test_a_reader_that_exhausts_memory_is_stopped_by_the_limit() -> None:
    assert "reading it needed more than the 256 MB of memory allowed" in _refusal(_exhaust)


def test_a_reader_that_loops_is_stopped_by_the_time_limit() -> None:
    assert "reading it took longer than the 1 seconds allowed" in _refusal(_spin, ReadLimits(seconds=1))


def test_input_and_configuration_errors_cross_unchanged() -> None:
    with pytest.raises(SubmissionError) as caught:
        run_isolated(_refuse, limits=LIMITS, source="supplier.xlsx")
    assert [str(p) for p in caught.value.problems] == ["supplier.xlsx: Questionnaire!F5: bad answer"]
    with pytest.raises(ConfigurationError, match="no reader"):
        run_isolated(_misconfigured, limits=LIMITS, source="supplier.xlsx")


def test_read_upload_gives_what_read_submission_gives(
    pm: pluggy.PluginManager, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    data = fill(questionnaire)
    path = tmp_path / "acme.xlsx"
    path.write_bytes(data)
    expected = supplier_qual.read_submission(path, pm=pm)
    assert supplier_qual.read_upload(path, pm=pm) == expected
    assert supplier_qual.read_upload(data, filename=str(path), pm=pm) == expected
    json_path = EXAMPLES / "northwind-components.json"
    assert supplier_qual.read_upload(json_path, pm=pm) == supplier_qual.read_submission(json_path, pm=pm)


def test_read_upload_caps_the_size_before_reading(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with open(path, "wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    with pytest.raises(SubmissionError, match=r"the file is 50\.0 MB, more than the 5\.0 MB accepted"):
        supplier_qual.read_upload(path, pm=pm)
    with pytest.raises(SubmissionError, match=r"the file is 2\.0 MB, more than the 1\.0 MB accepted"):
        supplier_qual.read_upload(bytes(2 << 20), filename="up.xlsx", pm=pm, limits=ReadLimits(max_bytes=1 << 20))


def test_a_threaded_caller_reads_through_the_fork_server(questionnaire: Questionnaire) -> None:
    """A threaded web server must not fork: its child comes from the fork server, with the same result."""
    data = fill(questionnaire)
    expected = supplier_qual.read_submission(data, filename="acme.xlsx")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert supplier_qual.read_upload(data, filename="acme.xlsx") == expected
        with pytest.raises(SubmissionError, match=r"acme\.xlsx: the workbook is damaged or incomplete"):
            supplier_qual.read_upload(data[:100], filename="acme.xlsx")
    finally:
        stop.set()
        other.join()


@pytest.mark.slow
def test_a_bulk_run_survives_a_dead_worker_and_reports_that_file_alone(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    out.mkdir()
    for name in ("a.json", "b.json", "poison.json", "c.json"):
        (inbox / name).write_bytes((EXAMPLES / "northwind-components.json").read_bytes())
    jobs = batch.plan(batch.collect([inbox]), out, "json", AS_OF)
    results = batch.run(jobs, workers=2, task=dies_on_poison)
    assert [(Path(r.source).name, r.ok) for r in results] == [
        ("a.json", True),
        ("b.json", True),
        ("c.json", True),
        ("poison.json", False),
    ]
    assert results[3].problems == (f"{inbox / 'poison.json'}: the worker assessing this file died",)
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json", "c.json"]


@pytest.mark.slow
def test_a_bulk_run_over_crafted_workbooks_assesses_every_valid_one(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    valid = fill(questionnaire)
    members = parts(valid)
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    out.mkdir()
    (inbox / "1-valid.xlsx").write_bytes(valid)
    (inbox / "2-giant-cell.xlsx").write_bytes(package({**members, questionnaire_part(members): huge_sheet(members)}))
    (inbox / "3-decoy.xlsx").write_bytes(package(main_elsewhere_with_decoy(dict(members))))
    (inbox / "4-valid.json").write_bytes((EXAMPLES / "northwind-components.json").read_bytes())
    (inbox / "5-truncated.xlsx").write_bytes(valid[: len(valid) // 3])
    started = time.monotonic()
    results = batch.run(batch.plan(batch.collect([inbox]), out, "json", AS_OF), workers=2)
    assert time.monotonic() - started >= 0  # no timing is judged: the run only has to finish
    assert [(Path(r.source).name, r.ok) for r in results] == [
        ("1-valid.xlsx", True),
        ("2-giant-cell.xlsx", False),
        ("3-decoy.xlsx", True),
        ("4-valid.json", True),
        ("5-truncated.xlsx", False),
    ]
    assert "the sheet has more than 20,000 rows" in results[1].problems[0]
    assert json.loads((out / "1-valid.json").read_text())["overall"]["decision"] == "qualified"
